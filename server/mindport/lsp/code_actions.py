"""Code actions: one quick-fix per finding that has a fix, carrying its diagnostic."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from mindport.lsp.convert import SOURCE, from_client_position, to_diagnostic, to_range
from mindport.text import Span

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

    from mindport.analysis.findings import Finding
    from mindport.lsp.server import MindPortServer

KINDS = [types.CodeActionKind.QuickFix]


def kind_requested(kind: str, only: Sequence[str] | None) -> bool:
    """LSP kinds are hierarchical: ``only=["source"]`` admits ``source.fixAll.mindport``."""
    if not only:
        return True
    return any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


def _workspace_edit(
    ls: MindPortServer, document: TextDocument, finding: Finding
) -> types.WorkspaceEdit:
    assert finding.fix is not None
    lines = document.lines
    edits: list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit] = [
        types.TextEdit(
            range=to_range(edit.span, lines, document.position_codec), new_text=edit.new_text
        )
        for edit in finding.fix.edits
    ]
    workspace = ls.client_capabilities.workspace
    if workspace and workspace.workspace_edit and workspace.workspace_edit.document_changes:
        # The version makes the client refuse the edit if the document changed meanwhile.
        identifier = types.OptionalVersionedTextDocumentIdentifier(
            uri=document.uri, version=document.version
        )
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=identifier, edits=edits)]
        )
    return types.WorkspaceEdit(changes={document.uri: edits})  # type: ignore[dict-item]


def _matching(
    diagnostic: types.Diagnostic, candidates: Sequence[types.Diagnostic]
) -> types.Diagnostic:
    """The client's own copy of the diagnostic when it sent one (VS Code compares them)."""
    for sent in candidates:
        if (
            sent.source == SOURCE
            and sent.code == diagnostic.code
            and sent.range == diagnostic.range
        ):
            return sent
    return diagnostic


def code_action(
    ls: MindPortServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    if not kind_requested(types.CodeActionKind.QuickFix, params.context.only):
        return None
    document, analysis = ls.analysis_for(params.text_document.uri)
    lines = document.lines
    codec = document.position_codec
    requested = Span(
        from_client_position(params.range.start, lines, codec),
        from_client_position(params.range.end, lines, codec),
    )
    actions: list[types.CodeAction] = []
    for finding in analysis.findings:
        if finding.fix is None:
            continue
        if not (finding.span.overlaps(requested) or finding.span.contains(requested.start)):
            continue
        diagnostic = _matching(
            to_diagnostic(finding, lines, codec, with_code_description=False),
            params.context.diagnostics,
        )
        actions.append(
            types.CodeAction(
                title=finding.fix.title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=_workspace_edit(ls, document, finding),
                is_preferred=finding.fix.safe,
            )
        )
    return actions or None


def register(server: MindPortServer) -> None:
    server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=KINDS)
    )(code_action)

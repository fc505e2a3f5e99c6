"""Code actions: quick-fixes (one per fix, carrying every diagnostic it resolves), "Disable
CODE for this line", and ``source.fixAll.mindport`` (all safe fixes, to a fixed point).

Fix-all can be expensive on a big file, so clients that can resolve code actions get it
without its edit and ask for the edit only when the user picks it (``codeAction/resolve``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls import uris

from mindport.analysis.budget import BudgetExceeded, within_budget
from mindport.fixes.fix_all import fix_all, minimal_edits
from mindport.fixes.ignore_comment import disable_edit
from mindport.lsp.convert import SOURCE, from_client_position, to_diagnostic, to_range
from mindport.lsp.notebooks import NotebookView, cell_view, shift_diagnostic, shift_range, to_cells
from mindport.text import Span, TextEdit

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

    from mindport.analysis.checks import AnalysisOptions
    from mindport.analysis.engine import Analysis, Analyzer
    from mindport.analysis.findings import Finding
    from mindport.lsp.server import MindPortServer

FIX_ALL_KIND = "source.fixAll.mindport"
KINDS = [types.CodeActionKind.QuickFix, FIX_ALL_KIND]


def kind_requested(kind: str, only: Sequence[str] | None) -> bool:
    """LSP kinds are hierarchical: ``only=["source"]`` admits ``source.fixAll.mindport``."""
    if not only:
        return True
    return any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


def _edit(
    ls: MindPortServer, document: TextDocument, edits: Sequence[TextEdit]
) -> types.WorkspaceEdit:
    lines = document.lines
    converted: list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit] = [
        types.TextEdit(
            range=to_range(edit.span, lines, document.position_codec), new_text=edit.new_text
        )
        for edit in edits
    ]
    workspace = ls.client_capabilities.workspace
    if workspace and workspace.workspace_edit and workspace.workspace_edit.document_changes:
        # The version makes the client refuse the edit if the document changed meanwhile.
        identifier = types.OptionalVersionedTextDocumentIdentifier(
            uri=document.uri, version=document.version
        )
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=identifier, edits=converted)]
        )
    return types.WorkspaceEdit(changes={document.uri: converted})  # type: ignore[dict-item]


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


def _in_range(finding: Finding, requested: Span) -> bool:
    return finding.span.overlaps(requested) or finding.span.contains(requested.start)


def _quick_fixes(
    ls: MindPortServer,
    document: TextDocument,
    analysis: Analysis,
    requested: Span,
    sent: Sequence[types.Diagnostic],
) -> list[types.CodeAction]:
    lines = document.lines
    codec = document.position_codec
    by_fix: dict[int, list[Finding]] = {}
    for finding in analysis.findings:
        if finding.fix is not None and _in_range(finding, requested):
            by_fix.setdefault(id(finding.fix), []).append(finding)
    actions = []
    for findings in by_fix.values():
        fix = findings[0].fix
        assert fix is not None
        diagnostics = [
            _matching(to_diagnostic(f, lines, codec, with_code_description=False), sent)
            for f in findings
        ]
        code = min(f.code for f in findings)
        actions.append(
            types.CodeAction(
                title=f"MindPort ({code}): {fix.title}",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=diagnostics,
                edit=_edit(ls, document, fix.edits),
                is_preferred=fix.safe,
            )
        )
    return actions


def _disable_actions(
    ls: MindPortServer,
    document: TextDocument,
    analysis: Analysis,
    requested: Span,
    sent: Sequence[types.Diagnostic],
) -> list[types.CodeAction]:
    lines = document.lines
    codec = document.position_codec
    text = analysis.static.parsed.lines
    zh = ls.options.locale == "zh"
    actions = []
    seen: set[tuple[int, str]] = set()
    for finding in analysis.findings:
        line = finding.span.start.line
        if not _in_range(finding, requested) or (line, finding.code) in seen:
            continue
        seen.add((line, finding.code))
        edit = disable_edit(text.text, text.line(line), line, finding.code)
        if edit is None:
            continue
        diagnostic = _matching(
            to_diagnostic(finding, lines, codec, with_code_description=False), sent
        )
        title = (
            f"MindPort ({finding.code}): 在此行禁用"
            if zh
            else f"MindPort ({finding.code}): Disable for this line"
        )
        actions.append(
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=_edit(ls, document, [edit]),
            )
        )
    return actions


def fix_all_edits(
    analyzer: Analyzer, analysis: Analysis, options: AnalysisOptions
) -> list[TextEdit]:
    """All safe fixes of one analysed text, as minimal edits (pure: safe in a worker thread)."""
    original = analysis.static.parsed.lines.text
    first = True

    def findings_of(text: str) -> tuple[Finding, ...]:
        nonlocal first
        if first:  # the current analysis, jedi's answers included
            first = False
            return analysis.findings
        return analyzer.analyze_static(text, options).findings

    result = fix_all(original, findings_of)
    return minimal_edits(original, result.text)


def fix_all_within(
    analyzer: Analyzer, analysis: Analysis, options: AnalysisOptions, seconds: float, name: str
) -> list[TextEdit]:
    with within_budget(seconds, stage="fix-all", name=name):
        return fix_all_edits(analyzer, analysis, options)


def _fill_fix_all(
    ls: MindPortServer, action: types.CodeAction, document: TextDocument, edits: list[TextEdit]
) -> types.CodeAction:
    if edits:
        action.edit = _edit(ls, document, edits)
    return action


def _fix_all_action(
    ls: MindPortServer, document: TextDocument, analysis: Analysis
) -> types.CodeAction | None:
    if document.uri.startswith("vscode-notebook-cell:"):
        return None  # the client asks per cell and would apply the edits again and again
    if not any(f.fix is not None and f.fix.safe for f in analysis.findings):
        return None
    title = (
        "MindPort: 应用所有安全修复"
        if ls.options.locale == "zh"
        else "MindPort: apply all safe fixes"
    )
    return types.CodeAction(
        title=title, kind=FIX_ALL_KIND, data={"uri": document.uri, "version": document.version}
    )


def _resolves_edits(ls: MindPortServer) -> bool:
    text = ls.client_capabilities.text_document
    code_action = text.code_action if text else None
    support = code_action.resolve_support if code_action else None
    return bool(
        code_action and code_action.data_support and support and "edit" in support.properties
    )


async def resolve(ls: MindPortServer, action: types.CodeAction) -> types.CodeAction:
    """Fill in the fix-all edit (``codeAction/resolve``).

    The work runs in a worker thread and this handler awaits it, so a ``$/cancelRequest``
    from the client answers -32800 at once (the thread's result is then dropped). The edit is
    versioned: a client whose document moved on in the meantime refuses it.
    """
    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri")
    if action.kind != FIX_ALL_KIND or not isinstance(uri, str):
        return action
    options = ls.options_for(uri)
    loop = asyncio.get_running_loop()
    for _ in range(3):  # the document may change while fix-all runs: then once more
        got = await ls.snapshot(uri)
        if got is None:
            return action
        document, analysis = got
        version = document.version
        try:
            edits = await asyncio.wait_for(
                loop.run_in_executor(
                    ls.analysis_executor,
                    fix_all_within,
                    ls.analyzer,
                    analysis,
                    options,
                    ls.settings.limits_file_timeout_seconds,
                    uris.to_fs_path(uri) or uri,
                ),
                ls.settings.limits_request_timeout_seconds,
            )
        except (asyncio.TimeoutError, TimeoutError):
            return action
        except BudgetExceeded as exceeded:
            ls.report_once(f"budget:fix-all:{uri}", exceeded.message(ls.options.locale))
            return action
        if ls.workspace.get_text_document(uri).version == version:
            return _fill_fix_all(ls, action, document, edits)
    return action


async def _cell_code_action(
    ls: MindPortServer, params: types.CodeActionParams, view: NotebookView, first: int
) -> list[types.CodeAction] | None:
    """Quick fixes in a notebook cell: asked of the notebook's text, edits moved into the
    cells they touch. No fix-all per cell: the client asks every cell and would apply the
    notebook's edits once per cell."""
    moved = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=view.uri),
        range=shift_range(params.range, first),
        context=types.CodeActionContext(
            diagnostics=[shift_diagnostic(d, first) for d in params.context.diagnostics],
            only=[types.CodeActionKind.QuickFix],
            trigger_kind=params.context.trigger_kind,
        ),
    )
    if params.context.only and not kind_requested(
        types.CodeActionKind.QuickFix, params.context.only
    ):
        return None
    actions = await code_action(ls, moved) or []
    answered: list[types.CodeAction] = []
    for action in actions:
        if action.edit is None:
            continue
        edit = to_cells(ls, view, action.edit)
        if edit is None:
            continue  # it would split an edit between cells
        action.edit = edit
        action.diagnostics = [shift_diagnostic(d, -first) for d in action.diagnostics or []]
        answered.append(action)
    return answered or None


async def code_action(
    ls: MindPortServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    cell = cell_view(ls, params.text_document.uri)
    if cell is not None:
        return await _cell_code_action(ls, params, *cell)
    got = await ls.snapshot(params.text_document.uri)
    if got is None:
        return None
    document, analysis = got
    lines = document.lines
    codec = document.position_codec
    requested = Span(
        from_client_position(params.range.start, lines, codec),
        from_client_position(params.range.end, lines, codec),
    )
    ls.note_focus(params.text_document.uri, requested.start.line)  # jedi refines here first
    only = params.context.only
    actions: list[types.CodeAction] = []
    if kind_requested(types.CodeActionKind.QuickFix, only):
        sent = params.context.diagnostics
        actions.extend(_quick_fixes(ls, document, analysis, requested, sent))
        actions.extend(_disable_actions(ls, document, analysis, requested, sent))
    if only and kind_requested(FIX_ALL_KIND, only):
        fix_all_action = _fix_all_action(ls, document, analysis)
        if fix_all_action is not None and not _resolves_edits(ls):
            fix_all_action = await resolve(ls, fix_all_action)  # off the loop, then filled
            if fix_all_action.edit is None:
                fix_all_action = None
        if fix_all_action is not None:
            actions.append(fix_all_action)
    return actions or None


def register(server: MindPortServer) -> None:
    server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=True),
    )(code_action)
    server.feature(types.CODE_ACTION_RESOLVE)(resolve)

"""Diagnostics: pushed (``textDocument/publishDiagnostics``) to clients that cannot pull,
served on ``textDocument/diagnostic`` to clients that can. Never both to one client."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from mindport.lsp.convert import SOURCE, to_diagnostic
from mindport.lsp.notebooks import cell_view, per_cell

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

    from mindport.analysis.engine import Analysis
    from mindport.lsp.server import MindPortServer


def _code_description_supported(ls: MindPortServer) -> bool:
    text = ls.client_capabilities.text_document
    if text is None:
        return False
    if ls.uses_pull_diagnostics and text.diagnostic is not None:
        return bool(text.diagnostic.code_description_support)
    return bool(text.publish_diagnostics and text.publish_diagnostics.code_description_support)


def diagnostics_of(
    ls: MindPortServer, document: TextDocument, analysis: Analysis
) -> list[types.Diagnostic]:
    lines = document.lines  # computed on every access in pygls: take it once
    with_link = _code_description_supported(ls)
    return [
        to_diagnostic(finding, lines, document.position_codec, with_code_description=with_link)
        for finding in analysis.findings
    ]


def publish(ls: MindPortServer, document: TextDocument, analysis: Analysis) -> None:
    """Push one analysis; ``document`` must be the version it was made of."""
    diagnostics = diagnostics_of(ls, document, analysis)
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(
            uri=document.uri, version=document.version, diagnostics=diagnostics
        )
    )
    if diagnostics:
        ls.note_first_diagnostics(len(diagnostics))


async def pull(
    ls: MindPortServer, params: types.DocumentDiagnosticParams
) -> types.RelatedFullDocumentDiagnosticReport | types.RelatedUnchangedDocumentDiagnosticReport:
    uri = params.text_document.uri
    cell = cell_view(ls, uri)
    got = await ls.snapshot(cell[0].uri if cell is not None else uri)
    if got is None:  # not ready in time: the client keeps what it has and asks again
        if params.previous_result_id is not None:
            return types.RelatedUnchangedDocumentDiagnosticReport(
                result_id=params.previous_result_id
            )
        return types.RelatedFullDocumentDiagnosticReport(items=[], result_id=None)
    document, analysis = got
    result_id = f"{document.version}:{ls.generation}:{int(analysis.refined)}"
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    items = diagnostics_of(ls, document, analysis)
    if cell is not None:  # a notebook cell: its share of the notebook's, lines in the cell
        items = per_cell(cell[0], items).get(uri, [])
    if items:
        ls.note_first_diagnostics(len(items))
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)


def register(server: MindPortServer) -> None:
    server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False
        ),
    )(pull)

"""Document synchronisation: analyse on open, debounced on change, forget on close."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from mindport.lsp.server import MindPortServer


def did_open(ls: MindPortServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.open_uris.add(params.text_document.uri)
    ls.schedule_analysis(params.text_document.uri, delay=0)


def did_change(ls: MindPortServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule_analysis(params.text_document.uri, delay=ls.settings.diagnostics_debounce_ms / 1000)


def did_save(ls: MindPortServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.schedule_analysis(params.text_document.uri, delay=0)


def did_close(ls: MindPortServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.open_uris.discard(uri)
    ls.forget(uri)
    if not ls.uses_pull_diagnostics:
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )


def register(server: MindPortServer) -> None:
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(did_open)
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(did_change)
    server.feature(types.TEXT_DOCUMENT_DID_SAVE)(did_save)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(did_close)

"""jedi refines the lines the user looks at first: the last hover or code-action request.

A push client gets the 200 lines around the focus refined before the rest of the file. Here
a code action near the end of a long file moves the focus there, so after an edit the
guess at the bottom is answered (its MP401 hint goes) while the one at the top still waits.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Sequence

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.conftest import DATA
from tests.lsp.conftest import SERVER, accept_registrations, open_document, uri_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

ENV = {**os.environ, "MINDPORT_KNOWLEDGE": str(DATA / "knowledge" / "resolution")}
FILLER = 300

# jedi types ``u`` and ``w`` from the calls at the end (the static pass cannot): until it
# has answered, ``sum`` is a guess, an MP401 hint.
TEXT = (
    "import torch\n\n\ndef top(u):\n    return u.sum()\n\n\n"
    + "".join(f"N{i} = {i}\n" for i in range(FILLER))
    + "\n\ndef bottom(w):\n    return w.sum()\n\n\ntop(torch.zeros(1))\nbottom(torch.zeros(1))\n"
)
TOP = TEXT.splitlines().index("    return u.sum()")
BOTTOM = TEXT.splitlines().index("    return w.sum()")


class _History(dict[str, Sequence[types.Diagnostic]]):
    """The client's diagnostics, remembering every publish (not only the last one)."""

    def __init__(self) -> None:
        super().__init__()
        self.published: list[tuple[str, Sequence[types.Diagnostic]]] = []

    def __setitem__(self, uri: str, diagnostics: Sequence[types.Diagnostic]) -> None:
        self.published.append((uri, diagnostics))
        super().__setitem__(uri, diagnostics)


@pytest_lsp.fixture(
    scope="module", config=ClientServerConfig(server_command=SERVER, server_env=ENV)
)
async def hints(lsp_client: LanguageClient) -> AsyncIterator[None]:
    """VS Code (push diagnostics) with MP401 turned on."""
    accept_registrations(lsp_client)
    lsp_client.diagnostics = _History()
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            initialization_options={"rules": {"MP401": "hint"}},
        )
    )
    yield
    await lsp_client.shutdown_session()


def _guessed_lines(diagnostics: Sequence[types.Diagnostic]) -> set[int]:
    return {d.range.start.line for d in diagnostics if d.code == "MP401"}


async def _until_no_guess(client: LanguageClient, uri: str) -> None:
    for _ in range(10):
        if not _guessed_lines(client.diagnostics.get(uri, [])):
            return
        await asyncio.wait_for(
            client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=60
        )
    assert not _guessed_lines(client.diagnostics.get(uri, []))


async def test_a_code_action_moves_the_refinement_to_its_line(hints: LanguageClient) -> None:
    uri = uri_of("refinement-focus.py")
    history = hints.diagnostics
    assert isinstance(history, _History)
    await open_document(hints, uri, TEXT)
    await _until_no_guess(hints, uri)  # version 1: the focus was the top of the file

    await hints.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(types.Position(BOTTOM, 0), types.Position(BOTTOM, 4)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    # A module-level change: every cached jedi answer is stale, both guesses are asked again.
    edited = TEXT + "LAST = 1\n"
    start = len(history.published)
    hints.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
        )
    )
    await hints.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    await _until_no_guess(hints, uri)
    steps = [_guessed_lines(d) for u, d in history.published[start:] if u == uri]
    assert steps[0] == {TOP, BOTTOM}  # the static pass: both are guesses
    assert {TOP} in steps  # the bottom was answered first
    assert {BOTTOM} not in steps

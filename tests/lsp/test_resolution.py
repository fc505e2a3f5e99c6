"""The resolver through the real server: static findings first, jedi's refinement after, the
"possible" tier in hovers and MP401 hints, and a broken interpreter setting.

The server reads the resolver tests' small knowledge base (tensor methods, layers...).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.conftest import DATA
from tests.lsp.conftest import SERVER, accept_registrations, open_document, uri_of
from tests.lsp.helpers import position_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

ENV = {**os.environ, "MINDPORT_KNOWLEDGE": str(DATA / "knowledge" / "resolution")}

TEXT = """\
from torch import *
import torch


def table():
    return {}


def f(x: torch.Tensor, u):
    table().values()
    stacked = cat([x, x])
    return x.view(-1), u.sum()
"""


async def _start(client: LanguageClient, options: dict[str, object]) -> None:
    accept_registrations(client)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            initialization_options=options,
        )
    )


@pytest_lsp.fixture(
    scope="module", config=ClientServerConfig(server_command=SERVER, server_env=ENV)
)
async def hints(lsp_client: LanguageClient) -> AsyncIterator[None]:
    """VS Code with MP401 turned on."""
    await _start(lsp_client, {"rules": {"MP401": "hint"}})
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(
    scope="module", config=ClientServerConfig(server_command=SERVER, server_env=ENV)
)
async def broken(lsp_client: LanguageClient) -> AsyncIterator[None]:
    """VS Code with an interpreter setting that does not exist."""
    await _start(lsp_client, {"interpreter": "/nonexistent/bin/python"})
    yield
    await lsp_client.shutdown_session()


def _codes(client: LanguageClient, uri: str, text: str) -> set[tuple[str, str]]:
    lines = text.splitlines()
    return {
        (str(d.code), lines[d.range.start.line][d.range.start.character : d.range.end.character])
        for d in client.diagnostics.get(uri, [])
    }


async def _until(client: LanguageClient, uri: str, text: str, wanted: set[tuple[str, str]]) -> None:
    """Wait for published diagnostics until they are ``wanted`` (each publish is one step)."""
    for _ in range(10):
        if _codes(client, uri, text) == wanted:
            return
        try:  # a missing publish is a failure, not a hang
            await asyncio.wait_for(
                client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=30
            )
        except asyncio.TimeoutError:
            break
    assert _codes(client, uri, text) == wanted


async def _hover(client: LanguageClient, uri: str, text: str, needle: str) -> str:
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position_of(text, needle),
        )
    )
    assert result is not None and isinstance(result.contents, types.MarkupContent)
    return result.contents.value


async def test_guesses_are_hints_until_jedi_answers(hints: LanguageClient) -> None:
    uri = uri_of("resolution-tiers.py")
    await open_document(hints, uri, TEXT)
    await hints.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    static = _codes(hints, uri, TEXT)
    # At once: the annotated receiver is certain, and `view` works unchanged on a MindSpore
    # tensor, so it is silent (no MP101, and no MP401 either); the others are guesses (hints).
    assert {("MP401", "values"), ("MP401", "sum")} <= static
    assert not any(covered == "view" for _, covered in static), static
    assert ("MP101", "cat") not in static
    for diagnostic in hints.diagnostics[uri]:
        if diagnostic.code == "MP401":
            assert diagnostic.severity == types.DiagnosticSeverity.Hint
    # After jedi: the dict's values() is no tensor method, cat comes from the star import.
    await _until(
        hints,
        uri,
        TEXT,
        {("MP101", "cat"), ("MP401", "sum"), ("MP101", "torch.Tensor")},
    )


async def test_hover_says_possible_only_for_guesses(hints: LanguageClient) -> None:
    uri = uri_of("resolution-hover.py")
    await open_document(hints, uri, TEXT)
    await hints.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    guess = await _hover(hints, uri, TEXT, "sum()")
    assert guess.startswith("**Possible** `torch.Tensor.sum`")
    certain = await _hover(hints, uri, TEXT, "view(")
    assert "Possible" not in certain and "torch.Tensor.view" in certain


async def test_module_instances_say_what_they_are(hints: LanguageClient) -> None:
    uri = uri_of("resolution-instance.py")
    text = (
        "import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        self.fc = nn.Linear(2, 2)\n\n    def forward(self, x):\n"
        "        return self.fc(x)\n"
    )
    await open_document(hints, uri, text)
    await hints.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    card = await _hover(hints, uri, text, "self.fc(x)")
    assert card.startswith("`self.fc` is a `torch.nn.Linear`.")


async def test_a_broken_interpreter_is_reported_once_and_names_still_resolve(
    broken: LanguageClient,
) -> None:
    uri = uri_of("resolution-broken.py")
    await open_document(broken, uri, TEXT)
    await _until(broken, uri, TEXT, {("MP101", "cat"), ("MP101", "torch.Tensor")})
    complaints = [m for m in broken.messages if "/nonexistent/bin/python" in m.message]
    assert len(complaints) == 1
    assert complaints[0].type == types.MessageType.Warning

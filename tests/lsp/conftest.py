"""End-to-end fixtures: a real ``mindport serve`` process spoken to over stdio by pytest-lsp."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = [sys.executable, "-m", "mindport", "serve", "--stdio"]
DATA = Path(__file__).resolve().parent.parent / "data"


def uri_of(name: str) -> str:
    return (DATA / "lsp" / name).as_uri()


async def open_document(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=version, text=text
            )
        )
    )


def accept_registrations(client: LanguageClient) -> list[types.RegistrationParams]:
    """Real editors answer client/registerCapability; pytest-lsp's client needs a handler."""
    received: list[types.RegistrationParams] = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        received.append(params)

    return received


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def vscode(lsp_client: LanguageClient) -> AsyncIterator[None]:
    """A client with VS Code's capabilities: push diagnostics, UTF-16 columns."""
    accept_registrations(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"), locale="en-us"
        )
    )
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def neovim(lsp_client: LanguageClient) -> AsyncIterator[None]:
    """A client with Neovim 0.11's capabilities: pull diagnostics, UTF-8 columns."""
    accept_registrations(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("neovim@v0.11.0"))
    )
    yield
    await lsp_client.shutdown_session()

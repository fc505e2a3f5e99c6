"""Settings: initializationOptions, then workspace/configuration; bad values: defaults + a message."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.lsp.conftest import SERVER, accept_registrations, open_document, uri_of
from tests.lsp.helpers import diagnostics_for

pytestmark = pytest.mark.asyncio(loop_scope="module")

TEXT = "import torch\np = torch.nn.Parameter(w, requires_grad=False)\n"


async def start(client: LanguageClient, options: object) -> list[types.RegistrationParams]:
    registrations = accept_registrations(client)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"), initialization_options=options
        )
    )
    return registrations


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def init_zh(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await start(lsp_client, {"locale": "zh-cn"})
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def pulled_config(lsp_client: LanguageClient) -> AsyncIterator[None]:
    lsp_client.set_configuration({"locale": "zh-cn"}, section="mindport")
    lsp_client.registrations = await start(lsp_client, {"locale": "en"})  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def invalid(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await start(lsp_client, {"target": 3, "diagnostics": {"debounceMs": "soon"}, "locale": "fr"})
    yield
    await lsp_client.shutdown_session()


async def test_initialization_options_choose_the_language(init_zh: LanguageClient) -> None:
    uri = uri_of("config-init.py")
    await open_document(init_zh, uri, TEXT)
    messages = [d.message for d in await diagnostics_for(init_zh, uri)]
    assert messages[0].startswith("torch.nn.Parameter 在 MindSpore 中对应 mindspore.Parameter")
    assert "冻结" in messages[1]


async def test_workspace_configuration_wins_and_changes_are_picked_up(
    pulled_config: LanguageClient,
) -> None:
    client = pulled_config
    uri = uri_of("config-pulled.py")
    await open_document(client, uri, TEXT)
    first = await diagnostics_for(client, uri)
    assert "在 MindSpore 中对应" in first[0].message
    registrations = client.registrations  # type: ignore[attr-defined]
    assert [r.method for p in registrations for r in p.registrations] == [
        types.WORKSPACE_DID_CHANGE_CONFIGURATION
    ]

    client.set_configuration({"locale": "en"}, section="mindport")
    del client.diagnostics[uri]
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    again = await diagnostics_for(client, uri)
    assert again[0].message.startswith("torch.nn.Parameter has a MindSpore counterpart")


async def test_invalid_settings_fall_back_with_one_message(invalid: LanguageClient) -> None:
    uri = uri_of("config-invalid.py")
    await open_document(invalid, uri, TEXT)
    diagnostics = await diagnostics_for(invalid, uri)
    assert diagnostics[0].message.startswith("torch.nn.Parameter has a MindSpore counterpart")
    settings_messages = [m for m in invalid.messages if "invalid" in m.message]
    assert len(settings_messages) == 1
    text = settings_messages[0].message
    assert "target should be one of mint, classic" in text
    assert 'diagnostics.debounceMs should be an integer, not "soon"' in text
    assert "locale should be one of" in text
    assert settings_messages[0].type == types.MessageType.Warning

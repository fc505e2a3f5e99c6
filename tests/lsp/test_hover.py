"""Hover over real JSON-RPC: the knowledge card for every import form, in the client's units."""

from __future__ import annotations

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.lsp.conftest import SERVER, accept_registrations, open_document, uri_of
from tests.lsp.forms import FORMS, Form
from tests.lsp.helpers import hover_at, position_of, range_of

# One server per module (fast); every test uses its own document URIs.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.mark.parametrize("form", FORMS, ids=[form.name for form in FORMS])
async def test_card_for_every_form(vscode: LanguageClient, form: Form) -> None:
    uri = uri_of(f"hover-{form.name}.py")
    await open_document(vscode, uri, form.text)
    target = form.target_range()
    # on any character of the name, first and last included, and not on the one after it
    assert await hover_at(vscode, uri, target.end) is None
    for character in (target.start.character, target.end.character - 1):
        assert await hover_at(vscode, uri, types.Position(target.start.line, character)) is not None
    middle = types.Position(target.start.line, (target.start.character + target.end.character) // 2)
    hover = await hover_at(vscode, uri, middle)
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    card = hover.contents.value
    assert hover.range == target
    # the short card: the MindSpore signature, the mapping, the traps, the way to the full card
    assert "mindspore.Parameter(default_input, name=None, requires_grad=True" in card
    assert len(card.rstrip().split("\n")) <= 15
    assert "Full card: `mindport explain " in card  # this client has no showCard command
    if form.is_torch:
        assert "**torch.nn.Parameter** → **mindspore.Parameter**" in card
        assert "- **requires_grad=False freezes a torch parameter" in card
    else:
        assert "**mindspore.Parameter** ← **torch.nn.Parameter**" in card
        assert "\n- **" in card


async def test_nothing_to_say_elsewhere(vscode: LanguageClient) -> None:
    uri = uri_of("hover-none.py")
    text = "import torch\nx = 1\np = torch.nn.Parameter(w)\n"
    await open_document(vscode, uri, text)
    assert await hover_at(vscode, uri, types.Position(1, 0)) is None
    assert await hover_at(vscode, uri, position_of(text, "(w)")) is None
    assert await hover_at(vscode, uri, types.Position(40, 3)) is None


async def test_hover_after_astral_characters_uses_utf16(vscode: LanguageClient) -> None:
    uri = uri_of("hover-emoji.py")
    text = "import torch\ns = '😀😀'; p = torch.nn.Parameter(w)\n"
    await open_document(vscode, uri, text)
    start = position_of(text, "torch.nn.Parameter", "utf-16")
    assert start.character == len("s = '😀😀'; p = ") + 2  # two astral characters, two units each
    hover = await hover_at(vscode, uri, start)
    assert hover is not None and hover.range == range_of(text, "torch.nn.Parameter", "utf-16")
    # one unit before the name is outside it
    assert await hover_at(vscode, uri, types.Position(1, start.character - 2)) is None


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def chinese(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    accept_registrations(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"), locale="zh-cn"
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_card_in_simplified_chinese_for_a_chinese_client(chinese: LanguageClient) -> None:
    uri = uri_of("hover-zh.py")
    text = "import torch\np = torch.nn.Parameter(w)\n"
    await open_document(chinese, uri, text)
    hover = await hover_at(chinese, uri, position_of(text, "Parameter"))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "行为不同" in hover.contents.value and "另有" in hover.contents.value
    assert "完整卡片" in hover.contents.value


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def plaintext(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    capabilities = types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.PlainText])
        )
    )
    await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities))
    yield
    await lsp_client.shutdown_session()


async def test_plaintext_for_clients_without_markdown(plaintext: LanguageClient) -> None:
    uri = uri_of("hover-plain.py")
    text = "import torch\np = torch.nn.Parameter(w)\n"
    await open_document(plaintext, uri, text)
    hover = await hover_at(plaintext, uri, position_of(text, "Parameter"))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.PlainText
    assert "```" not in hover.contents.value and "**" not in hover.contents.value
    assert "mindspore.Parameter(default_input" in hover.contents.value


async def test_hover_over_an_ignore_comment_shows_the_rules(vscode: LanguageClient) -> None:
    uri = uri_of("hover-ignore.py")
    text = "import torch\np = torch.nn.Parameter(w)  # mindport: ignore[MP101, MP999]\n# mindport: ignore-file[MP202]\n"
    await open_document(vscode, uri, text)
    hover = await hover_at(vscode, uri, position_of(text, "ignore[MP101"))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("MindPort ignores on this line:")
    assert (
        "[`MP101` replacement-available](https://github.com/mindport/mindport/blob/main/docs/rules/MP101.md)"
        in hover.contents.value
    )
    assert "`MP999`: unknown rule code" in hover.contents.value
    assert hover.range == range_of(text, "mindport: ignore[MP101, MP999]")
    whole = await hover_at(vscode, uri, position_of(text, "ignore-file"))
    assert whole is not None and isinstance(whole.contents, types.MarkupContent)
    assert (
        whole.contents.value.startswith("MindPort ignores in this whole file:")
        and "MP202" in whole.contents.value
    )

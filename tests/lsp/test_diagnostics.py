"""Diagnostics over real JSON-RPC: pushed to VS Code, pulled by Neovim, for every import form."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from mindport.analysis.rules import RULES
from tests.conftest import SEED_ENTRY
from tests.lsp.conftest import open_document, uri_of
from tests.lsp.forms import FORMS, Form
from tests.lsp.helpers import diagnostics_for, hover_at, position_of, pulled

# One server per module (fast); every test uses its own document URIs.
pytestmark = pytest.mark.asyncio(loop_scope="module")

FORM_IDS = [form.name for form in FORMS]


def expected(form: Form, encoding: str) -> set[tuple[str, int, int, int, int]]:
    result = set()
    for code, line, covered in form.labels:
        rng = form.range_on_line(line, covered, encoding)
        result.add((code, rng.start.line, rng.start.character, rng.end.line, rng.end.character))
    return result


def observed(diagnostics: list[types.Diagnostic]) -> set[tuple[str, int, int, int, int]]:
    """The seed's diagnostics (the forms are about torch.nn.Parameter; other APIs may grow)."""
    return {
        (
            str(d.code),
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
        )
        for d in diagnostics
        if isinstance(d.data, dict) and d.data.get("entry") == SEED_ENTRY
    }


@pytest.mark.parametrize("form", FORMS, ids=FORM_IDS)
async def test_pushed_to_vscode_in_utf16(vscode: LanguageClient, form: Form) -> None:
    uri = uri_of(f"push-{form.name}.py")
    await open_document(vscode, uri, form.text)
    diagnostics = await diagnostics_for(vscode, uri)
    assert observed(diagnostics) == expected(form, "utf-16")
    for diagnostic in diagnostics:
        assert diagnostic.source == "mindport"
        assert diagnostic.severity == types.DiagnosticSeverity(
            int(RULES[str(diagnostic.code)].severity)
        )
        assert diagnostic.code_description is not None
        assert diagnostic.code_description.href.endswith(f"/docs/rules/{diagnostic.code}.md")


@pytest.mark.parametrize("form", FORMS, ids=FORM_IDS)
async def test_pulled_by_neovim_in_utf8(neovim: LanguageClient, form: Form) -> None:
    uri = uri_of(f"pull-{form.name}.py")
    await open_document(neovim, uri, form.text)
    diagnostics = await pulled(neovim, uri)
    assert observed(diagnostics) == expected(form, "utf-8")
    # A client that pulls never gets the same diagnostics pushed as well.
    await neovim.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 0)
        )
    )
    assert uri not in neovim.diagnostics


async def test_messages_say_what_to_use_and_why(vscode: LanguageClient) -> None:
    uri = uri_of("messages.py")
    text = "import torch.nn as nn\np = nn.Parameter(data=w, requires_grad=False)\n"
    await open_document(vscode, uri, text)
    by_code = {d.code: d for d in await diagnostics_for(vscode, uri)}
    # one line: what to use (the behaviour notes are in the hover's card)
    assert by_code["MP101"].message == (
        "torch.nn.Parameter has a MindSpore counterpart: mindspore.Parameter"
    )
    card = await hover_at(vscode, uri, by_code["MP101"].range.start)
    assert card is not None and isinstance(card.contents, types.MarkupContent)
    assert "- Every MindSpore Parameter has a name" in card.contents.value  # a note, after the trap
    assert by_code["MP202"].message == "`data` is called `default_input` in mindspore.Parameter."
    assert by_code["MP202"].severity == types.DiagnosticSeverity.Hint
    assert "trainable_params()" in by_code["MP301"].message


async def test_changes_are_debounced_and_republished(vscode: LanguageClient) -> None:
    uri = uri_of("change.py")
    await open_document(vscode, uri, "import torch\n")
    assert await diagnostics_for(vscode, uri) == []
    del vscode.diagnostics[uri]
    new_text = "import torch\np = torch.nn.Parameter(w)\n"
    vscode.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=new_text)],
        )
    )
    diagnostics = await diagnostics_for(vscode, uri)
    assert [d.code for d in diagnostics] == ["MP101"]
    assert diagnostics[0].range.start == position_of(new_text, "torch.nn.Parameter")


async def test_close_clears_diagnostics(vscode: LanguageClient) -> None:
    uri = uri_of("close.py")
    await open_document(vscode, uri, "import torch\np = torch.nn.Parameter(w)\n")
    assert await diagnostics_for(vscode, uri)
    del vscode.diagnostics[uri]
    vscode.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert await diagnostics_for(vscode, uri) == []


async def test_syntax_errors_do_not_stop_the_server(vscode: LanguageClient) -> None:
    uri = uri_of("broken.py")
    text = (
        "import torch\np = torch.nn.Parameter(w\nq = (\ndef f(:\n    return torch.nn.Parameter(w)\n"
    )
    await open_document(vscode, uri, text)
    diagnostics = await diagnostics_for(vscode, uri)
    # the broken lines are skipped (and MP001 says so); the function below still counts
    assert [(d.code, d.range.start.line) for d in diagnostics] == [("MP001", 1), ("MP101", 4)]
    hover = await vscode.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(4, 20)
        )
    )
    assert hover is not None

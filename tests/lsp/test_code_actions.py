"""Quick-fixes over real JSON-RPC: the edit, applied as an editor does, gives the expected file."""

from __future__ import annotations

import ast

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import open_document, uri_of
from tests.lsp.forms import FORMS, Form
from tests.lsp.helpers import apply_text_edits, diagnostics_for, edits_of, range_of

# One server per module (fast); every test uses its own document URIs.
pytestmark = pytest.mark.asyncio(loop_scope="module")

TORCH_FORMS = [form for form in FORMS if form.is_torch]


async def actions_at(
    client: LanguageClient,
    uri: str,
    rng: types.Range,
    diagnostics: list[types.Diagnostic],
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=rng,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


@pytest.mark.parametrize("form", TORCH_FORMS, ids=[form.name for form in TORCH_FORMS])
async def test_quick_fix_for_every_form(vscode: LanguageClient, form: Form) -> None:
    uri = uri_of(f"fix-{form.name}.py")
    await open_document(vscode, uri, form.text)
    diagnostics = await diagnostics_for(vscode, uri)
    target = form.target_range()
    cursor = types.Range(start=target.start, end=target.start)
    (action,) = await actions_at(vscode, uri, cursor, [d for d in diagnostics if d.range == target])
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.title == "Replace with mindspore.Parameter"
    assert action.is_preferred is True
    assert action.diagnostics is not None and [d.code for d in action.diagnostics] == ["MP101"]
    assert action.edit is not None and action.edit.document_changes  # versioned for VS Code
    result = apply_text_edits(form.text, edits_of(action, uri))
    assert result == form.fixed
    ast.parse(result)


async def test_kinds_are_respected(vscode: LanguageClient) -> None:
    uri = uri_of("fix-kinds.py")
    text = "import torch\np = torch.nn.Parameter(w)\n"
    await open_document(vscode, uri, text)
    diagnostics = await diagnostics_for(vscode, uri)
    rng = range_of(text, "torch.nn.Parameter")
    assert await actions_at(vscode, uri, rng, diagnostics, only=[types.CodeActionKind.Source]) == []
    assert (
        len(await actions_at(vscode, uri, rng, diagnostics, only=[types.CodeActionKind.QuickFix]))
        == 1
    )
    assert await actions_at(vscode, uri, range_of(text, "import"), []) == []


async def test_no_quick_fix_when_nothing_safe_can_be_written(vscode: LanguageClient) -> None:
    uri = uri_of("fix-none.py")
    text = "import torch\np = torch.nn.Parameter()\n"
    await open_document(vscode, uri, text)
    (diagnostic,) = await diagnostics_for(vscode, uri)
    assert "No automatic fix" in diagnostic.message
    assert await actions_at(vscode, uri, diagnostic.range, [diagnostic]) == []

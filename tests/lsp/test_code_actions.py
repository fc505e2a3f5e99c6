"""Quick-fixes over real JSON-RPC: the edit, applied as an editor does, gives the expected file."""

from __future__ import annotations

import ast
import asyncio

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled
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
    actions = await actions_at(vscode, uri, cursor, [d for d in diagnostics if d.range == target])
    (action,) = [a for a in actions if "Replace with" in a.title]
    assert [a.title for a in actions if a is not action] == [
        "MindPort (MP101): Disable for this line"
    ]
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.title == "MindPort (MP101): Replace with mindspore.Parameter"
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
    source = await actions_at(vscode, uri, rng, diagnostics, only=[types.CodeActionKind.Source])
    assert [a.kind for a in source] == ["source.fixAll.mindport"]
    quick = await actions_at(vscode, uri, rng, diagnostics, only=[types.CodeActionKind.QuickFix])
    assert [a.kind for a in quick] == [types.CodeActionKind.QuickFix] * 2
    assert await actions_at(vscode, uri, range_of(text, "import"), []) == []


async def test_no_quick_fix_when_nothing_safe_can_be_written(vscode: LanguageClient) -> None:
    uri = uri_of("fix-none.py")
    text = "import torch\np = torch.nn.Parameter()\n"
    await open_document(vscode, uri, text)
    (diagnostic,) = await diagnostics_for(vscode, uri)
    assert "No automatic fix" in diagnostic.message
    actions = await actions_at(vscode, uri, diagnostic.range, [diagnostic])
    assert [a.title for a in actions] == ["MindPort (MP101): Disable for this line"]


async def test_one_fix_for_all_the_diagnostics_of_a_call(vscode: LanguageClient) -> None:
    uri = uri_of("fix-shared.py")
    text = "import torch.nn as nn\np = nn.Parameter(data=w)\n"
    await open_document(vscode, uri, text)
    diagnostics = await diagnostics_for(vscode, uri)
    whole_line = types.Range(start=types.Position(1, 0), end=types.Position(1, 25))
    actions = await actions_at(vscode, uri, whole_line, diagnostics)
    (fix,) = [a for a in actions if "Replace with" in a.title]
    assert sorted(str(d.code) for d in fix.diagnostics or []) == ["MP101", "MP202"]
    assert sorted(a.title for a in actions if a is not fix) == [
        "MindPort (MP101): Disable for this line",
        "MindPort (MP202): Disable for this line",
    ]


async def test_disable_for_this_line_adds_or_merges_the_comment(vscode: LanguageClient) -> None:
    uri = uri_of("fix-disable.py")
    text = "import torch.nn as nn\np = nn.Parameter(data=w)  # mindport: ignore[MP301]\n"
    await open_document(vscode, uri, text)
    diagnostics = await diagnostics_for(vscode, uri)
    actions = await actions_at(vscode, uri, range_of(text, "data"), diagnostics)
    (disable,) = [a for a in actions if a.title == "MindPort (MP202): Disable for this line"]
    after = apply_text_edits(text, edits_of(disable, uri))
    assert (
        after
        == "import torch.nn as nn\np = nn.Parameter(data=w)  # mindport: ignore[MP301, MP202]\n"
    )
    # the comment is honoured: the server drops that diagnostic once the text says so
    uri2 = uri_of("fix-disable-2.py")
    await open_document(vscode, uri2, after)
    assert [d.code for d in await diagnostics_for(vscode, uri2)] == ["MP101"]


async def test_fix_all_on_save_is_resolved_lazily(vscode: LanguageClient) -> None:
    uri = uri_of("fix-all.py")
    text = (
        "import torch\nimport torch.nn as nn\n\n"
        "a = torch.nn.Parameter(x, False)  # keep this comment\n"
        "b = nn.Parameter(data=y)\n"
        "c = nn.Parameter()  # nothing safe to do here\n"
    )
    await open_document(vscode, uri, text)
    diagnostics = await diagnostics_for(vscode, uri)
    result = await vscode.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
            context=types.CodeActionContext(
                diagnostics=diagnostics,
                only=["source.fixAll"],
                trigger_kind=types.CodeActionTriggerKind.Automatic,
            ),
        )
    )
    (action,) = result or []
    assert isinstance(action, types.CodeAction)
    assert action.kind == "source.fixAll.mindport" and action.edit is None  # VS Code resolves edits
    resolved = await vscode.code_action_resolve_async(action)
    after = apply_text_edits(text, edits_of(resolved, uri))
    assert after == (
        "import torch\nimport torch.nn as nn\nimport mindspore\n\n"
        "a = mindspore.Parameter(x, requires_grad=False)  # keep this comment\n"
        "b = mindspore.Parameter(default_input=y)\n"
        "c = nn.Parameter()  # nothing safe to do here\n"
    )


async def test_a_cancelled_fix_all_answers_request_cancelled(vscode: LanguageClient) -> None:
    uri = uri_of("fix-all-cancel.py")
    body = "".join(f"p{i} = torch.nn.Parameter(w, False)  # keep {i}\n" for i in range(1500))
    text = "import torch\n\n" + body
    await open_document(vscode, uri, text)
    await diagnostics_for(vscode, uri)
    result = await vscode.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll"]),
        )
    )
    (action,) = result or []
    assert isinstance(action, types.CodeAction) and action.edit is None
    pending = asyncio.ensure_future(
        vscode.protocol.send_request_async(types.CODE_ACTION_RESOLVE, action, msg_id="resolve-1")
    )
    await asyncio.sleep(0)  # let the request go out before the cancellation
    vscode.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="resolve-1"))
    with pytest.raises(JsonRpcRequestCancelled):
        await pending
    # the server keeps serving, and an uncancelled resolve still works
    resolved = await vscode.code_action_resolve_async(action)
    assert resolved.edit is not None
    assert "p1499 = mindspore.Parameter(w, requires_grad=False)  # keep 1499" in apply_text_edits(
        text, edits_of(resolved, uri)
    )

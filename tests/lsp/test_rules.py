"""One end-to-end test per rule: a real server over JSON-RPC, with the rules test knowledge base."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from mindport.analysis.rules import RULES
from tests.conftest import DATA
from tests.lsp.conftest import SERVER, accept_registrations, open_document, uri_of
from tests.lsp.helpers import apply_text_edits, diagnostics_for, edits_of, range_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

ENV = {**os.environ, "MINDPORT_KNOWLEDGE": str(DATA / "knowledge" / "rules")}


@pytest_lsp.fixture(
    scope="module", config=ClientServerConfig(server_command=SERVER, server_env=ENV)
)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    accept_registrations(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            initialization_options={"target": "classic"},
        )
    )
    yield
    await lsp_client.shutdown_session()


CASES = {
    "MP101": ("import torch\ns = torch.std(x)\n", "torch.std"),
    "MP102": ("import torch\ntorch.Tensor.retain_grad(y)\n", "torch.Tensor.retain_grad"),
    "MP201": (
        "import torch.nn.functional as F\ny = F.leaky_relu(x, inplace=True)\n",
        "inplace=True",
    ),
    "MP202": ("import torch\ns = torch.std(x, dim=0)\n", "dim"),
    "MP203": ("import torch\ns = torch.std(x)\n", "torch.std"),
    "MP301": (
        "import torch\np = torch.nn.Parameter(w, requires_grad=False)\n",
        "requires_grad=False",
    ),
    "MP501": (
        "from torch import nn\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return x\n",
        "nn.Module",
    ),
    "MP601": (
        "import torch\nfor x in data:\n    loss = f(x)\n    loss.backward()\n    opt.step()\n",
        "loss.backward()",
    ),
    "MP602": (
        "import torch\ntorch.save(m.state_dict(), p)\nm.load_state_dict(torch.load(p))\n",
        "torch.save(m.state_dict(), p)",
    ),
}
FIXED = {
    "MP101": "import torch\nimport mindspore\ns = mindspore.ops.std(x, ddof=1)\n",
    "MP201": (
        "import torch.nn.functional as F\nimport mindspore\n"
        "# TODO(mindport): [MP201] `inplace=True` was removed: mindspore.ops.leaky_relu has no `inplace`\n"
        "y = mindspore.ops.leaky_relu(x, alpha=0.01)\n"
    ),
    "MP202": "import torch\nimport mindspore\ns = mindspore.ops.std(x, axis=0, ddof=1)\n",
    "MP203": "import torch\nimport mindspore\ns = mindspore.ops.std(x, ddof=1)\n",
    "MP501": "from torch import nn\nimport mindspore\n\nclass Net(mindspore.nn.Cell):\n    def construct(self, x):\n        return x\n",
    "MP601": (
        "import torch\nimport mindspore\ndef forward_fn(x):\n    loss = f(x)\n    return loss\n\n"
        "grad_fn = mindspore.value_and_grad(forward_fn, None, opt.parameters)\n\n"
        "for x in data:\n    loss, grads = grad_fn(x)\n    opt(grads)\n"
    ),
    "MP602": (
        "import torch\nimport mindspore\nmindspore.save_checkpoint(m, p)\n"
        "mindspore.load_param_into_net(m, mindspore.load_checkpoint(p))\n"
    ),
}


@pytest.mark.parametrize("code", sorted(CASES))
async def test_rule_end_to_end(client: LanguageClient, code: str) -> None:
    text, covered = CASES[code]
    uri = uri_of(f"rule-{code}.py")
    await open_document(client, uri, text)
    diagnostics = await diagnostics_for(client, uri)
    (diagnostic,) = [
        d for d in diagnostics if d.code == code and d.range == range_of(text, covered)
    ]
    assert diagnostic.severity == types.DiagnosticSeverity(int(RULES[code].severity))
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href.endswith(f"{code}.md")
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(
                diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]
            ),
        )
    )
    fixes = [
        a
        for a in result or []
        if isinstance(a, types.CodeAction) and not a.title.startswith("Disable")
    ]
    if code not in FIXED:
        assert fixes == []
        return
    (fix,) = fixes
    assert fix.is_preferred is (code not in ("MP201", "MP601", "MP602"))  # unsafe fixes
    assert apply_text_edits(text, edits_of(fix, uri)) == FIXED[code]

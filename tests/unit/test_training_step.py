"""MP601 (the training step) and MP602 (the checkpoint pair): findings and their unsafe fixes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analysis, Analyzer
from mindport.fixes.fix_all import fix_all
from mindport.kb.loader import KnowledgeBase, load_knowledge
from mindport.text import apply_edits
from tests.conftest import DATA


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def analyse(kb: KnowledgeBase, text: str) -> Analysis:
    return Analyzer(kb).analyze_static(text, AnalysisOptions(target="classic"))


def step_fix(kb: KnowledgeBase, text: str) -> str:
    (finding,) = [f for f in analyse(kb, text).findings if f.code == "MP601"]
    assert finding.fix is not None and not finding.fix.safe
    assert "unsafe" in finding.fix.title
    result = apply_edits(text, finding.fix.edits)
    ast.parse(result)
    return result


PLAIN = """import torch

for x, y in loader:
    optimizer.zero_grad()
    out = model(x)
    loss = loss_fn(out, y)
    loss.backward()
    optimizer.step()
    print(loss.item())
"""


def test_plain_loop(kb: KnowledgeBase) -> None:
    assert step_fix(kb, PLAIN) == (
        "import torch\nimport mindspore\n\n"
        "def forward_fn(x, y):\n"
        "    out = model(x)\n"
        "    loss = loss_fn(out, y)\n"
        "    return loss\n"
        "\n"
        "grad_fn = mindspore.value_and_grad(forward_fn, None, optimizer.parameters)\n"
        "\n"
        "for x, y in loader:\n"
        "    loss, grads = grad_fn(x, y)\n"
        "    optimizer(grads)\n"
        "    print(loss.item())\n"
    )


def test_zero_grad_after_step_and_clipping(kb: KnowledgeBase) -> None:
    text = """import torch
import mindspore as ms

def train(model, loader, opt):
    for x, y in loader:
        loss = crit(model(x), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 2.0)
        opt.step()
        opt.zero_grad()
"""
    result = step_fix(kb, text)
    assert "import mindspore\n" not in result  # the file's own alias is used
    assert "    grad_fn = ms.value_and_grad(forward_fn, None, opt.parameters)\n" in result
    assert "        grads = ms.ops.clip_by_global_norm(grads, 2.0)\n        opt(grads)\n" in result
    assert "zero_grad" not in result and "backward" not in result
    assert (
        "def forward_fn(x, y):\n        loss = crit(model(x), y)\n        return loss\n" in result
    )


def test_gradient_accumulation_sums_the_gradients(kb: KnowledgeBase) -> None:
    text = """import torch

for i, (x, y) in enumerate(loader):
    loss = loss_fn(model(x), y) / 4
    loss.backward()
    if (i + 1) % 4 == 0:
        optimizer.step()
        optimizer.zero_grad()
"""
    result = step_fix(kb, text)
    assert "accum_grads = None\n\nfor i" in result
    assert "accum_grads = grads if accum_grads is None else tuple(" in result
    assert "        optimizer(accum_grads)\n        accum_grads = None\n" in result


def test_aux_outputs_and_grad_scaler(kb: KnowledgeBase) -> None:
    text = """import torch

for x, y in loader:
    optimizer.zero_grad()
    with torch.autocast("cuda"):
        logits = model(x)
        loss = loss_fn(logits, y)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    correct = (logits.argmax(1) == y).sum()
"""
    result = step_fix(kb, text)
    assert "    return scaler.scale(loss), logits\n" in result
    assert "has_aux=True" in result
    assert "    (loss, logits), grads = grad_fn(x, y)\n" in result
    assert "    grads = scaler.unscale(grads)\n" in result
    assert "    grads_finite = mindspore.amp.all_finite(grads)\n" in result
    assert "    scaler.adjust(grads_finite)\n" in result
    # autocast has no MindSpore context: a TODO that keeps being reported
    assert "# TODO(mindport): [MP601]" in result
    assert any(
        f.code == "MP601" and "Left by a MindPort fix" in f.message
        for f in analyse(kb, result).findings
    )


def test_two_optimizers_get_no_fix(kb: KnowledgeBase) -> None:
    text = """import torch

for x in loader:
    loss = g_loss(x) + d_loss(x)
    loss.backward()
    opt_g.step()
    opt_d.step()
"""
    (finding,) = [f for f in analyse(kb, text).findings if f.code == "MP601"]
    assert finding.fix is None
    assert "several optimizers" in finding.message


def test_no_step_no_finding(kb: KnowledgeBase) -> None:
    text = "import torch\nloss.backward()\nprint(x.grad)\n"
    assert not [f for f in analyse(kb, text).findings if f.code == "MP601"]


def test_outer_accumulator_in_the_section_is_not_moved(kb: KnowledgeBase) -> None:
    text = """import torch

for x, y in loader:
    out = model(x)
    total += 1
    loss = loss_fn(out, y) * total
    loss.backward()
    optimizer.step()
"""
    (finding,) = [f for f in analyse(kb, text).findings if f.code == "MP601"]
    assert finding.fix is None


@pytest.mark.parametrize(
    "path", sorted((DATA / "training").glob("*.py")), ids=lambda p: Path(p).stem
)
def test_suite_scripts_convert_and_parse(kb: KnowledgeBase, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    analyzer = Analyzer(kb)
    options = AnalysisOptions(target="classic")
    result = fix_all(text, lambda t: analyzer.analyze_static(t, options).findings, unsafe=True)
    ast.parse(result.text)
    assert ".backward(" not in result.text and "optimizer.step()" not in result.text
    assert "value_and_grad(forward_fn, None, optimizer.parameters" in result.text


PAIR = """import torch

torch.save(model.state_dict(), path)
model.load_state_dict(torch.load(path))
"""


def test_checkpoint_pair_converts_together(kb: KnowledgeBase) -> None:
    findings = [f for f in analyse(kb, PAIR).findings if f.code == "MP602"]
    assert len(findings) == 2 and findings[0].fix is findings[1].fix
    fix = findings[0].fix
    assert fix is not None
    assert apply_edits(PAIR, fix.edits) == (
        "import torch\nimport mindspore\n\n"
        "mindspore.save_checkpoint(model, path)\n"
        "mindspore.load_param_into_net(model, mindspore.load_checkpoint(path))\n"
    )
    # the call-by-call fixes of torch.save / torch.load would break the pair
    others = [f for f in analyse(kb, PAIR).findings if f.code == "MP101"]
    assert all(f.fix is None for f in others)


def test_lone_load_points_to_weights_convert(kb: KnowledgeBase) -> None:
    text = "import torch\nmodel.load_state_dict(torch.load('resnet.pth'))\n"
    (finding,) = [f for f in analyse(kb, text).findings if f.code == "MP602"]
    assert finding.fix is None
    assert "mindport weights convert" in finding.message


def test_in_place_division_of_the_loss_moves(kb: KnowledgeBase) -> None:
    text = """import torch

for x, y in loader:
    loss = loss_fn(model(x), y)
    loss /= 2
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
"""
    assert "    loss /= 2\n    return loss\n" in step_fix(kb, text)


TWO_STATEMENTS = """import torch


def save(model, path):
    torch.save(model.state_dict(), path)


def restore(model, path):
    state = torch.load(path, map_location="cpu")
    model.load_state_dict(state)
"""


def test_two_statement_load_converts_with_the_save(kb: KnowledgeBase) -> None:
    findings = [f for f in analyse(kb, TWO_STATEMENTS).findings if f.code == "MP602"]
    assert len(findings) == 2 and findings[0].fix is findings[1].fix
    fix = findings[0].fix
    assert fix is not None and not fix.safe
    after = apply_edits(TWO_STATEMENTS, fix.edits)
    assert after == (
        "import torch\nimport mindspore\n\n\ndef save(model, path):\n"
        "    mindspore.save_checkpoint(model, path)\n\n\n"
        "def restore(model, path):\n"
        "    state = mindspore.load_checkpoint(path)\n"
        "    mindspore.load_param_into_net(model, state)\n"
    )
    ast.parse(after)
    # the call-by-call fix of torch.load would break the pair
    others = [f for f in analyse(kb, TWO_STATEMENTS).findings if f.code == "MP101"]
    assert all(f.fix is None for f in others if f.torch_api == "torch.load")
    result = fix_all(
        TWO_STATEMENTS,
        lambda t: Analyzer(kb).analyze_static(t, AnalysisOptions(target="classic")).findings,
        unsafe=True,
    )
    assert "state = mindspore.load_checkpoint(path)" in result.text


@pytest.mark.parametrize(
    "body",
    [
        # the keys are read as torch's: converting the load would break this line
        "    state = torch.load(path)\n    del state['fc.weight']\n    model.load_state_dict(state)\n",
        # assigned twice: which load is it?
        "    state = torch.load(path)\n    state = torch.load(other)\n    model.load_state_dict(state)\n",
        # the load comes after
        "    model.load_state_dict(state)\n    state = torch.load(path)\n",
        # another function's name
        "    model.load_state_dict(state)\n\n\ndef g(path):\n    state = torch.load(path)\n",
    ],
    ids=["keys read", "assigned twice", "load after", "other function"],
)
def test_two_statement_load_only_when_the_name_is_only_loaded(kb: KnowledgeBase, body: str) -> None:
    text = (
        "import torch\n\n\ndef f(model, path, other):\n    torch.save(model.state_dict(), path)\n"
        + body
    )
    findings = [f for f in analyse(kb, text).findings if f.code == "MP602"]
    assert findings == []  # a save alone gets no MP602


def test_two_statement_load_without_save_points_to_weights_convert(kb: KnowledgeBase) -> None:
    text = "import torch\nsd = torch.load('resnet.pth')\nmodel.load_state_dict(sd)\n"
    (finding,) = [f for f in analyse(kb, text).findings if f.code == "MP602"]
    assert finding.fix is None
    assert "mindport weights convert" in finding.message


MINT_STEP = """import torch

model = torch.nn.Linear(3, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in loader:
    optimizer.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    optimizer.step()
"""


@pytest.mark.parametrize(("target", "todo"), [("mint", True), ("classic", False)])
def test_mint_optimizer_step_says_it_needs_jit(kb: KnowledgeBase, target: str, todo: bool) -> None:
    # mindspore.mint.optim.SGD/Adam do not update outside mindspore.jit (MindSpore 2.10, CPU);
    # the classic target writes mindspore.experimental.optim, which does
    analyzer = Analyzer(kb)
    options = AnalysisOptions(target=target)
    result = fix_all(MINT_STEP, lambda t: analyzer.analyze_static(t, options).findings, unsafe=True)
    ast.parse(result.text)
    marked = [line for line in result.text.splitlines() if "mindspore.jit" in line]
    assert bool(marked) is todo
    if todo:
        assert "TODO(mindport): [MP601] mindspore.mint.optim.SGD" in marked[0]
        left = analyzer.analyze_static(result.text, options).findings
        assert any(f.code == "MP601" or "TODO" in f.message for f in left)

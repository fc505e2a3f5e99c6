"""MindSpore code is read as MindSpore (issue 11 item 5, issue 10 item 5): native MindSpore
files get no false diagnostic with default settings, and a call to ``mint``/``ops``/``nn`` is
never judged as if it were its torch counterpart."""

from __future__ import annotations

from pathlib import Path

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.kb.loader import KnowledgeBase
from tests.conftest import ROOT

NATIVE = sorted((ROOT / "tests" / "data" / "native_mindspore").glob("*.py"))


def test_there_are_native_files() -> None:
    assert len(NATIVE) >= 3


@pytest.mark.parametrize("path", NATIVE, ids=[p.name for p in NATIVE])
def test_a_native_mindspore_file_gets_no_diagnostic(kb: KnowledgeBase, path: Path) -> None:
    # The files are written for Ascend (mint); on CPU some of their calls have no kernel.
    options = AnalysisOptions(devices=("ascend",))
    findings = Analyzer(kb).analyze(path.read_text(encoding="utf-8"), path, options)
    assert [(f.code, f.span.start.line + 1, f.message) for f in findings.findings] == []


def test_native_calls_without_a_cpu_kernel_are_reported_when_devices_list_cpu(
    kb: KnowledgeBase,
) -> None:
    # mint.tril, mint.argmax, mint.sort, mint.nn.LayerNorm and GELU raise on CPU in
    # MindSpore 2.10 (the equivalence suite's no-cpu-kernel records; checked by hand too).
    path = ROOT / "tests" / "data" / "native_mindspore" / "tensor_utils.py"
    text = path.read_text(encoding="utf-8")
    findings = Analyzer(kb).analyze(text, path, AnalysisOptions()).findings
    flagged = {f.mindspore_api for f in findings if "no CPU kernel" in f.message}
    assert flagged == {"mindspore.mint.tril", "mindspore.mint.argmax"}
    assert all(f.code == "MP301" for f in findings)


def findings_of(
    kb: KnowledgeBase, text: str, devices: tuple[str, ...] = ("cpu", "ascend")
) -> list[tuple[str, str]]:
    result = Analyzer(kb).analyze_static(text, AnalysisOptions(devices=devices))
    return [(f.code, f.message) for f in result.findings]


def test_mint_calls_are_not_read_as_their_torch_counterparts(kb: KnowledgeBase) -> None:
    # The LayerNorm tuple note is about the classic target; sort's int32 note compares with torch.
    text = (
        "from mindspore import mint, ops\n"
        "a = mint.nn.LayerNorm(64)\n"
        "b = mint.sort(x)\n"
        "c = ops.sort(x)\n"
        "d = ops.masked_fill(x, m, 0.5)\n"
    )
    # on Ascend (mint.nn.LayerNorm and mint.sort have no CPU kernel: that is reported on CPU)
    assert findings_of(kb, text, ("ascend",)) == []
    assert [code for code, _ in findings_of(kb, text)] == ["MP301", "MP301"]


def test_a_mindspore_call_that_fails_is_still_reported(kb: KnowledgeBase) -> None:
    # What the note says holds for the MindSpore API itself: the classic LayerNorm rejects an int.
    text = "from mindspore import nn, ops\na = nn.LayerNorm(64)\nb = ops.masked_fill(x, m, -1)\n"
    codes = [code for code, _ in findings_of(kb, text)]
    assert codes == ["MP301", "MP301"]


def test_torch_members_on_mindspore_objects_are_reported(kb: KnowledgeBase) -> None:
    text = (
        "import mindspore\n"
        "from mindspore import nn, mint\n"
        "class Net(nn.Cell):\n"
        "    def construct(self, x: mindspore.Tensor):\n"
        "        self.eval()\n"
        "        return x.detach(), x.size(0), x.view(2, 3)\n"
        "net = Net()\n"
        "net.eval()\n"
        "opt = mint.optim.SGD(net.trainable_params(), lr=0.1)\n"
        "opt.zero_grad()\n"
        "opt.step()\n"
        "loss = mindspore.Tensor([1.0])\n"
        "loss.backward()\n"
        "net.set_train(False)\n"
    )
    found = Analyzer(kb).analyze_static(text, AnalysisOptions()).findings
    assert [(f.code, f.span.start.line, f.torch_api) for f in found] == [
        ("MP102", 4, "torch.nn.Module.eval"),
        ("MP102", 5, "torch.Tensor.detach"),
        ("MP102", 5, "torch.Tensor.size"),
        ("MP102", 7, "torch.nn.Module.eval"),
        ("MP102", 9, "torch.optim.Optimizer.zero_grad"),
        ("MP102", 10, "torch.optim.Optimizer.step"),
        ("MP102", 12, "torch.Tensor.backward"),
    ]
    assert "set_train(False)" in found[0].message


def test_a_name_bound_to_something_else_too_is_left_alone(kb: KnowledgeBase) -> None:
    text = (
        "import mindspore\n"
        "from mindspore import nn\n"
        "net = nn.Dense(2, 3)\n"
        "net = make_torch_model()\n"
        "net.eval()\n"
    )
    assert Analyzer(kb).analyze_static(text, AnalysisOptions()).findings == ()

"""Issue 10, "safe means it runs": the program suite's defects, each as a test of the class
of bug behind it. The facts (no CPU kernel, plain tuples, int32 indices) were checked with
torch 2.13.0 and mindspore 2.10.0 on CPU; tests/frameworks/test_after_port_facts.py runs them."""

from __future__ import annotations

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.analysis.findings import Finding
from mindport.fixes.fix_all import fix_all
from mindport.kb.loader import KnowledgeBase


def _findings(kb: KnowledgeBase, text: str, **options: object) -> list[Finding]:
    return list(Analyzer(kb).analyze_static(text, AnalysisOptions(**options)).findings)  # type: ignore[arg-type]


def _lines(found: list[Finding], code: str) -> list[int]:
    return sorted({f.span.start.line + 1 for f in found if f.code == code})


# -- a tensor method whose MindSpore counterpart has no CPU kernel ---------------------------

TORCH_CLONE = (
    "import torch\n"
    "def f(x: torch.Tensor, i: torch.Tensor) -> torch.Tensor:\n"
    "    y = x.clone()\n"
    "    return torch.zeros(6, 4).scatter_add(1, i, y)\n"
)


def test_a_tensor_method_without_a_cpu_kernel_is_reported_before_the_port(
    kb: KnowledgeBase,
) -> None:
    found = _findings(kb, TORCH_CLONE)
    kernel = [f for f in found if "no CPU kernel" in f.message]
    assert {(f.span.start.line + 1, f.torch_api) for f in kernel} == {
        (3, "torch.Tensor.clone"),
        (4, "torch.Tensor.scatter_add"),
    }
    assert all(f.fix is None or not f.fix.safe for f in kernel)


def test_with_devices_without_cpu_it_runs_unchanged(kb: KnowledgeBase) -> None:
    found = _findings(kb, TORCH_CLONE, devices=("ascend",))
    assert not [f for f in found if "no CPU kernel" in f.message]


def test_the_converted_file_still_reports_them(kb: KnowledgeBase) -> None:
    analyzer = Analyzer(kb)
    options = AnalysisOptions()
    fixed = fix_all(TORCH_CLONE, lambda t: analyzer.analyze_static(t, options).findings).text
    assert "mindspore.mint.zeros((6, 4)).scatter_add(" in fixed  # the receiver is a call result
    found = analyzer.analyze_static(fixed, options).findings
    kernel = {(f.span.start.line, f.mindspore_api) for f in found if "no CPU kernel" in f.message}
    lines = fixed.splitlines()
    clone = next(i for i, line in enumerate(lines) if "x.clone()" in line)
    scatter = next(i for i, line in enumerate(lines) if ".scatter_add(" in line)
    assert kernel == {
        (clone, "mindspore.Tensor.clone"),
        (scatter, "mindspore.Tensor.scatter_add"),
    }


# -- values MindSpore objects give: typed after the port --------------------------------------


def test_members_are_checked_on_values_calls_give(kb: KnowledgeBase) -> None:
    text = (
        "import mindspore\n"
        "from mindspore import nn, mint\n"
        "def run(model: nn.Cell, x: mindspore.Tensor, y: mindspore.Tensor) -> None:\n"
        "    optimizer = mindspore.experimental.optim.SGD(model.trainable_params(), lr=0.1)\n"
        "    opt2 = nn.SGD(model.trainable_params())\n"
        "    loss_fn = nn.MSELoss()\n"
        "    optimizer.zero_grad()\n"  # 7
        "    opt2.zero_grad()\n"  # 8
        "    loss = loss_fn(model(x), y)\n"
        "    loss.backward()\n"  # 10
        "    (x * 2).detach()\n"  # 11
        "    x.clone().cpu()\n"  # 12
        "    mint.zeros((2, 3)).cuda()\n"  # 13
        "    helper(x).size(0)\n"  # 14
        "def helper(x: mindspore.Tensor) -> mindspore.Tensor:\n"
        "    return x\n"
    )
    found = _findings(kb, text)
    assert _lines(found, "MP102") == [7, 8, 10, 11, 12, 13, 14]


def test_members_are_checked_on_layers_held_by_self(kb: KnowledgeBase) -> None:
    text = (
        "import mindspore\n"
        "from mindspore import nn\n"
        "class Net(nn.Cell):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Dense(3, 1)\n"
        "        self.fc.eval()\n"  # 7
        "    def construct(self, x):\n"
        "        return self.fc(x).detach()\n"  # 9
    )
    assert _lines(_findings(kb, text), "MP102") == [7, 9]


def test_a_value_of_unknown_type_is_left_alone(kb: KnowledgeBase) -> None:
    text = (
        "import mindspore\n"
        "from mindspore import nn\n"
        "class Net(nn.Cell):\n"
        "    def construct(self, x):\n"
        "        return x\n"
        "def run(net: Net, x, items):\n"
        "    out = net(x)\n"  # a Cell of the file: its construct may return anything
        "    out.size(0)\n"
        "    lstm = nn.LSTM(3, 4)\n"
        "    y = lstm(x)\n"  # a tuple
        "    y.detach()\n"
        "    z = something(x)\n"
        "    z.detach()\n"
    )
    assert _lines(_findings(kb, text), "MP102") == []


# -- named-tuple fields: MindSpore returns plain tuples ------------------------------------------

TORCH_FIELDS = (
    "import torch\n"
    "def f(x: torch.Tensor):\n"
    "    a = x.min(dim=0, keepdim=True).values\n"
    "    b = torch.max(x, dim=1).indices\n"
    "    c = x.topk(2).indices\n"
    "    d = torch.sort(x, dim=0).values\n"
    "    return a, b, c, d\n"
)


@pytest.mark.parametrize("target", ["mint", "classic"])
def test_fields_of_the_call_result_are_read_by_index(kb: KnowledgeBase, target: str) -> None:
    analyzer = Analyzer(kb)
    options = AnalysisOptions(target=target)
    fixed = fix_all(TORCH_FIELDS, lambda t: analyzer.analyze_static(t, options).findings).text
    lines = fixed.splitlines()
    # every call converted has its field read by index; one that stays torch keeps it
    for line in lines[3:7]:
        assert ("torch." in line) == (".values" in line or ".indices" in line), line
    assert "x.min(dim=0, keepdim=True)[0]" in fixed
    assert "x.topk(2)[1]" in fixed
    assert "max(x, dim=1)[1]" in fixed or "max(x, axis=1)[1]" in fixed


def test_a_field_read_left_after_the_port_is_reported(kb: KnowledgeBase) -> None:
    text = (
        "import mindspore\n"
        "from mindspore import mint, ops\n"
        "def f(x: mindspore.Tensor):\n"
        "    r = x.max(dim=0)\n"
        "    a = r.values\n"  # 5
        "    b = mint.max(x, dim=0).indices\n"  # 6
        "    c = x.max(0)[0]\n"
        "    d = ops.topk(x, 2)\n"
        "    e = d.indices\n"  # 9
        "    g = x.abs().values\n"  # 10: no such attribute on a tensor either
        "    return a, b, c, e, g\n"
    )
    found = _findings(kb, text, devices=("ascend",))
    assert _lines(found, "MP102") == [5, 6, 9, 10]
    assert "[0]" in next(f.message for f in found if f.span.start.line == 4)


# -- dtypes: int32 in MindSpore where torch gives int64 --------------------------------------

TORCH_INDICES = (
    "import torch\n"
    "def f(x: torch.Tensor, e: torch.Tensor):\n"
    "    b = torch.bucketize(x, e)\n"
    "    w, i = torch.topk(x, 2, dim=-1)\n"
    "    _, j = x.topk(2)\n"
    "    k = x.topk(2).indices\n"
    "    m = torch.topk(x, 2)[0]\n"
    "    r = torch.topk(x, 2)\n"
    "    return b, w, i, j, k, m, r\n"
)


def test_the_fix_casts_int32_results_back_to_torch_s_int64(kb: KnowledgeBase) -> None:
    analyzer = Analyzer(kb)
    options = AnalysisOptions(target="classic")
    result = fix_all(TORCH_INDICES, lambda t: analyzer.analyze_static(t, options).findings)
    body = result.text.split("):\n", 1)[1].splitlines()
    assert body == [
        "    b = mindspore.ops.bucketize(x, e).astype(mindspore.int64)",
        "    w, i = mindspore.ops.topk(x, 2, dim=-1)",
        "    i = i.astype(mindspore.int64)",
        "    _, j = x.topk(2)",
        "    j = j.astype(mindspore.int64)",
        "    k = x.topk(2)[1].astype(mindspore.int64)",
        "    m = mindspore.ops.topk(x, 2, dim=-1)[0]",  # values keep their dtype
        # the pair is passed on: its indices cannot be cast here, so the fix is not safe
        "    r = torch.topk(x, 2)",
        "    return b, w, i, j, k, m, r",
    ]
    # a second run changes nothing (the casts are recognised)
    again = fix_all(result.text, lambda t: analyzer.analyze_static(t, options).findings)
    assert again.text == result.text
    unsafe = [
        f
        for f in analyzer.analyze_static(result.text, options).findings
        if f.fix is not None and not f.fix.safe and f.torch_api == "torch.topk"
    ]
    assert unsafe and "int32" in unsafe[0].fix.title  # type: ignore[union-attr]


# -- scale factors: MindSpore's interpolate wants floats ---------------------------------------

TORCH_SCALE = (
    "import torch\n"
    "import torch.nn.functional as F\n"
    "def f(x: torch.Tensor, s):\n"
    "    a = F.interpolate(x, scale_factor=2, mode='nearest')\n"
    "    b = F.interpolate(x, scale_factor=(2, 3))\n"
    "    c = F.interpolate(x, scale_factor=s)\n"
    "    d = F.interpolate(x, None, 2)\n"
    "    e = torch.nn.Upsample(scale_factor=2)\n"
    "    return a, b, c, d, e\n"
)


def _fixed_body(
    kb: KnowledgeBase, text: str, target: str, devices: tuple[str, ...] = ("cpu", "ascend")
) -> list[str]:
    analyzer = Analyzer(kb)
    options = AnalysisOptions(target=target, devices=devices)
    fixed = fix_all(text, lambda t: analyzer.analyze_static(t, options).findings).text
    return fixed.split("):\n", 1)[1].splitlines()


def test_int_scale_factors_are_written_as_floats(kb: KnowledgeBase) -> None:
    # on Ascend: mint's interpolate has no CPU kernel for some modes, and which calls avoid
    # them is the devices setting's business; the floats are written whatever the devices
    assert _fixed_body(kb, TORCH_SCALE, "mint", ("ascend",)) == [
        "    a = mindspore.mint.nn.functional.interpolate(x, scale_factor=2.0, mode='nearest')",
        "    b = mindspore.mint.nn.functional.interpolate(x, scale_factor=(2.0, 3.0))",
        # a name may hold an int, which fails: not converted as safe
        "    c = F.interpolate(x, scale_factor=s)",
        "    d = mindspore.mint.nn.functional.interpolate(x, None, 2.0)",
        "    e = mindspore.mint.nn.Upsample(scale_factor=2.0)",
        "    return a, b, c, d, e",
    ]


def test_the_classic_interpolate_gets_a_float_and_recompute_scale_factor(kb: KnowledgeBase) -> None:
    # the classic interpolate runs a float scale with recompute_scale_factor=True and gives
    # torch's result (tests/frameworks/test_curated_facts.py); a name stays unconverted
    body = _fixed_body(kb, TORCH_SCALE, "classic")
    assert body[0] == (
        "    a = mindspore.ops.interpolate(x, scale_factor=2.0, mode='nearest',"
        " recompute_scale_factor=True)"
    )
    assert "scale_factor=(2.0, 3.0), recompute_scale_factor=True" in body[1]
    assert body[2] == "    c = F.interpolate(x, scale_factor=s)"
    assert body[4] == "    e = mindspore.nn.Upsample(scale_factor=2.0, recompute_scale_factor=True)"
    found = _findings(kb, TORCH_SCALE, target="classic")
    lines = {f.span.start.line + 1 for f in found if f.code == "MP301"}
    assert {4, 5, 6, 7, 8} <= lines

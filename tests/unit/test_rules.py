"""Every rule, against a small knowledge base of real APIs (tests/data/knowledge/rules)."""

from __future__ import annotations

import ast

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analysis, Analyzer
from mindport.analysis.findings import Severity
from mindport.kb.loader import KnowledgeBase, load_knowledge
from mindport.text import apply_edits
from tests.conftest import DATA


@pytest.fixture(scope="module")
def rules_kb() -> KnowledgeBase:
    kb = load_knowledge(DATA / "knowledge" / "rules")
    assert kb.problems == []
    return kb


def analyse(kb: KnowledgeBase, text: str, **options: object) -> Analysis:
    return Analyzer(kb).analyze_static(text, AnalysisOptions(**options))  # type: ignore[arg-type]


def codes(analysis: Analysis) -> list[tuple[str, str]]:
    lines = analysis.static.parsed.lines
    return [(f.code, lines.text_of(f.span)) for f in analysis.findings]


def fixed(analysis: Analysis, code: str = "MP101") -> str:
    (finding,) = [f for f in analysis.findings if f.code == code]
    assert finding.fix is not None
    result = apply_edits(analysis.static.parsed.lines.text, finding.fix.edits)
    ast.parse(result)
    return result


F = "import torch.nn.functional as F\n"


def test_mp102_no_equivalent_with_workaround(rules_kb: KnowledgeBase) -> None:
    analysis = analyse(rules_kb, "import torch\ntorch.Tensor.retain_grad(y)\n")
    (finding,) = analysis.findings
    assert finding.code == "MP102" and finding.severity is Severity.ERROR and finding.fix is None
    assert finding.message.splitlines() == [
        "torch.Tensor.retain_grad has no MindSpore equivalent.",
        "Ask for the intermediate's gradient explicitly with mindspore.grad or value_and_grad.",
    ]


def test_mp201_default_value_is_dropped_safely(rules_kb: KnowledgeBase) -> None:
    analysis = analyse(rules_kb, F + "y = F.leaky_relu(x, 0.2, inplace=False)\n")
    assert codes(analysis) == [("MP101", "F.leaky_relu"), ("MP201", "inplace=False")]
    assert "passes torch's default, so the fix drops it" in analysis.findings[1].message
    fix = analysis.findings[0].fix
    assert fix is not None and fix.safe
    assert analysis.findings[1].fix is fix  # one fix for the whole call
    assert (
        fixed(analysis)
        == F + "import mindspore\ny = mindspore.mint.nn.functional.leaky_relu(x, 0.2)\n"
    )


def test_mp201_other_values_give_an_unsafe_fix_with_a_todo(rules_kb: KnowledgeBase) -> None:
    text = (
        F
        + "def f(x):\n    if True:\n        y = F.leaky_relu(\n            x,  # input\n            inplace=True,\n        )\n    return y\n"
    )
    analysis = analyse(rules_kb, text)
    assert codes(analysis) == [("MP101", "F.leaky_relu"), ("MP201", "inplace=True")]
    assert analysis.findings[1].severity is Severity.ERROR
    fix = analysis.findings[0].fix
    assert fix is not None and not fix.safe and "unsafe: removes `inplace`" in fix.title
    result = fixed(analysis)
    assert result == (
        F + "import mindspore\ndef f(x):\n    if True:\n"
        "        # TODO(mindport): [MP201] `inplace=True` was removed: mindspore.mint.nn.functional.leaky_relu has no `inplace`\n"
        "        y = mindspore.mint.nn.functional.leaky_relu(\n            x,  # input\n            \n        )\n    return y\n"
    )
    # The TODO keeps the diagnostic alive after the fix.
    after = analyse(rules_kb, result)
    assert codes(after) == [
        (
            "MP201",
            "# TODO(mindport): [MP201] `inplace=True` was removed: mindspore.mint.nn.functional.leaky_relu has no `inplace`",
        )
    ]


def test_mp202_and_mp203_under_the_classic_target(rules_kb: KnowledgeBase) -> None:
    text = "import torch\ns = torch.std(x, dim=1, keepdim=True)\n"
    analysis = analyse(rules_kb, text, target="classic")
    assert codes(analysis) == [
        ("MP101", "torch.std"),
        ("MP203", "torch.std"),
        ("MP202", "dim"),
        ("MP202", "keepdim"),
    ]
    default = next(f for f in analysis.findings if f.code == "MP203")
    assert "torch's default is 1, mindspore.ops.std's `ddof` defaults to 0" in default.message
    assert (
        fixed(analysis)
        == "import torch\nimport mindspore\ns = mindspore.ops.std(x, axis=1, keepdims=True, ddof=1)\n"
    )
    # mint keeps torch's names and defaults: nothing but the replacement
    assert codes(analyse(rules_kb, text)) == [("MP101", "torch.std")]


def test_defaults_and_renames_for_leaky_relu_classic(rules_kb: KnowledgeBase) -> None:
    analysis = analyse(rules_kb, F + "y = F.leaky_relu(x, negative_slope=0.1)\n", target="classic")
    assert codes(analysis) == [("MP101", "F.leaky_relu"), ("MP202", "negative_slope")]
    assert fixed(analysis).endswith("y = mindspore.ops.leaky_relu(x, alpha=0.1)\n")
    omitted = analyse(rules_kb, F + "y = F.leaky_relu(x)\n", target="classic")
    assert codes(omitted) == [("MP101", "F.leaky_relu"), ("MP203", "F.leaky_relu")]
    assert fixed(omitted).endswith("y = mindspore.ops.leaky_relu(x, alpha=0.01)\n")


def test_mp501_module_subclass(rules_kb: KnowledgeBase) -> None:
    text = (
        "from torch import nn\n\n\nclass Head(nn.Module):\n    def forward(self, x):\n        return x\n\n"
        "    def twice(self, x):\n        return self.forward(self.forward(x))\n"
    )
    analysis = analyse(rules_kb, text)
    assert codes(analysis) == [("MP501", "nn.Module")]
    finding = analysis.findings[0]
    assert finding.fix is not None and finding.fix.safe
    assert finding.fix.title == "Derive from mindspore.nn.Cell and rename forward to construct"
    assert fixed(analysis, "MP501") == (
        "from torch import nn\nimport mindspore\n\n\nclass Head(mindspore.nn.Cell):\n    def construct(self, x):\n"
        "        return x\n\n    def twice(self, x):\n        return self.construct(self.construct(x))\n"
    )


def test_mp501_is_unsafe_when_forward_is_called_elsewhere(rules_kb: KnowledgeBase) -> None:
    text = "import torch\n\nclass M(torch.nn.Module):\n    def forward(self, x):\n        return x\n\nM().forward(1)\n"
    (finding,) = analyse(rules_kb, text).findings
    assert finding.fix is not None and not finding.fix.safe and "unsafe" in finding.fix.title


def test_suppression_comments(rules_kb: KnowledgeBase) -> None:
    text = (
        F
        + "a = F.leaky_relu(x, inplace=True)  # mindport: ignore[MP201]\n"
        + "b = F.leaky_relu(x)  # mindport: ignore\n"
        + "c = F.leaky_relu(x, inplace=True)  # note  # mindport: ignore[MP101, MP201]\n"
        + "s = 'not a # mindport: ignore comment'; d = F.leaky_relu(x)\n"
    )
    assert codes(analyse(rules_kb, text)) == [("MP101", "F.leaky_relu"), ("MP101", "F.leaky_relu")]
    whole_file = "# mindport: ignore-file[MP101]\n" + text
    assert codes(analyse(rules_kb, whole_file)) == [("MP101", "F.leaky_relu")][:0]


def test_rules_setting_changes_severity_and_turns_rules_off(rules_kb: KnowledgeBase) -> None:
    text = F + "y = F.leaky_relu(x, inplace=True)\n"
    analysis = analyse(rules_kb, text, rules={"MP101": "off", "MP201": "hint"})
    ((code, _),) = codes(analysis)
    assert code == "MP201" and analysis.findings[0].severity is Severity.HINT


def test_chinese_messages_for_the_new_rules(rules_kb: KnowledgeBase) -> None:
    analysis = analyse(
        rules_kb, "import torch\ns = torch.std(x, dim=1)\n", target="classic", locale="zh"
    )
    messages = {f.code: f.message for f in analysis.findings}
    assert messages["MP202"] == "`dim` 在 mindspore.ops.std 中名为 `axis`。"
    assert messages["MP203"].startswith("省略了 `correction`:torch 默认为 1")


def test_a_method_that_runs_unchanged_but_behaves_differently_is_reported(
    kb: KnowledgeBase,
) -> None:
    # The real knowledge: mindspore.Tensor.clone has no CPU kernel in MindSpore 2.10 (the
    # equivalence suite's record); view works unchanged and has no such note.
    text = "import torch\nx = torch.ones(2, 3)\ni = x.clone()\nv = x.view(6)\n"
    analysis = analyse(kb, text, target="classic")
    assert [c for c in codes(analysis) if c[1] in ("clone", "view")] == [("MP301", "clone")]
    (finding,) = [f for f in analysis.findings if f.code == "MP301"]
    assert finding.fix is None
    assert "no CPU kernel" in finding.message and "mindspore.Tensor.clone" in finding.message
    zh = analyse(kb, text, target="classic", locale="zh")
    assert "行为不同" in next(f.message for f in zh.findings if f.code == "MP301")


def test_a_method_whose_result_has_another_dtype_gets_a_cast(kb: KnowledgeBase) -> None:
    # argmin's classic target returns int32 where torch returns int64 (checked by the
    # equivalence suite): the note is reported and the fix casts the result back.
    text = "import torch\nx = torch.ones(2, 3)\ni = x.argmin()\n"
    analysis = analyse(kb, text, target="classic")
    assert [c for c in codes(analysis) if c[1] == "argmin"] == [
        ("MP101", "argmin"),
        ("MP301", "argmin"),
    ]
    fix = next(
        f.fix for f in analysis.findings if f.code == "MP101" and f.torch_api.endswith("argmin")
    )
    assert fix is not None
    assert fix.safe
    assert [e.new_text for e in fix.edits if "astype" in e.new_text] == [".astype(mindspore.int64)"]

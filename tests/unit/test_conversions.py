"""Conversions that need more than renaming, against the real knowledge base."""

from __future__ import annotations

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.fixes.fix_all import fix_all
from mindport.kb.loader import KnowledgeBase

PRELUDE = "import torch\nimport mindspore\n\n\ndef f(x: mindspore.Tensor):\n"


def converted(kb: KnowledgeBase, body: str, target: str = "mint") -> str:
    analyzer = Analyzer(kb)
    text = PRELUDE + body
    result = fix_all(
        text, lambda t: analyzer.analyze_static(t, AnalysisOptions(target=target)).findings
    )
    assert result.text.startswith(PRELUDE)
    return result.text[len(PRELUDE) :]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("    return torch.zeros(2, 3)\n", "    return mindspore.mint.zeros((2, 3))\n"),
        ("    return torch.zeros(n)\n", "    return mindspore.mint.zeros(n)\n"),
        (
            "    return torch.zeros(\n        2,  # rows\n        3,\n    )\n",
            "    return mindspore.mint.zeros(\n        (2,  # rows\n        3),\n    )\n",
        ),
    ],
    ids=["values one by one", "one value", "comments kept"],
)
def test_values_torch_takes_one_by_one_are_packed(
    kb: KnowledgeBase, body: str, expected: str
) -> None:
    assert converted(kb, body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("    return x.size()\n", "    return x.shape\n"),
        ("    return x.size(1)\n", "    return x.shape[1]\n"),
        ("    return x.size(dim=-1)\n", "    return x.shape[-1]\n"),
    ],
)
def test_a_method_that_is_an_attribute_in_mindspore(
    kb: KnowledgeBase, body: str, expected: str
) -> None:
    # A number is never torch.ones' sequence `size`: it is *size, written as a tuple.
    assert converted(kb, body.replace("x.", "torch.ones(1).")).endswith(
        expected.replace("x.", "mindspore.mint.ones((1,)).")
    )


def test_parameters_mindspore_requires_get_torchs_default(kb: KnowledgeBase) -> None:
    assert converted(kb, "    return torch.rot90(x)\n", target="classic") == (
        "    return mindspore.ops.rot90(x, k=1, dims=(0, 1))\n"
    )


def test_notes_no_argument_triggers_are_part_of_the_replacement_message(kb: KnowledgeBase) -> None:
    analysis = Analyzer(kb).analyze_static(
        "import torch.nn as nn\nb = nn.BatchNorm2d(3)\n", AnalysisOptions(target="classic")
    )
    (replacement,) = [f for f in analysis.findings if f.code == "MP101"]
    lines = replacement.message.splitlines()
    assert lines[0] == "torch.nn.BatchNorm2d has a MindSpore counterpart: mindspore.nn.BatchNorm2d"
    assert "Note: The classic mindspore.nn.BatchNorm2d reads momentum the other way round" in lines
    assert not any("mint" in line for line in lines)  # notes about the other target stay out


def test_a_target_without_a_cpu_kernel_says_so(kb: KnowledgeBase) -> None:
    text = "import torch\ny = torch.roll(x, 1, 0)\n"
    # devices without cpu: the card-like caveat says it
    analysis = Analyzer(kb).analyze_static(text, AnalysisOptions(devices=("ascend",)))
    (replacement,) = [f for f in analysis.findings if f.code == "MP101"]
    assert "mindspore.mint.roll has no CPU kernel in MindSpore 2.10.0" in replacement.message
    # with cpu listed (the default) the fix says it, and is unsafe
    analysis = Analyzer(kb).analyze_static(text, AnalysisOptions())
    (replacement,) = [f for f in analysis.findings if f.code == "MP101"]
    assert replacement.fix is not None and not replacement.fix.safe
    assert "mindspore.mint.roll has no CPU kernel in MindSpore 2.10.0" in replacement.fix.title

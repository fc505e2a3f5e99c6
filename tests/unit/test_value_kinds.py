"""Values written as the kind MindSpore takes, and defaults torch computes from another
argument: classic ``LayerNorm(8)`` needs ``(8,)``, ``Upsample(scale_factor=2)`` needs ``2.0``
(and ``recompute_scale_factor=True``), ``MaxPool2d(2)`` needs ``stride=2``. Each fact is
checked against both frameworks in tests/frameworks/test_curated_facts.py and the weights
suite."""

from __future__ import annotations

import ast

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.conversion.plan import coerced_value
from mindport.kb.loader import KnowledgeBase
from mindport.text import apply_edits

HEADER = "import torch.nn as nn\nimport torch.nn.functional as F\n"


def fixed(kb: KnowledgeBase, line: str, target: str) -> tuple[str, bool]:
    text = HEADER + line + "\n"
    analysis = Analyzer(kb).analyze_static(text, AnalysisOptions(target=target))
    fixes = [f.fix for f in analysis.findings if f.code == "MP101" and f.fix is not None]
    assert len(fixes) == 1, [f.message for f in analysis.findings]
    result = apply_edits(text, fixes[0].edits)
    ast.parse(result)
    return result.rsplit("\n", 2)[-2], fixes[0].safe


@pytest.mark.parametrize(
    ("line", "target", "after", "safe"),
    [
        ("m = nn.LayerNorm(8)", "classic", "m = mindspore.nn.LayerNorm((8,), epsilon=1e-05)", True),
        (
            "m = nn.LayerNorm([8, 4])",
            "classic",
            "m = mindspore.nn.LayerNorm([8, 4], epsilon=1e-05)",
            True,
        ),
        (
            "m = nn.LayerNorm(normalized_shape=dim)",
            "classic",
            "m = mindspore.nn.LayerNorm(normalized_shape=(dim,), epsilon=1e-05)",
            False,  # assumes dim holds one number: said in the fix
        ),
        (
            "m = nn.LayerNorm(8)",
            "mint",
            "m = mindspore.nn.LayerNorm((8,), epsilon=1e-05)",
            None,
        ),  # mint has no CPU kernel: the classic class is written, as a tuple
        (
            "m = nn.MaxPool2d(2)",
            "classic",
            "m = mindspore.nn.MaxPool2d(2, stride=2, pad_mode='pad')",
            True,
        ),
        (
            "m = nn.MaxPool2d(k, 1)",
            "classic",
            "m = mindspore.nn.MaxPool2d(k, 1, pad_mode='pad')",
            True,
        ),
        (
            "m = nn.AvgPool1d(kernel_size=3)",
            "classic",
            "m = mindspore.nn.AvgPool1d(kernel_size=3, stride=3, pad_mode='pad')",
            True,
        ),
        (
            "m = nn.Upsample(scale_factor=2, mode='nearest')",
            "classic",
            "m = mindspore.nn.Upsample(scale_factor=2.0, mode='nearest',"
            " recompute_scale_factor=True)",
            True,
        ),
        (
            "m = nn.Upsample(size=(8, 8))",
            "classic",
            "m = mindspore.nn.Upsample(size=(8, 8))",
            True,
        ),
        (
            "y = F.interpolate(x, scale_factor=(2, 3))",
            "classic",
            "y = mindspore.ops.interpolate(x, scale_factor=(2.0, 3.0), recompute_scale_factor=True)",
            True,
        ),
    ],
)
def test_written_as_the_target_takes_it(
    kb: KnowledgeBase, line: str, target: str, after: str, safe: bool | None
) -> None:
    got, got_safe = fixed(kb, line, target)
    assert got == after
    if safe is not None:  # None: safety decided by something else (the devices setting)
        assert got_safe is safe


@pytest.mark.parametrize(
    ("kind", "source", "expected"),
    [
        ("tuple", "8", ("(8,)", True)),
        ("tuple", "(8, 4)", ("(8, 4)", True)),
        ("tuple", "dim * 2", ("(dim * 2,)", False)),
        ("tuple", "*shape", None),
        ("tuple", "'x'", None),
        ("float", "2", ("2.0", True)),
        ("float", "1.5", ("1.5", True)),
        ("float", "[2, 3]", ("[2.0, 3.0]", True)),
        ("float", "(2,)", ("(2.0,)", True)),
        ("float", "True", None),
        ("float", "scale", ("scale", False)),
    ],
)
def test_coerced_value(kind: str, source: str, expected: tuple[str, bool] | None) -> None:
    assert coerced_value(kind, source) == expected

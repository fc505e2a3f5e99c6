"""Keywords whose MindSpore parameter is positional-only: written by position when they fill
the next slot, otherwise no automatic fix (``mint.nansum(input, dim, keepdim, /, *, dtype)``)."""

from __future__ import annotations

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.kb.loader import KnowledgeBase
from mindport.text import apply_edits

HEADER = "import torch\nimport mindspore\n"


def fix_of(kb: KnowledgeBase, call: str) -> tuple[str | None, str]:
    text = HEADER + f"y = {call}\n"
    analysis = Analyzer(kb).analyze_static(text, AnalysisOptions(target="mint"))
    (finding,) = [f for f in analysis.findings if f.code == "MP101"]
    fixed = apply_edits(text, finding.fix.edits) if finding.fix else None
    return (fixed[len(HEADER) + 4 :].strip() if fixed else None), finding.message


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("torch.nansum(x, dim=1)", "mindspore.mint.nansum(x, 1)"),
        ("torch.nansum(x, 1, keepdim=True)", "mindspore.mint.nansum(x, 1, True)"),
        ("torch.nansum(input=x, dim=1, keepdim=True)", "mindspore.mint.nansum(x, 1, True)"),
        ("torch.nansum(x, dim=1, dtype=None)", "mindspore.mint.nansum(x, 1, dtype=None)"),
    ],
)
def test_keywords_move_to_their_slot(kb: KnowledgeBase, call: str, expected: str) -> None:
    fixed, message = fix_of(kb, call)
    assert fixed == expected
    assert "by position" in message


def test_a_gap_before_a_positional_only_parameter_blocks_the_fix(kb: KnowledgeBase) -> None:
    # keepdim is MindSpore's third slot; dim (the second) is not given, so it cannot be written
    fixed, _ = fix_of(kb, "torch.nansum(x, keepdim=True)")
    assert fixed is None


def test_a_default_on_both_sides_is_left_out_rather_than_written_by_position(
    kb: KnowledgeBase,
) -> None:
    # MindSpore's CellDict(*args) rejects None by position; leaving the default out is the same
    fixed, message = fix_of(kb, "torch.nn.ModuleDict(modules=None)")
    assert fixed == "mindspore.nn.CellDict()"
    assert "is left out" in message
    fixed, _ = fix_of(kb, "torch.nansum(x, dim=None)")
    assert fixed == "mindspore.mint.nansum(x)"

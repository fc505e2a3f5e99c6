"""Conversions the equivalence suite found wrong and the knowledge now gets right.

Each case here failed when both frameworks ran it; the fix was a knowledge correction (a
curated row pairing parameters the generator could not pair). The check is the fixer's output,
so it runs without torch or MindSpore; tests/frameworks/test_equivalence.py runs the programs.
"""

from __future__ import annotations

import pytest

from mindport.verify.cases import VOCABULARY, Case, CaseKind
from mindport.verify.program import analyzer_findings, convert, torch_program

FINDINGS_OF = analyzer_findings()


def _converted(code: str, target: str, kind: CaseKind = CaseKind.FUNCTION, *inputs: str) -> str:
    case = Case("t", code, kind=kind, inputs=tuple((n, VOCABULARY[n]) for n in inputs))
    done = convert(torch_program(case), target, FINDINGS_OF)
    assert done.text is not None, done.problem
    return done.text


@pytest.mark.parametrize(
    ("torch", "classic"),
    [
        (
            "torch.nn.ConvTranspose1d(3, 2, 3)",
            "mindspore.nn.Conv1dTranspose(3, 2, 3, has_bias=True",
        ),
        (
            "torch.nn.ConvTranspose2d(2, 3, 3)",
            "mindspore.nn.Conv2dTranspose(2, 3, 3, has_bias=True",
        ),
        (
            "torch.nn.ConvTranspose3d(2, 3, 2)",
            "mindspore.nn.Conv3dTranspose(2, 3, 2, has_bias=True",
        ),
    ],
)
def test_classic_transposed_convolutions_keep_torchs_bias(torch: str, classic: str) -> None:
    # torch's bias=True default against the classic layers' has_bias=False: the layer lost its
    # bias and every output was off by it.
    assert classic in _converted(torch, "classic", CaseKind.MODULE)

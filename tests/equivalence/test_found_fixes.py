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


def test_linalg_inv_maps_to_the_matrix_inverse_not_the_reciprocal() -> None:
    # mindspore.ops.inv is 1/x element by element: every value differed from torch's.
    assert "mindspore.ops.inverse(m)" in _converted(
        "torch.linalg.inv(m)", "classic", CaseKind.FUNCTION, "m"
    )


@pytest.mark.parametrize(
    ("code", "target", "inputs", "expected"),
    [
        ("torch.linalg.norm(x, dim=1)", "classic", ("x",), "mindspore.ops.norm(x, dim=1)"),
        ("torch.linalg.matrix_norm(m)", "classic", ("m",), "mindspore.ops.matrix_norm(m"),
        ("torch.linalg.cond(m)", "classic", ("m",), "mindspore.ops.cond(m"),
        ("torch.linalg.det(m)", "classic", ("m",), "mindspore.ops.det(m)"),
        ("torch.mv(x, v)", "classic", ("x", "v"), "mindspore.ops.mv(x, v)"),
        ("torch.true_divide(x, p)", "classic", ("x", "p"), "mindspore.ops.true_divide(x, p)"),
        ("torch.log_softmax(x, 1)", "classic", ("x",), "mindspore.ops.log_softmax(x, 1)"),
        ("torch.broadcast_to(v, (2, 4))", "mint", ("v",), "mindspore.mint.broadcast_to(v, (2, 4))"),
        ("torch.searchsorted(v, x)", "mint", ("v", "x"), "mindspore.mint.searchsorted(v, x)"),
        ("torch.hsplit(x, 2)", "classic", ("x",), "mindspore.ops.hsplit(x, 2)"),
        ("torch.vstack([x, y])", "classic", ("x", "y"), "mindspore.ops.vstack([x, y])"),
        ("torch.numel(x)", "classic", ("x",), "mindspore.ops.numel(x)"),
        (
            "F.nll_loss(logits, labels)",
            "classic",
            ("logits", "labels"),
            "mindspore.ops.nll_loss(logits, labels",
        ),
    ],
)
def test_first_parameters_named_apart_are_paired(
    code: str, target: str, inputs: tuple[str, ...], expected: str
) -> None:
    # The generator left `input` and `A` (or `x`, `mat`, `logits`...) unpaired, so the fixer
    # refused these calls; a curated row pairs them.
    assert expected in _converted(code, target, CaseKind.FUNCTION, *inputs)


def test_classic_embedding_takes_the_sizes_positionally() -> None:
    text = _converted("torch.nn.Embedding(5, 3)", "classic", CaseKind.MODULE)
    assert "mindspore.nn.Embedding(5, 3" in text

"""The MindSpore facts behind tests/unit/test_after_port.py, checked in the installed
frameworks (torch 2.13.0, mindspore 2.10.0, CPU): calls without a CPU kernel, plain tuples
where torch returns named ones, int32 results and their cast, and interpolate's scale_factor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

REASON = "needs torch and mindspore (the frameworks extra)"
torch = pytest.importorskip("torch", reason=REASON)
mindspore = pytest.importorskip("mindspore", reason=REASON)

import numpy as np  # noqa: E402  (numpy comes with the frameworks extra only)
from mindspore import mint, ops  # noqa: E402

DATA = np.random.default_rng(7).standard_normal((4, 5)).astype(np.float32)


def _ms(array: np.ndarray) -> Any:
    return mindspore.Tensor(array)


def _raises(call: Callable[[], Any]) -> str:
    try:
        result = call()
        if isinstance(result, mindspore.Tensor):
            result.asnumpy()  # kernels run lazily: make it run
    except (RuntimeError, TypeError, ValueError) as error:
        return str(error).splitlines()[0]
    return ""


@pytest.mark.parametrize(
    "call",
    [
        lambda: _ms(DATA).clone(),
        lambda: mint.zeros((4, 5)).scatter_add(
            1, _ms(np.zeros((4, 2), dtype=np.int64)), _ms(DATA[:, :2])
        ),
    ],
    ids=["Tensor.clone", "Tensor.scatter_add"],
)
def test_tensor_methods_without_a_cpu_kernel(call: Callable[[], Any]) -> None:
    assert "unregistered" in _raises(call)


@pytest.mark.parametrize(
    ("torch_call", "ms_call"),
    [
        (lambda t: t.min(dim=0, keepdim=True), lambda m: m.min(dim=0, keepdim=True)),
        (lambda t: torch.max(t, dim=1), lambda m: mint.max(m, dim=1)),
        (lambda t: torch.max(t, dim=1), lambda m: ops.max(m, axis=1)),
        (lambda t: t.topk(2), lambda m: m.topk(2)),
        (lambda t: torch.sort(t, dim=0), lambda m: ops.sort(m, axis=0)),
    ],
    ids=["Tensor.min", "mint.max", "ops.max", "Tensor.topk", "ops.sort"],
)
def test_mindspore_returns_a_plain_tuple_read_by_index(
    torch_call: Callable[[Any], Any], ms_call: Callable[[Any], Any]
) -> None:
    theirs = torch_call(torch.tensor(DATA))
    ours = ms_call(_ms(DATA))
    assert type(ours) is tuple
    assert not hasattr(ours, "values") and not hasattr(ours, "indices")
    np.testing.assert_allclose(ours[0].asnumpy(), theirs.values.numpy())
    np.testing.assert_array_equal(ours[1].asnumpy(), theirs.indices.numpy())


def test_a_mindspore_tensor_has_no_values_or_indices() -> None:
    assert not hasattr(mindspore.Tensor, "values")
    assert not hasattr(mindspore.Tensor, "indices")


@pytest.mark.parametrize(
    ("torch_call", "ms_call"),
    [
        (
            lambda t: torch.bucketize(t, torch.tensor([-1.0, 0.0, 1.0])),
            lambda m: ops.bucketize(m, [-1.0, 0.0, 1.0]),
        ),
        (lambda t: torch.topk(t, 2)[1], lambda m: ops.topk(m, 2)[1]),
        (lambda t: t.topk(2)[1], lambda m: m.topk(2)[1]),
        (lambda t: torch.sort(t)[1], lambda m: ops.sort(m)[1]),
        (lambda t: torch.argsort(t, dim=1), lambda m: ops.argsort(m, axis=1)),
        (lambda t: t.argmin(dim=1), lambda m: m.argmin(dim=1)),
        (lambda t: torch.cummin(t, 0)[1], lambda m: ops.cummin(m, 0)[1]),
        (lambda t: torch.count_nonzero(t), lambda m: ops.count_nonzero(m)),
    ],
    ids=["bucketize", "topk", "Tensor.topk", "sort", "argsort", "argmin", "cummin", "count"],
)
def test_int32_results_cast_back_give_torch_s_int64(
    torch_call: Callable[[Any], Any], ms_call: Callable[[Any], Any]
) -> None:
    theirs = torch_call(torch.tensor(DATA))
    ours = ms_call(_ms(DATA))
    assert theirs.dtype == torch.int64
    assert ours.dtype == mindspore.int32
    cast = ours.astype(mindspore.int64)
    assert cast.dtype == mindspore.int64
    np.testing.assert_array_equal(cast.asnumpy(), theirs.numpy())


IMAGES = np.random.default_rng(3).standard_normal((1, 2, 4, 4)).astype(np.float32)


def test_mint_interpolate_takes_a_float_scale_factor_only() -> None:
    expected = torch.nn.functional.interpolate(torch.tensor(IMAGES), scale_factor=2).numpy()
    fn = mint.nn.functional.interpolate
    assert "UpsampleNearest2D" in _raises(lambda: fn(_ms(IMAGES), scale_factor=2))
    assert "UpsampleNearest2D" in _raises(lambda: fn(_ms(IMAGES), scale_factor=(2, 2)))
    for factor in (2.0, (2.0, 2.0)):
        np.testing.assert_allclose(fn(_ms(IMAGES), scale_factor=factor).asnumpy(), expected)


@pytest.mark.parametrize(
    ("shape", "mode", "factor"),
    [
        ((1, 2, 4, 4), "nearest", 2),
        ((1, 2, 4, 4), "nearest", (2, 2)),
        ((1, 2, 4, 4), "nearest", 2.0),
        ((1, 2, 4, 4), "bilinear", 2.0),
        ((1, 2, 4, 4), "bicubic", 2.0),
        ((1, 2, 4), "nearest", 2.0),
        ((1, 2, 4), "linear", 2.0),
    ],
)
def test_classic_interpolate_refuses_scale_factor(
    shape: tuple[int, ...], mode: str, factor: object
) -> None:
    data = _ms(np.ones(shape, dtype=np.float32))
    assert "scale_factor" in _raises(lambda: ops.interpolate(data, scale_factor=factor, mode=mode))


def test_classic_interpolate_takes_a_size() -> None:
    images = torch.tensor(IMAGES)
    expected = torch.nn.functional.interpolate(images, size=(8, 8), mode="bilinear")
    ours = ops.interpolate(_ms(IMAGES), size=(8, 8), mode="bilinear", align_corners=False)
    np.testing.assert_allclose(ours.asnumpy(), expected.numpy(), rtol=1e-5, atol=1e-5)

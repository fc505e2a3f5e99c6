"""The facts behind the entries added for the most used APIs real code reached without an
entry (torch.as_tensor, the legacy tensor types, torch.dtype, torch.jit.is_scripting,
Tensor.unflatten, nn.RMSNorm, nn.Buffer), checked by running both frameworks."""

from __future__ import annotations

import pytest

from tests.frameworks.conftest import require_frameworks

require_frameworks()

import mindspore as ms  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mindspore import ops  # noqa: E402


def test_as_tensor_note_mindspore_tensor_copies_and_from_numpy_shares() -> None:
    # knowledge/curated/torch/as_tensor.toml, note "as-tensor-copies"
    array = np.arange(4, dtype=np.float32)
    shared_in_torch = torch.as_tensor(array)
    copied = ms.tensor(array)
    shared = ms.from_numpy(array)
    array[0] = 100.0
    assert float(shared_in_torch[0]) == 100.0
    assert float(copied[0].asnumpy()) == 0.0
    assert float(shared[0].asnumpy()) == 100.0


@pytest.mark.parametrize(
    ("legacy", "mindspore_dtype"),
    [
        ("LongTensor", "int64"),
        ("FloatTensor", "float32"),
        ("DoubleTensor", "float64"),
        ("HalfTensor", "float16"),
        ("BFloat16Tensor", "bfloat16"),
        ("IntTensor", "int32"),
        ("ShortTensor", "int16"),
        ("CharTensor", "int8"),
        ("ByteTensor", "uint8"),
        ("BoolTensor", "bool_"),
    ],
)
def test_legacy_tensor_type_workaround_builds_the_same_dtype(
    legacy: str, mindspore_dtype: str
) -> None:
    # knowledge/curated/torch/<legacy>.toml: mindspore.tensor(data, dtype=mindspore.<dt>)
    data = [1, 0, 1]
    theirs = getattr(torch, legacy)(data)
    ours = ms.tensor(data, dtype=getattr(ms, mindspore_dtype))
    assert str(theirs.dtype).removeprefix("torch.") == mindspore_dtype.rstrip("_")
    np.testing.assert_array_equal(theirs.float().numpy(), ours.astype(ms.float32).asnumpy())


def test_dtype_workaround_every_mindspore_dtype_is_a_type() -> None:
    # knowledge/curated/torch/dtype.toml
    for name in ("float32", "float16", "int64", "bool_", "bfloat16"):
        assert isinstance(getattr(ms, name), ms.dtype.Type)
    assert not isinstance("float32", ms.dtype.Type)


def test_is_scripting_is_false_when_run_eagerly() -> None:
    # knowledge/curated/torch.jit/is_scripting.toml
    assert torch.jit.is_scripting() is False


def test_unflatten_workaround_matches_torch() -> None:
    # knowledge/curated/torch.Tensor/unflatten.toml
    values = np.arange(24, dtype=np.float32).reshape(2, 12)
    expected = torch.from_numpy(values).unflatten(1, (3, -1)).numpy()
    x = ms.tensor(values)
    dim, sizes = 1, (3, -1)
    got = x.reshape(x.shape[:dim] + tuple(sizes) + x.shape[dim + 1 :]).asnumpy()
    np.testing.assert_array_equal(expected, got)


def test_rmsnorm_workaround_matches_torch_and_ops_rms_norm_has_no_cpu_kernel() -> None:
    # knowledge/curated/torch.nn/RMSNorm.toml
    values = np.random.default_rng(0).standard_normal((3, 8)).astype(np.float32)
    layer = torch.nn.RMSNorm(8)
    expected = layer(torch.from_numpy(values)).detach().numpy()
    eps = float(np.finfo(np.float32).eps)
    x = ms.tensor(values)
    weight = ms.Parameter(ms.tensor(np.ones(8, np.float32)))
    got = (x * ops.rsqrt(x.pow(2).mean(axis=-1, keep_dims=True) + eps) * weight).asnumpy()
    np.testing.assert_allclose(expected, got, rtol=1e-5, atol=1e-6)
    with pytest.raises(RuntimeError, match="RmsNorm"):
        ops.rms_norm(x, ms.tensor(np.ones(8, np.float32)), 1e-6)[0].asnumpy()


def test_buffer_workaround_parameter_without_grad_is_saved_but_not_trainable() -> None:
    # knowledge/curated/torch.nn/Buffer.toml
    class Net(ms.nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.stat = ms.Parameter(ms.tensor(np.zeros(2, np.float32)), requires_grad=False)
            self.w = ms.Parameter(ms.tensor(np.ones(2, np.float32)))

        def construct(self, x: ms.Tensor) -> ms.Tensor:
            return x * self.w + self.stat

    net = Net()
    assert [p.name for p in net.trainable_params()] == ["w"]
    assert sorted(net.parameters_dict()) == ["stat", "w"]


def test_broadcast_shapes_workaround_matches_torch() -> None:
    # knowledge/curated/torch/broadcast_shapes.toml
    shapes = [(2, 1, 3), (4, 1), (1,)]
    assert tuple(torch.broadcast_shapes(*shapes)) == np.broadcast_shapes(*shapes)
    with pytest.raises(RuntimeError):
        torch.broadcast_shapes((2,), (3,))
    with pytest.raises(ValueError):
        np.broadcast_shapes((2,), (3,))


def test_inf_is_the_python_float_infinity_and_mindspore_takes_it() -> None:
    # knowledge/curated/torch/inf.toml
    import math

    assert torch.inf == math.inf and isinstance(torch.inf, float)
    x = ms.tensor(np.array([3.0, -4.0], np.float32))
    assert float(ms.ops.norm(x, math.inf).asnumpy()) == 4.0


def test_mindspore_version_is_its_own_numbering() -> None:
    # knowledge/curated/torch/__version__.toml
    assert ms.__version__ == "2.10.0"
    assert not torch.__version__.startswith(ms.__version__)

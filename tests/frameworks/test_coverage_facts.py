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


# -- the real-code coverage tail (tests/data/realcode: the names used without an entry) --------


def test_frombuffer_shares_memory_in_both_frameworks() -> None:
    # knowledge/curated/torch/frombuffer.toml (target mindspore.frombuffer, "consistent")
    buffer = bytearray(np.arange(4, dtype=np.float32).tobytes())
    theirs = torch.frombuffer(buffer, dtype=torch.float32, count=2, offset=4)
    ours = ms.frombuffer(buffer, dtype=ms.float32, count=2, offset=4)
    buffer[4:8] = np.float32(9.0).tobytes()
    assert theirs.tolist() == [9.0, 2.0]
    assert ours.asnumpy().tolist() == [9.0, 2.0]


@pytest.mark.parametrize(
    ("name", "torch_args", "mindspore_args", "values"),
    [
        ("Normal", (0.5, 2.0), (0.5, 2.0), [0.1, -0.5, 2.0]),
        ("Uniform", (0.0, 3.0), (0.0, 3.0), [0.1, 2.0]),
        ("Categorical", (torch.tensor([0.2, 0.8]),), ([0.2, 0.8],), [1, 0]),
    ],
)
def test_distribution_log_prob_matches_torch_and_there_is_no_rsample(
    name: str,
    torch_args: tuple[object, ...],
    mindspore_args: tuple[object, ...],
    values: list[float],
) -> None:
    # knowledge/curated/torch.distributions/<name>.toml, note "distribution-is-a-cell"
    from mindspore.nn.probability import distribution

    dtype = np.int32 if name == "Categorical" else np.float32
    theirs = getattr(torch.distributions, name)(*torch_args).log_prob(torch.tensor(values))
    mine = getattr(distribution, name)(*mindspore_args)
    ours = mine.log_prob(ms.tensor(np.array(values, dtype)))
    np.testing.assert_allclose(theirs.numpy(), ours.asnumpy(), rtol=1e-5)
    assert isinstance(mine, ms.nn.Cell)
    assert not hasattr(mine, "rsample")


def test_normal_parameters_are_mean_and_sd() -> None:
    # knowledge/curated/torch.distributions/Normal.toml: loc -> mean, scale -> sd
    from mindspore.nn.probability.distribution import Normal

    normal = Normal(mean=1.5, sd=0.5)
    assert float(normal.mean().asnumpy()) == 1.5
    assert float(normal.sd().asnumpy()) == 0.5


def test_sampler_subclass_orders_a_generator_dataset() -> None:
    # knowledge/curated/torch.utils.data/Sampler.toml, note "sampler-iter"
    class Backwards(ms.dataset.Sampler):
        def __iter__(self):  # type: ignore[no-untyped-def]
            return iter(range(3, -1, -1))

    data = [(np.array(v, np.int32),) for v in (10, 11, 12, 13)]
    dataset = ms.dataset.GeneratorDataset(data, ["x"], sampler=Backwards())
    got = [int(row["x"]) for row in dataset.create_dict_iterator(num_epochs=1, output_numpy=True)]
    assert got == [13, 12, 11, 10]


def test_as_strided_workaround_through_numpy_matches_torch() -> None:
    # knowledge/curated/torch/as_strided.toml: NumPy strides are in bytes
    values = np.arange(10, dtype=np.float32)
    expected = torch.as_strided(torch.from_numpy(values), (4, 3), (2, 1)).numpy()
    x = ms.tensor(values)
    item = x.asnumpy().itemsize
    windows = np.lib.stride_tricks.as_strided(x.asnumpy(), (4, 3), (2 * item, 1 * item))
    np.testing.assert_array_equal(expected, ms.tensor(windows.copy()).asnumpy())


def test_solve_triangular_workaround_lower_is_not_upper() -> None:
    # knowledge/curated/torch.linalg/solve_triangular.toml
    import mindspore.scipy.linalg as linalg

    a = np.array([[2.0, 1.0, 0.5], [0.0, 3.0, 1.0], [0.0, 0.0, 4.0]], np.float32)
    b = np.array([[1.0], [2.0], [3.0]], np.float32)
    expected = torch.linalg.solve_triangular(torch.from_numpy(a), torch.from_numpy(b), upper=True)
    got = linalg.solve_triangular(ms.tensor(a), ms.tensor(b), lower=False)
    np.testing.assert_allclose(expected.numpy(), got.asnumpy(), rtol=1e-5)
    unit = torch.linalg.solve_triangular(
        torch.from_numpy(a.T), torch.from_numpy(b), upper=False, unitriangular=True
    )
    got_unit = linalg.solve_triangular(ms.tensor(a.T), ms.tensor(b), lower=True, unit_diagonal=True)
    np.testing.assert_allclose(unit.numpy(), got_unit.asnumpy(), rtol=1e-5)


def test_vjp_workaround_returns_a_function_to_call_with_v() -> None:
    # knowledge/curated/torch.autograd.functional/vjp.toml
    values = np.array([1.0, 2.0, 3.0], np.float32)
    v = np.array([1.0, 0.5, 2.0], np.float32)
    out, product = torch.autograd.functional.vjp(
        lambda t: t**2 * 3, torch.from_numpy(values), torch.from_numpy(v)
    )
    ms_out, vjp_fn = ms.vjp(lambda t: t**2 * 3, ms.tensor(values))
    (ms_product,) = vjp_fn(ms.tensor(v))
    np.testing.assert_allclose(out.numpy(), ms_out.asnumpy())
    np.testing.assert_allclose(product.numpy(), ms_product.asnumpy())


def test_sparse_legacy_constructor_workaround_indices_are_transposed() -> None:
    # knowledge/curated/torch.sparse/FloatTensor.toml (and HalfTensor, DoubleTensor)
    indices = np.array([[0, 1, 2], [2, 0, 1]], np.int64)  # torch: (ndim, nnz)
    values = np.array([1.0, 2.0, 3.0], np.float32)
    theirs = torch.sparse.FloatTensor(torch.from_numpy(indices), torch.from_numpy(values), (3, 3))
    ours = ms.COOTensor(ms.tensor(indices.T.astype(np.int32)), ms.tensor(values), (3, 3))
    np.testing.assert_array_equal(theirs.to_dense().numpy(), ours.to_dense().asnumpy())


def test_small_facts_of_the_no_equivalent_entries() -> None:
    import functools
    import math
    import multiprocessing

    from mindspore.communication import GlobalComm
    from mindspore.communication.comm_func import barrier
    from torch.distributions.utils import lazy_property

    assert isinstance(torch.nan, float) and math.isnan(torch.nan)  # torch/nan.toml
    assert torch.get_float32_matmul_precision() == "highest"  # the default the note names
    assert torch.compiler.is_compiling() is False  # torch.compiler/is_compiling.toml
    assert torch.onnx.is_in_onnx_export() is False  # torch.onnx/is_in_onnx_export.toml
    assert torch.multiprocessing.get_all_start_methods() == multiprocessing.get_all_start_methods()
    assert not hasattr(ms.nn, "LBFGS") and not hasattr(ms.experimental.optim, "LBFGS")
    assert isinstance(GlobalComm.WORLD_COMM_GROUP, str)  # torch.distributed group.WORLD
    assert callable(barrier)  # torch.distributed/monitored_barrier.toml
    assert not hasattr(ms.nn.SyncBatchNorm, "convert_sync_batchnorm")
    from mindspore.nn.probability import distribution

    assert not hasattr(distribution, "MultivariateNormal")

    class Cached:
        calls = 0

        @functools.cached_property
        def value(self) -> int:
            Cached.calls += 1
            return 7

    cached = Cached()
    assert cached.value == cached.value == 7 and Cached.calls == 1
    assert lazy_property.__name__ == "lazy_property"  # the decorator the workaround replaces


def _resolves(dotted: str) -> bool:
    import importlib

    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            if not hasattr(obj, part):
                return False
            obj = getattr(obj, part)
        return True
    return False


def _mindspore_names(text: str) -> list[str]:
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")
    names = []
    start = text.find("mindspore.")
    while start >= 0:
        end = start
        while end < len(text) and text[end] in allowed:
            end += 1
        if start == 0 or text[start - 1] not in allowed:
            names.append(text[start:end].rstrip("."))
        start = text.find("mindspore.", end)
    return names


def test_a_wrong_mindspore_name_is_caught() -> None:
    assert _mindspore_names("use mindspore.ops.pad(x), not mindspore.nope.") == [
        "mindspore.ops.pad",
        "mindspore.nope",
    ]
    assert _resolves("mindspore.ops.pad") and not _resolves("mindspore.nope")


def test_every_mindspore_name_in_a_workaround_exists() -> None:
    # The generated no-equivalent note says this suite checks it.
    from mindport.kb.loader import load_knowledge

    kb = load_knowledge()
    missing = []
    for api in kb.ids:
        entry = kb.entry(api)
        if entry is None or entry.workaround is None:
            continue
        for text in (entry.workaround.en, entry.workaround.zh):
            missing += [f"{api}: {n}" for n in _mindspore_names(text) if not _resolves(n)]
    assert missing == []

"""Curated facts behind the fixes (pad_mode, momentum, stft modes), checked by running both."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch", reason="needs the frameworks extra (torch==2.13.0)")
ms = pytest.importorskip("mindspore", reason="needs the frameworks extra (mindspore==2.10.0)")
np = pytest.importorskip("numpy")

CASES = [
    ("Conv1d", "Conv1d", (1, 2, 8), {}),
    ("Conv2d", "Conv2d", (1, 2, 8, 8), {}),
    ("Conv3d", "Conv3d", (1, 2, 6, 6, 6), {}),
    ("ConvTranspose1d", "Conv1dTranspose", (1, 2, 8), {"stride": 2}),
    ("ConvTranspose2d", "Conv2dTranspose", (1, 2, 6, 6), {"stride": 2}),
    ("ConvTranspose3d", "Conv3dTranspose", (1, 2, 4, 4, 4), {"stride": 2}),
]


@pytest.mark.parametrize(("torch_name", "ms_name", "shape", "extra"), CASES)
def test_only_pad_mode_pad_gives_torch_shapes(
    torch_name: str, ms_name: str, shape: tuple[int, ...], extra: dict[str, int]
) -> None:
    x = np.random.default_rng(0).random(shape, dtype=np.float32)
    expected = tuple(getattr(torch.nn, torch_name)(2, 3, 3, **extra)(torch.tensor(x)).shape)
    layer = getattr(ms.nn, ms_name)
    assert tuple(layer(2, 3, 3, **extra)(ms.Tensor(x)).shape) != expected  # 'same' by default
    assert tuple(layer(2, 3, 3, pad_mode="pad", **extra)(ms.Tensor(x)).shape) == expected


def test_sync_batch_norm_weighs_the_old_value_with_momentum() -> None:
    layer = ms.nn.SyncBatchNorm(1, momentum=0.1)
    layer.set_train(True)
    layer(ms.Tensor(np.ones((4, 1, 2, 2), np.float32)))
    reference = torch.nn.BatchNorm2d(1, momentum=0.1)
    reference(torch.ones(4, 1, 2, 2))
    assert layer.moving_mean.asnumpy().tolist() == pytest.approx([0.9])
    assert reference.running_mean.tolist() == pytest.approx([0.1])


def test_stft_pad_mode_is_upper_case_in_mindspore() -> None:
    x = np.random.default_rng(0).random(400, dtype=np.float32)
    expected = torch.stft(
        torch.tensor(x), 64, window=torch.hann_window(64), return_complex=True
    ).shape
    window = ms.Tensor(np.hanning(65)[:-1].astype(np.float32))
    assert tuple(ms.ops.stft(ms.Tensor(x), 64, window=window, return_complex=True).shape) == tuple(
        expected
    )
    with pytest.raises((ValueError, TypeError)):
        ms.ops.stft(ms.Tensor(x), 64, pad_mode="reflect", return_complex=True)


FUNCTIONAL = [
    ("conv1d", (1, 2, 7), (3, 2, 3)),
    ("conv2d", (1, 2, 5, 5), (3, 2, 3, 3)),
    ("conv3d", (1, 2, 4, 4, 4), (3, 2, 2, 2, 2)),
]


@pytest.mark.parametrize(("name", "shape", "weight_shape"), FUNCTIONAL)
def test_functional_convolutions_need_pad_mode_pad_for_padding(
    name: str, shape: tuple[int, ...], weight_shape: tuple[int, ...]
) -> None:  # knowledge/curated/torch/conv{1,2,3}d.toml
    rng = np.random.default_rng(0)
    x, w = rng.random(shape, dtype=np.float32), rng.random(weight_shape, dtype=np.float32)
    ours = getattr(torch.nn.functional, name)
    theirs = getattr(ms.ops, name)
    expected = ours(torch.tensor(x), torch.tensor(w), padding=1).numpy()
    with pytest.raises(ValueError):
        theirs(ms.Tensor(x), ms.Tensor(w), padding=1)  # pad_mode='valid' by default
    got = theirs(ms.Tensor(x), ms.Tensor(w), padding=1, pad_mode="pad").asnumpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    plain = ours(torch.tensor(x), torch.tensor(w)).numpy()
    for mode in ({}, {"pad_mode": "pad"}):
        got = theirs(ms.Tensor(x), ms.Tensor(w), **mode).asnumpy()
        np.testing.assert_allclose(got, plain, rtol=1e-5, atol=1e-5)
    same = ours(torch.tensor(x), torch.tensor(w), padding="same").numpy()
    with pytest.raises(TypeError):
        theirs(ms.Tensor(x), ms.Tensor(w), padding="same", pad_mode="pad")
    got = theirs(ms.Tensor(x), ms.Tensor(w), pad_mode="same").asnumpy()
    np.testing.assert_allclose(got, same, rtol=1e-5, atol=1e-5)

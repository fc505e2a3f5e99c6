"""``mindport weights convert``: a torch checkpoint -> a MindSpore ``.ckpt``, by the mapping.

Reading ``.pt``/``.pth`` needs torch, ``.safetensors`` needs ``safetensors`` (the ``weights``
extra); writing needs nothing (``ckpt.py``). Every key of the checkpoint must have a place in
the mapping with the shape the model's source gives it, and every weight of the mapping must be
in the checkpoint: each key that does not is an error that names it, and nothing is written.
Torch-only counters the facts name (classic BatchNorm's ``num_batches_tracked``) are left out
and listed.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mindport.weights.ckpt import encode, little_endian
from mindport.weights.mapping import WeightMapping

EXTRA_HINT = "pip install 'mindport[weights]'"


class MissingExtra(Exception):
    """A reader library is not installed; the message says which and how to install it."""


@dataclass
class Conversion:
    written: list[tuple[str, tuple[int, ...], str, bytes]] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    reshaped: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_checkpoint(path: Path) -> dict[str, Any]:
    """Tensor name -> numpy array (bfloat16 kept as its raw 16-bit values, see ``dtype_of``)."""
    if path.suffix == ".safetensors":
        try:
            # Imported by name: an optional extra, absent where the type checker runs.
            load_file = importlib.import_module("safetensors.numpy").load_file
        except ImportError as error:
            raise MissingExtra(
                f"reading {path.name} needs the safetensors package: {EXTRA_HINT}"
            ) from error
        loaded: dict[str, Any] = load_file(str(path))
        return loaded
    try:
        torch = importlib.import_module("torch")
    except ImportError as error:
        raise MissingExtra(f"reading {path.name} needs torch: {EXTRA_HINT}") from error
    data = torch.load(str(path), map_location="cpu", weights_only=True)
    for wrapper in ("state_dict", "model_state_dict", "model"):
        if isinstance(data, dict) and isinstance(data.get(wrapper), dict):
            data = data[wrapper]
            break
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a state dict (a {type(data).__name__})")
    arrays: dict[str, Any] = {}
    for key, value in data.items():
        if not torch.is_tensor(value):
            raise ValueError(f"{path}: {key} is not a tensor ({type(value).__name__})")
        value = value.detach().cpu().contiguous()
        if value.dtype == torch.bfloat16:
            arrays[key] = _BFloat16(value.view(torch.int16).numpy())
        else:
            arrays[key] = value.numpy()
    return arrays


class _BFloat16:
    """bfloat16 values as their raw bits (numpy has no bfloat16)."""

    def __init__(self, bits: Any) -> None:
        self.bits = bits
        self.shape = tuple(bits.shape)

    def reshape(self, shape: tuple[int, ...]) -> _BFloat16:
        return _BFloat16(self.bits.reshape(shape))


def _payload(array: Any) -> tuple[str, bytes, int]:
    if isinstance(array, _BFloat16):
        return "bfloat16", array.bits.tobytes(), 2
    return str(array.dtype), array.tobytes(order="C"), int(array.dtype.itemsize)


def convert(mapping: WeightMapping, tensors: dict[str, Any]) -> Conversion:
    result = Conversion()
    result.errors.extend(f"cannot map: {p}" for p in mapping.problems)
    rows = {r.torch_key: r for r in mapping.rows}
    for key, array in tensors.items():
        row = rows.get(key)
        shape = tuple(int(n) for n in array.shape)
        if row is None:
            result.errors.append(
                f"{key}: unmatched: {mapping.model}'s source has no weight of this name"
            )
            continue
        if row.torch_shape is not None and row.torch_shape != shape:
            result.errors.append(
                f"{key}: shape {list(shape)} in the checkpoint, {list(row.torch_shape)} in"
                f" {mapping.model}'s source"
            )
            continue
        if row.mindspore_name is None:
            result.dropped.append(key)
            continue
        target_shape = row.mindspore_shape_for(shape)
        if target_shape != shape:
            array = array.reshape(target_shape)
            result.reshaped.append(key)
        if row.mindspore_name != key:
            result.renamed.append((key, row.mindspore_name))
        dtype, content, itemsize = _payload(array)
        result.written.append(
            (row.mindspore_name, target_shape, dtype, little_endian(content, itemsize))
        )
    for key in rows:
        if key not in tensors:
            result.errors.append(f"{key}: missing from the checkpoint")
    return result


def write(conversion: Conversion, out: Path) -> None:
    out.write_bytes(encode(conversion.written))

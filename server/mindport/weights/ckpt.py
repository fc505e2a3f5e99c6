"""Write a MindSpore ``.ckpt`` file without MindSpore.

The format is one protobuf message (``mindspore/train/checkpoint.proto``)::

    message Checkpoint { repeated Value value = 1; }
    message Value { string tag = 1; TensorProto tensor = 2; }
    message TensorProto { repeated int64 dims = 1; string tensor_type = 2; bytes tensor_content = 3; }

``tensor_type`` is MindSpore's name of the dtype ("Float32", "Int64", ...); the content is the
raw little-endian bytes in C order. ``mindspore.load_checkpoint`` reads what this writes
(tests/frameworks/test_weights.py).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

# numpy dtype name -> MindSpore's tensor_type string
TENSOR_TYPES = {
    "float16": "Float16",
    "float32": "Float32",
    "float64": "Float64",
    "bfloat16": "BFloat16",
    "int8": "Int8",
    "uint8": "UInt8",
    "int16": "Int16",
    "uint16": "UInt16",
    "int32": "Int32",
    "uint32": "UInt32",
    "int64": "Int64",
    "uint64": "UInt64",
    "bool": "Bool",
}


def _varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited field (wire type 2)."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def encode(tensors: Iterable[tuple[str, tuple[int, ...], str, bytes]]) -> bytes:
    """``(name, shape, dtype name, little-endian bytes)`` -> the checkpoint's bytes."""
    out = bytearray()
    for name, shape, dtype, content in tensors:
        tensor_type = TENSOR_TYPES.get(dtype)
        if tensor_type is None:
            raise ValueError(f"{name}: dtype {dtype} has no MindSpore checkpoint type")
        tensor = b""
        if shape:
            tensor += _field(1, b"".join(_varint(d) for d in shape))
        tensor += _field(2, tensor_type.encode("ascii"))
        tensor += _field(3, content)
        out += _field(1, _field(1, name.encode("utf-8")) + _field(2, tensor))
    return bytes(out)


def little_endian(data: bytes, itemsize: int) -> bytes:
    """The bytes in little-endian order (they already are on every machine MindSpore runs on)."""
    if sys.byteorder == "little" or itemsize == 1:
        return data
    return b"".join(data[i : i + itemsize][::-1] for i in range(0, len(data), itemsize))

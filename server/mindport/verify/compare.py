"""Compare what torch and MindSpore returned, as plain data (no framework, no NumPy here).

The workers turn every result into a *value*: a dict with ``kind``

- ``tensor``: ``dtype`` (``float32``, ``int64``, ``bool``...), ``shape``, ``data`` (flat,
  row-major; complex numbers as ``[real, imag]``)
- ``scalar``: a Python ``bool``, ``int``, ``float``, ``complex``, ``str`` or ``None`` (``type``
  and ``value``)
- ``dtype``: a data type object (``value`` is its name)
- ``seq`` (tuples, lists, named tuples, ``torch.Size``) and ``dict``: ``items``
- ``ndarray``: a NumPy array where a tensor was expected (MindSpore sometimes returns one)
- ``object``: anything else (``type``, ``repr``): never equal, not comparable

Tolerances are per dtype (``TOLERANCES``: relative, absolute); integers and booleans must be
equal. NaN equals NaN, infinities must match exactly.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Value = Mapping[str, Any]

# dtype -> (rtol, atol)
TOLERANCES: Mapping[str, tuple[float, float]] = {
    "float64": (1e-7, 1e-7),
    "complex128": (1e-7, 1e-7),
    "float32": (1e-5, 1e-5),
    "complex64": (1e-5, 1e-5),
    "float16": (1e-3, 1e-3),
    "bfloat16": (1e-2, 1e-2),
}
PYTHON_FLOAT = "float32"  # Python floats in results come from float32 tensors in our cases
EXACT = (0.0, 0.0)
MAX_REPORTED = 3


@dataclass(frozen=True, slots=True)
class Tolerance:
    rtol: float | None = None  # overrides per case (with the reason in the case file)
    atol: float | None = None

    def of(self, dtype: str) -> tuple[float, float]:
        rtol, atol = TOLERANCES.get(dtype, EXACT)
        return (
            rtol if self.rtol is None or dtype not in TOLERANCES else max(rtol, self.rtol),
            atol if self.atol is None or dtype not in TOLERANCES else max(atol, self.atol),
        )


def _close(a: Any, b: Any, rtol: float, atol: float) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        if isinstance(a, list) and isinstance(b, list) and len(a) == len(b) == 2:
            return _close(a[0], b[0], rtol, atol) and _close(a[1], b[1], rtol, atol)
        return False
    if a is None or b is None:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b) and type(a) is type(b)
    if isinstance(a, complex) or isinstance(b, complex):
        if cmath.isnan(a) and cmath.isnan(b):
            return True
        return bool(abs(a - b) <= atol + rtol * abs(b))
    fa, fb = float(a), float(b)
    if math.isnan(fa) or math.isnan(fb):
        return math.isnan(fa) and math.isnan(fb)
    if math.isinf(fa) or math.isinf(fb):
        return fa == fb
    if rtol == atol == 0.0:
        return bool(a == b)
    return abs(fa - fb) <= atol + rtol * abs(fa)


def _magnitude(a: Any, b: Any) -> float:
    try:
        if isinstance(a, list):
            return max(_magnitude(a[0], b[0]), _magnitude(a[1], b[1]))
        return abs(float(a) - float(b))
    except (TypeError, ValueError, OverflowError):
        return math.inf


def describe(value: Value) -> str:
    kind = value.get("kind")
    if kind == "tensor":
        return f"tensor {value['dtype']} {list(value['shape'])}"
    if kind == "scalar":
        return f"{value['type']} {value['value']!r}"
    if kind == "dtype":
        return f"dtype {value['value']}"
    if kind == "seq":
        return f"sequence of {len(value['items'])}"
    if kind == "dict":
        return f"dict of {len(value['items'])}"
    if kind == "ndarray":
        return f"NumPy array {value['dtype']} {list(value['shape'])}"
    return f"{value.get('type', kind)} object"


def _tensors(a: Value, b: Value, where: str, tolerance: Tolerance, values: bool) -> Iterator[str]:
    if a["dtype"] != b["dtype"]:
        yield f"{where}: dtype {a['dtype']} in torch, {b['dtype']} in MindSpore"
    if list(a["shape"]) != list(b["shape"]):
        yield f"{where}: shape {list(a['shape'])} in torch, {list(b['shape'])} in MindSpore"
        return
    if not values:
        return
    rtol, atol = tolerance.of(a["dtype"] if a["dtype"] in TOLERANCES else b["dtype"])
    bad = [
        (n, x, y)
        for n, (x, y) in enumerate(zip(a["data"], b["data"], strict=False))
        if not _close(x, y, rtol, atol)
    ]
    if bad:
        worst = max(_magnitude(x, y) for _, x, y in bad)
        shown = ", ".join(f"{x!r} vs {y!r}" for _, x, y in bad[:MAX_REPORTED])
        yield (
            f"{where}: {len(bad)} of {len(a['data'])} values differ (largest difference"
            f" {worst:.3g}; rtol {rtol:g}, atol {atol:g}; e.g. torch vs MindSpore {shown})"
        )


def differences(
    torch: Value,
    mindspore: Value,
    where: str = "output",
    tolerance: Tolerance | None = None,
    *,
    values: bool = True,
) -> list[str]:
    """Every way the two values differ (empty: the same within the tolerance)."""
    return list(_differences(torch, mindspore, where, tolerance or Tolerance(), values))


def _differences(
    a: Value, b: Value, where: str, tolerance: Tolerance, values: bool
) -> Iterator[str]:
    kind_a, kind_b = a.get("kind"), b.get("kind")
    if kind_a != kind_b:
        yield f"{where}: {describe(a)} in torch, {describe(b)} in MindSpore"
        return
    if kind_a in ("tensor", "ndarray"):
        yield from _tensors(a, b, where, tolerance, values)
    elif kind_a == "scalar":
        if a["type"] != b["type"]:
            yield f"{where}: {describe(a)} in torch, {describe(b)} in MindSpore"
        elif values and a["type"] in ("float", "complex"):
            rtol, atol = tolerance.of(PYTHON_FLOAT)
            if not _close(a["value"], b["value"], rtol, atol):
                yield f"{where}: {a['value']!r} in torch, {b['value']!r} in MindSpore"
        elif values and a["value"] != b["value"]:
            yield f"{where}: {a['value']!r} in torch, {b['value']!r} in MindSpore"
    elif kind_a == "dtype":
        if a["value"] != b["value"]:
            yield f"{where}: {a['value']} in torch, {b['value']} in MindSpore"
    elif kind_a == "seq":
        items_a: Sequence[Value] = a["items"]
        items_b: Sequence[Value] = b["items"]
        if len(items_a) != len(items_b):
            yield f"{where}: {len(items_a)} items in torch, {len(items_b)} in MindSpore"
            return
        for n, (x, y) in enumerate(zip(items_a, items_b, strict=False)):
            yield from _differences(x, y, f"{where}[{n}]", tolerance, values)
    elif kind_a == "dict":
        keys_a, keys_b = list(a["items"]), list(b["items"])
        if sorted(keys_a) != sorted(keys_b):
            yield f"{where}: keys {sorted(keys_a)} in torch, {sorted(keys_b)} in MindSpore"
            return
        for key in keys_a:
            yield from _differences(
                a["items"][key], b["items"][key], f"{where}[{key!r}]", tolerance, values
            )
    else:
        yield f"{where}: cannot compare {describe(a)} with {describe(b)}"


def comparable(value: Value) -> bool:
    """False when the value holds an object we cannot compare."""
    kind = value.get("kind")
    if kind == "object":
        return False
    if kind == "seq":
        return all(comparable(v) for v in value["items"])
    if kind == "dict":
        return all(comparable(v) for v in value["items"].values())
    return True


def flatten(value: Value) -> list[Value]:
    """The tensors in a value, in order (what gradients are taken of)."""
    kind = value.get("kind")
    if kind == "tensor":
        return [value]
    if kind == "seq":
        return [t for v in value["items"] for t in flatten(v)]
    if kind == "dict":
        return [t for v in value["items"].values() for t in flatten(v)]
    return []

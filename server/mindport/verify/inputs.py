"""Inputs drawn with NumPy from a fixed seed; both workers receive the same arrays.

NumPy has no bfloat16: such inputs are drawn as float32 and each framework casts them (the
cast is exact for values drawn, up to bfloat16's rounding, and identical in both).
"""

from __future__ import annotations

import importlib
from typing import Any

from mindport.verify.cases import Case, InputSpec

OPTIMIZER_PARAMS: tuple[tuple[str, InputSpec], ...] = (
    ("w0", InputSpec(shape=(3, 4))),
    ("w1", InputSpec(shape=(4,))),
)


def _numpy() -> Any:
    return importlib.import_module("numpy")


def make_input(spec: InputSpec, seed: int, index: int) -> Any:
    """One array (``numpy.ndarray``) for ``spec``; the same seed and index give the same one."""
    np = _numpy()
    rng = np.random.default_rng([seed, index])
    storage = "float32" if spec.dtype == "bfloat16" else spec.dtype
    if spec.dist == "values":
        return np.asarray(spec.values, dtype=storage).reshape(spec.shape)
    if spec.dist == "bool":
        return rng.random(spec.shape) < 0.5
    if spec.dist == "int":
        return rng.integers(int(spec.low), int(spec.high), size=spec.shape).astype(storage)
    if spec.dist == "uniform":
        data = rng.uniform(spec.low, spec.high, size=spec.shape)
    else:
        data = rng.standard_normal(spec.shape)
    if storage.startswith("complex"):
        data = data + 1j * rng.standard_normal(spec.shape)
    return np.asarray(data).astype(storage)


def case_inputs(case: Case) -> list[tuple[str, str, Any]]:
    """(name, dtype, array) for every input of the case, in order."""
    return [
        (name, spec.dtype, make_input(spec, case.seed, n))
        for n, (name, spec) in enumerate(case.inputs)
    ]


def optimizer_inputs(case: Case) -> tuple[list[tuple[str, str, Any]], list[list[Any]]]:
    """Initial parameters and, per step, one gradient per parameter."""
    params = [
        (name, spec.dtype, make_input(spec, case.seed, n))
        for n, (name, spec) in enumerate(OPTIMIZER_PARAMS)
    ]
    grads = [
        [
            make_input(spec, case.seed, 100 * (step + 1) + n)
            for n, (_, spec) in enumerate(OPTIMIZER_PARAMS)
        ]
        for step in range(case.steps)
    ]
    return params, grads

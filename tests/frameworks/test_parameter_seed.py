"""The seed entry's facts, checked against the installed torch 2.13.0 and mindspore 2.10.0.

These run only with the `frameworks` extra; without it pytest reports them as skipped, with
the reason, and the rest of the suite is unaffected.
"""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mindport.kb.loader import KnowledgeBase
from mindport.kb.model import ApiSide

torch = pytest.importorskip("torch", reason="needs the frameworks extra (torch==2.13.0)")
ms = pytest.importorskip("mindspore", reason="needs the frameworks extra (mindspore==2.10.0)")
np = pytest.importorskip("numpy")


def _params(signature: inspect.Signature, skip: str) -> list[tuple[str, str | None]]:
    return [
        (p.name, None if p.default is inspect.Parameter.empty else repr(p.default))
        for p in signature.parameters.values()
        if p.name != skip
    ]


def _side(side: ApiSide) -> list[tuple[str, str | None]]:
    return [(p.name, p.default) for p in side.params]


@pytest.fixture(scope="module")
def entry(kb: KnowledgeBase) -> Any:
    return kb.entry_for_torch("torch.nn.Parameter")


@pytest.fixture
def pynative() -> Iterator[None]:
    ms.set_context(mode=ms.PYNATIVE_MODE)
    yield
    ms.set_context(mode=ms.PYNATIVE_MODE)


def test_versions() -> None:
    assert torch.__version__.split("+")[0] == "2.13.0"
    assert ms.__version__ == "2.10.0"


def test_signatures_match_both_frameworks(entry: Any) -> None:
    assert torch.nn.Parameter is torch.nn.parameter.Parameter
    assert _side(entry.torch) == _params(inspect.signature(torch.nn.Parameter.__new__), "cls")
    # __new__ hides the real list: (default_input, *args, **kwargs); __init__ has them all.
    assert [p.name for p in inspect.signature(ms.Parameter).parameters.values()] == [
        "default_input",
        "args",
        "kwargs",
    ]
    assert _side(entry.targets["classic"]) == _params(
        inspect.signature(ms.Parameter.__init__), "self"
    )
    for alias in entry.targets["classic"].aliases:
        module, _, name = alias.rpartition(".")
        assert getattr(__import__(module, fromlist=[name]), name) is ms.Parameter


def test_data_is_optional_in_torch_and_required_in_mindspore() -> None:
    assert tuple(torch.nn.Parameter().shape) == (0,)
    with pytest.raises(TypeError):
        ms.Parameter()
    with pytest.raises(TypeError):
        ms.Parameter(None)
    # the second positional slot is `name` in MindSpore
    with pytest.raises(ValueError):
        ms.Parameter(ms.Tensor(np.ones(2, np.float32)), False)


class _Net(ms.nn.Cell):  # type: ignore[misc]
    def __init__(self, frozen: bool) -> None:
        super().__init__()
        self.w = ms.Parameter(ms.Tensor(np.full((2,), 2.0, np.float32)), name="w")
        self.f = ms.Parameter(
            ms.Tensor(np.full((2,), 3.0, np.float32)), name="f", requires_grad=not frozen
        )

    def construct(self, x: Any) -> Any:
        return (x * self.w * self.f).sum()


def _gradient_of_f(frozen: bool) -> list[float]:
    net = _Net(frozen)
    x = ms.Tensor(np.ones((2,), np.float32))
    gradients = ms.grad(net, grad_position=None, weights=[net.w, net.f])(x)
    values: list[float] = gradients[1].asnumpy().tolist()
    return values


def test_requires_grad_false_in_mindspore(pynative: None) -> None:
    assert [p.name for p in _Net(frozen=True).trainable_params()] == ["w"]
    assert _gradient_of_f(frozen=False) == [2.0, 2.0]
    assert _gradient_of_f(frozen=True) == [0.0, 0.0]  # PyNative: zeros when asked explicitly
    ms.set_context(mode=ms.GRAPH_MODE)
    assert _gradient_of_f(frozen=True) == [2.0, 2.0]  # graph mode: the real gradient


def test_requires_grad_false_in_torch() -> None:
    w = torch.nn.Parameter(torch.ones(2))
    frozen = torch.nn.Parameter(torch.ones(2), requires_grad=False)
    with pytest.raises(RuntimeError, match="does not require grad"):
        torch.autograd.grad((w * frozen).sum(), [w, frozen])


def test_names(pynative: None, tmp_path: Path) -> None:
    first = ms.Parameter(ms.Tensor(np.ones(2, np.float32)))
    second = ms.Parameter(ms.Tensor(np.ones(2, np.float32)))
    assert re.fullmatch(r"Parameter#\d+", first.name) and first.name != second.name

    class Named(ms.nn.Cell):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.auto = ms.Parameter(ms.Tensor(np.ones(2, np.float32)))
            self.a = ms.Parameter(ms.Tensor(np.ones(2, np.float32)), name="same")
            self.b = ms.Parameter(ms.Tensor(np.ones(2, np.float32)), name="same")

        def construct(self, x: Any) -> Any:
            return x * self.auto * self.a * self.b

    cell = Named()  # two equal names are accepted without an error in 2.10
    assert cell.auto.name == "auto"
    checkpoint = tmp_path / "named.ckpt"
    ms.save_checkpoint(cell, str(checkpoint))
    assert sorted(ms.load_checkpoint(str(checkpoint))) == ["auto", "same"]  # one of the two is gone


def test_printing_shows_metadata_in_mindspore_and_values_in_torch() -> None:
    p = ms.Parameter(ms.Tensor(np.array([0.25, 0.5], np.float32)), name="p")
    assert str(p) == repr(p) == "Parameter (name=p, shape=(2,), dtype=Float32, requires_grad=True)"
    assert p.asnumpy().tolist() == p.value().asnumpy().tolist() == [0.25, 0.5]
    assert "0.2500" in str(torch.nn.Parameter(torch.tensor([0.25, 0.5])))


def test_class_hierarchy() -> None:
    from mindspore._c_expression import TensorPy

    assert issubclass(torch.nn.Parameter, torch.Tensor)
    assert TensorPy in ms.Parameter.__mro__ and TensorPy in ms.Tensor.__mro__
    assert not issubclass(ms.Parameter, ms.Tensor)
    p = ms.Parameter(ms.Tensor(np.ones(2, np.float32)))
    assert isinstance(p, ms.Tensor)
    assert type(p + 1) is ms.Tensor
    assert type(torch.nn.Parameter(torch.ones(2)) + 1) is torch.Tensor


def test_the_example_pair_runs(entry: Any) -> None:
    for code in (entry.example.torch, entry.example.mindspore):
        completed = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert completed.returncode == 0, completed.stderr[-2000:]

"""Runs inside a worker process: one framework, many cases, one request at a time.

The harness lives here, outside the converted code: it turns the NumPy inputs into the
framework's tensors, calls the program's ``case`` function, takes gradients, copies module
weights, steps optimizers, and turns every result into plain data (``compare`` describes the
values). The MindSpore worker cannot import torch (``sys.modules['torch'] = None``), so a
converted program that still needed torch would fail instead of quietly running torch.

The frameworks are imported with ``importlib`` (typed ``Any``) so that this module
type-checks without them.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from mindport.verify.weights import Slot, WeightMap, map_weights

MAX_ERROR = 400
COTANGENT_STREAM = 7000


class StageError(Exception):
    def __init__(self, stage: str, error: str) -> None:
        super().__init__(error)
        self.stage = stage
        self.error = error


def error_text(error: BaseException) -> str:
    """The first meaningful lines of an error (MindSpore appends long C++ call stacks)."""
    text = str(error).strip()
    kept: list[str] = []
    for line in text.splitlines():
        if line.startswith("----") or "C++ Call Stack" in line:
            break
        if line.strip():
            kept.append(line.strip())
    message = " ".join(kept) or repr(error)
    message = f"{type(error).__name__}: {message}"
    return message if len(message) <= MAX_ERROR else message[: MAX_ERROR - 3] + "..."


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    try:
        yield
    except StageError:
        raise
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        raise StageError(name, error_text(error)) from error


def cotangent(np: Any, seed: int, index: int, shape: tuple[int, ...]) -> Any:
    """The weights of output ``index`` in the scalar whose gradient is compared."""
    rng = np.random.default_rng([seed, COTANGENT_STREAM + index])
    return rng.standard_normal(shape).astype("float32")


class Adapter:
    """What both frameworks share; subclasses know their framework."""

    name = ""

    def __init__(self) -> None:
        self.np: Any = importlib.import_module("numpy")

    # -- to be provided ------------------------------------------------------------------------
    def versions(self) -> dict[str, str]:
        raise NotImplementedError

    def value(self, obj: Any) -> dict[str, Any]:
        raise NotImplementedError

    def is_tensor(self, obj: Any) -> bool:
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------------------
    def scalar(self, obj: Any) -> dict[str, Any] | None:
        if obj is None:
            return {"kind": "scalar", "type": "none", "value": None}
        if isinstance(obj, bool | int | float | complex | str):
            value: Any = obj
            if isinstance(obj, complex):
                value = [obj.real, obj.imag]
            return {"kind": "scalar", "type": type(obj).__name__, "value": value}
        if isinstance(obj, self.np.generic):
            return {
                "kind": "scalar",
                "type": f"numpy.{type(obj).__name__}",
                "value": obj.item() if not isinstance(obj, self.np.complexfloating) else str(obj),
            }
        if isinstance(obj, self.np.ndarray):
            return {
                "kind": "ndarray",
                "dtype": str(obj.dtype),
                "shape": list(obj.shape),
                "data": self.flat_data(obj),
            }
        return None

    def flat_data(self, array: Any) -> list[Any]:
        if array.dtype.kind == "c":
            return [[z.real, z.imag] for z in array.reshape(-1).tolist()]
        data: list[Any] = array.reshape(-1).tolist()
        return data

    def container(self, obj: Any) -> dict[str, Any] | None:
        if isinstance(obj, tuple | list):
            return {"kind": "seq", "items": [self.value(v) for v in obj]}
        if isinstance(obj, dict):
            return {"kind": "dict", "items": {str(k): self.value(v) for k, v in obj.items()}}
        return None

    def other(self, obj: Any) -> dict[str, Any]:
        kind = type(obj)
        return {
            "kind": "object",
            "type": f"{kind.__module__}.{kind.__qualname__}",
            "repr": repr(obj)[:120],
        }

    def flat(self, obj: Any) -> list[Any]:
        """The tensors of a result in the order ``compare.flatten`` uses."""
        if self.is_tensor(obj):
            return [obj]
        if isinstance(obj, tuple | list):
            return [t for v in obj for t in self.flat(v)]
        if isinstance(obj, dict):
            return [t for v in obj.values() for t in self.flat(v)]
        return []

    def load(self, program: str) -> Callable[..., Any]:
        namespace: dict[str, Any] = {"__name__": "mindport_case"}
        exec(compile(program, "<case>", "exec"), namespace)
        function: Callable[..., Any] = namespace["case"]
        return function

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        try:
            if request["kind"] != "program":
                with stage("load"):
                    function = self.load(request["program"])
            kind = request["kind"]
            if kind == "program":
                from mindport.verify.program_run import run_program

                return run_program(self, request)
            if kind == "function":
                return self.function(function, request)
            if kind == "module":
                return self.module(function, request)
            return self.optimizer(function, request, scheduler=kind == "scheduler")
        except StageError as error:
            return {"ok": False, "stage": error.stage, "error": error.error}
        except BaseException as error:
            if isinstance(error, KeyboardInterrupt | SystemExit):
                raise
            detail = "".join(traceback.format_exception_only(type(error), error)).strip()
            return {"ok": False, "stage": "harness", "error": detail[:MAX_ERROR]}

    def function(self, function: Callable[..., Any], request: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def module(self, function: Callable[..., Any], request: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def optimizer(
        self, function: Callable[..., Any], request: dict[str, Any], *, scheduler: bool
    ) -> dict[str, Any]:
        raise NotImplementedError


def _step_record(
    adapter: Adapter, request: dict[str, Any], params: list[Any], sched: Any, groups: Any
) -> dict[str, Any]:
    """One optimizer step's result: every parameter's value, then (after the scheduler's
    step) each group's learning rate. ``groups`` may be a callable that returns them."""
    record: dict[str, Any] = {
        "kind": "dict",
        "items": {
            n: adapter.value(p) for (n, _, _), p in zip(request["params"], params, strict=False)
        },
    }
    if sched is not None:
        if type(sched).__name__ == "ReduceLROnPlateau":
            sched.step(1.0)
        else:
            sched.step()
        record["items"]["lr"] = {
            "kind": "seq",
            "items": [
                {"kind": "scalar", "type": "float", "value": _lr_value(g["lr"])}
                for g in (groups() if callable(groups) else groups)
            ],
        }
    return record


def _lr_value(lr: Any) -> float:
    if hasattr(lr, "asnumpy"):
        return float(lr.asnumpy())
    if hasattr(lr, "item"):
        return float(lr.item())
    return float(lr)


class TorchAdapter(Adapter):
    name = "torch"

    def __init__(self) -> None:
        super().__init__()
        self.torch: Any = importlib.import_module("torch")
        self.torch.set_num_threads(1)

    def versions(self) -> dict[str, str]:
        return {"torch": str(self.torch.__version__).split("+")[0], "numpy": self.np.__version__}

    def is_tensor(self, obj: Any) -> bool:
        return isinstance(obj, self.torch.Tensor)

    def tensor(self, array: Any, dtype: str) -> Any:
        t = self.torch.from_numpy(self.np.array(array))
        return t.to(self.torch.bfloat16) if dtype == "bfloat16" else t

    def dtype_name(self, dtype: Any) -> str:
        # without underscores, as MindSpore spells them: float8_e4m3fn -> float8e4m3fn
        return str(dtype).removeprefix("torch.").replace("_", "")

    def value(self, obj: Any) -> dict[str, Any]:
        torch = self.torch
        if isinstance(obj, torch.Tensor):
            t = obj.detach().cpu()
            if t.layout != torch.strided:
                return self.other(obj)
            dtype = self.dtype_name(t.dtype)
            if t.is_complex():
                data = [
                    list(z) for z in torch.view_as_real(t.resolve_conj()).reshape(-1, 2).tolist()
                ]
            else:
                data = (t.float() if dtype == "bfloat16" else t).reshape(-1).tolist()
            return {"kind": "tensor", "dtype": dtype, "shape": list(t.shape), "data": data}
        if isinstance(obj, torch.dtype):
            return {"kind": "dtype", "value": self.dtype_name(obj)}
        return self.scalar(obj) or self.container(obj) or self.other(obj)

    def seed_program(self) -> None:
        self.torch.manual_seed(0)

    def prepare_model(self, model: Any, request: dict[str, Any]) -> dict[str, Any]:
        """Evaluation mode; the weights (parameters and buffers) to copy into MindSpore."""
        model.train(bool(request.get("train")))
        state = model.state_dict(keep_vars=True)
        return {"weights": [(n, self.dtype_name(t.dtype), self.array(t)) for n, t in state.items()]}

    def finish_program(self) -> None:
        return None

    def array(self, t: Any) -> Any:
        t = t.detach().cpu()
        return (t.float() if t.dtype == self.torch.bfloat16 else t).numpy().copy()

    def _grads(
        self, outputs: list[Any], seed: int, wrt: list[Any]
    ) -> tuple[list[int], list[Any]] | None:
        torch = self.torch
        chosen = [
            k
            for k, t in enumerate(outputs)
            if t.requires_grad and t.dtype.is_floating_point and t.numel() > 0
        ]
        if not chosen or not wrt:
            return None
        loss = sum(
            (
                outputs[k]
                * torch.from_numpy(cotangent(self.np, seed, k, tuple(outputs[k].shape))).to(
                    outputs[k].dtype
                )
            ).sum()
            for k in chosen
        )
        grads = torch.autograd.grad(loss, wrt, allow_unused=True)
        return chosen, [
            torch.zeros_like(w) if g is None else g for g, w in zip(grads, wrt, strict=False)
        ]

    def _inputs(self, request: dict[str, Any], grad: bool) -> list[Any]:
        tensors = [self.tensor(a, d) for _, d, a in request["inputs"]]
        wrt = request.get("wrt")
        if grad:
            for (name, _, _), t in zip(request["inputs"], tensors, strict=True):
                if t.dtype.is_floating_point and (wrt is None or name in wrt):
                    t.requires_grad_(True)
        return tensors

    def function(self, function: Callable[..., Any], request: dict[str, Any]) -> dict[str, Any]:
        torch = self.torch
        want = request.get("grad") is not False
        with stage("forward"):
            torch.manual_seed(0)
            tensors = self._inputs(request, want)
            try:
                out = function(*tensors)
            except RuntimeError as error:
                # in-place operations on leaves that require grad: run without gradients
                if not want or request.get("grad") is not None or "leaf" not in str(error):
                    raise
                want = False
                tensors = self._inputs(request, False)
                out = function(*tensors)
            value = self.value(out)
            after = [self.value(t) for t in tensors]  # what in-place calls and out= leave
        result: dict[str, Any] = {"ok": True, "output": value, "after": after}
        if want:
            try:
                with stage("backward"):
                    wrt_index = [n for n, t in enumerate(tensors) if t.requires_grad]
                    wrt = [tensors[n] for n in wrt_index]
                    taken = self._grads(self.flat(out), request["seed"], wrt)
                    if taken is not None:
                        chosen, grads = taken
                        names = [request["inputs"][n][0] for n in wrt_index]
                        result["grads"] = {
                            n: self.value(g) for n, g in zip(names, grads, strict=False)
                        }
                        result["grad_outputs"] = chosen
                        result["grad_inputs"] = wrt_index
            except StageError as error:
                if request.get("grad") is not None:
                    raise
                result.pop("grads", None)
                result["grad_error"] = error.error  # torch has no gradient here: none compared
        return result

    def module(self, function: Callable[..., Any], request: dict[str, Any]) -> dict[str, Any]:
        torch = self.torch
        with stage("build"):
            torch.manual_seed(0)
            module = function()
            if not isinstance(module, torch.nn.Module):
                raise TypeError(f"case() returned {type(module).__name__}, not a module")
            module.train(bool(request["train"]))
            state = module.state_dict(keep_vars=True)
            parameters = dict(module.named_parameters())
            weights = [(n, self.dtype_name(t.dtype), self.array(t)) for n, t in state.items()]
            buffers = [n for n in state if n not in parameters]
        want = request.get("grad") is not False
        with stage("forward"):
            tensors = self._inputs(request, want)
            out = module(*tensors)
            value = self.value(out)
            after = {n: self.value(state[n]) for n in buffers}
        result: dict[str, Any] = {
            "ok": True,
            "output": value,
            "weights": weights,
            "trainable": [n for n, p in parameters.items() if p.requires_grad],
            "state": after,
        }
        if want:
            try:
                self._module_grads(module, request, tensors, out, parameters, result)
            except StageError as error:
                if request.get("grad") is not None:
                    raise
                result.pop("grads", None)
                result["grad_error"] = error.error
        return result

    def _module_grads(
        self,
        module: Any,
        request: dict[str, Any],
        tensors: list[Any],
        out: Any,
        parameters: dict[str, Any],
        result: dict[str, Any],
    ) -> None:
        with stage("backward"):
            wrt_index = [n for n, t in enumerate(tensors) if t.requires_grad]
            trainable = [p for p in parameters.values() if p.requires_grad]
            taken = self._grads(
                self.flat(out), request["seed"], [tensors[n] for n in wrt_index] + trainable
            )
            if taken is not None:
                chosen, grads = taken
                names = [request["inputs"][n][0] for n in wrt_index] + [
                    f"weight {n}" for n, p in parameters.items() if p.requires_grad
                ]
                result["grads"] = {n: self.value(g) for n, g in zip(names, grads, strict=False)}
                result["grad_outputs"] = chosen
                result["grad_inputs"] = wrt_index

    def optimizer(
        self, function: Callable[..., Any], request: dict[str, Any], *, scheduler: bool
    ) -> dict[str, Any]:
        torch = self.torch
        with stage("build"):
            params = [torch.nn.Parameter(self.tensor(a, d)) for _, d, a in request["params"]]
            made = function(params)
            optimizer, sched = (made[0], made[1]) if scheduler else (made, None)
        steps: list[dict[str, Any]] = []
        with stage("step"):
            for step_grads in request["grads"]:
                for p, g in zip(params, step_grads, strict=False):
                    p.grad = self.tensor(g, "float32").to(p.dtype)
                optimizer.step()
                steps.append(_step_record(self, request, params, sched, optimizer.param_groups))
        return {"ok": True, "output": {"kind": "seq", "items": steps}}


class MindSporeAdapter(Adapter):
    name = "mindspore"

    def __init__(self) -> None:
        super().__init__()
        sys.modules["torch"] = None  # type: ignore[assignment]  # a converted program may not use it
        self.ms: Any = importlib.import_module("mindspore")
        self.ms.set_context(mode=self.ms.PYNATIVE_MODE)

    def versions(self) -> dict[str, str]:
        return {"mindspore": str(self.ms.__version__), "numpy": self.np.__version__}

    def is_tensor(self, obj: Any) -> bool:
        return isinstance(obj, self.ms.Tensor)

    def synchronize(self) -> None:
        """Wait for queued operators: PyNative runs them asynchronously, and an operator that
        fails raises at the next synchronisation point, which must not be the next case."""
        self.ms.runtime.synchronize()

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        with contextlib.suppress(Exception):  # a failure left by an earlier case is not ours
            self.synchronize()
        answer = super().handle(request)
        try:
            self.synchronize()
        except Exception as error:
            return {"ok": False, "stage": "forward", "error": error_text(error)}
        return answer

    def tensor(self, array: Any, dtype: str) -> Any:
        ms = self.ms
        if dtype == "bfloat16":
            return ms.Tensor(self.np.array(array, dtype="float32"), ms.bfloat16)
        return ms.Tensor(self.np.array(array))

    def dtype_name(self, dtype: Any) -> str:
        return str(dtype).lower()

    def value(self, obj: Any) -> dict[str, Any]:
        ms = self.ms
        if isinstance(obj, ms.Tensor):
            dtype = self.dtype_name(obj.dtype)
            t = obj.astype(ms.float32) if dtype == "bfloat16" else obj
            array = t.asnumpy()
            return {
                "kind": "tensor",
                "dtype": dtype,
                "shape": list(array.shape),
                "data": self.flat_data(array),
            }
        if isinstance(obj, ms.dtype.Type):
            return {"kind": "dtype", "value": self.dtype_name(obj)}
        return self.scalar(obj) or self.container(obj) or self.other(obj)

    def _loss(
        self, function: Callable[..., Any], seed: int, chosen: list[int], shapes: dict[int, Any]
    ) -> Callable[..., Any]:
        ms = self.ms
        weights = {k: ms.Tensor(cotangent(self.np, seed, k, shapes[k])) for k in chosen}

        def loss(*args: Any) -> Any:
            outputs = self.flat(function(*args))
            total = None
            for k in chosen:
                term = (outputs[k] * weights[k].astype(outputs[k].dtype)).sum()
                total = term if total is None else total + term
            return total

        return loss

    def function(self, function: Callable[..., Any], request: dict[str, Any]) -> dict[str, Any]:
        ms = self.ms
        with stage("forward"):
            ms.set_seed(0)
            tensors = [self.tensor(a, d) for _, d, a in request["inputs"]]
            out = function(*tensors)
            value = self.value(out)
            self.synchronize()
            after = [self.value(t) for t in tensors]  # what in-place calls and out= leave
        result: dict[str, Any] = {"ok": True, "output": value, "after": after}
        chosen, wrt = request.get("grad_outputs"), request.get("grad_inputs")
        if chosen and wrt:
            try:
                self._function_grads(function, request, out, result)
            except StageError as error:
                result["grad_error"] = error.error
        return result

    def _function_grads(
        self,
        function: Callable[..., Any],
        request: dict[str, Any],
        out: Any,
        result: dict[str, Any],
    ) -> None:
        ms = self.ms
        chosen, wrt = request["grad_outputs"], request["grad_inputs"]
        with stage("backward"):
            outputs = self.flat(out)
            shapes = {k: tuple(outputs[k].shape) for k in chosen if k < len(outputs)}
            if len(shapes) != len(chosen):
                raise ValueError("the outputs differ from torch's: no gradient to compare")
            fresh = [self.tensor(a, d) for _, d, a in request["inputs"]]
            loss = self._loss(function, request["seed"], chosen, shapes)
            grads = ms.grad(loss, grad_position=tuple(wrt))(*fresh)
            if not isinstance(grads, tuple):
                grads = (grads,)
            names = [request["inputs"][n][0] for n in wrt]
            result["grads"] = {n: self.value(g) for n, g in zip(names, grads, strict=False)}

    def _slots(self, cell: Any) -> dict[str, Any]:
        found: dict[str, Any] = dict(cell.parameters_and_names())
        if hasattr(cell, "named_buffers"):
            for name, buffer in cell.named_buffers():
                found.setdefault(name, buffer)
        return found

    def copy_weights(
        self, slots: dict[str, Any], weights: list[Any], mode: str | None
    ) -> WeightMap:
        """Copy torch's weights into the cell's parameters and buffers (``weights.map_weights``)."""
        ms = self.ms
        mapping = map_weights(
            [Slot(n, tuple(a.shape), d) for n, d, a in weights],
            [Slot(n, tuple(p.shape), self.dtype_name(p.dtype)) for n, p in slots.items()],
            mode or "auto",
        )
        if mapping.problems:
            raise ValueError("; ".join(mapping.problems))
        arrays = {n: a for n, _, a in weights}
        for torch_name, ms_name in mapping.pairs:
            target = slots[ms_name]
            array = arrays[torch_name].reshape(tuple(target.shape))
            data = ms.Tensor(array).astype(target.dtype)
            if isinstance(target, ms.Parameter):
                target.set_data(data)
            else:
                target.copy_(data)
        return mapping

    def seed_program(self) -> None:
        # operators run one by one, so a failure is raised on the program line that made it
        self.ms.runtime.launch_blocking()
        self.ms.set_seed(0)

    def prepare_model(self, model: Any, request: dict[str, Any]) -> dict[str, Any]:
        """Evaluation mode and torch's weights copied in; a torch weight left out is reported."""
        if not isinstance(model, self.ms.nn.Cell):
            raise TypeError(f"build() returned {type(model).__name__}, not a Cell")
        model.set_train(bool(request.get("train")))
        mapping = self.copy_weights(self._slots(model), request["weights"], None)
        return {"mapping": mapping.describe(), "missing_weights": list(mapping.missing)}

    def finish_program(self) -> None:
        self.synchronize()

    def module(self, function: Callable[..., Any], request: dict[str, Any]) -> dict[str, Any]:
        ms = self.ms
        with stage("build"):
            ms.set_seed(0)
            cell = function()
            if not isinstance(cell, ms.nn.Cell):
                raise TypeError(f"case() returned {type(cell).__name__}, not a Cell")
            cell.set_train(bool(request["train"]))
            slots = self._slots(cell)
        with stage("weights"):
            mapping = self.copy_weights(slots, request["weights"], request.get("weights_mode"))
        with stage("forward"):
            tensors = [self.tensor(a, d) for _, d, a in request["inputs"]]
            out = cell(*tensors)
            value = self.value(out)
            to_ms = dict(mapping.pairs)
            after = {n: self.value(slots[to_ms[n]]) for n in request["buffers"] if n in to_ms}
        result: dict[str, Any] = {
            "ok": True,
            "output": value,
            "state": after,
            "mapping": mapping.describe(),
            "missing_weights": list(mapping.missing),
        }
        chosen, wrt = request.get("grad_outputs"), request.get("grad_inputs") or []
        trainable = [n for n in request.get("trainable", []) if n in to_ms]
        if chosen and (wrt or trainable):
            try:
                self._module_grads(cell, request, out, result, slots, to_ms, trainable)
            except StageError as error:
                result["grad_error"] = error.error
        return result

    def _module_grads(
        self,
        cell: Any,
        request: dict[str, Any],
        out: Any,
        result: dict[str, Any],
        slots: dict[str, Any],
        to_ms: dict[str, str],
        trainable: list[str],
    ) -> None:
        ms = self.ms
        chosen, wrt = request["grad_outputs"], request.get("grad_inputs") or []
        with stage("backward"):
            outputs = self.flat(out)
            shapes = {k: tuple(outputs[k].shape) for k in chosen if k < len(outputs)}
            if len(shapes) != len(chosen):
                raise ValueError("the outputs differ from torch's: no gradient to compare")
            fresh = [self.tensor(a, d) for _, d, a in request["inputs"]]
            loss = self._loss(cell, request["seed"], chosen, shapes)
            params = [slots[to_ms[n]] for n in trainable]
            names = [request["inputs"][n][0] for n in wrt] + [f"weight {n}" for n in trainable]
            if wrt and params:
                g_in, g_w = ms.grad(loss, grad_position=tuple(wrt), weights=params)(*fresh)
                g_in = g_in if isinstance(g_in, tuple) else (g_in,)
                grads = [*g_in, *g_w]
            elif params:
                grads = list(ms.grad(loss, grad_position=None, weights=params)(*fresh))
            else:
                g = ms.grad(loss, grad_position=tuple(wrt))(*fresh)
                grads = list(g) if isinstance(g, tuple) else [g]
            # weights copied with a reshape (classic Conv1d) report torch's shape
            shapes = {f"weight {n}": tuple(a.shape) for n, _, a in request["weights"]}
            result["grads"] = {
                n: self.value(g.reshape(shapes[n]) if n in shapes else g)
                for n, g in zip(names, grads, strict=False)
            }

    def optimizer(
        self, function: Callable[..., Any], request: dict[str, Any], *, scheduler: bool
    ) -> dict[str, Any]:
        ms = self.ms
        with stage("build"):
            params = [ms.Parameter(self.tensor(a, d), name=n) for n, d, a in request["params"]]
            made = function(params)
            optimizer, sched = (made[0], made[1]) if scheduler else (made, None)
        steps: list[dict[str, Any]] = []
        with stage("step"):
            for step_grads in request["grads"]:
                optimizer(tuple(self.tensor(g, "float32") for g in step_grads))
                # A scheduler reads the groups after the step, so they are looked up lazily.
                steps.append(
                    _step_record(
                        self, request, params, sched, lambda: getattr(optimizer, "param_groups", [])
                    )
                )
        return {"ok": True, "output": {"kind": "seq", "items": steps}}


def serve(connection: Any, framework: str, log_path: str | None) -> None:
    """The worker's main loop (the target of ``runner.Worker``'s process)."""
    if log_path:
        log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        adapter: Adapter = TorchAdapter() if framework == "torch" else MindSporeAdapter()
        connection.send({"ready": True, "versions": adapter.versions()})
    except BaseException as error:
        connection.send({"ready": False, "error": error_text(error)})
        return
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        connection.send(adapter.handle(request))

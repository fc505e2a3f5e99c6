"""Runs one whole program inside a worker (the program suite, ``mindport.verify.programs``).

A program is a module with ``INPUTS`` (what the harness draws), an optional ``build()`` that
returns the model, and ``run(model, **inputs)`` (or ``run(**inputs)`` without ``build``) that
returns a dict of outputs. The harness seeds the framework, builds the model, puts it in
evaluation mode and, in MindSpore, copies torch's weights in by name; then it calls ``run``.

A failure is reported with the line of the program it happened on (the innermost frame of the
program's own code), so the suite can ask whether MindPort still reports that line. In the
MindSpore run the program's own ``import torch`` gives a stand-in whose every use raises: a
conversion that left torch code fails on the line that uses it, not on the import.
"""

from __future__ import annotations

import builtins
import traceback
from collections.abc import Callable
from typing import Any

PROGRAM_FILE = "<program>"
MAX_ERROR = 400


class ProgramError(Exception):
    def __init__(self, stage: str, error: BaseException) -> None:
        super().__init__(str(error))
        self.stage = stage
        self.error = error
        self.line = program_line(error)


def program_line(error: BaseException) -> int | None:
    """The 1-based line of the innermost frame in the program's own code."""
    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == PROGRAM_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


class TorchLeft:
    """What ``import torch`` gives a converted program in the MindSpore run: any use raises."""

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)

    def __getattr__(self, attribute: str) -> TorchLeft:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return TorchLeft(f"{object.__getattribute__(self, '_name')}.{attribute}")

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        name = object.__getattribute__(self, "_name")
        raise RuntimeError(f"{name}: torch is not available in the MindSpore run")

    __call__ = _fail
    __mro_entries__ = _fail
    __iter__ = _fail
    __getitem__ = _fail
    __enter__ = _fail
    __bool__ = _fail
    __instancecheck__ = _fail
    __eq__ = _fail
    __hash__ = None  # type: ignore[assignment]


def _guarded_builtins() -> dict[str, Any]:
    real_import = builtins.__import__

    def guarded_import(
        name: str,
        globals: Any = None,
        locals: Any = None,
        fromlist: Any = (),
        level: int = 0,
    ) -> Any:
        if level == 0 and (name == "torch" or name.startswith("torch.")):
            return TorchLeft(name if fromlist else "torch")
        return real_import(name, globals, locals, fromlist, level)

    table = dict(vars(builtins))
    table["__import__"] = guarded_import
    return table


def error_text(error: BaseException) -> str:
    text = str(error).strip()
    kept: list[str] = []
    for line in text.splitlines():
        if line.startswith("----") or "C++ Call Stack" in line:
            break
        if line.strip():
            kept.append(line.strip())
    message = f"{type(error).__name__}: {' '.join(kept) or repr(error)}"
    return message if len(message) <= MAX_ERROR else message[: MAX_ERROR - 3] + "..."


def run_program(adapter: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Load, build, copy weights (MindSpore), run; the outputs as plain values."""
    namespace: dict[str, Any] = {"__name__": "mindport_program"}
    if adapter.name == "mindspore":
        namespace["__builtins__"] = _guarded_builtins()
    result: dict[str, Any] = {"ok": True}
    stage = "load"
    try:
        exec(compile(request["program"], PROGRAM_FILE, "exec"), namespace)
        run: Callable[..., Any] = namespace["run"]
        build: Callable[..., Any] | None = namespace.get("build")
        stage = "build"
        adapter.seed_program()
        model = build() if build is not None else None
        if model is not None:
            stage = "weights"
            result.update(adapter.prepare_model(model, request))
        stage = "run"
        inputs = {
            name: array if as_numpy else adapter.tensor(array, dtype)
            for name, dtype, array, as_numpy in request["inputs"]
        }
        out = run(model, **inputs) if build is not None else run(**inputs)
        adapter.finish_program()
        stage = "outputs"
        result["output"] = adapter.value(out)
    except Exception as error:
        return {
            "ok": False,
            "stage": stage,
            "error": error_text(error),
            "line": program_line(error),
            "trace": "".join(traceback.format_exception(error))[-1500:],
        }
    return result

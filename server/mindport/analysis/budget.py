"""Time budgets: one stage of the analysis of one file gets so many seconds, then it is abandoned.

``within_budget(seconds, stage=..., name=...)`` runs a block of pure-Python work under a
deadline. When the deadline passes, a watchdog timer raises an interruption inside the thread
running the block (``PyThreadState_SetAsyncExc``: it lands at the next bytecode the thread
executes), and the block ends with ``BudgetExceeded`` naming the stage and the file. The
caller keeps whatever it had before the stage (the static findings when jedi's stage is
abandoned, nothing when the static pass itself is) and goes on with the next file.

Limits, said plainly: a thread stuck inside one long C call (a single regular-expression
match, say) is interrupted only when that call returns; the interruption is a
``BaseException`` so that ``except Exception`` inside the analysed code cannot swallow it.
Without ``ctypes.pythonapi`` (not CPython) there is no interruption.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# Defaults shared by the language server and the CLI (both can be changed in the settings:
# ``limits.fileTimeoutSeconds`` and ``limits.maxFileBytes``).
DEFAULT_FILE_SECONDS = 30.0
DEFAULT_MAX_FILE_BYTES = 2_000_000


class BudgetExceeded(Exception):
    """One stage of one file's analysis took longer than its budget and was abandoned."""

    def __init__(self, stage: str, name: str, seconds: float) -> None:
        self.stage = stage
        self.name = name
        self.seconds = seconds
        super().__init__(self.message("en"))

    def message(self, locale: str = "en") -> str:
        if locale == "zh":
            return (
                f"MindPort 放弃了 {self.name} 的{_STAGES_ZH.get(self.stage, self.stage)}:"
                f"超过了 {self.seconds:g} 秒的时间预算(limits.fileTimeoutSeconds)。"
            )
        return (
            f"MindPort abandoned the {self.stage} of {self.name}: it took longer than its "
            f"budget of {self.seconds:g} s (limits.fileTimeoutSeconds)."
        )


_STAGES_ZH = {"static analysis": "静态分析", "name resolution": "名称解析", "fix-all": "全部修复"}


class _Interrupt(BaseException):
    """Raised asynchronously in the thread whose budget ran out; turned into BudgetExceeded."""


@dataclass
class _Watch:
    ident: int
    lock: threading.Lock
    active: bool = True
    fired: bool = False


def _set_async_exc(ident: int, exc: type[BaseException] | None) -> bool:
    try:
        setter = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except AttributeError:  # pragma: no cover - not CPython
        return False
    setter.argtypes = (ctypes.c_ulong, ctypes.py_object)
    setter.restype = ctypes.c_int
    if exc is None:
        return bool(ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None))
    return bool(setter(ctypes.c_ulong(ident), ctypes.py_object(exc)))


def _fire(watch: _Watch) -> None:
    with watch.lock:
        if watch.active:
            watch.fired = _set_async_exc(watch.ident, _Interrupt)


@contextmanager
def within_budget(seconds: float | None, *, stage: str, name: str) -> Iterator[None]:
    """Run the block in at most ``seconds`` (``None`` or <= 0: no budget).

    Raises ``BudgetExceeded(stage, name, seconds)`` when the block was interrupted.
    """
    if seconds is None or seconds <= 0:
        yield
        return
    watch = _Watch(threading.get_ident(), threading.Lock())
    timer = threading.Timer(seconds, _fire, args=(watch,))
    timer.daemon = True
    timer.start()
    interrupted = False
    try:
        yield
    except _Interrupt:
        interrupted = True
    finally:
        # The interruption may land anywhere until the watch is off, even in here: disarm
        # until that is done without one (it is idempotent).
        while True:
            try:
                timer.cancel()
                with watch.lock:
                    watch.active = False
                    if watch.fired and not interrupted:
                        # It fired just as the block ended: take the pending one back.
                        _set_async_exc(watch.ident, None)
                break
            except _Interrupt:
                interrupted = True
    if interrupted:
        raise BudgetExceeded(stage, name, seconds)

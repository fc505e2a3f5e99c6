"""The jedi environment MindPort's resolver uses: jedi's helper process started with
``-I -S``, whose path is the standard library only.

A module of its own so that ``jedi_resolver`` can be imported without importing jedi: the
language server imports jedi on its jedi thread when the first question comes, after the first
static diagnostics are out.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import weakref

import jedi
from jedi.api.environment import Environment
from jedi.cache import memoize_method
from jedi.inference.compiled import subprocess as jedi_subprocess

from mindport.analysis.jedi_resolver import _SITE_MARKERS


class IsolatedSubprocess(jedi_subprocess.CompiledSubprocess):  # type: ignore[misc]
    """jedi's helper process, started with ``-I -S``: no ``PYTHONPATH``, no user site, no
    ``site`` (so no ``.pth`` file runs or adds a path or an import hook). Its path is the
    standard library. Otherwise the same as jedi's own ``_get_process`` (jedi 0.19-0.20)."""

    @memoize_method  # type: ignore[untyped-decorator]
    def _get_process(self) -> subprocess.Popen[bytes]:
        parso_path = sys.modules["parso"].__file__ or ""
        args = (
            self._executable,
            "-I",
            "-S",
            jedi_subprocess._MAIN_PATH,
            os.path.dirname(os.path.dirname(parso_path)),
            ".".join(str(x) for x in sys.version_info[:3]),
        )
        process = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self._env_vars,
            close_fds=True,
        )
        self._stderr_queue: queue.Queue[bytes] = queue.Queue()
        thread = threading.Thread(
            target=jedi_subprocess._enqueue_output,
            args=(process.stderr, self._stderr_queue),
            daemon=True,
        )
        thread.start()
        self._cleanup_callable = weakref.finalize(
            self, jedi_subprocess._cleanup_process, process, thread
        )
        return process


class StandardLibraryEnvironment(Environment):  # type: ignore[misc]
    """A jedi environment that sees only the standard library on its own path."""

    def _get_subprocess(self) -> jedi_subprocess.CompiledSubprocess:
        current: jedi_subprocess.CompiledSubprocess | None = getattr(self, "_subprocess", None)
        if current is not None and not current.is_crashed:
            return current
        current = IsolatedSubprocess(self._start_executable, env_vars=self._env_vars)
        self._subprocess = current
        info = current._send(None, jedi.api.environment._get_info)
        self.executable, self.path = info[0], info[1]
        self.version_info = jedi.api.environment._VersionInfo(*info[2])
        return current

    def get_sys_path(self) -> list[str]:
        return [p for p in super().get_sys_path() if not any(m in p for m in _SITE_MARKERS)]

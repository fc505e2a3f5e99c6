"""Resolve the names the static pass could not, with jedi, without running anyone's code.

jedi imports *compiled* modules for real to introspect them (in a helper process), and
importing ``torch._C`` runs ``torch/__init__.py``. jedi only does that for extensions found
on its environment's own ``sys.path``; with ``load_unsafe_extensions=False`` anything
reached through ``added_sys_path`` is read from ``.py``/``.pyi`` files only. So jedi gets an
environment whose path is the standard library alone, and the analysed environment's
site-packages come in through ``added_sys_path``. ``jedi.Interpreter`` is never used.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import sysconfig
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jedi
from jedi.api.environment import Environment

from mindport.analysis.jedi_names import public_name
from mindport.analysis.references import Reference, Resolution
from mindport.analysis.static_pass import Candidate
from mindport.kb.loader import KnowledgeBase
from mindport.kb.model import Framework

log = logging.getLogger(__name__)

_SITE_MARKERS = ("site-packages", "dist-packages")


class _StandardLibraryEnvironment(Environment):  # type: ignore[misc]
    """A jedi environment that sees only the standard library on its own path."""

    def get_sys_path(self) -> list[str]:
        return [p for p in super().get_sys_path() if not any(m in p for m in _SITE_MARKERS)]


def site_paths_of(interpreter: str | None) -> list[str]:
    """The site-packages directories of ``interpreter`` (default: this process's environment).

    The interpreter runs with ``-I -S`` so that neither the user's environment variables nor
    ``.pth`` files in its site-packages execute anything.
    """
    if not interpreter:
        paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
        paths.update(p for p in sys.path if any(m in p for m in _SITE_MARKERS))
        return sorted(p for p in paths if Path(p).is_dir())
    script = (
        "import json, sysconfig; p = sysconfig.get_paths(); "
        "print(json.dumps([p['purelib'], p['platlib']]))"
    )
    completed = subprocess.run(
        [interpreter, "-I", "-S", "-c", script],
        capture_output=True,
        text=True,
        timeout=15,
        check=True,
    )
    found = json.loads(completed.stdout)
    return sorted({p for p in found if Path(p).is_dir()})


class JediResolver:
    """Answers "what is this name?" for candidate positions, one fresh ``jedi.Script`` each.

    Reusing one Script for many positions loses answers (its inference state keeps history),
    so each candidate gets its own; the parse is cached by jedi/parso.
    jedi is not thread-safe: calls are serialised by a lock.
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        project_root: Path | None = None,
        site_paths: Sequence[str] | None = None,
    ) -> None:
        self.kb = kb
        self.project_root = project_root or Path.cwd()
        self.site_paths = list(site_paths) if site_paths is not None else site_paths_of(None)
        self._environment: Environment | None = None
        self._project: jedi.Project | None = None
        self._lock = threading.Lock()
        self.failure: str | None = None

    def _setup(self) -> tuple[Environment, jedi.Project]:
        if self._environment is None or self._project is None:
            self._environment = _StandardLibraryEnvironment(sys.executable)
            self._project = jedi.Project(
                self.project_root,
                added_sys_path=self.site_paths,
                load_unsafe_extensions=False,
                smart_sys_path=True,
            )
        return self._environment, self._project

    def _definitions(self, text: str, path: Path | None, line: int, column: int) -> list[str]:
        environment, project = self._setup()
        script = jedi.Script(text, path=path, project=project, environment=environment)
        names: list[Any] = script.goto(
            line + 1, column, follow_imports=True
        )  # jedi lines are 1-based
        if not names:
            names = script.infer(line + 1, column)
        if (
            not names
        ):  # an empty answer is sometimes history-dependent: ask a fresh Script once more
            retry = jedi.Script(text, path=path, project=project, environment=environment)
            names = retry.goto(line + 1, column, follow_imports=True)
        return sorted({n.full_name for n in names if n.full_name})

    def resolve(
        self, text: str, path: Path | None, candidates: Sequence[Candidate]
    ) -> list[Reference]:
        references: list[Reference] = []
        with self._lock:
            for candidate in candidates:
                try:
                    definitions = self._definitions(
                        text, path, candidate.position.line, candidate.position.column
                    )
                except Exception as error:  # jedi can fail in many ways on odd code; never fatal
                    if self.failure is None:
                        self.failure = f"jedi failed: {type(error).__name__}: {error}"
                        log.warning("%s (further jedi failures are not logged)", self.failure)
                    continue
                public = sorted({n for n in (public_name(d, self.kb) for d in definitions) if n})
                if len(public) != 1:
                    continue
                name = public[0]
                framework = Framework.TORCH if self.kb.torch_id(name) else Framework.MINDSPORE
                references.append(
                    Reference(
                        name, framework, candidate.node_span, Resolution.JEDI, call=candidate.call
                    )
                )
        return references

    def warm_up(self) -> None:
        """Pay jedi's first-use cost (environment, torch stubs) before a user waits for it."""
        try:
            with self._lock:
                self._definitions("import torch\ntorch.nn.Parameter\n", None, 1, 10)
        except Exception as error:
            log.info("jedi warm-up failed: %s", error)

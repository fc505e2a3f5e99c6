"""Resolve the names the static pass could not, with jedi, without running anyone's code.

jedi imports *compiled* modules for real to introspect them (in a helper process), and
importing ``torch._C`` runs ``torch/__init__.py``. jedi only does that for extensions found
on its environment's own ``sys.path``; with ``load_unsafe_extensions=False`` anything
reached through ``added_sys_path`` is read from ``.py``/``.pyi`` files only. So jedi gets an
environment whose path is the standard library alone, and the analysed environment's
site-packages come in through ``added_sys_path``. ``jedi.Interpreter`` is never used.

When torch is installed nowhere jedi can see, the stubs MindPort ships (``mindport.stubs``)
are added after the site-packages, so tensor receivers are still inferred.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import sysconfig
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jedi
from jedi.api.environment import Environment

from mindport.analysis.findings import Confidence
from mindport.analysis.jedi_names import public_name
from mindport.analysis.references import Reference, ReferenceKind, Resolution
from mindport.analysis.static_pass import Candidate
from mindport.kb.loader import KnowledgeBase
from mindport.kb.model import Framework
from mindport.stubs import STUBS_DIR

log = logging.getLogger(__name__)

_SITE_MARKERS = ("site-packages", "dist-packages")


class _StandardLibraryEnvironment(Environment):  # type: ignore[misc]
    """A jedi environment that sees only the standard library on its own path."""

    def get_sys_path(self) -> list[str]:
        return [p for p in super().get_sys_path() if not any(m in p for m in _SITE_MARKERS)]


# Without ``site`` a virtual environment's interpreter reports its base installation's
# paths, so the environment is found the way ``site`` finds it: by its ``pyvenv.cfg``.
_SITE_PATHS_SCRIPT = """
import json, os, sys, sysconfig
executable = os.path.abspath(sys.executable)
root = os.path.dirname(os.path.dirname(executable))
configs = [os.path.join(d, "pyvenv.cfg") for d in (os.path.dirname(executable), root)]
config = next((c for c in configs if os.path.isfile(c)), None)
paths = []
if config is not None:
    p = sysconfig.get_paths(vars={"base": root, "platbase": root})
    paths += [p["purelib"], p["platlib"]]
    with open(config, encoding="utf-8") as handle:
        text = handle.read().replace(" ", "").lower()
    if "include-system-site-packages=true" not in text:
        print(json.dumps(paths))
        raise SystemExit
p = sysconfig.get_paths()
print(json.dumps(paths + [p["purelib"], p["platlib"]]))
"""


def site_paths_of(interpreter: str | None) -> list[str]:
    """The site-packages directories of ``interpreter`` (default: this process's environment).

    The interpreter runs with ``-I -S`` so that neither the user's environment variables nor
    ``.pth`` files in its site-packages execute anything.
    """
    if not interpreter:
        paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
        paths.update(p for p in sys.path if any(m in p for m in _SITE_MARKERS))
        return sorted(p for p in paths if Path(p).is_dir())
    completed = subprocess.run(
        [interpreter, "-I", "-S", "-c", _SITE_PATHS_SCRIPT],
        capture_output=True,
        text=True,
        timeout=15,
        check=True,
    )
    found = json.loads(completed.stdout)
    return sorted({p for p in found if Path(p).is_dir()})


@dataclass(frozen=True, slots=True)
class Answer:
    """What jedi says about one candidate: a known public name, not ours, or no idea."""

    name: str | None = None
    ours: bool | None = None  # True: ``name`` is it; False: something else; None: unknown


UNKNOWN_ANSWER = Answer()
NOT_OURS = Answer(ours=False)


def _fresh_budget(script: jedi.Script) -> bool:
    """Make a Script that answered before answer the next question as a fresh one would.

    jedi resets its recursion and execution limits at every API call, but not the number of
    inferences it has made per context (at most 300 each, ``inferred_element_counts``), so
    a Script asked about many positions ran out of them and answered nothing: that is why
    reusing one Script lost answers. With the counts cleared before each question, one
    Script per text gave exactly the answers of a fresh Script per candidate on 2,579
    candidates (tests/data/resolution, the examples, generated files, 45,000 lines of
    torch's own modules), 4-11 times faster. False when this jedi keeps no such counts
    where we look: the caller then uses a fresh Script.
    """
    counts = getattr(getattr(script, "_inference_state", None), "inferred_element_counts", None)
    if not isinstance(counts, dict):
        return False
    counts.clear()
    return True


def stubs_needed(site_paths: Sequence[str]) -> bool:
    """True when no analysed site-packages directory has torch: jedi then reads our stubs."""
    return not any((Path(p) / "torch").is_dir() for p in site_paths)


class JediResolver:
    """Answers "what is this?" at candidate positions.

    One ``jedi.Script`` of the text answers every candidate of a ``resolve`` call, its
    inference budget renewed before each question (``_fresh_budget``), so the library's
    modules are inferred once per call instead of once per candidate. Answers are cached by
    what they depend on (the file's module-level statements and the enclosing top-level
    statement), so an edit re-asks only about the code it touched. jedi is not thread-safe:
    calls are serialised by a lock.
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        project_root: Path | None = None,
        site_paths: Sequence[str] | None = None,
        use_stubs: bool | None = None,
        cache_size: int = 50_000,
    ) -> None:
        self.kb = kb
        self.project_root = project_root or Path.cwd()
        self.site_paths = list(site_paths) if site_paths is not None else site_paths_of(None)
        self.use_stubs = stubs_needed(self.site_paths) if use_stubs is None else use_stubs
        self._environment: Environment | None = None
        self._project: jedi.Project | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[object, ...], Answer] = OrderedDict()
        self._cache_size = cache_size
        self.failure: str | None = None
        self.requests = 0  # jedi requests made (cache misses), for tests and benchmarks
        # Called on the warm-up's thread once the warm-up is done (the server tunes the
        # garbage collector there); errors are logged, never raised.
        self.after_warm_up: Callable[[], None] | None = None

    @property
    def added_sys_path(self) -> list[str]:
        return [*self.site_paths, *([str(STUBS_DIR)] if self.use_stubs else [])]

    def _setup(self) -> tuple[Environment, jedi.Project]:
        if self._environment is None or self._project is None:
            # Searching every file of the project for calls of a function (to guess its
            # parameters) costs seconds in a big workspace; calls in the same file still count.
            jedi.settings.dynamic_params_for_other_modules = False
            self._environment = _StandardLibraryEnvironment(sys.executable)
            self._project = jedi.Project(
                self.project_root,
                added_sys_path=self.added_sys_path,
                load_unsafe_extensions=False,
                smart_sys_path=True,
            )
        return self._environment, self._project

    def _script(self, text: str, path: Path | None) -> jedi.Script:
        environment, project = self._setup()
        return jedi.Script(text, path=path, project=project, environment=environment)

    def _definitions(
        self,
        text: str,
        path: Path | None,
        line: int,
        column: int,
        script: jedi.Script | None = None,
    ) -> list[str]:
        """jedi's definition names at (0-based line, column), sorted and de-duplicated.

        ``script`` is a Script of ``text`` shared by several candidates (see ``resolve``);
        without one, a fresh Script answers.
        """
        if script is None or not _fresh_budget(script):
            script = self._script(text, path)
        names: list[Any] = script.goto(line + 1, column, follow_imports=True)  # 1-based lines
        found = {n.full_name for n in names if n.full_name}
        if names and not found:  # found, but nameless (``dict.values``): the type says more
            found = {n.full_name for n in script.infer(line + 1, column) if n.full_name}
        return sorted(found)

    def answer(self, definitions: Sequence[str]) -> Answer:
        """Map jedi's definition names to one of our public names, if they agree on one."""
        if not definitions:
            return UNKNOWN_ANSWER
        public = {public_name(d, self.kb) for d in definitions}
        known = sorted(n for n in public if n)
        if not known:
            return NOT_OURS
        if len(known) == 1 and None not in public:
            return Answer(known[0], ours=True)
        return UNKNOWN_ANSWER  # several APIs, or ours and something else: not certain

    def resolve(
        self,
        text: str,
        path: Path | None,
        candidates: Sequence[Candidate],
        context: Callable[[Candidate], tuple[object, ...]] | None = None,
        deadline: float | None = None,
        ask: Callable[[Candidate], bool] | None = None,
    ) -> list[Reference]:
        """References for the candidates jedi is sure about, in the candidates' order.

        Member candidates jedi cannot place keep their name-only guess (``POSSIBLE``);
        members of something else (a numpy array, a dict, the project's class) are dropped.
        ``context`` gives the cache key of a candidate's surroundings; ``deadline`` (a
        ``time.monotonic()`` value) stops asking jedi, leaving the rest as guesses; so does
        ``ask`` for the candidates it says no to, unless their answer is in the cache.
        """
        references: list[Reference] = []
        shared: list[jedi.Script] = []  # one Script of ``text`` for every candidate jedi is asked
        with self._lock:
            for candidate in candidates:
                key = (
                    (str(path), *context(candidate), candidate.member)
                    if context is not None
                    else None
                )
                found = self._cache.get(key) if key is not None else None
                if found is not None and key is not None:
                    self._cache.move_to_end(key)
                elif ask is not None and not ask(candidate):
                    found = UNKNOWN_ANSWER
                elif deadline is not None and time.monotonic() > deadline:
                    self._fail_once("jedi took too long; the rest of this file stays unrefined")
                    found = UNKNOWN_ANSWER
                else:
                    found = self._jedi_answer(text, path, candidate, shared)
                    if key is not None and found is not None:
                        self._remember(key, found)
                reference = self._reference(candidate, found or UNKNOWN_ANSWER)
                if reference is not None:
                    references.append(reference)
        return references

    def _jedi_answer(
        self, text: str, path: Path | None, candidate: Candidate, shared: list[jedi.Script]
    ) -> Answer | None:
        self.requests += 1
        try:
            if not shared:
                shared.append(self._script(text, path))
            definitions = self._definitions(
                text, path, candidate.position.line, candidate.position.column, shared[0]
            )
        except Exception as error:  # jedi can fail in many ways on odd code; never fatal
            shared.clear()  # the next candidate gets a Script in a known state
            self._fail_once(f"jedi failed: {type(error).__name__}: {error}")
            return None
        return self.answer(definitions)

    def _remember(self, key: tuple[object, ...], answer: Answer) -> None:
        self._cache[key] = answer
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _fail_once(self, message: str) -> None:
        if self.failure is None:
            self.failure = message
            log.warning("%s (further jedi failures are not logged)", message)

    def _reference(self, candidate: Candidate, answer: Answer) -> Reference | None:
        if answer.ours and answer.name is not None:
            name = answer.name
            confidence, resolution = Confidence.CONFIRMED, Resolution.JEDI
        elif answer.ours is None and candidate.guess is not None:
            name = candidate.guess
            confidence, resolution = Confidence.POSSIBLE, Resolution.NAME
        else:
            return None
        framework = Framework.TORCH if self.kb.torch_id(name) else Framework.MINDSPORE
        return Reference(
            name,
            framework,
            candidate.node_span,
            resolution,
            call=candidate.call,
            kind=ReferenceKind.MEMBER if candidate.member else ReferenceKind.NAME,
            confidence=confidence,
            receiver=candidate.receiver,
        )

    def warm_up(self) -> None:
        """Pay jedi's first-use cost (environment, torch's stubs) before a user waits for it."""
        text = (
            "import torch\nimport torch.nn as nn\ntorch.zeros(1).view\nnn.Linear(1, 1).parameters\n"
        )
        try:
            with self._lock:
                script = self._script(text, None)
                self._definitions(text, None, 2, 15, script)
                self._definitions(text, None, 3, 17, script)
        except Exception as error:
            log.info("jedi warm-up failed: %s", error)
        if self.after_warm_up is not None:
            try:
                self.after_warm_up()
            except Exception as error:
                log.info("after the jedi warm-up: %s", error)

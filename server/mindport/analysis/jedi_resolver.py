"""Resolve the names the static pass could not, with jedi, without running anyone's code.

jedi imports *compiled* modules for real to introspect them (in a helper process), and
importing ``torch._C`` runs ``torch/__init__.py``. jedi only does that for extensions found
on its environment's own ``sys.path``; with ``load_unsafe_extensions=False`` anything
reached through ``added_sys_path`` is read from ``.py``/``.pyi`` files only. So jedi gets an
environment whose path is the standard library alone, and the analysed environment's
site-packages come in through ``added_sys_path``. ``jedi.Interpreter`` is never used.

That helper process is started isolated and without ``site`` (``python -I -S``): otherwise
``PYTHONPATH`` and the paths that ``.pth`` files add (``pip install -e .``) would be on its
own path, and the import hooks that editable installs register would find the project's
packages whatever the path says, so a package with a compiled submodule would be imported
for real. The directories those routes add are read instead: ``PYTHONPATH``, the path lines
of ``.pth`` files and the mappings of editable-install finders become ``added_sys_path``
entries, found without running anything (``readable_paths``).

When torch is installed nowhere jedi can see, the stubs MindPort ships (``mindport.stubs``)
are added after the site-packages, so tensor receivers are still inferred.
"""

from __future__ import annotations

import ast
import json
import logging
import os
import subprocess
import sys
import sysconfig
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mindport.analysis.findings import Confidence
from mindport.analysis.jedi_names import public_name
from mindport.analysis.references import Reference, ReferenceKind, Resolution
from mindport.analysis.static_pass import Candidate
from mindport.kb.loader import KnowledgeBase
from mindport.kb.model import Framework
from mindport.stubs import STUBS_DIR

if TYPE_CHECKING:
    import jedi
    from jedi.api.environment import Environment

log = logging.getLogger(__name__)

_SITE_MARKERS = ("site-packages", "dist-packages")
JEDI_TIMEOUT = "jedi took too long"  # the kind of failure counted when the deadline passes


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
    """The directories jedi reads packages from (never runs them) for ``interpreter``'s
    environment (default: this process's): its site-packages, the directories their
    ``.pth`` files add, and, for this process, ``PYTHONPATH``.

    The interpreter runs with ``-I -S`` so that neither the user's environment variables nor
    ``.pth`` files in its site-packages execute anything.
    """
    if not interpreter:
        sites = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
        sites.update(p for p in sys.path if any(m in p for m in _SITE_MARKERS))
        extra = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        return readable_paths(sorted(sites), [str(Path(p).absolute()) for p in extra])
    completed = subprocess.run(
        [interpreter, "-I", "-S", "-c", _SITE_PATHS_SCRIPT],
        capture_output=True,
        text=True,
        timeout=15,
        check=True,
    )
    found = json.loads(completed.stdout)
    return readable_paths(sorted(set(found)))


def readable_paths(sites: Sequence[str], extra: Sequence[str] = ()) -> list[str]:
    """``sites``, then what their ``.pth`` files add (read, never run), then ``extra``:
    existing directories only, each once."""
    ordered: dict[str, None] = {}
    for site in sites:
        if Path(site).is_dir():
            ordered[site] = None
    for site in list(ordered):
        for added in pth_paths(Path(site)):
            ordered.setdefault(added, None)
    for path in extra:
        if Path(path).is_dir():
            ordered.setdefault(path, None)
    return list(ordered)


def pth_paths(site: Path) -> Iterator[str]:
    """The directories ``site``'s ``.pth`` files put on ``sys.path``, found without running them.

    A path line is a directory (relative to ``site``), as ``site.addpackage`` reads it. An
    ``import`` line is code and is not run; when it installs an editable-install finder
    (setuptools' ``__editable___*_finder``), the finder module's ``MAPPING`` literal says
    where each package lives, and the folder holding the package is read instead.
    """
    try:
        names = sorted(p.name for p in site.iterdir() if p.suffix == ".pth")
    except OSError:
        return
    for name in names:
        try:
            lines = (site / name).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith(("import ", "import\t")):
                yield from _editable_finder_paths(site, line)
                continue
            folder = site / line
            if folder.is_dir():
                yield str(folder.resolve())


def _editable_finder_paths(site: Path, line: str) -> Iterator[str]:
    module = line.split(None, 1)[1].split(";", 1)[0].strip()
    if not module.startswith("__editable__") or not module.isidentifier():
        return
    finder = site / f"{module}.py"
    try:
        tree = ast.parse(finder.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return
    for statement in tree.body:
        target: ast.expr
        value: ast.expr | None
        if isinstance(statement, ast.AnnAssign):
            target, value = statement.target, statement.value
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        else:
            continue
        if not (isinstance(target, ast.Name) and target.id == "MAPPING") or value is None:
            continue
        try:
            mapping = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return
        if not isinstance(mapping, dict):
            return
        for package, location in mapping.items():
            if isinstance(location, str) and Path(location).stem == package:
                parent = Path(location).parent
                if parent.is_dir():
                    yield str(parent)


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


_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git", ".hg", "tox.ini")


def project_root_of(path: Path) -> Path:
    """The project a file belongs to: the nearest folder up with a project marker
    (``pyproject.toml``, ``setup.py``, ``setup.cfg``, ``.git``...), else the folder above the
    outermost package (``__init__.py``) holding the file, else the file's folder."""
    directory = path.absolute().parent
    for folder in (directory, *directory.parents):
        if any((folder / marker).exists() for marker in _PROJECT_MARKERS):
            return folder
    top = directory
    while (top / "__init__.py").is_file() and top.parent != top:
        top = top.parent
    return top


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
        root_per_file: bool = False,
    ) -> None:
        self.kb = kb
        self.project_root = project_root or Path.cwd()
        # The CLI: each file is resolved against its own project (``project_root_of``), so
        # the answers do not depend on the folder MindPort runs in.
        self.root_per_file = root_per_file
        self.site_paths = list(site_paths) if site_paths is not None else site_paths_of(None)
        self.use_stubs = stubs_needed(self.site_paths) if use_stubs is None else use_stubs
        self._environment: Environment | None = None
        self._projects: OrderedDict[Path, jedi.Project] = OrderedDict()
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[object, ...], Answer] = OrderedDict()
        self._cache_size = cache_size
        self.failure: str | None = None  # the first failure, logged once
        self.failures: Counter[str] = Counter()  # every failure, by kind
        self.requests = 0  # jedi requests made (cache misses), for tests and benchmarks
        # Called on the warm-up's thread once the warm-up is done (the server tunes the
        # garbage collector there); errors are logged, never raised.
        self.after_warm_up: Callable[[], None] | None = None

    @property
    def added_sys_path(self) -> list[str]:
        return [*self.site_paths, *([str(STUBS_DIR)] if self.use_stubs else [])]

    @property
    def failure_count(self) -> int:
        return sum(self.failures.values())

    def _setup(self, path: Path | None = None) -> tuple[Environment, jedi.Project]:
        # jedi is imported here, on the jedi thread, not with this module: the server's start
        # (and its first static diagnostics) does not wait for it.
        import jedi

        from mindport.analysis.jedi_environment import StandardLibraryEnvironment

        if self._environment is None:
            # Searching every file of the project for calls of a function (to guess its
            # parameters) costs seconds in a big workspace; calls in the same file still count.
            jedi.settings.dynamic_params_for_other_modules = False
            self._environment = StandardLibraryEnvironment(sys.executable)
        root = project_root_of(path) if self.root_per_file and path is not None else None
        root = root or self.project_root
        project = self._projects.get(root)
        if project is None:
            project = jedi.Project(
                root,
                added_sys_path=self.added_sys_path,
                load_unsafe_extensions=False,
                smart_sys_path=True,
            )
            self._projects[root] = project
            if len(self._projects) > 16:
                self._projects.popitem(last=False)
        else:
            self._projects.move_to_end(root)
        return self._environment, project

    def _script(self, text: str, path: Path | None) -> jedi.Script:
        import jedi

        environment, project = self._setup(path)
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
                    self._fail_once(
                        "jedi took too long; the rest of this file stays unrefined",
                        kind=JEDI_TIMEOUT,
                    )
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
            self._fail_once(
                f"jedi failed: {type(error).__name__}: {error}",
                kind=f"jedi failed ({type(error).__name__})",
            )
            return None
        return self.answer(definitions)

    def _remember(self, key: tuple[object, ...], answer: Answer) -> None:
        self._cache[key] = answer
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _fail_once(self, message: str, kind: str | None = None) -> None:
        """Count every failure (by kind, for the CLI's summary); log the first one."""
        self.failures[kind or message] += 1
        if self.failure is None:
            self.failure = message
            log.warning("%s (further jedi failures are counted, not logged)", message)

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

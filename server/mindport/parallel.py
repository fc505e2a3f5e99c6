"""``check`` and ``fix`` over many files: worker processes, the result cache, progress.

Each worker process builds its own knowledge base, analyser and jedi (jedi is neither
thread-safe nor cheap to share) and is replaced after ``RECYCLE_AFTER`` files, which bounds
the memory jedi's caches grow to. Results come back in the order the files were listed, as
they are ready, with at most a few files per worker in flight: output streams, and memory does
not grow with the size of the run. ``jobs=1`` runs in this process, with the same code.

A file's answer is read from the persistent cache (``mindport.cache``) when the file, the
settings, the knowledge base and MindPort are unchanged.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from mindport.analysis.findings import Finding
from mindport.kb.model import Locale
from mindport.settings import Settings

RECYCLE_AFTER = int(os.environ.get("MINDPORT_RECYCLE_AFTER", "200"))
IN_FLIGHT_PER_WORKER = 4


@dataclass(frozen=True)
class RunSpec:
    """What a worker needs to analyse files as the command line asked (picklable)."""

    mode: str = "check"  # "check" or "fix"
    unsafe: bool = False
    no_jedi: bool = False
    rules: Mapping[str, str] = field(default_factory=dict)
    locale: Locale | None = None
    target: str | None = None
    system_locale: Locale = "en"
    project_root: Path = field(default_factory=Path.cwd)
    cache_dir: Path | None = None  # None: no cache
    knowledge: Path | None = None  # None: the default knowledge base
    base: Settings | None = None  # settings under each project's (the editor's in the server)
    site_paths: tuple[str, ...] | None = None  # what jedi reads; None: this environment's
    # The parent's working directory and environment at the start of the run: workers start
    # from a server process that may be older (paths on the command line are relative to
    # this directory, and settings come from the environment).
    cwd: Path = field(default_factory=Path.cwd)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    parent: int = field(default_factory=os.getpid)  # workers stop when this process is gone


@dataclass(frozen=True)
class Outcome:
    """One file's answer, as small as the command needs (it crosses process boundaries)."""

    path: Path
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    syntax: tuple[int, str] | None = None  # the first syntax error: 0-based line, message
    text: str | None = None  # fix: the original text, when fixing changed it
    fixed: str | None = None  # fix: the fixed text, when it differs
    applied: int = 0  # fix: fixes applied
    remaining: tuple[Finding, ...] = ()  # fix: what is left in the fixed text
    cached: bool = False
    # Notebooks: the 1-based cell of each finding (lines and columns are the cell's own).
    cells: tuple[int, ...] = ()
    remaining_cells: tuple[int, ...] = ()
    failure: str | None = None  # jedi's stage ran out of time (exit 3); the findings stay
    jedi_failures: int = 0  # jedi requests that failed in this file


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# -- one process's work ----------------------------------------------------------------------


class Worker:
    """The analyser, jedi and cache of one process."""

    def __init__(self, spec: RunSpec) -> None:
        from mindport.analysis.engine import Analyzer
        from mindport.analysis.jedi_resolver import JediResolver
        from mindport.batch import Batch, Overrides
        from mindport.cache import ResultCache, environment_digest, knowledge_digest
        from mindport.kb.loader import load_knowledge

        self.spec = spec
        kb = load_knowledge(spec.knowledge)
        resolver = (
            None
            if spec.no_jedi
            else JediResolver(
                kb, project_root=spec.project_root, site_paths=spec.site_paths, root_per_file=True
            )
        )
        overrides = Overrides(locale=spec.locale, target=spec.target, rules=spec.rules)
        self.batch = Batch(Analyzer(kb, resolver), overrides, spec.system_locale, spec.base)
        self.cache = None
        if spec.cache_dir is not None:
            salt = [knowledge_digest(kb.root), "jedi" if resolver else "no-jedi"]
            if resolver is not None:
                salt.append(environment_digest(resolver.added_sys_path))
            self.cache = ResultCache(spec.cache_dir, salt)

    def _kind(self, path: Path) -> str:
        options = self.batch.options_for(path)
        rules = ",".join(f"{code}={level}" for code, level in sorted(options.rules.items()))
        unsafe = "-unsafe" if self.spec.unsafe else ""
        return f"{self.spec.mode}{unsafe}|{options.locale}|{options.target}|{rules}"

    def cached(self, path: Path) -> Outcome | None:
        """The cached answer for ``path`` (or its read error), without analysing anything."""
        from mindport.sources import SourceError, read_source

        if self.cache is None:
            return None
        try:
            text = read_source(path)
        except SourceError as error:
            return Outcome(path, error=str(error))
        return self._lookup(path, text, self.cache.key(path.resolve(), text, self._kind(path)))

    def _lookup(self, path: Path, text: str, key: str) -> Outcome | None:
        assert self.cache is not None
        data = self.cache.get(key)
        if data is None:
            return None
        try:
            return _outcome_from_data(path, text, data)
        except (KeyError, TypeError, ValueError, IndexError):
            return None  # a damaged entry: recompute

    def run(self, path: Path) -> Outcome:
        from mindport.sources import SourceError, read_source

        try:
            text = read_source(path)
        except SourceError as error:
            return Outcome(path, error=str(error))
        key = None
        if self.cache is not None:
            key = self.cache.key(path.resolve(), text, self._kind(path))
            hit = self._lookup(path, text, key)
            if hit is not None:
                return hit
        try:
            outcome = self._compute(path, text)
        except Exception as error:  # a bug of ours must not stop the other files
            import logging

            logging.getLogger("mindport").exception("analysing %s failed", path)
            return Outcome(
                path, error=f"internal error while analysing: {type(error).__name__}: {error}"
            )
        if self.cache is not None and key is not None:
            self.cache.put(key, _outcome_data(outcome))
        return outcome

    def _compute(self, path: Path, text: str) -> Outcome:
        if path.suffix == ".ipynb":
            return self._compute_notebook(path, text)
        return self._compute_python(path, text)

    def _compute_notebook(self, path: Path, raw: str) -> Outcome:
        from mindport import notebooks

        try:
            notebook = notebooks.load(raw)
        except notebooks.NotebookError as error:
            return Outcome(path, error=str(error))
        virtual = notebooks.notebook_text(notebook)
        outcome = self._compute_python(path, virtual.text)
        findings, cells = notebooks.cell_findings(outcome.findings, virtual)
        syntax = None
        if outcome.syntax is not None:
            where = virtual.locate(outcome.syntax[0])
            if where is not None:
                syntax = (where[1], f"{outcome.syntax[1]}, in cell {where[0] + 1}")
        if outcome.fixed is None:
            return replace(outcome, findings=findings, cells=cells, syntax=syntax)
        try:
            fixed = notebooks.write_back(raw, notebook, virtual, outcome.fixed)
        except notebooks.NotebookError as error:
            return Outcome(path, findings, cells=cells, error=str(error))
        after = notebooks.notebook_text(notebooks.load(fixed))
        remaining, remaining_cells = notebooks.cell_findings(outcome.remaining, after)
        return replace(
            outcome,
            findings=findings,
            cells=cells,
            syntax=syntax,
            text=raw,
            fixed=fixed,
            remaining=remaining,
            remaining_cells=remaining_cells,
        )

    def _compute_python(self, path: Path, text: str) -> Outcome:
        from mindport.analysis.jedi_resolver import JEDI_TIMEOUT
        from mindport.fixes.fix_all import fix_all, line_map
        from mindport.text import SourceLines

        options = self.batch.options_for(path)
        resolved = path.resolve()
        budget = self.batch.config_for(path).settings.limits_file_timeout_seconds
        resolver = self.batch.analyzer.resolver
        before = Counter(resolver.failures) if resolver is not None else Counter()
        within = self.batch.analyzer.analyze_within(
            text, resolved, options, budget=budget, name=str(path)
        )
        if within.analysis is None:  # the static pass ran out of time: exit 3 ("abandoned")
            exceeded = within.exceeded
            return Outcome(path, error=exceeded.message(options.locale) if exceeded else None)
        analysis = within.analysis
        problems = analysis.static.parsed.problems
        syntax = (problems[0].line, problems[0].message) if problems else None
        new = (Counter(resolver.failures) - before) if resolver is not None else Counter()
        failure = (
            f"jedi's stage was abandoned after {budget} s (limits.fileTimeoutSeconds); "
            "the static findings are kept"
            if new.get(JEDI_TIMEOUT)
            else None
        )
        jedi_failures = sum(v for k, v in new.items() if k != JEDI_TIMEOUT)
        if self.spec.mode != "fix":
            return Outcome(
                path,
                analysis.findings,
                syntax=syntax,
                failure=failure,
                jedi_failures=jedi_failures,
            )
        latest = [(text, analysis)]

        def findings_of(current: str) -> tuple[Finding, ...]:
            previous_text, previous = latest[0]
            if current != previous_text:  # a fix round changed a few lines: ask jedi about them
                lines = line_map(previous.static.parsed.lines.lines, SourceLines(current).lines)
                previous = self.batch.analyzer.reanalyze(
                    previous, current, resolved, options, lines
                )
                latest[0] = (current, previous)
            return previous.findings

        result = fix_all(text, findings_of, unsafe=self.spec.unsafe)
        remaining = findings_of(result.text)
        changed = result.text != text
        return Outcome(
            path,
            analysis.findings,
            syntax=syntax,
            text=text if changed else None,
            fixed=result.text if changed else None,
            applied=result.applied,
            remaining=remaining,
        )


def _outcome_data(outcome: Outcome) -> dict[str, Any]:
    from mindport.cache import finding_data

    return {
        "findings": [finding_data(f) for f in outcome.findings],
        "syntax": list(outcome.syntax) if outcome.syntax else None,
        "fixed": outcome.fixed,
        "applied": outcome.applied,
        "remaining": [finding_data(f) for f in outcome.remaining],
        "cells": list(outcome.cells),
        "remaining_cells": list(outcome.remaining_cells),
    }


def _outcome_from_data(path: Path, text: str, data: Mapping[str, Any]) -> Outcome:
    from mindport.cache import finding_from_data

    syntax = data.get("syntax")
    fixed = data.get("fixed")
    return Outcome(
        path,
        tuple(finding_from_data(f) for f in data["findings"]),
        syntax=(int(syntax[0]), str(syntax[1])) if syntax else None,
        text=text if fixed is not None else None,
        fixed=str(fixed) if fixed is not None else None,
        applied=int(data.get("applied", 0)),
        remaining=tuple(finding_from_data(f) for f in data.get("remaining", ())),
        cached=True,
        cells=tuple(int(n) for n in data.get("cells", ())),
        remaining_cells=tuple(int(n) for n in data.get("remaining_cells", ())),
    )


_WORKER: Worker | None = None


def _watch_parent(pid: int) -> None:
    """Exit when the process that started the run is gone (killed, say): a worker in the
    middle of a long file would otherwise finish it for nobody."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(3)
        except PermissionError:
            pass  # it exists


def _initialise(spec: RunSpec) -> None:
    global _WORKER
    os.environ.clear()
    os.environ.update(spec.environ)
    os.chdir(spec.cwd)
    import threading

    threading.Thread(target=_watch_parent, args=(spec.parent,), daemon=True).start()
    _WORKER = Worker(spec)


def _run_one(path: Path) -> Outcome:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.run(path)


# -- the pool -------------------------------------------------------------------------------------


def _context() -> Any:
    """``forkserver`` where there is one: workers start from a clean, pre-imported parent
    (forking this process could copy a lock held by another thread); ``spawn`` elsewhere."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["mindport.parallel", "mindport.analysis.engine"])
        return context
    return multiprocessing.get_context("spawn")


def run(spec: RunSpec, paths: Iterable[Path], jobs: int) -> Iterator[Outcome]:
    """Outcomes in the order of ``paths``, computed by ``jobs`` processes.

    Cached answers are read in this process, so an unchanged repository starts no worker.
    """
    local = Worker(spec)
    if jobs <= 1:
        for path in paths:
            yield local.run(path)
        return
    yield from _pooled(spec, local, paths, jobs)


def _pooled(spec: RunSpec, local: Worker, paths: Iterable[Path], jobs: int) -> Iterator[Outcome]:
    """Outcomes in listing order, with every worker busy meanwhile.

    Files are submitted while fewer than ``window`` are being computed, whether or not the
    file whose turn it is to be printed is done: before, a file was submitted only when one
    was printed, so a long file at the head of the order left the other workers idle once
    the few files behind it were done (timm's 4,000-line models among 300-line ones). Done
    answers wait in order, at most ``8 * window`` of them, so memory stays bounded.
    """
    window = jobs * IN_FLIGHT_PER_WORKER
    queue = deque(paths)
    pending: deque[tuple[Path, Future[Outcome] | Outcome]] = deque()
    pool: ProcessPoolExecutor | None = None

    def running() -> list[Future[Outcome]]:
        return [item for _, item in pending if isinstance(item, Future) and not item.done()]

    try:
        while queue or pending:
            busy = len(running())
            while queue and busy < window and len(pending) < 8 * window:
                path = queue.popleft()
                hit = local.cached(path)
                if hit is not None:
                    pending.append((path, hit))
                    continue
                if pool is None:
                    pool = _new_pool(spec, jobs)
                pending.append((path, pool.submit(_run_one, path)))
                busy += 1
            path, item = pending[0]
            if isinstance(item, Future) and not item.done():
                # Wait for any file, not only this one: a finished worker gets the next file.
                wait(running(), return_when=FIRST_COMPLETED)
                continue
            pending.popleft()
            if isinstance(item, Outcome):
                yield item
                continue
            try:
                yield item.result()
            except BrokenProcessPool:
                # A worker died (killed, out of memory): this file is reported, the files in
                # flight go back to the queue, and a new pool goes on with them.
                yield Outcome(path, error="internal error: the worker analysing it died")
                queue.extendleft(reversed([p for p, _ in pending]))
                pending.clear()
                assert pool is not None
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _new_pool(spec: RunSpec, jobs: int) -> ProcessPoolExecutor:
    options: dict[str, Any] = {
        "max_workers": jobs,
        "mp_context": _context(),
        "initializer": _initialise,
        "initargs": (spec,),
    }
    if sys.version_info >= (3, 11):  # Python 3.10 keeps its workers for the whole run
        options["max_tasks_per_child"] = RECYCLE_AFTER
    return ProcessPoolExecutor(**options)


# -- progress ----------------------------------------------------------------------------------


def progress_wanted(stream: IO[str], quiet: bool) -> bool:
    """A progress bar only for a person at a terminal: not piped, not in CI, not ``--quiet``."""
    if quiet or os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """``[#####.....] 120/304 files  12.3 s`` on one terminal line, redrawn at most 10 times a
    second, erased at the end so that findings and the summary are not mixed with it."""

    WIDTH = 30

    def __init__(self, total: int, stream: IO[str] | None = None, enabled: bool = True) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 1
        self.done = 0
        self._start = time.monotonic()
        self._drawn = 0.0

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn < 0.1 and self.done < self.total:
            return
        self._drawn = now
        filled = self.WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(
            f"\r[{bar}] {self.done}/{self.total} files  {now - self._start:.1f} s\x1b[K"
        )
        self.stream.flush()

    def clear(self) -> None:
        """Erase the bar (before printing a line, and at the end)."""
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = 0.0

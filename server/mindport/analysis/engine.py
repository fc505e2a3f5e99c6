"""One entry point for analysing a text: the static pass, then jedi, then the checks.

The static pass answers at once: names, aliases and members whose receiver type is certain
are ``CONFIRMED``; members on receivers of unknown type are candidates, reported as
``POSSIBLE`` name-only guesses until jedi has looked at them. ``refine`` asks jedi about the
open candidates (all of them, or first those in a range of lines, e.g. the visible part).

Budgets (``mindport.analysis.budget``): ``analyze_static(..., budget=s, name=file)`` raises
``BudgetExceeded`` when the static pass of that file takes longer than ``s`` seconds (it is
interrupted, nothing is kept); ``refine(..., budget=s)`` gives jedi ``s`` seconds, after which the
rest stays as the static pass's guesses. ``analyze_within`` runs both and returns a
``Budgeted`` outcome instead of raising: the analysis (``None`` if the static stage was
abandoned) and the ``BudgetExceeded`` that ended a stage, if any.
"""

from __future__ import annotations

import ast
import bisect
import gc
import hashlib
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mindport.analysis.budget import DEFAULT_FILE_SECONDS, BudgetExceeded, within_budget
from mindport.analysis.checks import AnalysisOptions, findings_for
from mindport.analysis.findings import Finding
from mindport.analysis.jedi_resolver import JediResolver
from mindport.analysis.references import Reference, ReferenceKind, Resolution
from mindport.analysis.static_pass import Candidate, StaticResult, run_static_pass
from mindport.analysis.syntax import parse_source
from mindport.kb.loader import KnowledgeBase
from mindport.text import Position

# jedi gets this long per refinement of one file before the rest stays as guesses.
JEDI_BUDGET_SECONDS = 60.0

__all__ = ["Analysis", "Analyzer", "BudgetExceeded", "Budgeted", "collector_paused"]


@dataclass(frozen=True)
class Analysis:
    static: StaticResult
    references: tuple[Reference, ...]
    findings: tuple[Finding, ...]
    refined: bool  # jedi has looked at every candidate
    open_candidates: tuple[Candidate, ...] = ()  # those jedi has not looked at yet
    answered: tuple[Reference, ...] = ()  # jedi's references for the candidates it answered

    def reference_at(self, position: Position) -> Reference | None:
        """The innermost reference covering the character at ``position``."""
        hits = [r for r in self.references if r.span.covers(position)]
        return min(
            hits,
            key=lambda r: (
                r.span.end.line - r.span.start.line,
                r.span.end.column - r.span.start.column,
            ),
            default=None,
        )


class _Context:
    """Cache keys for candidates: what jedi's answer depends on.

    That is the module-level code outside functions and classes (imports, assignments) and
    the top-level statement around the candidate, with the candidate's place in it. Editing
    one function leaves the keys of every other function unchanged.
    """

    def __init__(self, static: StaticResult) -> None:
        lines = static.parsed.lines
        self._starts: list[int] = []
        self._texts: list[str] = []
        header: list[str] = []
        for statement in static.parsed.tree.body:
            first = min(
                [statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", []))]
            )
            start, end = first - 1, (statement.end_lineno or statement.lineno)
            text = "".join(lines.line(i) for i in range(start, min(end, len(lines))))
            self._starts.append(start)
            self._texts.append(text)
            if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                header.append(text)
        self._header = _digest("".join(header))
        self._digests: dict[int, str] = {}

    def __call__(self, candidate: Candidate) -> tuple[object, ...]:
        line = candidate.position.line
        index = bisect.bisect_right(self._starts, line) - 1
        if index < 0:
            return (self._header, None, line, candidate.position.column)
        if index not in self._digests:
            self._digests[index] = _digest(self._texts[index])
        start = self._starts[index]
        return (self._header, self._digests[index], line - start, candidate.position.column)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of one static analysis.

    Parsing and walking a file allocates a few hundred thousand objects (the tree, scopes,
    references, findings) that either survive or are freed by reference counting; the
    collector finds nothing to collect among them, yet they made it run hundreds of times per
    1,000 lines and, now and then, through the whole heap (knowledge base, jedi's caches):
    0.3-0.4 s in the middle of an analysis in the language server. Paused, the static pass
    ran about a third faster, and the first collection afterwards takes 4-8 ms per 1,000
    lines. Nested and concurrent uses are harmless: the collector is enabled again only by
    the use that paused it, and never if someone else had disabled it.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class Analyzer:
    def __init__(self, kb: KnowledgeBase, resolver: JediResolver | None = None) -> None:
        self.kb = kb
        self.resolver = resolver

    def _finish(
        self,
        static: StaticResult,
        answered: Sequence[Reference],
        open_candidates: Sequence[Candidate],
        options: AnalysisOptions,
    ) -> Analysis:
        # Until jedi has answered, an open member candidate stays a name-only guess.
        waiting = {c.node_span for c in open_candidates}
        references = [
            r for r in static.references if r.resolution is not Resolution.NAME or r.span in waiting
        ]
        references.extend(answered)
        references.sort(key=lambda r: (r.span.start, r.span.end, r.name))
        checked = [r for r in references if r.kind is not ReferenceKind.INSTANCE]
        findings = findings_for(static, checked, self.kb, options)
        return Analysis(
            static,
            tuple(references),
            tuple(findings),
            refined=not open_candidates,
            open_candidates=tuple(open_candidates),
            answered=tuple(answered),
        )

    def analyze_static(
        self,
        text: str,
        options: AnalysisOptions,
        *,
        budget: float | None = None,
        name: str = "the document",
    ) -> Analysis:
        """Imports, plain names and certain receiver types: fast enough for every keystroke.

        With ``budget`` (seconds), raises ``BudgetExceeded("static analysis", name, budget)``
        when it takes longer.
        """
        with within_budget(budget, stage="static analysis", name=name), collector_paused():
            static = run_static_pass(parse_source(text), self.kb)
            candidates = static.candidates if self.resolver is not None else []
            return self._finish(static, [], candidates, options)

    def _static_then_jedi(
        self,
        text: str,
        options: AnalysisOptions,
        *,
        budget: float | None = None,
        name: str = "the document",
    ) -> tuple[Analysis, bool]:
        """The static pass alone, and whether jedi has candidates to look at.

        When it has, the findings are left empty: the caller asks jedi next, and the checks
        run once, on jedi's answers (they cost as much as the static pass itself on a large
        file; an editor wants the static findings first, a command line does not).
        """
        with within_budget(budget, stage="static analysis", name=name), collector_paused():
            static = run_static_pass(parse_source(text), self.kb)
            if self.resolver is None or not static.candidates:
                return self._finish(static, [], [], options), False
        pending = Analysis(static, (), (), refined=False, open_candidates=tuple(static.candidates))
        return pending, True

    def refine(
        self,
        analysis: Analysis,
        path: Path | None,
        options: AnalysisOptions,
        lines: tuple[int, int] | None = None,
        *,
        budget: float | None = None,
    ) -> Analysis:
        """Ask jedi about the open candidates (only those on ``lines``, 0-based half-open).

        jedi stops asking after ``budget`` seconds (default ``JEDI_BUDGET_SECONDS``); the
        candidates it did not answer stay the static pass's guesses.
        """
        if analysis.refined or self.resolver is None:
            return analysis
        static = analysis.static
        asked = [
            c
            for c in analysis.open_candidates
            if lines is None or lines[0] <= c.position.line < lines[1]
        ]
        if not asked:
            return analysis
        found = self.resolver.resolve(
            static.parsed.lines.text,
            path,
            asked,
            context=_Context(static),
            deadline=time.monotonic() + (budget or JEDI_BUDGET_SECONDS),
        )
        still_open = [c for c in analysis.open_candidates if c not in asked]
        return self._finish(static, [*analysis.answered, *found], still_open, options)

    def analyze(self, text: str, path: Path | None, options: AnalysisOptions) -> Analysis:
        static, ask_jedi = self._static_then_jedi(text, options)
        return self.refine(static, path, options) if ask_jedi else static

    def reanalyze(
        self,
        previous: Analysis,
        text: str,
        path: Path | None,
        options: AnalysisOptions,
        lines: tuple[dict[int, int], dict[int, int]],
    ) -> Analysis:
        """Analyse ``text``, an edit of ``previous``'s text (a round of fix-all), fully.

        jedi is asked only about candidates that are new. A candidate on an unchanged line
        gets the answer jedi gave for it in ``previous`` (the resolver's cache, keyed as it
        was then); so does one on a rewritten line (a fix renamed something on it) when that
        line had a candidate for the same member in the same order. Before, every fix round
        asked jedi about the whole file again (a fix's new ``import`` line changes every
        cache key), and a new jedi session costs seconds even for one question: fixing a
        file cost two to three full analyses instead of about one. A candidate that is new on
        a line of the previous text is not asked either (see ``ask``): it stays the static
        pass's name-only guess (MP401, off by default). The price: an answer is kept even
        when a change elsewhere alters what jedi would infer for that line, and members of
        values a fix converted are not asked about.

        ``lines`` maps lines of ``text`` to lines of ``previous``'s text: the unchanged ones,
        and the rewritten ones (``mindport.fixes.fix_all.line_map`` computes both).
        """
        static, ask_jedi = self._static_then_jedi(text, options)
        if not ask_jedi or self.resolver is None:
            return static
        old_context = _Context(previous.static)
        new_context = _Context(static.static)
        unchanged, rewritten = lines
        old_by_line: dict[int, list[Candidate]] = {}
        for old in previous.static.candidates:
            old_by_line.setdefault(old.position.line, []).append(old)
        new_by_line: dict[int, list[Candidate]] = {}
        for new in static.open_candidates:
            new_by_line.setdefault(new.position.line, []).append(new)

        def counterpart(candidate: Candidate) -> Candidate | None:
            line = candidate.position.line
            old_line = unchanged.get(line)
            if old_line is None:
                old_line = rewritten.get(line)
            if old_line is None:
                return None
            same = [c for c in new_by_line[line] if c.member == candidate.member]
            before = [c for c in old_by_line.get(old_line, ()) if c.member == candidate.member]
            if len(same) != len(before):
                return None
            return before[same.index(candidate)]

        def context(candidate: Candidate) -> tuple[object, ...]:
            old = counterpart(candidate)
            return new_context(candidate) if old is None else old_context(old)

        def ask(candidate: Candidate) -> bool:
            # Only candidates on lines the fixes wrote from nothing are asked. One on a line
            # that maps to the previous text was either a candidate then (its answer is in
            # the cache under its old key, unless jedi ran out of time then) or something
            # the static pass decided: a member whose receiver it typed as torch's, or one
            # of the file's own classes, until a fix converted that receiver (``x: Tensor``
            # -> ``mindspore.Tensor``, ``F.relu(x)`` -> ``mint.nn.functional.relu(x)``,
            # ``nn.Module`` -> ``nn.Cell``, ``.transpose`` -> ``.swapaxes``). Asking about
            # those cost a new jedi session over the whole text, as much as the first
            # analysis on a 20,000-line file, for members of code the fixes had written.
            line = candidate.position.line
            return line not in unchanged and line not in rewritten

        found = self.resolver.resolve(
            text,
            path,
            static.open_candidates,
            context=context,
            deadline=time.monotonic() + JEDI_BUDGET_SECONDS,
            ask=ask,
        )
        return self._finish(static.static, found, [], options)

    def analyze_within(
        self,
        text: str,
        path: Path | None,
        options: AnalysisOptions,
        *,
        budget: float | None = DEFAULT_FILE_SECONDS,
        name: str | None = None,
    ) -> Budgeted:
        """Both stages, each within ``budget`` seconds; never raises ``BudgetExceeded``.

        The static stage over budget: no analysis (``analysis is None``). jedi's stage is
        bounded by its deadline: what it has not answered in time stays a guess.
        """
        label = name or (str(path) if path is not None else "the document")
        try:
            static, ask_jedi = self._static_then_jedi(text, options, budget=budget, name=label)
        except BudgetExceeded as exceeded:
            return Budgeted(None, exceeded)
        if not ask_jedi:
            return Budgeted(static, None)
        return Budgeted(self.refine(static, path, options, budget=budget), None)


@dataclass(frozen=True)
class Budgeted:
    """What ``Analyzer.analyze_within`` got: the analysis, or the stage that ran out of time."""

    analysis: Analysis | None
    exceeded: BudgetExceeded | None

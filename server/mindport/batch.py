"""Analyse files on disk: the engine behind ``mindport check`` and ``mindport fix``.

Settings per file: defaults, then the nearest ``[tool.mindport]``, then the command line.
Directories are walked with the ``include``/``exclude`` globs; files named explicitly are
always analysed. A file that cannot be read is reported and the others go on.

One file at a time: ``Batch.check`` and ``Batch.fix`` return small, picklable results
(findings, no syntax tree), so the caller can write each one out and drop it (memory stays
bounded however many files there are) or hand them between processes and to a cache.
"""

from __future__ import annotations

import ast
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.analysis.findings import Finding
from mindport.analysis.jedi_resolver import JEDI_TIMEOUT
from mindport.fixes.fix_all import fix_all
from mindport.kb.model import Locale
from mindport.project_config import ProjectConfig, find_project_config, is_included
from mindport.settings import Settings
from mindport.sources import (
    SourceError,
    SourceFile,
    WriteError,
    decode_source,
    detect_encoding,
    encode_source,
    python_files,
    read_file,
    write_in_place,
)

log = logging.getLogger("mindport")


@dataclass(frozen=True)
class Overrides:
    """What the command line says, on top of the project's settings."""

    locale: Locale | None = None
    target: str | None = None
    rules: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FileResult:
    """What analysing one file gave. Exit codes follow from it: ``error`` is 2 (the file
    could not be read), ``failure`` is 3 (an internal error or a time budget ran out; the
    findings may be incomplete), findings are 1."""

    path: Path
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    failure: str | None = None
    warnings: tuple[str, ...] = ()  # e.g. a syntax error: the rest of the file was checked
    jedi_failures: int = 0  # jedi requests that failed (those members stay name-only guesses)
    does_not_parse: str | None = None  # the first syntax error, "line N: message"


@dataclass(frozen=True)
class FixResult:
    """``fix`` of one file: what it had, what was done, what is left."""

    result: FileResult  # the findings left in the fixed text (all of them when not fixed)
    before: tuple[Finding, ...] = ()  # the findings of the file as it was
    source: SourceFile | None = None
    fixed: str | None = None  # the fixed text; None when nothing changed or not fixed
    applied: int = 0
    refused: str | None = None  # why the file was left untouched (it does not parse)


class Batch:
    def __init__(
        self,
        analyzer: Analyzer,
        overrides: Overrides,
        system_locale: Locale,
        base: Settings | None = None,  # under the projects' settings (the editor's, in the server)
        on_problem: Callable[[str], None] | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.overrides = overrides
        self.system_locale = system_locale
        self.base = base or Settings()
        self._configs: dict[Path, ProjectConfig] = {}
        self.problems: list[str] = []  # configuration problems, each once
        # Told about each configuration problem as soon as it is found (before the findings
        # of the first file it applies to).
        self.on_problem = on_problem

    def config_for(self, path: Path) -> ProjectConfig:
        directory = path.resolve().parent
        config = self._configs.get(directory)
        if config is None:
            config = find_project_config(directory, self.base)
            self._configs[directory] = config
            for problem in config.problems:
                if problem not in self.problems:
                    self.problems.append(problem)
                    if self.on_problem is not None:
                        self.on_problem(problem)
        return config

    def options_for(self, path: Path) -> AnalysisOptions:
        settings = self.config_for(path).settings
        locale = self.overrides.locale or (
            self.system_locale
            if settings.locale == "auto"
            else ("zh" if settings.locale.startswith("zh") else "en")
        )
        rules = {**settings.rules, **self.overrides.rules}
        return AnalysisOptions(
            locale=locale,
            target=self.overrides.target or settings.target,
            rules=rules,
            devices=tuple(settings.devices),
        )

    def files(self, roots: list[Path]) -> Iterator[Path | FileResult]:
        """Files to analyse, or a ``FileResult`` error for a root that does not exist."""
        for root in roots:
            if not root.exists():
                yield FileResult(root, error="no such file or directory")
                continue
            if not root.is_dir():  # named explicitly: analysed (or refused, if not a file)
                self.config_for(root)
                yield root
                continue
            self.config_for(root / "__init__.py")
            for path in python_files(root):
                config = self.config_for(path)
                if is_included(path, config.root or root, config.settings):
                    yield path

    def _run(self, path: Path, text: str, options: AnalysisOptions) -> FileResult:
        """Analyse ``text`` as ``path`` within the project's time budget per file
        (``limits.fileTimeoutSeconds``): a static pass over budget gives no findings, a jedi
        stage over budget keeps the static findings; either is a ``failure`` (exit 3)."""
        resolver = self.analyzer.resolver
        failures_before = Counter(resolver.failures) if resolver is not None else Counter()
        budget = self.config_for(path).settings.limits_file_timeout_seconds
        try:
            outcome = self.analyzer.analyze_within(
                text, path.resolve(), options, budget=budget, name=str(path)
            )
        except Exception as error:  # a bug of ours must not stop the other files
            log.debug("analysing %s failed", path, exc_info=True)
            return FileResult(path, failure=_failure_message(error))
        analysis = outcome.analysis
        if analysis is None:
            exceeded = outcome.exceeded
            return FileResult(path, failure=exceeded.message(options.locale) if exceeded else None)
        new = (Counter(resolver.failures) - failures_before) if resolver is not None else Counter()
        failure = None
        if new.get(JEDI_TIMEOUT):
            failure = (
                f"jedi 在 {budget} 秒内未完成,已放弃(limits.fileTimeoutSeconds);保留静态分析结果"
                if options.locale == "zh"
                else f"jedi's stage was abandoned after {budget} s (limits.fileTimeoutSeconds); "
                "the static findings are kept"
            )
        problems = analysis.static.parsed.problems
        first = f"line {problems[0].line + 1}: {problems[0].message}" if problems else None
        warnings = (f"syntax error ({first}); checked the rest",) if first else ()
        return FileResult(
            path,
            analysis.findings,
            failure=failure,
            warnings=warnings,
            jedi_failures=sum(v for k, v in new.items() if k != JEDI_TIMEOUT),
            does_not_parse=first,
        )

    def _read(self, path: Path) -> SourceFile:
        return read_file(path, limit=self.config_for(path).settings.limits_max_file_bytes)

    def check(self, path: Path) -> FileResult:
        try:
            source = self._read(path)
        except SourceError as error:
            return FileResult(path, error=str(error))
        return self._run(path, source.text, self.options_for(path))

    def check_text(self, text: str, path: Path) -> FileResult:
        """A text that is not on disk (stdin), analysed as if it were ``path``."""
        return self._run(path, text, self.options_for(path))

    def fix(self, path: Path, *, unsafe: bool) -> FixResult:
        try:
            source = self._read(path)
        except SourceError as error:
            return FixResult(FileResult(path, error=str(error)))
        return self.fix_source(source, path, unsafe=unsafe)

    def fix_source(self, source: SourceFile, path: Path, *, unsafe: bool) -> FixResult:
        options = self.options_for(path)
        first = self._run(path, source.text, options)
        if first.error or first.failure:
            return FixResult(first, source=source)
        if first.does_not_parse:
            refused = f"not fixed: it does not parse ({first.does_not_parse})"
            return FixResult(first, first.findings, source, refused=refused)
        last: dict[str, FileResult] = {source.text: first}

        def findings_of(text: str) -> tuple[Finding, ...]:
            if text not in last:
                last.clear()
                last[text] = self._run(path, text, options)
            found = last[text]
            if found.failure:
                raise _Stop(found.failure)
            return found.findings

        try:
            fixed = fix_all(source.text, findings_of, unsafe=unsafe)
        except _Stop as stop:
            return FixResult(replace(first, failure=str(stop)), first.findings, source)
        except Exception as error:
            log.debug("fixing %s failed", path, exc_info=True)
            failure = _failure_message(error)
            return FixResult(replace(first, failure=failure), first.findings, source)
        if fixed.text == source.text:
            return FixResult(first, first.findings, source)
        problem = _parse_problem(fixed.text)
        if problem is not None:  # a bug of ours: never write it
            failure = f"not fixed: the fixed text would not parse ({problem}); please report this"
            return FixResult(replace(first, failure=failure), first.findings, source)
        after = last.get(fixed.text) or self._run(path, fixed.text, options)
        after = replace(after, jedi_failures=after.jedi_failures + first.jedi_failures)
        return FixResult(after, first.findings, source, fixed.text, fixed.applied)

    def write(self, outcome: FixResult) -> None:
        """Write a fixed file in place (see ``sources.write_in_place``); raises ``WriteError``."""
        if outcome.fixed is None or outcome.source is None:
            return
        data = encode_source(outcome.fixed, outcome.source.encoding)
        write_in_place(outcome.result.path, data, expected=outcome.source.data)


class _Stop(Exception):
    """A re-analysis during fixing failed: the file is left as it was."""


def _parse_problem(text: str) -> str | None:
    try:
        ast.parse(text)
    except SyntaxError as error:
        return f"line {error.lineno}: {error.msg}"
    except (ValueError, RecursionError, MemoryError) as error:
        return str(error)
    return None


def _failure_message(error: Exception) -> str:
    if type(error).__name__ == "BudgetExceeded":
        return str(error)
    return f"internal error while analysing: {type(error).__name__}: {error}"


def source_from_bytes(data: bytes) -> SourceFile:
    """Text given on stdin, decoded as a file on disk would be (raises ``SourceError``)."""
    return SourceFile(data, decode_source(data), detect_encoding(data))


__all__ = [
    "Batch",
    "FileResult",
    "FixResult",
    "Overrides",
    "SourceError",
    "WriteError",
    "source_from_bytes",
]

"""Analyse files on disk: the engine behind ``mindport check`` and ``mindport fix``.

Settings per file: defaults, then the nearest ``[tool.mindport]``, then the command line.
Directories are walked with the ``include``/``exclude`` globs; files named explicitly are
always analysed. A file that cannot be read is reported and the others go on.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analysis, Analyzer
from mindport.analysis.findings import Finding
from mindport.fixes.fix_all import FixAllResult, fix_all
from mindport.kb.model import Locale
from mindport.project_config import ProjectConfig, find_project_config, is_included
from mindport.settings import Settings
from mindport.sources import SourceError, file_encoding, python_files, read_source

log = logging.getLogger("mindport")


@dataclass(frozen=True)
class Overrides:
    """What the command line says, on top of the project's settings."""

    locale: Locale | None = None
    target: str | None = None
    rules: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FileResult:
    path: Path
    text: str | None = None
    analysis: Analysis | None = None
    error: str | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.analysis.findings if self.analysis is not None else ()


class Batch:
    def __init__(
        self,
        analyzer: Analyzer,
        overrides: Overrides,
        system_locale: Locale,
        base: Settings | None = None,  # under the projects' settings (the editor's, in the server)
    ) -> None:
        self.analyzer = analyzer
        self.overrides = overrides
        self.system_locale = system_locale
        self.base = base or Settings()
        self._configs: dict[Path, ProjectConfig] = {}
        self.problems: list[str] = []

    def config_for(self, path: Path) -> ProjectConfig:
        directory = path.resolve().parent
        config = self._configs.get(directory)
        if config is None:
            config = find_project_config(directory, self.base)
            self._configs[directory] = config
            self.problems.extend(p for p in config.problems if p not in self.problems)
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
            locale=locale, target=self.overrides.target or settings.target, rules=rules
        )

    def files(self, roots: list[Path]) -> Iterator[Path | FileResult]:
        """Files to analyse, or a ``FileResult`` error for a root that does not exist."""
        for root in roots:
            if not root.exists():
                yield FileResult(root, error="no such file or directory")
                continue
            if root.is_file():
                yield root
                continue
            for path in python_files(root):
                config = self.config_for(path)
                if is_included(path, config.root or root, config.settings):
                    yield path

    def analyse(self, path: Path) -> FileResult:
        try:
            text = read_source(path)
        except SourceError as error:
            return FileResult(path, error=str(error))
        try:
            analysis = self.analyzer.analyze(text, path.resolve(), self.options_for(path))
        except Exception as error:  # a bug of ours must not stop the other files
            log.exception("analysing %s failed", path)
            return FileResult(
                path, text, error=f"internal error while analysing: {type(error).__name__}: {error}"
            )
        return FileResult(path, text, analysis)

    def fix(self, path: Path, *, unsafe: bool) -> tuple[FileResult, FixAllResult | None]:
        result = self.analyse(path)
        if result.text is None or result.analysis is None:
            return result, None
        options = self.options_for(path)
        resolved = path.resolve()
        fixed = fix_all(
            result.text,
            lambda text: self.analyzer.analyze(text, resolved, options).findings,
            unsafe=unsafe,
        )
        return result, fixed


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path``'s content in one step: a crash leaves the old file or the new one."""
    data = text.encode(file_encoding(path))
    mode = path.stat().st_mode
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".mindport", dir=path.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise

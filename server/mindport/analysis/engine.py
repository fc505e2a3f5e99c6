"""One entry point for analysing a text: the static pass, then jedi, then the checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mindport.analysis.checks import AnalysisOptions, findings_for
from mindport.analysis.findings import Finding
from mindport.analysis.jedi_resolver import JediResolver
from mindport.analysis.references import Reference
from mindport.analysis.static_pass import StaticResult, run_static_pass
from mindport.analysis.syntax import parse_source
from mindport.kb.loader import KnowledgeBase
from mindport.text import Position


@dataclass(frozen=True)
class Analysis:
    static: StaticResult
    references: tuple[Reference, ...]
    findings: tuple[Finding, ...]
    refined: bool  # jedi has looked at the candidates

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


class Analyzer:
    def __init__(self, kb: KnowledgeBase, resolver: JediResolver | None = None) -> None:
        self.kb = kb
        self.resolver = resolver

    def _finish(
        self,
        static: StaticResult,
        references: list[Reference],
        options: AnalysisOptions,
        refined: bool,
    ) -> Analysis:
        findings = findings_for(static, references, self.kb, options)
        return Analysis(static, tuple(references), tuple(findings), refined)

    def analyze_static(self, text: str, options: AnalysisOptions) -> Analysis:
        """Imports and plain names only: fast enough to run on every keystroke."""
        static = run_static_pass(parse_source(text), self.kb)
        return self._finish(
            static,
            list(static.references),
            options,
            refined=self.resolver is None or not static.candidates,
        )

    def refine(self, analysis: Analysis, path: Path | None, options: AnalysisOptions) -> Analysis:
        """Ask jedi about the candidates the static pass left open."""
        if analysis.refined or self.resolver is None:
            return analysis
        static = analysis.static
        found = self.resolver.resolve(static.parsed.lines.text, path, static.candidates)
        return self._finish(static, [*static.references, *found], options, refined=True)

    def analyze(self, text: str, path: Path | None, options: AnalysisOptions) -> Analysis:
        return self.refine(self.analyze_static(text, options), path, options)

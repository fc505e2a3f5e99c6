"""Output formats of ``mindport check``: text, JSON, SARIF 2.1.0 and GitHub annotations.

Lines are 1-based everywhere here; columns are 1-based code points (SARIF is told so with
``columnKind``, whose default would be UTF-16 code units).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from mindport import __version__
from mindport.analysis.findings import Finding, Severity
from mindport.analysis.rules import RULES

FORMATS = ("text", "json", "sarif", "github")


class FileResult(Protocol):
    """One file's findings, or why it has none (``batch.FileResult``, ``parallel.Outcome``)."""

    @property
    def path(self) -> Path: ...

    @property
    def findings(self) -> Sequence[Finding]: ...

    @property
    def error(self) -> str | None: ...


_SARIF_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}
_GITHUB_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "notice",
    Severity.HINT: "notice",
}


def _one_line(message: str) -> str:
    return " ".join(message.split("\n"))


def _cells(result: FileResult) -> Sequence[int]:
    """Notebooks: the 1-based cell of each finding (``parallel.Outcome.cells``), else empty."""
    cells = getattr(result, "cells", ())
    return cells if len(cells) == len(result.findings) else ()


def _where(result: FileResult) -> list[str]:
    """``path:`` or, in a notebook, ``path:cell N:`` for each finding."""
    cells = _cells(result)
    if not cells:
        return [f"{result.path}:"] * len(result.findings)
    return [f"{result.path}:cell {cell}:" for cell in cells]


def text_lines(result: FileResult) -> list[str]:
    return [
        f"{where}{f.span.start.line + 1}:{f.span.start.column + 1}: {f.code} {_one_line(f.message)}"
        for where, f in zip(_where(result), result.findings, strict=True)
    ]


def _finding_json(path: Path, finding: Finding) -> dict[str, Any]:
    return {
        "path": str(path),
        "line": finding.span.start.line + 1,
        "column": finding.span.start.column + 1,
        "end_line": finding.span.end.line + 1,
        "end_column": finding.span.end.column + 1,
        "code": finding.code,
        "severity": finding.severity.name.lower(),
        "message": finding.message,
        "torch_api": finding.torch_api,
        "mindspore_api": finding.mindspore_api,
        "confidence": finding.confidence.value,
        "fix": None
        if finding.fix is None
        else {
            "title": finding.fix.title,
            "safe": finding.fix.safe,
            "edits": [
                {
                    "start": [e.span.start.line + 1, e.span.start.column + 1],
                    "end": [e.span.end.line + 1, e.span.end.column + 1],
                    "new_text": e.new_text,
                }
                for e in finding.fix.edits
            ],
        },
    }


def _findings_json(result: FileResult) -> list[dict[str, Any]]:
    items = [_finding_json(result.path, f) for f in result.findings]
    for item, cell in zip(items, _cells(result), strict=False):
        item["cell"] = cell  # lines and columns count within the notebook's cell
    return items


def json_report(results: Sequence[FileResult]) -> str:
    data = {
        "tool": "mindport",
        "version": __version__,
        "files": [str(r.path) for r in results if not r.error],  # scanned (for merged reports)
        "findings": [item for r in results for item in _findings_json(r)],
        "errors": [{"path": str(r.path), "message": r.error} for r in results if r.error],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _artifact_uri(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_uri()


def sarif_report(results: Sequence[FileResult]) -> str:
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary.en},
            "helpUri": rule.url,
            "defaultConfiguration": {
                "level": _SARIF_LEVEL[rule.severity] if rule.enabled else "none"
            },
        }
        for rule in RULES.values()
    ]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    sarif_results = []
    for result in results:
        for finding in result.findings:
            item: dict[str, Any] = {
                "ruleId": finding.code,
                "level": _SARIF_LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _artifact_uri(result.path)},
                            "region": {
                                "startLine": finding.span.start.line + 1,
                                "startColumn": finding.span.start.column + 1,
                                "endLine": finding.span.end.line + 1,
                                "endColumn": finding.span.end.column + 1,
                            },
                        }
                    }
                ],
            }
            if finding.code in index:
                item["ruleIndex"] = index[finding.code]
            sarif_results.append(item)
    errors = [r for r in results if r.error]
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "MindPort",
                        "version": __version__,
                        "informationUri": "https://github.com/mindport/mindport",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
                "invocations": [
                    {
                        "executionSuccessful": not errors,
                        "toolExecutionNotifications": [
                            {
                                "level": "error",
                                "message": {"text": f"{r.path}: {r.error}"},
                            }
                            for r in errors
                        ],
                    }
                ],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(result: FileResult) -> list[str]:
    """GitHub Actions workflow commands: annotations on the pull request's diff."""
    lines = []
    for f in result.findings:
        properties = ",".join(
            [
                f"file={_escape_property(str(result.path))}",
                f"line={f.span.start.line + 1}",
                f"col={f.span.start.column + 1}",
                f"endLine={f.span.end.line + 1}",
                f"endColumn={f.span.end.column + 1}",
                f"title={_escape_property(f'MindPort {f.code}')}",
            ]
        )
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {properties}::{_escape_data(f.message)}")
    return lines

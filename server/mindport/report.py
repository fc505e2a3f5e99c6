"""Output formats of ``mindport check``: text, JSON, SARIF 2.1.0 and GitHub annotations.

Lines are 1-based everywhere here; columns are 1-based code points (SARIF is told so with
``columnKind``, whose default would be UTF-16 code units).

Every format is written as the files are analysed (``Writer``: ``add`` one file's result,
then ``finish``): JSON and SARIF documents are opened first, each finding is written as it
comes (one per line), and the closing part carries what is known only at the end (errors).
Memory stays bounded however many findings a run has.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, TextIO

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


def _failure(result: FileResult) -> str | None:
    """An internal error or a budget that ran out (exit 3), when the result says so."""
    failure: str | None = getattr(result, "failure", None)
    return failure


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


def _error_json(result: FileResult) -> dict[str, Any] | None:
    if result.error:
        return {"path": str(result.path), "kind": "not-analysed", "message": result.error}
    failure = _failure(result)
    if failure:
        return {"path": str(result.path), "kind": "incomplete", "message": failure}
    return None


class Writer:
    """Writes one format to a stream, file by file."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def add(self, result: FileResult) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Close the document (JSON, SARIF); nothing for the line formats."""


class TextWriter(Writer):
    def __init__(self, stream: TextIO, *, show_fixes: bool = False) -> None:
        super().__init__(stream)
        self.show_fixes = show_fixes

    def add(self, result: FileResult) -> None:
        for finding, line in zip(result.findings, text_lines(result), strict=True):
            self.stream.write(line + "\n")
            if self.show_fixes and finding.fix is not None:
                kind = "safe fix" if finding.fix.safe else "unsafe fix (--unsafe)"
                self.stream.write(f"    {kind}: {_one_line(finding.fix.title)}\n")


class GithubWriter(Writer):
    def add(self, result: FileResult) -> None:
        for line in github_lines(result):
            self.stream.write(line + "\n")


class JsonWriter(Writer):
    """``{"tool", "version", "findings": [...], "files": [...], "errors": [...]}``, findings
    streamed; ``files`` lists the files scanned (for reports merged from shards)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self._errors: list[dict[str, Any]] = []
        self._files: list[str] = []
        self._first = True
        head = json.dumps({"tool": "mindport", "version": __version__}, ensure_ascii=False)
        self.stream.write(head[:-1] + ', "findings": [')

    def add(self, result: FileResult) -> None:
        for item in _findings_json(result):
            self.stream.write("\n" if self._first else ",\n")
            self.stream.write(json.dumps(item, ensure_ascii=False))
            self._first = False
        if not result.error:
            self._files.append(str(result.path))
        error = _error_json(result)
        if error is not None:
            self._errors.append(error)

    def finish(self) -> None:
        files = json.dumps(self._files, ensure_ascii=False)
        errors = json.dumps(self._errors, indent=1, ensure_ascii=False)
        self.stream.write(f'\n], "files": {files}, "errors": {errors}}}\n')


def _render(writer_type: type[Writer], results: Sequence[FileResult]) -> str:
    stream = io.StringIO()
    writer = writer_type(stream)
    for result in results:
        writer.add(result)
    writer.finish()
    return stream.getvalue()


def json_report(results: Sequence[FileResult]) -> str:
    return _render(JsonWriter, results)


def _artifact_uri(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_uri()


def _sarif_rules() -> list[dict[str, Any]]:
    return [
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


_RESULTS_SLOT = "__mindport_results__"
_INVOCATIONS_SLOT = "__mindport_invocations__"


class SarifWriter(Writer):
    """One SARIF 2.1.0 run; results streamed, invocations (errors) at the end."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        rules = _sarif_rules()
        self._index = {rule["id"]: i for i, rule in enumerate(rules)}
        self._notifications: list[dict[str, Any]] = []
        self._first = True
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
                    "results": _RESULTS_SLOT,
                    "invocations": _INVOCATIONS_SLOT,
                }
            ],
        }
        text = json.dumps(document, indent=2, ensure_ascii=False)
        head, rest = text.split(json.dumps(_RESULTS_SLOT), 1)
        middle, self._tail = rest.split(json.dumps(_INVOCATIONS_SLOT), 1)
        self._middle = middle
        self.stream.write(head + "[")

    def add(self, result: FileResult) -> None:
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
            if finding.code in self._index:
                item["ruleIndex"] = self._index[finding.code]
            self.stream.write("\n" if self._first else ",\n")
            self.stream.write(json.dumps(item, ensure_ascii=False))
            self._first = False
        message = result.error or _failure(result)
        if message:
            self._notifications.append(
                {"level": "error", "message": {"text": f"{result.path}: {message}"}}
            )

    def finish(self) -> None:
        invocations = [
            {
                "executionSuccessful": not self._notifications,
                "toolExecutionNotifications": self._notifications,
            }
        ]
        self.stream.write("\n]" + self._middle)
        self.stream.write(json.dumps(invocations, ensure_ascii=False))
        self.stream.write(self._tail + "\n")


def sarif_report(results: Sequence[FileResult]) -> str:
    return _render(SarifWriter, results)


def writer_for(format_: str, stream: TextIO, *, show_fixes: bool = False) -> Writer:
    if format_ == "json":
        return JsonWriter(stream)
    if format_ == "sarif":
        return SarifWriter(stream)
    if format_ == "github":
        return GithubWriter(stream)
    return TextWriter(stream, show_fixes=show_fixes)


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

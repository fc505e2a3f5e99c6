"""``mindport report`` (the migration report: HTML, Markdown or JSON) and ``mindport merge``
(one JSON or SARIF result from the parts of a sharded run).

The report counts with ``mindport.analysis.summary``, as the editor's migration summary
does; its input is the CLI's own analysis (workers, cache) or the JSON parts of
``mindport check --format json`` runs (``--from``), e.g. one per CI shard.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from mindport import __version__
from mindport.analysis.findings import Confidence, Finding, Severity
from mindport.analysis.summary import MigrationSummary, summarise, to_json, to_markdown
from mindport.conversion.fix import Fix
from mindport.kb.model import Locale
from mindport.text import Position, Span, TextEdit

REPORT_FORMATS = ("html", "md", "json")
DEFAULT_OUTPUT = {"html": "mindport-report.html", "md": "-", "json": "-"}


class PartError(ValueError):
    """A part that is not the output of ``mindport check --format json`` (or SARIF)."""


def shown_path(path: Path | str) -> str:
    """A path as the report shows it: relative to the working directory when inside it."""
    candidate = Path(path)
    try:
        return candidate.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return candidate.as_posix()


def _position(pair: Sequence[int]) -> Position:
    return Position(int(pair[0]) - 1, int(pair[1]) - 1)


def finding_from_json(item: dict[str, Any]) -> Finding:
    """A finding from ``mindport check --format json`` (1-based lines and columns)."""
    raw_fix = item.get("fix")
    fix = None
    if raw_fix is not None:
        fix = Fix(
            title=str(raw_fix["title"]),
            edits=tuple(
                TextEdit(Span(_position(e["start"]), _position(e["end"])), str(e["new_text"]))
                for e in raw_fix["edits"]
            ),
            safe=bool(raw_fix["safe"]),
        )
    return Finding(
        code=str(item["code"]),
        severity=Severity[str(item["severity"]).upper()],
        span=Span(
            Position(int(item["line"]) - 1, int(item["column"]) - 1),
            Position(int(item["end_line"]) - 1, int(item["end_column"]) - 1),
        ),
        message=str(item["message"]),
        torch_api=item.get("torch_api"),
        mindspore_api=item.get("mindspore_api"),
        confidence=Confidence(item.get("confidence", "confirmed")),
        fix=fix,
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PartError(f"{path}: cannot read: {error}") from None


def results_from_parts(
    parts: Iterable[Path],
) -> tuple[list[tuple[str, list[Finding]]], list[str]]:
    """Per-file findings and the error messages of ``check --format json`` parts."""
    by_file: dict[str, list[Finding]] = {}
    problems: list[str] = []
    for part in parts:
        data = _read_json(part)
        if not isinstance(data, dict) or data.get("tool") != "mindport":
            raise PartError(f"{part}: not the output of `mindport check --format json`")
        try:
            for scanned in data.get("files", []):
                by_file.setdefault(shown_path(scanned), [])
            for item in data["findings"]:
                by_file.setdefault(shown_path(item["path"]), []).append(finding_from_json(item))
            problems.extend(f"{e['path']}: {e['message']}" for e in data.get("errors", []))
        except (KeyError, TypeError, ValueError) as error:
            raise PartError(f"{part}: malformed finding: {error}") from None
    return sorted(by_file.items()), problems


def render(summary: MigrationSummary, form: str, locale: Locale, *, title: str, target: str) -> str:
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    target_text = f"迁移目标 {target}" if locale == "zh" else f"target {target}"
    generated = f"MindPort {__version__} · {when} · {target_text}"
    if form == "json":
        data = {"tool": "mindport", "version": __version__, "target": target, **to_json(summary)}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if form == "md":
        return to_markdown(summary, locale)
    from mindport.render.report_html import to_html

    return to_html(summary, locale, title=title, generated=generated)


def build_summary(
    results: Iterable[tuple[str, Sequence[Finding]]], problems: Sequence[str], kb: Any
) -> MigrationSummary:
    return summarise(results, problems=problems, kb=kb)


# -- merge ------------------------------------------------------------------------------------


def merge_parts(parts: Sequence[Path]) -> str:
    """One ``check --format json`` or SARIF document from the parts of a sharded run."""
    documents = [(part, _read_json(part)) for part in parts]
    if not documents:
        raise PartError("no parts to merge")
    if all(isinstance(d, dict) and d.get("tool") == "mindport" for _, d in documents):
        merged: dict[str, Any] = {
            "tool": "mindport",
            "version": __version__,
            "files": [],
            "findings": [],
            "errors": [],
        }
        for _, data in documents:
            for key in ("files", "findings", "errors"):
                merged[key].extend(data.get(key, []))
        merged["files"] = sorted(set(merged["files"]))
        merged["findings"].sort(key=lambda f: (f["path"], f["line"], f["column"], f["code"]))
        return json.dumps(merged, indent=2, ensure_ascii=False)
    if all(
        isinstance(d, dict) and d.get("version") == "2.1.0" and d.get("runs") for _, d in documents
    ):
        first = documents[0][1]
        run = first["runs"][0]
        results: list[Any] = []
        notifications: list[Any] = []
        successful = True
        for _, data in documents:
            for part_run in data["runs"]:
                results.extend(part_run.get("results", []))
                for invocation in part_run.get("invocations", []):
                    successful = successful and bool(invocation.get("executionSuccessful", True))
                    notifications.extend(invocation.get("toolExecutionNotifications", []))
        run = {
            **run,
            "results": results,
            "invocations": [
                {"executionSuccessful": successful, "toolExecutionNotifications": notifications}
            ],
        }
        return json.dumps({**first, "runs": [run]}, indent=2, ensure_ascii=False)
    names = ", ".join(str(part) for part, _ in documents)
    raise PartError(f"the parts are neither all MindPort JSON nor all SARIF 2.1.0: {names}")

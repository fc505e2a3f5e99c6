"""The migration summary of a project: what there is to port, by rule, by PyTorch API and by
file, and how much of it the quick-fixes rewrite.

Pure: it aggregates findings that someone else computed and renders Markdown. The language
server's ``mindport.migrationSummary`` command feeds it today; the CLI can reuse it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mindport.analysis.findings import Finding
from mindport.analysis.rules import RULES
from mindport.kb.model import Locale, LocalText


@dataclass(frozen=True)
class FileSummary:
    path: str  # as shown to the user (relative to its workspace folder when possible)
    by_code: dict[str, int]
    fixable: int

    @property
    def total(self) -> int:
        return sum(self.by_code.values())


@dataclass(frozen=True)
class MigrationSummary:
    files_scanned: int
    files: tuple[FileSummary, ...]  # only files with findings, most findings first
    by_code: dict[str, int]  # most frequent first
    by_api: dict[str, int]  # PyTorch API -> findings, most frequent first
    counterparts: dict[str, str]  # PyTorch API -> its MindSpore counterpart, when known
    fixable: int  # findings with a quick-fix
    safe: int  # ... of which the fix is safe (mechanical)
    problems: tuple[str, ...]  # files that could not be read, and why
    truncated: bool  # the file limit was reached

    @property
    def total(self) -> int:
        return sum(self.by_code.values())


def _most_first(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def summarise(
    results: Iterable[tuple[str, Sequence[Finding]]],
    *,
    problems: Sequence[str] = (),
    truncated: bool = False,
) -> MigrationSummary:
    """Aggregate ``(path, findings)`` pairs, one per scanned file."""
    files: list[FileSummary] = []
    by_code: Counter[str] = Counter()
    by_api: Counter[str] = Counter()
    counterparts: dict[str, str] = {}
    fixable = safe = scanned = 0
    for path, findings in results:
        scanned += 1
        if not findings:
            continue
        codes = Counter(finding.code for finding in findings)
        with_fix = [finding for finding in findings if finding.fix is not None]
        files.append(FileSummary(path, _most_first(codes), len(with_fix)))
        by_code.update(codes)
        fixable += len(with_fix)
        safe += sum(1 for finding in with_fix if finding.fix is not None and finding.fix.safe)
        for finding in findings:
            if finding.torch_api:
                by_api[finding.torch_api] += 1
                if finding.mindspore_api:
                    counterparts.setdefault(finding.torch_api, finding.mindspore_api)
    files.sort(key=lambda file: (-file.total, file.path))
    return MigrationSummary(
        files_scanned=scanned,
        files=tuple(files),
        by_code=_most_first(by_code),
        by_api=_most_first(by_api),
        counterparts=counterparts,
        fixable=fixable,
        safe=safe,
        problems=tuple(problems),
        truncated=truncated,
    )


def to_json(summary: MigrationSummary) -> dict[str, Any]:
    """Plain data for clients (JSON-RPC results, ``--json`` output)."""
    return {
        "filesScanned": summary.files_scanned,
        "total": summary.total,
        "fixable": summary.fixable,
        "safe": summary.safe,
        "byCode": summary.by_code,
        "byApi": summary.by_api,
        "files": [
            {"path": f.path, "total": f.total, "byCode": f.by_code, "fixable": f.fixable}
            for f in summary.files
        ],
        "problems": list(summary.problems),
        "truncated": summary.truncated,
    }


def _t(locale: Locale, en: str, zh: str) -> str:
    return LocalText(en=en, zh=zh).get(locale)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(summary: MigrationSummary, locale: Locale = "en", max_files: int = 50) -> str:
    """A short report: totals, then tables by rule, by API and by file."""
    lines = [f"# {_t(locale, 'MindPort migration summary', 'MindPort 迁移概要')}", ""]
    lines.append(
        _t(
            locale,
            f"{summary.total} finding(s) in {len(summary.files)} of {summary.files_scanned} "
            f"Python file(s); {summary.fixable} have a quick-fix ({summary.safe} safe).",
            f"{summary.files_scanned} 个 Python 文件中有 {len(summary.files)} 个存在问题,"
            f"共 {summary.total} 处;其中 {summary.fixable} 处有快速修复({summary.safe} 处安全)。",
        )
    )
    if summary.truncated:
        lines += [
            "",
            _t(
                locale,
                "Only the first files were scanned (file limit reached).",
                "只扫描了前面的文件(已达文件数上限)。",
            ),
        ]
    if summary.by_code:
        lines += ["", f"## {_t(locale, 'By rule', '按规则')}", ""]
        lines += [
            f"| {_t(locale, 'code', '代码')} | {_t(locale, 'rule', '规则')} | "
            f"{_t(locale, 'findings', '数量')} |",
            "|---|---|---:|",
        ]
        for code, count in summary.by_code.items():
            rule = RULES.get(code)
            name = rule.name if rule else ""
            lines.append(f"| {code} | {_cell(name)} | {count} |")
    if summary.by_api:
        lines += ["", f"## {_t(locale, 'By PyTorch API', '按 PyTorch API')}", ""]
        lines += [
            f"| PyTorch | MindSpore | {_t(locale, 'findings', '数量')} |",
            "|---|---|---:|",
        ]
        for api, count in summary.by_api.items():
            counterpart = summary.counterparts.get(api, "—")
            lines.append(f"| `{_cell(api)}` | `{_cell(counterpart)}` | {count} |")
    if summary.files:
        lines += ["", f"## {_t(locale, 'By file', '按文件')}", ""]
        lines += [
            f"| {_t(locale, 'file', '文件')} | {_t(locale, 'findings', '数量')} | "
            f"{_t(locale, 'rules', '规则')} | {_t(locale, 'quick-fixes', '快速修复')} |",
            "|---|---:|---|---:|",
        ]
        for file in summary.files[:max_files]:
            codes = ", ".join(f"{code} {n}" for code, n in file.by_code.items())
            lines.append(f"| {_cell(file.path)} | {file.total} | {codes} | {file.fixable} |")
        if len(summary.files) > max_files:
            rest = len(summary.files) - max_files
            lines.append(_t(locale, f"\n… and {rest} more file(s).", f"\n……另有 {rest} 个文件。"))
    if summary.problems:
        lines += ["", f"## {_t(locale, 'Not scanned', '未扫描')}", ""]
        lines += [f"- {_cell(problem)}" for problem in summary.problems]
    if not summary.total and not summary.problems:
        lines += ["", _t(locale, "Nothing to port.", "没有需要迁移的内容。")]
    return "\n".join(lines) + "\n"

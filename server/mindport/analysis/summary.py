"""The migration summary of a project: what there is to port, by rule, by PyTorch API and by
file, and how much of it the quick-fixes rewrite.

Pure: it aggregates findings that someone else computed and renders Markdown. The language
server's ``mindport.migrationSummary`` command feeds it today; the CLI can reuse it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mindport.analysis.findings import Finding
from mindport.analysis.rules import RULES
from mindport.kb.model import Locale, LocalText

if TYPE_CHECKING:
    from mindport.kb.loader import KnowledgeBase

# What is known about an API's port, from the best news to the worst.
STATUSES = ("verified", "differs", "not-verified", "no-kernel", "no-equivalent")
STATUS_TEXT = {
    "verified": LocalText(en="verified by execution", zh="已通过运行验证"),
    "differs": LocalText(en="differs when run", zh="运行结果有差异"),
    "not-verified": LocalText(en="not verified", zh="未验证"),
    "no-kernel": LocalText(en="no CPU kernel", zh="无 CPU 算子"),
    "no-equivalent": LocalText(en="no equivalent", zh="无对应 API"),
}


def api_status(
    kb: KnowledgeBase | None, torch_api: str, mindspore_api: str | None, codes: Iterable[str]
) -> str:
    """One word for what is known about porting ``torch_api`` to ``mindspore_api``.

    ``no-equivalent`` when MindPort reports it as such (MP102); otherwise what the
    equivalence suite (``knowledge/verification.json``) found for the MindSpore API the fix
    writes: ``verified``, ``differs``, ``no-kernel`` (MindSpore has no kernel for it on the
    devices the suite ran on, CPU) or ``not-verified`` (not run, or no record).
    """
    if "MP102" in codes:
        return "no-equivalent"
    entry_id = kb.torch_id(torch_api) if kb is not None else None
    verification = kb.verification(entry_id) if kb is not None and entry_id else None
    if verification is None:
        return "not-verified"
    checks = list(verification.targets.values())
    chosen = [c for c in checks if c.api == mindspore_api] or checks
    if not chosen:
        return "not-verified"
    check = chosen[0]
    if check.status == "verified":
        return "verified"
    if check.status == "differs":
        return "differs"
    return "no-kernel" if check.kind == "no-cpu-kernel" else "not-verified"


@dataclass(frozen=True)
class FileSummary:
    path: str  # as shown to the user (relative to its workspace folder when possible)
    by_code: dict[str, int]
    fixable: int
    safe: int = 0  # ... of which the fix is safe

    @property
    def total(self) -> int:
        return sum(self.by_code.values())

    @property
    def work_left(self) -> int:
        """Findings that the safe fixes do not take care of."""
        return self.total - self.safe


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
    statuses: dict[str, str] = field(default_factory=dict)  # PyTorch API -> api_status
    files_by_code: dict[str, int] = field(default_factory=dict)  # files with each rule

    @property
    def total(self) -> int:
        return sum(self.by_code.values())

    @property
    def unsafe(self) -> int:
        return self.fixable - self.safe

    @property
    def manual(self) -> int:
        """Findings no quick-fix takes care of."""
        return self.total - self.fixable

    def by_status(self) -> dict[str, int]:
        """Findings per API status, in the order of ``STATUSES``."""
        counts: Counter[str] = Counter()
        for api, n in self.by_api.items():
            counts[self.statuses.get(api, "not-verified")] += n
        return {status: counts[status] for status in STATUSES if counts[status]}

    def files_by_work_left(self) -> list[FileSummary]:
        return sorted(self.files, key=lambda f: (-f.work_left, -f.total, f.path))


def _most_first(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def summarise(
    results: Iterable[tuple[str, Sequence[Finding]]],
    *,
    problems: Sequence[str] = (),
    truncated: bool = False,
    kb: KnowledgeBase | None = None,
) -> MigrationSummary:
    """Aggregate ``(path, findings)`` pairs, one per scanned file; ``kb`` gives the statuses
    (what running both frameworks found for each API)."""
    files: list[FileSummary] = []
    by_code: Counter[str] = Counter()
    by_api: Counter[str] = Counter()
    api_codes: dict[str, set[str]] = {}
    files_by_code: Counter[str] = Counter()
    counterparts: dict[str, str] = {}
    fixable = safe = scanned = 0
    for path, findings in results:
        scanned += 1
        if not findings:
            continue
        codes = Counter(finding.code for finding in findings)
        with_fix = [finding for finding in findings if finding.fix is not None]
        safe_here = sum(1 for finding in with_fix if finding.fix is not None and finding.fix.safe)
        files.append(FileSummary(path, _most_first(codes), len(with_fix), safe_here))
        by_code.update(codes)
        files_by_code.update(codes.keys())
        fixable += len(with_fix)
        safe += safe_here
        for finding in findings:
            if finding.torch_api:
                by_api[finding.torch_api] += 1
                api_codes.setdefault(finding.torch_api, set()).add(finding.code)
                if finding.mindspore_api:
                    counterparts.setdefault(finding.torch_api, finding.mindspore_api)
    files.sort(key=lambda file: (-file.total, file.path))
    statuses = {
        api: api_status(kb, api, counterparts.get(api), codes) for api, codes in api_codes.items()
    }
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
        statuses=statuses,
        files_by_code=_most_first(files_by_code),
    )


def to_json(summary: MigrationSummary) -> dict[str, Any]:
    """Plain data for clients (JSON-RPC results, ``--json`` output)."""
    return {
        "filesScanned": summary.files_scanned,
        "total": summary.total,
        "fixable": summary.fixable,
        "safe": summary.safe,
        "unsafe": summary.unsafe,
        "manual": summary.manual,
        "byCode": summary.by_code,
        "byApi": summary.by_api,
        "byStatus": summary.by_status(),
        "apis": [
            {
                "torch": api,
                "mindspore": summary.counterparts.get(api),
                "findings": count,
                "status": summary.statuses.get(api, "not-verified"),
            }
            for api, count in summary.by_api.items()
        ],
        "files": [
            {
                "path": f.path,
                "total": f.total,
                "byCode": f.by_code,
                "fixable": f.fixable,
                "safe": f.safe,
                "workLeft": f.work_left,
            }
            for f in summary.files
        ],
        "problems": list(summary.problems),
        "truncated": summary.truncated,
    }


def _t(locale: Locale, en: str, zh: str) -> str:
    return LocalText(en=en, zh=zh).get(locale)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def shares(summary: MigrationSummary) -> tuple[int, int, int]:
    """Percentages of the findings: safe fixes, unsafe fixes, by hand (summing to 100)."""
    if not summary.total:
        return 0, 0, 0
    safe = round(100 * summary.safe / summary.total)
    unsafe = round(100 * summary.fixable / summary.total) - safe
    return safe, unsafe, 100 - safe - unsafe


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
    if summary.total:
        safe, unsafe, manual = shares(summary)
        lines += [
            "",
            _t(
                locale,
                f"Safe fixes take care of {safe}% of the findings, unsafe fixes (to review) "
                f"{unsafe}% more; {manual}% are left to port by hand.",
                f"安全修复可处理 {safe}% 的问题,不安全修复(需审查)再处理 {unsafe}%;"
                f"其余 {manual}% 需要手工迁移。",
            ),
        ]
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
            f"| PyTorch | MindSpore | {_t(locale, 'findings', '数量')} | "
            f"{_t(locale, 'status', '状态')} |",
            "|---|---|---:|---|",
        ]
        for api, count in summary.by_api.items():
            counterpart = summary.counterparts.get(api, "—")
            status = STATUS_TEXT[summary.statuses.get(api, "not-verified")].get(locale)
            lines.append(f"| `{_cell(api)}` | `{_cell(counterpart)}` | {count} | {status} |")
    if summary.files:
        lines += [
            "",
            f"## {_t(locale, 'By file, most work left first', '按文件(剩余工作多者在前)')}",
            "",
        ]
        lines += [
            f"| {_t(locale, 'file', '文件')} | {_t(locale, 'findings', '数量')} | "
            f"{_t(locale, 'rules', '规则')} | {_t(locale, 'quick-fixes', '快速修复')} | "
            f"{_t(locale, 'left after safe fixes', '安全修复后剩余')} |",
            "|---|---:|---|---:|---:|",
        ]
        for file in summary.files_by_work_left()[:max_files]:
            codes = ", ".join(f"{code} {n}" for code, n in file.by_code.items())
            lines.append(
                f"| {_cell(file.path)} | {file.total} | {codes} | {file.fixable} | "
                f"{file.work_left} |"
            )
        if len(summary.files) > max_files:
            rest = len(summary.files) - max_files
            lines.append(_t(locale, f"\n… and {rest} more file(s).", f"\n……另有 {rest} 个文件。"))
    if summary.problems:
        lines += ["", f"## {_t(locale, 'Not scanned', '未扫描')}", ""]
        lines += [f"- {_cell(problem)}" for problem in summary.problems]
    if not summary.total and not summary.problems:
        lines += ["", _t(locale, "Nothing to port.", "没有需要迁移的内容。")]
    return "\n".join(lines) + "\n"

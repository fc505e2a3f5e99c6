"""``docs/verified-apis.md``, written from ``knowledge/verification.json`` (no framework needed)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mindport.verify.compare import TOLERANCES
from mindport.verify.results import COMMAND, DIFFERS, NOT_VERIFIABLE, STATUSES, VERIFIED

DOCS_FILE = "docs/verified-apis.md"
_LABEL = {VERIFIED: "verified", DIFFERS: "differs", NOT_VERIFIABLE: "not verifiable"}
MAX_DETAIL = 300


def _cell(text: str) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 3] + "..."


def _targets(data: Mapping[str, Any]) -> str:
    parts = []
    for target, raw in (data.get("targets") or {}).items():
        parts.append(
            f"{target} `{raw['api']}` {_LABEL[raw['status']]} ({raw['passed']}/{raw['cases']})"
        )
    return "<br>".join(parts) or "—"


def _problems(data: Mapping[str, Any], status: str) -> str:
    lines = []
    for target, raw in (data.get("targets") or {}).items():
        for problem in raw.get("problems", []):
            if problem["status"] != status and status == DIFFERS:
                continue
            stage = f" [{problem['stage']}]" if problem.get("stage") else ""
            detail = problem.get("detail", "")
            lines.append(f"{target}: `{_cell(problem['case'])}`{stage}: {_cell(detail)}")
    if not lines and data.get("reason"):
        lines.append(_cell(str(data["reason"])))
    return "<br>".join(lines[:6]) + (f"<br>… and {len(lines) - 6} more" if len(lines) > 6 else "")


def render_docs(data: Mapping[str, Any]) -> str:
    versions = data.get("versions", {})
    version_text = ", ".join(f"{k} {v}" for k, v in versions.items()) or "none recorded"
    apis: Mapping[str, Any] = data.get("apis", {})
    summary: Mapping[str, Mapping[str, int]] = data.get("summary", {})
    out = [
        "# APIs verified by execution",
        "",
        f"Written by `{COMMAND}` (or `python -m mindport.verify docs`) from"
        " `knowledge/verification.json`; do not edit by hand.",
        "",
        f"Versions used: {version_text}. CPU only.",
        "",
        "## How an API is checked",
        "",
        "Each case is a small torch function (`def case(x: torch.Tensor, ...): return"
        " torch.sum(x, dim=1)`); MindPort's own fixer converts its text for the `mint` target"
        " and, where the entry has one, the classic target (never by hand). Both programs run"
        " in separate worker processes on identical inputs drawn with NumPy from a fixed seed;"
        " results are compared for values, shapes and dtypes, gradients are compared whenever"
        " torch can differentiate the output (a weighted sum of the outputs, weights from the"
        " same seed), modules get torch's weights copied in (by name, MindSpore's classic names"
        " such as `gamma`/`moving_mean`, then order; shapes checked) and optimizers take the"
        " same gradients for three steps. A crash, a timeout or an error in one framework, a"
        " conversion the fixer cannot finish, and random values make a case *not verifiable*,"
        " never a pass. Cases come from the knowledge base and `knowledge/cases/*.toml`.",
        "",
        "Tolerances (relative, absolute): "
        + ", ".join(f"{k} {r:g}/{a:g}" for k, (r, a) in TOLERANCES.items())
        + "; integers and booleans exactly; NaN equals NaN. A case file may loosen them for"
        " one API, with the reason.",
        "",
        "An API is *verified* when every case of a target passed, *differs* when a case of"
        " some target gives other results (the difference is recorded in the entry's"
        " behaviour notes, so diagnostics and hovers tell users), *not verifiable* otherwise.",
        "",
        "## Summary",
        "",
        "| namespace | verified | differs | not verifiable | total |",
        "|---|---:|---:|---:|---:|",
    ]
    for namespace, counts in summary.items():
        total = sum(counts.get(s, 0) for s in STATUSES)
        label = "**all**" if namespace == "all" else f"`{namespace}`"
        cells = [str(counts.get(s, 0)) for s in STATUSES]
        if namespace == "all":
            cells = [f"**{c}**" for c in cells]
        out.append(
            f"| {label} | {' | '.join(cells)} | {'**' + str(total) + '**' if namespace == 'all' else total} |"
        )
    sections = [
        (DIFFERS, "Differences", "How the results differ (the entry's notes explain it)"),
        (NOT_VERIFIABLE, "Not verifiable", "Why"),
    ]
    for status, title, column in sections:
        chosen = [(a, d) for a, d in apis.items() if d["status"] == status]
        out += [
            "",
            f"## {title} ({len(chosen)})",
            "",
            f"| API | targets | {column} |",
            "|---|---|---|",
        ]
        for api, entry in chosen:
            out.append(f"| `{api}` | {_targets(entry)} | {_problems(entry, status)} |")
    verified = [(a, d) for a, d in apis.items() if d["status"] == VERIFIED]
    out += [
        "",
        f"## Verified ({len(verified)})",
        "",
        "| API | targets (cases passed) | compared | cases |",
        "|---|---|---|---|",
    ]
    for api, entry in verified:
        compared = sorted(
            {c for t in (entry.get("targets") or {}).values() for c in t.get("compared", [])}
        )
        cases = "<br>".join(f"`{_cell(c)}`" for c in entry.get("cases", []))
        out.append(f"| `{api}` | {_targets(entry)} | {', '.join(compared)} | {cases} |")
    return "\n".join(out) + "\n"


def write_docs(path: Path, data: Mapping[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_docs(data), encoding="utf-8")
    return path

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
MAX_LINES = 6

# Why a target is not verifiable (results.problem_kind), for the reader.
KINDS = {
    "no-cpu-kernel": "the CPU build of MindSpore 2.10 has no kernel for the target",
    "convert": "MindPort's fixer cannot convert the tested calls yet",
    "bad-conversion": "MindSpore rejects the converted call (a conversion bug)",
    "unsafe-fix": "the tested calls pass arguments the target lacks (unsafe fix)",
    "random": "random values (only shapes and dtypes compared)",
    "mindspore-error": "MindSpore raises on the converted call",
    "case-error": "the case itself fails in torch",
    "crash": "MindSpore crashed or hung",
    "not-comparable": "the results cannot be compared",
    "not run": "the whole API is skipped (reason in the table below)",
}

HOW = (
    "Each case is a small torch function (`def case(x: torch.Tensor, ...): return"
    " torch.sum(x, dim=1)`); MindPort's own fixer converts its text for the `mint` target and,"
    " where the entry has one, the classic target (never by hand). Both programs run in"
    " separate worker processes on identical inputs drawn with NumPy from a fixed seed; results"
    " are compared for values, shapes and dtypes, gradients are compared whenever torch can"
    " differentiate the output (a weighted sum of the outputs, weights from the same seed),"
    " modules get torch's weights copied in (by name, MindSpore's classic names such as"
    " `gamma`/`moving_mean`, then order; shapes checked) and optimizers take the same gradients"
    " for three steps (schedulers also compare the learning rate). A crash, a timeout or an"
    " error in one framework, a conversion the fixer cannot finish, and random values make a"
    " case *not verifiable*, never a pass. Cases come from the knowledge base and"
    " `knowledge/cases/*.toml` (see `knowledge/cases/README.md`)."
)


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
    more = f"<br>… and {len(lines) - MAX_LINES} more" if len(lines) > MAX_LINES else ""
    return "<br>".join(lines[:MAX_LINES]) + more


def _explained(entry: Mapping[str, Any]) -> str:
    reasons = [f"note `{n}`" for n in entry.get("notes", [])]
    warned = any(
        p.get("warned")
        for t in (entry.get("targets") or {}).values()
        for p in t.get("problems", [])
        if p["status"] == DIFFERS
    )
    if warned:
        reasons.append("unsafe fix / MP301")
    return ", ".join(reasons) or "—"


def _summary(summary: Mapping[str, Mapping[str, int]]) -> list[str]:
    out = [
        "| namespace | verified | differs | not verifiable | total |",
        "|---|---:|---:|---:|---:|",
    ]
    for namespace, counts in summary.items():
        total = sum(counts.get(s, 0) for s in STATUSES)
        cells = [str(counts.get(s, 0)) for s in STATUSES] + [str(total)]
        if namespace == "all":
            out.append(f"| **all** | {' | '.join(f'**{c}**' for c in cells)} |")
        else:
            out.append(f"| `{namespace}` | {' | '.join(cells)} |")
    return out


def _kinds(apis: Mapping[str, Any]) -> list[str]:
    kinds: dict[str, int] = {}
    for entry in apis.values():
        if not entry.get("targets"):
            kinds["not run"] = kinds.get("not run", 0) + 1
        for target in (entry.get("targets") or {}).values():
            if target["status"] == NOT_VERIFIABLE:
                kind = str(target.get("kind", "?"))
                kinds[kind] = kinds.get(kind, 0) + 1
    out = ["| why | APIs and targets |", "|---|---:|"]
    for kind, count in sorted(kinds.items(), key=lambda item: (-item[1], item[0])):
        out.append(f"| {KINDS.get(kind, kind)} | {count} |")
    return out


def render_docs(data: Mapping[str, Any]) -> str:
    versions = data.get("versions", {})
    version_text = ", ".join(f"{k} {v}" for k, v in versions.items()) or "none recorded"
    apis: Mapping[str, Any] = data.get("apis", {})
    tolerances = ", ".join(f"{k} {r:g}/{a:g}" for k, (r, a) in TOLERANCES.items())
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
        HOW,
        "",
        f"Tolerances (relative/absolute): {tolerances}; integers and booleans exactly; NaN"
        " equals NaN. A case file may loosen them for one API, with the reason.",
        "",
        "An API is *verified* when every case of one of its targets passed and no target"
        " differs, *differs* when a case of some target gives other results, *not verifiable*"
        " otherwise. Hover cards and `mindport explain` show the outcome for the target in use.",
        "",
        "## Summary",
        "",
        *_summary(data.get("summary", {})),
        "",
        "Why a target could not be verified:",
        "",
        *_kinds(apis),
    ]
    differ = [(a, d) for a, d in apis.items() if d["status"] == DIFFERS]
    out += [
        "",
        f"## Differences ({len(differ)})",
        "",
        "Every difference is explained in the knowledge base: by a behaviour note checked by this"
        " suite (shown on hovers and by `mindport explain`, and in the call's diagnostic: MP301"
        " where an argument triggers the note or the call runs unchanged, a note line in MP101"
        " otherwise), or by the fix being unsafe, so MindPort already warns at the call.",
        "",
        "| API | targets | how the results differ | explained by |",
        "|---|---|---|---|",
    ]
    for api, entry in differ:
        out.append(
            f"| `{api}` | {_targets(entry)} | {_problems(entry, DIFFERS)} | {_explained(entry)} |"
        )
    blocked = [(a, d) for a, d in apis.items() if d["status"] == NOT_VERIFIABLE]
    out += [
        "",
        f"## Not verifiable ({len(blocked)})",
        "",
        "| API | targets | why (with the error) |",
        "|---|---|---|",
    ]
    for api, entry in blocked:
        out.append(f"| `{api}` | {_targets(entry)} | {_problems(entry, NOT_VERIFIABLE)} |")
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

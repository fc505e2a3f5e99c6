"""``mindport kb report``: docs/knowledge-report.md from the stored knowledge (no framework).

Counts by namespace and category, how signatures were read, and every official claim that
the installed frameworks contradict (as recorded by the last ``kb generate``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from mindport.kb.generate.build import load_sources
from mindport.kb.generate.namespaces import split_name
from mindport.kb.loader import KnowledgeBase, load_knowledge
from mindport.kb.model import Category, Entry, Tier

REPORT_FILE = Path("docs") / "knowledge-report.md"
_SOURCES = ("inspect", "inspect-init", "pyi", "schema", "docstring", "curated", "none")

_CATEGORY_ORDER = [c for c in Category]
_SHORT = {
    Category.CONSISTENT: "consistent",
    Category.PARAMETER_NAMES_DIFFER: "names",
    Category.TORCH_ONLY_PARAMETERS: "torch-only",
    Category.MINDSPORE_ONLY_PARAMETERS: "MS-only",
    Category.DEFAULTS_DIFFER: "defaults",
    Category.BEHAVIOUR_DIFFERS: "behaviour",
    Category.NO_EQUIVALENT: "none",
}


def _entries(kb: KnowledgeBase) -> list[Entry]:
    return [e for e in (kb.entry(i) for i in kb.ids) if e is not None]


def _namespace(entry: Entry) -> str:
    return split_name(entry.id)[0]


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_report(root: Path) -> str:
    kb = load_knowledge(root)
    entries = _entries(kb)
    sources = load_sources(root)
    out: list[str] = [
        "# Knowledge report",
        "",
        "Written by `mindport kb report` from `knowledge/` (do not edit by hand). The knowledge"
        f" was generated and checked against torch {sources.torch.version} and mindspore"
        f" {sources.mindspore.version}; `mindport kb validate` re-checks it.",
        "",
        "## Totals",
        "",
    ]
    tiers = Counter(e.tier for e in entries)
    with_notes = sum(1 for e in entries if e.notes)
    out += [
        f"- entries: **{len(entries)}** ({tiers[Tier.CORE]} core,"
        f" {tiers[Tier.DATA_PIPELINE]} data pipeline)",
        f"- with a `mint` target: {sum(1 for e in entries if 'mint' in e.targets)};"
        f" with a classic target: {sum(1 for e in entries if 'classic' in e.targets)};"
        f" no MindSpore equivalent: {sum(1 for e in entries if not e.targets)}",
        f"- entries with notes (English and Chinese): {with_notes}",
        f"- parameter rows: {sum(len(e.rows) for e in entries)}",
        "",
        "## Entries by namespace and category",
        "",
        "Category of the preferred target (`mint` where it exists). Columns: "
        + ", ".join(f"{_SHORT[c]} = {c.value}" for c in _CATEGORY_ORDER)
        + ".",
        "",
        "| namespace | tier | " + " | ".join(_SHORT[c] for c in _CATEGORY_ORDER) + " | total |",
        "|---|---|" + "---:|" * (len(_CATEGORY_ORDER) + 1),
    ]
    table: dict[tuple[str, str], Counter[Category]] = defaultdict(Counter)
    for entry in entries:
        table[(_namespace(entry), entry.tier.value)][entry.category] += 1
    totals: Counter[Category] = Counter()
    for (namespace, tier), counts in sorted(table.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        totals.update(counts)
        cells = " | ".join(str(counts[c] or "") for c in _CATEGORY_ORDER)
        out.append(f"| `{namespace}` | {tier} | {cells} | {sum(counts.values())} |")
    out.append(
        "| **all** | | "
        + " | ".join(f"**{totals[c]}**" for c in _CATEGORY_ORDER)
        + f" | **{sum(totals.values())}** |"
    )

    out += ["", "## How the signatures were read", ""]
    out += [
        "`inspect`: inspect.signature; `inspect-init`: the class's `__init__` (its `__new__` or"
        " decorator hides it); `pyi`: the stubs, located with jedi; `schema`: the operator"
        " schema torch's argument parser is built from (torch builtins without stubs);"
        " `docstring`: signature lines or Args sections; `curated`: written and verified by"
        " hand (knowledge/curated/signatures.toml).",
        "",
        "| framework | " + " | ".join(_SOURCES) + " |",
        "|---|" + "---:|" * 7,
    ]
    for snapshot in (sources.torch, sources.mindspore):
        sources_used = Counter(api.source for api in snapshot.apis.values())
        cells = " | ".join(str(sources_used[s]) for s in _SOURCES)
        out.append(f"| {snapshot.framework} {snapshot.version} | {cells} |")

    out += _claims_section(entries, sources.torch.corrections, sources.mindspore.corrections)
    return "\n".join(out) + "\n"


def _claims_section(
    entries: list[Entry], torch_fixes: dict[str, str], ms_fixes: dict[str, str]
) -> list[str]:
    checks = [(e, c) for e in entries for c in e.provenance.claims]
    out = [
        "",
        "## The official tables against the installed frameworks",
        "",
        "Every row of the official mapping tables (the newest table and the r2.4.10 one) was"
        " compared with the signatures of the installed frameworks. A claim *holds* when the"
        " signatures agree with it under the tables' own rules (general torch-only parameters"
        " such as `out` and optional MindSpore-only parameters do not count); it is *stale* when"
        " they contradict it; it is *unchecked* when signatures cannot settle it (a claim about"
        " types, or a framework that is not installed).",
        "",
        "| table | claimed category | rows | hold | stale | unchecked |",
        "|---|---|---:|---:|---:|---:|",
    ]
    summary: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for _, check in checks:
        verdict = {True: "hold", False: "stale", None: "unchecked"}[check.agrees]
        summary[(check.table, check.category)][verdict] += 1
    for (table, category), counts in sorted(summary.items()):
        total = sum(counts.values())
        out.append(
            f"| {table} | {category} | {total} | {counts['hold']} | {counts['stale']}"
            f" | {counts['unchecked']} |"
        )
    stale = [(e, c) for e, c in checks if c.agrees is False]
    out += [
        "",
        f"### Stale claims ({len(stale)})",
        "",
        "Where MindPort knows better than the tables. Misspelt names are listed too: the"
        " knowledge base uses the real name and keeps the table's spelling in its remarks.",
        "",
        "| torch API | table | claimed target | claimed category | what the frameworks say |",
        "|---|---|---|---|---|",
    ]
    for entry, check in sorted(stale, key=lambda ec: (ec[1].table, ec[0].id)):
        out.append(
            f"| `{entry.id}` | {check.table} | `{check.mindspore}` | {check.category}"
            f" | {_md(check.reason or '')} |"
        )
    if torch_fixes or ms_fixes:
        out += ["", "### Misspelt names in the tables", ""]
        for wrong, right in sorted({**torch_fixes, **ms_fixes}.items()):
            out.append(f"- `{wrong}` is `{right}`")
    return out


def write_report(root: Path, output: Path | None = None) -> Path:
    target = output or root.resolve().parent / REPORT_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_report(root), encoding="utf-8")
    return target

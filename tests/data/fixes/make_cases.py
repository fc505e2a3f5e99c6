"""Regenerate tests/data/fixes/cases.toml: calls of real APIs and what MindPort's fixer makes of them.

    python tests/data/fixes/make_cases.py            # writes cases.toml
    python tests/data/fixes/make_cases.py --check    # exits 1 when cases.toml is not what the fixer gives

The output is a snapshot to review: every `after` must be the right MindSpore call for
`before` under the entry's parameter rows. tests/unit/test_fix_cases.py replays each case.
Cases are picked to cover every kind of rewrite (rename, keyword-ify, keyword written by
position, default written out, default-valued argument dropped, unsupported argument kept as a
TODO, no fix) over the
namespaces people use most.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from mindport.conversion.binding import signatures_of
from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.kb.loader import load_knowledge
from mindport.kb.model import ApiKind, Category, Entry, ParamKind
from mindport.text import apply_edits

HERE = Path(__file__).resolve().parent
OUT = HERE / "cases.toml"
IMPORTS = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
HEADER = "\n\ndef f(x: torch.Tensor):\n"
PRELUDE = IMPORTS + HEADER
NAMESPACES = {"torch": "torch.", "torch.nn": "nn.", "torch.nn.functional": "F.", "torch.optim": "torch.optim.",
              "torch.linalg": "torch.linalg.", "torch.special": "torch.special.", "torch.fft": "torch.fft."}
PER_KIND = 40


def spelled(entry: Entry) -> str | None:
    module, _, name = entry.torch.name.rpartition(".")
    if module == "torch.Tensor":
        return f"x.{name}"
    prefix = NAMESPACES.get(module)
    return prefix + name if prefix else None


def calls(entry: Entry) -> list[str]:
    callee = spelled(entry)
    if callee is None or entry.torch.kind is ApiKind.ATTRIBUTE:
        return []
    params = signatures_of(entry.torch)[-1]  # the fullest overload comes last most often
    required = [p for p in params if p.required and p.kind is not ParamKind.KEYWORD_ONLY and p.positional]
    optional = [p for p in params if not p.required and p.kind not in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD)]
    positional = [f"a{i}" for i, _ in enumerate(required)]
    variants = [", ".join(positional)]
    if optional:
        keywords = [f"{p.name}=v{i}" for i, p in enumerate(optional[:3])]
        variants.append(", ".join([*positional, *keywords]))
        defaults = [f"{p.name}={p.default}" for p in optional if p.default not in (None, "...")][:2]
        if defaults:
            variants.append(", ".join([*positional, *defaults]))
        in_slots = [p for p in optional[:2] if p.positional]
        if in_slots and len(in_slots) == len(optional[: len(in_slots)]):
            variants.append(", ".join([*positional, *(f"v{i}" for i in range(len(in_slots)))]))
    return [f"{callee}({args})" for args in variants]


def kind_of(
    finding_codes: set[str], safe: bool | None, after: str | None, before: str, message: str = ""
) -> str:
    if after is None:
        return "no-fix"
    if "TODO(mindport)" in after:
        return "unsupported-todo"
    if not safe:
        return "unsafe"
    if "MP203" in finding_codes:
        return "default-written"
    if "MP201" in finding_codes:
        return "default-dropped"
    if "is passed by position" in message:
        return "positionalized"
    if "MP202" in finding_codes:
        return "renamed"
    if "=" in after.split("(", 1)[-1] and after.count("=") > before.count("="):
        return "keywordified"
    return "replaced"


def build() -> str:
    kb = load_knowledge()
    analyzer = Analyzer(kb)
    picked: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    seen_api: dict[str, int] = defaultdict(int)
    for entry_id in kb.ids:
        entry = kb.entry(entry_id)
        if entry is None or entry.tier.value != "core" or entry.category is Category.NO_EQUIVALENT:
            continue
        for call in calls(entry):
            for target in ("mint", "classic"):
                if target not in entry.targets:
                    continue
                text = f"{PRELUDE}    return {call}\n"
                analysis = analyzer.analyze_static(text, AnalysisOptions(target=target))
                mine = [f for f in analysis.findings if f.entry_id == entry.id]
                main = next((f for f in mine if f.code in ("MP101", "MP102")), None)
                if main is None:
                    continue
                after = None
                if main.fix is not None:
                    fixed = apply_edits(text, main.fix.edits)
                    if HEADER not in fixed:
                        continue  # the fix touched the prelude itself (the torch.Tensor annotation)
                    head, body = fixed.split(HEADER, 1)
                    assert head in (IMPORTS, IMPORTS + "import mindspore\n"), head
                    after = body
                kind = kind_of(
                    {f.code for f in mine}, main.fix.safe if main.fix else None, after, call, main.message
                )
                if len(picked[kind]) >= PER_KIND or seen_api[entry.id] >= 2:
                    continue
                seen_api[entry.id] += 1
                picked[kind].append((entry.id, target, call, after if after is not None else ""))
    lines = ['# Generated by tests/data/fixes/make_cases.py, then reviewed: one case per call.', ""]
    for kind in sorted(picked):
        for api, target, call, after in picked[kind]:
            lines += [
                "[[case]]",
                f'kind = "{kind}"',
                f'api = "{api}"',
                f'target = "{target}"',
                f"before = {_quote(call)}",
                f"after = {_quote(after)}",
                "",
            ]
    return "\n".join(lines)


def _quote(text: str) -> str:
    if "\n" in text:
        return "'''\n" + text + "'''"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    content = build()
    if "--check" in sys.argv:
        sys.exit(0 if OUT.read_text(encoding="utf-8") == content else 1)
    OUT.write_text(content, encoding="utf-8")
    print(f"{OUT}: {content.count('[[case]]')} cases")

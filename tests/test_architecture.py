"""The architecture's import rules, checked in fresh interpreters: the pure core (kb, analysis,
fixes, render) never imports pygls, and nothing the server or the CLI runs imports torch or
mindspore, even where they are installed (tests/frameworks/test_no_framework_imports.py)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

CORE = [
    "mindport.kb.loader",
    "mindport.analysis.engine",
    "mindport.fixes.fix_all",
    "mindport.fixes.ignore_comment",
    "mindport.render.card",
    "mindport.batch",
    "mindport.report",
]

_PROBE = """
import json, sys
from pathlib import Path
for name in {modules!r}:
    __import__(name)
{work}
print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))
"""


def imported_after(modules: list[str], work: str = "") -> set[str]:
    """Top-level packages in ``sys.modules`` after importing ``modules`` and running ``work``."""
    code = _PROBE.format(modules=modules, work=work)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


# Analyse every example with jedi, render every finding's card, and run fix-all.
ANALYSE_EXAMPLES = """
from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.fixes.fix_all import fix_all
from mindport.kb.loader import load_knowledge
from mindport.render.card import render_card
kb = load_knowledge()
analyzer = Analyzer(kb)
options = AnalysisOptions()
for path in sorted(Path("examples").glob("*.py")):
    text = path.read_text(encoding="utf-8")
    analysis = analyzer.analyze(text, path, options)
    for finding in analysis.findings:
        entry = kb.entry_for_torch(finding.torch_api) if finding.torch_api else None
        if entry is not None:
            render_card(entry, "en", verification=kb.verification(entry.id))
    fix_all(text, lambda t: analyzer.analyze_static(t, options).findings)
"""


def test_the_core_never_imports_pygls() -> None:
    loaded = imported_after(CORE, ANALYSE_EXAMPLES)
    assert "mindport" in loaded
    assert "pygls" not in loaded

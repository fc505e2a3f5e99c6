"""The architecture's import rules, checked in fresh interpreters: the pure core (kb, analysis,
fixes, render) never imports pygls, and nothing the server or the CLI runs imports torch or
mindspore, even where they are installed (tests/frameworks/test_no_framework_imports.py)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

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
from mindport.analysis.jedi_resolver import JediResolver
from mindport.fixes.fix_all import fix_all
from mindport.kb.loader import load_knowledge
from mindport.render.card import render_card
kb = load_knowledge()
analyzer = Analyzer(kb, JediResolver(kb))  # jedi is imported when first asked
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


def _imported_modules(path: Path) -> set[str]:
    """Every module an ``import`` statement in ``path`` names (function-level ones included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _imports_of_package(package: str) -> dict[str, set[str]]:
    folder = ROOT / "server" / "mindport" / package
    return {str(p.relative_to(ROOT)): _imported_modules(p) for p in sorted(folder.rglob("*.py"))}


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_analysis_never_imports_the_fixer() -> None:
    """Findings are read from the conversion plan, not from the fixer (issue 10, item 6)."""
    imports = _imports_of_package("analysis")
    assert "server/mindport/analysis/checks.py" in imports
    bad = {f: sorted(n for n in ns if _under(n, ("mindport.fixes",))) for f, ns in imports.items()}
    assert {f: ns for f, ns in bad.items() if ns} == {}


def test_the_conversion_plan_sits_below_the_checks_and_the_fixer() -> None:
    """``mindport.conversion`` reads the static pass's data (references, imports) but never the
    findings side (checks, engine, jedi), the fixer or a front-end."""
    above = (
        "mindport.fixes",
        "mindport.analysis.checks",
        "mindport.analysis.engine",
        "mindport.analysis.jedi_resolver",
        "mindport.lsp",
        "mindport.cli",
        "mindport.render",
    )
    imports = _imports_of_package("conversion")
    assert "server/mindport/conversion/plan.py" in imports
    bad = {f: sorted(n for n in ns if _under(n, above)) for f, ns in imports.items()}
    assert {f: ns for f, ns in bad.items() if ns} == {}


def test_analysing_never_loads_the_fixer() -> None:
    """The same rule at run time: a full analysis of every example loads no ``mindport.fixes``."""
    work = """
from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.kb.loader import load_knowledge
kb = load_knowledge()
analyzer = Analyzer(kb)
for path in sorted(Path("examples").glob("*.py")):
    findings = analyzer.analyze_static(path.read_text(encoding="utf-8"), AnalysisOptions()).findings
    assert any(f.fix is not None for f in findings) or not findings
import mindport.conversion.plan
print(json.dumps(sorted(m for m in sys.modules if m.startswith("mindport."))))
"""
    code = _PROBE.format(modules=["mindport.analysis.engine"], work=work)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-2]))
    assert "mindport.conversion.plan" in loaded
    assert not {m for m in loaded if m.startswith("mindport.fixes")}


def test_the_server_starts_without_importing_jedi() -> None:
    """jedi is imported on the jedi thread when the first question comes: the server's start
    and its first static diagnostics do not wait for it (benchmarks/first_diagnostics.py)."""
    loaded = imported_after(
        ["mindport.cli", "mindport.lsp.server"],
        "import mindport.lsp.server as s; s.create_server()",
    )
    assert "pygls" in loaded  # the probe did load the server
    assert "jedi" not in loaded and "parso" not in loaded

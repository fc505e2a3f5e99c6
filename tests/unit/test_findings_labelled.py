"""Every labelled reference in tests/data/parameter is found, and nothing else is."""

from __future__ import annotations

from pathlib import Path

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.kb.loader import KnowledgeBase
from tests.conftest import DATA, SEED_ENTRY, expected_labels

FILES = sorted(
    [*(DATA / "parameter").glob("*.py"), *(DATA / "lsp" / "forms").glob("*.py")],
    key=lambda p: (p.parent.name, p.name),
)
FILES = [p for p in FILES if not p.name.endswith(".fixed.py")]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_findings_match_labels(path: Path, kb: KnowledgeBase) -> None:
    text = path.read_text(encoding="utf-8")
    analysis = Analyzer(kb).analyze_static(text, AnalysisOptions())
    lines = analysis.static.parsed.lines
    found = {
        (f.code, f.span.start.line, lines.text_of(f.span))
        for f in analysis.findings
        if f.entry_id == SEED_ENTRY  # the labels are about the seed; other APIs come and go
    }
    assert found == expected_labels(text)


def test_labelled_data_covers_the_seed_rules() -> None:
    codes = {
        code for path in FILES for code, _, _ in expected_labels(path.read_text(encoding="utf-8"))
    }
    assert codes == {"MP101", "MP202", "MP301"}

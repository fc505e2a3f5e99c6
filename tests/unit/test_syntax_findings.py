"""A syntax error costs only the broken statement, and the file says so (MP001)."""

from __future__ import annotations

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.kb.loader import KnowledgeBase

GOOD = """import torch


def train(model):
    x = torch.zeros(2)
    y = torch.ones(2)
    z = x.view(2)
    w = torch.ones(3)
    v = torch.zeros(3)
    for i in range(3):
        u = torch.ones(i)
    return torch.cat([x, y])


a = torch.ones(4)
"""
# one line dedented by mistake inside the function
BROKEN = GOOD.replace("    z = x.view(2)", "z = x.view(2)")


def lines_with(kb: KnowledgeBase, text: str, locale: str = "en") -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    analysis = Analyzer(kb).analyze_static(text, AnalysisOptions(locale=locale))  # type: ignore[arg-type]
    for finding in analysis.findings:
        found.setdefault(finding.span.start.line, []).append(finding.code)
    return found


def test_a_dedented_line_loses_only_itself(kb: KnowledgeBase) -> None:
    good = lines_with(kb, GOOD)
    broken = lines_with(kb, BROKEN)
    assert "MP001" not in {c for codes in good.values() for c in codes}
    assert broken[7] == ["MP001", "MP101"]  # "unexpected indent" on `w = torch.ones(3)`
    broken[7].remove("MP001")
    good.pop(6, None)  # the dedented statement itself is the one that is lost
    assert good == broken and len(good) == 7


def test_the_syntax_finding_says_the_rest_was_analysed(kb: KnowledgeBase) -> None:
    analysis = Analyzer(kb).analyze_static(BROKEN, AnalysisOptions())
    (finding,) = [f for f in analysis.findings if f.code == "MP001"]
    assert "\n" not in finding.message and "analysed the rest of the file" in finding.message
    assert finding.span.start.column == 4 and finding.span.end.column == len(
        "    w = torch.ones(3)"
    )
    zh = Analyzer(kb).analyze_static(BROKEN, AnalysisOptions(locale="zh"))
    assert any("其余部分照常分析" in f.message for f in zh.findings if f.code == "MP001")


def test_no_syntax_finding_in_a_file_without_torch(kb: KnowledgeBase) -> None:
    analysis = Analyzer(kb).analyze_static("def f(:\n    pass\n", AnalysisOptions())
    assert analysis.findings == ()
    off = Analyzer(kb).analyze_static(BROKEN, AnalysisOptions(rules={"MP001": "off"}))
    assert all(f.code != "MP001" for f in off.findings)

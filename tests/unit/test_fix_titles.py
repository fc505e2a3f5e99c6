"""Quick-fix titles say what the edit does (issue 15: `model.to(device)` promised a replacement)."""

from __future__ import annotations

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.kb.loader import KnowledgeBase
from mindport.text import SourceLines

TEXT = """import torch
model = torch.nn.Linear(2, 2)
model.to(device)
x = torch.zeros(2)
"""


def test_a_title_promises_a_replacement_only_when_the_name_is_replaced(kb: KnowledgeBase) -> None:
    lines = SourceLines(TEXT)
    findings = Analyzer(kb).analyze_static(TEXT, AnalysisOptions()).findings
    titles = {}
    for finding in findings:
        if finding.fix is None or finding.code != "MP101":
            continue
        name = lines.text_of(finding.span)
        replaced = any(edit.span == finding.span for edit in finding.fix.edits)
        titles[name] = finding.fix.title
        if finding.fix.edits and not replaced:
            assert not finding.fix.title.startswith("Replace with"), finding.fix.title
    assert titles["torch.nn.Linear"] == "Replace with mindspore.mint.nn.Linear"
    assert titles["to"].startswith("Adapt the call to mindspore.nn.Cell.to")

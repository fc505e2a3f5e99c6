"""Quick-fix titles say what the edit does: a method MindSpore spells the same way keeps its
name, so its fix must not promise a replacement (issue 15: `model.to(device)` did)."""

from __future__ import annotations

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.kb.loader import KnowledgeBase
from mindport.text import SourceLines

TEXT = """import torch
model = torch.nn.Linear(2, 2)
x = torch.zeros(2)
y = x.amax(dim=1)
"""


def test_a_title_promises_a_replacement_only_when_the_name_is_replaced(kb: KnowledgeBase) -> None:
    lines = SourceLines(TEXT)
    analysis = Analyzer(kb).analyze_static(TEXT, AnalysisOptions(target="classic"))
    titles = {}
    for finding in analysis.findings:
        if finding.fix is None or finding.code != "MP101":
            continue
        replaced = any(edit.span == finding.span for edit in finding.fix.edits)
        titles[lines.text_of(finding.span)] = finding.fix.title
        if finding.fix.edits and not replaced:
            assert not finding.fix.title.startswith("Replace with"), finding.fix.title
    assert titles["torch.nn.Linear"] == "Replace with mindspore.nn.Dense"
    assert titles["amax"] == "Adapt the call to mindspore.Tensor.amax: rename `dim=` to `axis=`"

"""Calls that torch resolves by the argument's type at run time: when another overload reads a
name or expression as something MindSpore cannot take, MindPort says so (and the fix becomes
unsafe) instead of silently assuming the convertible reading."""

from __future__ import annotations

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.analysis.findings import Finding
from mindport.kb.loader import KnowledgeBase

HEADER = "import torch\nx = torch.ones(2, 3)\nm = torch.nn.Linear(2, 3)\n"


def findings(kb: KnowledgeBase, line: str, target: str = "classic") -> list[Finding]:
    analysis = Analyzer(kb).analyze_static(HEADER + line + "\n", AnalysisOptions(target=target))
    last = HEADER.count("\n")
    return [f for f in analysis.findings if f.span.start.line == last]


def test_max_of_a_name_may_be_the_elementwise_maximum(kb: KnowledgeBase) -> None:
    (finding,) = findings(kb, "y = x.max(z)")
    assert finding.code == "MP301"
    assert "`z` is read as `dim`" in finding.message and "`other`" in finding.message


def test_a_literal_settles_the_reading(kb: KnowledgeBase) -> None:
    assert findings(kb, "y = x.max(1)") == []


def test_module_to_with_a_name_is_an_unsafe_fix(kb: KnowledgeBase) -> None:
    (finding,) = findings(kb, "m.to(dev)")
    assert finding.fix is not None and not finding.fix.safe
    assert "`dev` is read as `device`" in finding.message and "`dtype`" in finding.message


def test_no_caution_where_every_reading_converts(kb: KnowledgeBase) -> None:
    # view(dtype) and view(size): MindSpore's view takes both (size as *shape)
    assert findings(kb, "y = x.view(n)") == []
    # hsplit(sections) and hsplit(indices): both are MindSpore's indices_or_sections
    (finding,) = findings(kb, "y = torch.hsplit(x, parts)")
    assert "is read as" not in finding.message and finding.fix is not None and finding.fix.safe


def test_a_keyword_for_a_star_parameter_blocks_the_fix(kb: KnowledgeBase) -> None:
    (finding,) = findings(kb, "y = x.view(size=(6,))")
    assert finding.fix is None and "takes *shape by position" in finding.message


def test_a_number_is_neither_a_sequence_nor_a_tensor(kb: KnowledgeBase) -> None:
    # flip(dims) takes a list; a number goes to flip(*dims), which MindSpore takes as a tuple
    (flip,) = findings(kb, "y = x.flip(0)")
    assert flip.fix is not None and flip.fix.safe
    assert [e.new_text for e in flip.fix.edits] == ["(0,)"]
    # scatter_ has no counterpart since the equivalence suite found the classic
    # tensor_scatter_elements leaves x unchanged: whichever overload, nothing is rewritten
    scatter = findings(kb, "y = x.scatter_(0, i, 2.0)")
    assert {f.code for f in scatter} == {"MP102"}
    assert all(f.fix is None for f in scatter)

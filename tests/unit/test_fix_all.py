"""Fix-all over every Python file in the repository's test data and examples:
the result parses, nothing outside the fixes' edits changes, and a second run changes nothing."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.analysis.findings import Finding
from mindport.fixes.fix_all import _fixes_of, fix_all, minimal_edits, non_overlapping
from mindport.kb.loader import KnowledgeBase, load_knowledge
from mindport.text import TextEdit, apply_edits
from tests.conftest import DATA, ROOT

SOURCES = sorted(
    p
    for p in [*DATA.rglob("*.py"), *(ROOT / "examples").rglob("*.py")]
    if "site" not in p.relative_to(DATA if DATA in p.parents else ROOT).parts[:1]
)


@pytest.fixture(scope="module")
def kbs() -> list[KnowledgeBase]:
    return [load_knowledge(), load_knowledge(DATA / "knowledge" / "rules")]


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True


def _touched_lines(edits: list[TextEdit]) -> set[int]:
    """Lines an edit touches; an end at column 0 does not touch its line (spans are half-open)."""
    lines: set[int] = set()
    for edit in edits:
        start, end = edit.span.start, edit.span.end
        last = end.line - 1 if end.column == 0 and end.line > start.line else end.line
        lines.update(range(start.line, last + 1))
    return lines


def _findings_function(
    analyzer: Analyzer, options: AnalysisOptions
) -> Callable[[str], tuple[Finding, ...]]:
    return lambda text: analyzer.analyze_static(text, options).findings


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_all_properties(path: Path, unsafe: bool, kbs: list[KnowledgeBase]) -> None:
    original = path.read_text(encoding="utf-8")
    for kb in kbs:
        for target in ("mint", "classic"):
            findings = _findings_function(Analyzer(kb), AnalysisOptions(target=target))

            # Round by round: only lines that an applied edit touches may change.
            text = original
            for _ in range(10):
                fixes = _fixes_of(findings(text), unsafe)
                if not fixes:
                    break
                _, edits = non_overlapping(fixes)
                new = apply_edits(text, edits)
                changed = _touched_lines(minimal_edits(text, new))
                old_lines = len(text.splitlines())
                assert {line for line in changed if line < old_lines} <= _touched_lines(edits)
                text = new
            result = fix_all(original, findings, unsafe=unsafe)
            assert result.text == text
            if _parses(original):
                assert _parses(result.text), f"{path} ({target}) no longer parses after fix-all"
            assert fix_all(result.text, findings, unsafe=unsafe).text == result.text


def test_minimal_edits_touch_only_changed_lines() -> None:
    old = "a\nb\nc\nd"
    new = "a\nB\nc\nd\ne\n"
    edits = minimal_edits(old, new)
    assert apply_edits(old, edits) == new
    # The last line has no ending: its edit ends where the text does, not on a line 4.
    assert [(e.span.start.line, e.span.end.line) for e in edits] == [(1, 2), (3, 3)]


@settings(max_examples=300, deadline=None)
@given(
    old=st.lists(st.sampled_from(["", "x\n", "return x\n", "y = 1\n", "# c\n"]), max_size=40),
    changes=st.lists(
        st.tuples(st.integers(0, 40), st.sampled_from(["insert", "delete", "replace"])),
        max_size=6,
    ),
)
def test_minimal_edits_rebuild_the_new_text(old: list[str], changes: list[tuple[int, str]]) -> None:
    """Repetitive lines (what makes a line diff hard) on both sides, any edits."""
    new = list(old)
    for position, change in changes:
        at = min(position, len(new))
        if change == "insert":
            new.insert(at, f"new {position}\n")
        elif new and at < len(new):
            if change == "delete":
                del new[at]
            else:
                new[at] = "z = 2\n"
    before, after = "".join(old), "".join(new)
    assert apply_edits(before, minimal_edits(before, after)) == after


def test_minimal_edits_on_a_large_file_touch_only_the_changed_lines() -> None:
    old = [f"line_{i % 50} = {i // 50}\n" if i % 7 else "\n" for i in range(6000)]
    new = list(old)
    changed = {17, 1500, 3001, 5999}
    for i in changed:
        new[i] = f"changed_{i}\n"
    new.insert(4000, "inserted\n")
    edits = minimal_edits("".join(old), "".join(new))
    assert apply_edits("".join(old), edits) == "".join(new)
    assert _touched_lines(edits) <= changed | {4000}


ARGUMENTS = st.lists(
    st.sampled_from(["w", "data=w", "False", "requires_grad=False", "*args", "**kwargs", "name"]),
    max_size=4,
)
LAYOUT = st.sampled_from([", ", ",\n    ", ",  # note\n    "])


@settings(max_examples=150, deadline=None)
@given(
    arguments=ARGUMENTS,
    separator=LAYOUT,
    trailing=st.booleans(),
    callee=st.sampled_from(["nn.Parameter", "torch.nn.Parameter", "P"]),
)
def test_generated_calls_stay_valid_and_keep_every_argument(
    arguments: list[str], separator: str, trailing: bool, callee: str
) -> None:
    call = f"{callee}({separator.join(arguments)}{',' if trailing and arguments else ''})"
    text = f"import torch\nimport torch.nn as nn\nfrom torch.nn import Parameter as P\n\nx = {call}  # end\n"
    if not _parses(text):
        return  # e.g. a positional argument after **kwargs
    kb = load_knowledge()
    analyzer = Analyzer(kb)
    result = fix_all(
        text, lambda t: analyzer.analyze_static(t, AnalysisOptions()).findings, unsafe=True
    )
    assert _parses(result.text)
    assert "# end" in result.text and result.text.count("# note") == text.count("# note")
    if result.text != text:
        call_text = result.text.split("x = ", 1)[1]
        for argument in arguments:
            value = argument.split("=", 1)[-1]
            assert value in call_text, f"{argument} was lost: {result.text}"

"""What every input must give: no exception, fixes that parse, fix-all idempotent, every edit
inside the text and apart from the others, nothing changed outside the edits."""

from __future__ import annotations

import ast
import itertools
import os
from collections.abc import Callable

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.analysis.findings import Finding
from mindport.analysis.scopes import SCOPE_NODES, ScopeBuilder
from mindport.analysis.syntax import parse_source, recursion_room
from mindport.fixes.fix_all import MAX_ROUNDS, _fixes_of, fix_all, minimal_edits, non_overlapping
from mindport.text import SourceLines, TextEdit, apply_edits

# How much longer than the default to fuzz (CI sets e.g. MINDPORT_FUZZ_SCALE=20).
SCALE = max(1.0, float(os.environ.get("MINDPORT_FUZZ_SCALE", "1")))


def scaled(examples: int) -> int:
    return int(examples * SCALE)


def parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def check_edits_inside(text: str, edits: list[TextEdit]) -> None:
    """Each edit is inside ``text`` (no position past a line's end or the last line) and no two
    overlap (two insertions at one point count as overlapping: their order is arbitrary)."""
    lines = SourceLines(text)
    end = lines.position(len(text))
    placed = []
    for edit in edits:
        start, stop = edit.span.start, edit.span.end
        assert start <= stop <= end, (edit, end)
        for position in (start, stop):
            if position.line < len(lines):
                body = lines.line(position.line).rstrip("\r\n")
                assert position.column <= len(body), (edit, body)
        placed.append((lines.offset(start), lines.offset(stop)))
    placed.sort()
    for (a_start, a_end), (b_start, b_end) in itertools.pairwise(placed):
        assert a_end <= b_start and (a_start, a_end) != (b_start, b_end), placed


def check_scopes(text: str) -> None:
    """Every scope node of the (repaired) tree has its scope."""
    tree = parse_source(text).tree
    with recursion_room(tree) as room:
        if not room:
            return  # the static pass gives up on such a tree (tested elsewhere)
        scopes = ScopeBuilder().build(tree)
    missing = [n for n in ast.walk(tree) if isinstance(n, SCOPE_NODES) and id(n) not in scopes]
    assert not missing, [type(n).__name__ for n in missing]


def check_text(analyzer: Analyzer, text: str, targets: tuple[str, ...] = ("mint",)) -> int:
    """All the properties for one text; returns the number of fixes applied."""
    check_scopes(text)
    original_parses = parses(text)
    applied = 0
    for target in targets:
        options = AnalysisOptions(target=target)

        def findings(t: str, options: AnalysisOptions = options) -> tuple[Finding, ...]:
            return analyzer.analyze_static(t, options).findings

        lines = SourceLines(text)
        for finding in findings(text):
            check_edits_inside(text, [TextEdit(finding.span, "")])
            if finding.fix is not None:
                check_edits_inside(text, list(finding.fix.edits))
        for unsafe in (False, True):
            applied += _check_fix_all(text, findings, unsafe, original_parses)
        del lines
    return applied


def _check_fix_all(
    text: str,
    findings: Callable[[str], tuple[Finding, ...]],
    unsafe: bool,
    original_parses: bool,
) -> int:
    current = text
    for _ in range(MAX_ROUNDS):
        fixes = _fixes_of(findings(current), unsafe)
        if not fixes:
            break
        _, edits = non_overlapping(fixes)
        check_edits_inside(current, edits)
        new = apply_edits(current, edits)
        _check_only_edited_changed(current, new, edits)
        current = new
    result = fix_all(text, findings, unsafe=unsafe)
    assert result.text == current
    if original_parses:
        assert parses(result.text), result.text
    again = fix_all(result.text, findings, unsafe=unsafe)
    assert again.text == result.text, "fix-all is not idempotent"
    outline = minimal_edits(text, result.text)
    check_edits_inside(text, outline)
    assert apply_edits(text, outline) == result.text
    return result.applied


def _check_only_edited_changed(old: str, new: str, edits: list[TextEdit]) -> None:
    """The text between the edits is the same, character for character, in ``new``."""
    lines = SourceLines(old)
    spans = sorted(
        (lines.offset(e.span.start), lines.offset(e.span.end), e.new_text) for e in edits
    )
    cursor, at = 0, 0
    for start, end, new_text in spans:
        kept = old[cursor:start]
        assert new[at : at + len(kept)] == kept
        at += len(kept)
        assert new[at : at + len(new_text)] == new_text
        at += len(new_text)
        cursor = end
    assert new[at:] == old[cursor:]

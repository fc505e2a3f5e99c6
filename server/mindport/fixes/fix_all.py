"""Apply every fix of a file, to a fixed point, and express the result as minimal edits.

Fixes are computed against one version of the text. Two fixes may touch the same text (a
call nested inside another call's argument that is renamed, say); we take the ones that do not
overlap, apply them, analyse again and repeat, so one run leaves nothing for a second run to
do (fix-all is idempotent). Identical edits (the same ``import mindspore`` line wanted by
many fixes) are applied once.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from mindport.analysis.findings import Finding
from mindport.fixes.model import Fix
from mindport.text import Position, SourceLines, Span, TextEdit, apply_edits

MAX_ROUNDS = 10


@dataclass(frozen=True)
class FixAllResult:
    text: str
    applied: int  # fixes applied, over all rounds
    rounds: int


def _fixes_of(findings: tuple[Finding, ...] | list[Finding], unsafe: bool) -> list[Fix]:
    chosen: list[Fix] = []
    seen: set[int] = set()
    for finding in findings:
        fix = finding.fix
        if fix is None or id(fix) in seen or not (fix.safe or unsafe):
            continue
        seen.add(id(fix))
        chosen.append(fix)
    return chosen


def non_overlapping(fixes: list[Fix]) -> tuple[list[Fix], list[TextEdit]]:
    """The fixes that can be applied together, and their merged edits (duplicates once)."""
    taken: list[Fix] = []
    edits: list[TextEdit] = []
    for fix in sorted(fixes, key=lambda f: min(e.span.start for e in f.edits)):
        new = [e for e in fix.edits if e not in edits]
        if any(_clash(e, other) for e in new for other in edits):
            continue
        taken.append(fix)
        edits.extend(new)
    return taken, edits


def _clash(a: TextEdit, b: TextEdit) -> bool:
    if a.span.overlaps(b.span):
        return True
    # Two insertions at one point would be applied in an arbitrary order.
    return a.span.start == a.span.end == b.span.start == b.span.end


def fix_all(
    text: str,
    findings_of: Callable[[str], list[Finding] | tuple[Finding, ...]],
    *,
    unsafe: bool = False,
) -> FixAllResult:
    """Apply safe fixes (and unsafe ones when asked) until none is left."""
    applied = 0
    rounds = 0
    while rounds < MAX_ROUNDS:
        fixes = _fixes_of(findings_of(text), unsafe)
        if not fixes:
            break
        rounds += 1
        taken, edits = non_overlapping(fixes)
        text = apply_edits(text, edits)
        applied += len(taken)
    return FixAllResult(text, applied, rounds)


def minimal_edits(old: str, new: str) -> list[TextEdit]:
    """Line-level edits that turn ``old`` into ``new``; unchanged lines are not touched."""
    before = SourceLines(old).lines
    after = SourceLines(new).lines
    edits = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        span = Span(Position(i1, 0), Position(i2, 0))
        edits.append(TextEdit(span, "".join(after[j1:j2])))
    return edits

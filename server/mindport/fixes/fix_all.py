"""Apply every fix of a file, to a fixed point, and express the result as minimal edits.

Fixes are computed against one version of the text. Two fixes may touch the same text (a
call nested inside another call's argument that is renamed, say); we take the ones that do not
overlap, apply them, analyse again and repeat, so one run leaves nothing for a second run to
do (fix-all is idempotent). Identical edits (the same ``import mindspore`` line wanted by
many fixes) are applied once.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Callable
from dataclasses import dataclass

from mindport.analysis.findings import Finding
from mindport.conversion.fix import Fix
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
    placed = _Placed()
    for fix in sorted(fixes, key=lambda f: min(e.span.start for e in f.edits)):
        new = [e for e in fix.edits if e not in placed.seen]
        if any(placed.clashes(e) for e in new):
            continue
        taken.append(fix)
        edits.extend(new)
        for edit in new:
            placed.add(edit)
    return taken, edits


_Point = tuple[int, int]


class _Placed:
    """The edits taken so far, answering "does this edit clash with one of them?" quickly.

    ``_clash`` against every edit taken made fix-all quadratic (1.2 s for the 700 fixes of a
    5,000-line file). Edits taken are kept sorted by (start, end); while no two of them
    overlap, their ends grow with their starts, so the one edit that can overlap a new edit
    is the last that starts before the new one ends. Should two taken edits ever overlap
    (a fix whose own edits do), every later question compares with every edit taken, as
    before: the answers are the same either way.
    """

    def __init__(self) -> None:
        self.seen: set[TextEdit] = set()
        self._edits: list[TextEdit] = []
        self._spans: list[tuple[_Point, _Point]] = []  # sorted
        self._empty: set[_Point] = set()  # insertion points
        self._disjoint = True

    def clashes(self, edit: TextEdit) -> bool:
        if not self._disjoint:
            return any(_clash(edit, other) for other in self._edits)
        start, end = _point(edit.span.start), _point(edit.span.end)
        if start == end and start in self._empty:
            return True  # two insertions at one point
        before = bisect.bisect_left(self._spans, (end,))  # those that start before ``end``
        return before > 0 and self._spans[before - 1][1] > start

    def add(self, edit: TextEdit) -> None:
        if self._disjoint and self._overlaps(edit):
            self._disjoint = False
        start, end = _point(edit.span.start), _point(edit.span.end)
        bisect.insort(self._spans, (start, end))
        if start == end:
            self._empty.add(start)
        self._edits.append(edit)
        self.seen.add(edit)

    def _overlaps(self, edit: TextEdit) -> bool:
        start, end = _point(edit.span.start), _point(edit.span.end)
        before = bisect.bisect_left(self._spans, (end,))
        return before > 0 and self._spans[before - 1][1] > start


def _point(position: Position) -> _Point:
    return (position.line, position.column)


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
    """Line-level edits that turn ``old`` into ``new``; unchanged lines are not touched.

    Every position is inside ``old``: an edit that reaches the end of a text without a final
    line ending ends at the end of its last line, not at the start of a line it does not have.
    """
    lines = SourceLines(old)
    before = lines.lines
    after = SourceLines(new).lines
    starts = [0]
    for line in before:
        starts.append(starts[-1] + len(line))
    return [
        TextEdit(
            Span(lines.position(starts[i1]), lines.position(starts[i2])),
            "".join(after[j1:j2]),
        )
        for i1, i2, j1, j2 in _changed_blocks(before, after)
    ]


# Above this many line pairs a gap without unique lines is replaced whole rather than diffed:
# difflib's matcher is quadratic on repetitive lines (blank lines, ``return x``).
_DIFFLIB_BUDGET = 250_000


def _changed_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int, int]]:
    """``(i1, i2, j1, j2)``: ``a[i1:i2]`` becomes ``b[j1:j2]``, in order, the rest equal.

    A patience diff: lines that occur once on each side anchor the two texts (their longest
    increasing run), the gaps between anchors are diffed the same way after trimming their
    common ends, and small gaps without anchors go to difflib. Fix-all changes few lines of
    large files, so nearly every line is trimmed or anchored; diffing a 5,000-line file with
    difflib alone took seconds.
    """
    blocks: list[tuple[int, int, int, int]] = []
    pending = [(0, len(a), 0, len(b))]
    while pending:
        alo, ahi, blo, bhi = pending.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
        if alo == ahi or blo == bhi:
            if alo < ahi or blo < bhi:
                blocks.append((alo, ahi, blo, bhi))
            continue
        anchors = _anchors(a, alo, ahi, b, blo, bhi)
        if anchors:
            for (i, j), (next_i, next_j) in zip(
                [(alo - 1, blo - 1), *anchors], [*anchors, (ahi, bhi)], strict=True
            ):
                pending.append((i + 1, next_i, j + 1, next_j))
        elif (ahi - alo) * (bhi - blo) <= _DIFFLIB_BUDGET:
            matcher = difflib.SequenceMatcher(a=a[alo:ahi], b=b[blo:bhi], autojunk=False)
            blocks.extend(
                (alo + i1, alo + i2, blo + j1, blo + j2)
                for tag, i1, i2, j1, j2 in matcher.get_opcodes()
                if tag != "equal"
            )
        else:
            blocks.append((alo, ahi, blo, bhi))
    return sorted(blocks)


def _anchors(
    a: list[str], alo: int, ahi: int, b: list[str], blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Pairs of positions of lines that occur exactly once in ``a[alo:ahi]`` and in
    ``b[blo:bhi]``, the longest run that is in order on both sides."""
    once_a = _once(a, alo, ahi)
    once_b = _once(b, blo, bhi)
    pairs = [(i, once_b[line]) for line, i in once_a.items() if line in once_b]
    pairs.sort()
    # Longest increasing subsequence of the b positions (patience sorting, with back links).
    tails: list[int] = []  # tails[k]: index into pairs of the smallest end of a run of k + 1
    ends: list[int] = []  # ends[k]: that end's b position
    back: list[int] = []
    for index, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(ends, j)
        back.append(tails[k - 1] if k > 0 else -1)
        if k == len(tails):
            tails.append(index)
            ends.append(j)
        else:
            tails[k] = index
            ends[k] = j
    run: list[tuple[int, int]] = []
    index = tails[-1] if tails else -1
    while index >= 0:
        run.append(pairs[index])
        index = back[index]
    return run[::-1]


def _once(lines: list[str], lo: int, hi: int) -> dict[str, int]:
    """Lines that occur exactly once in ``lines[lo:hi]``, with their position."""
    seen: dict[str, int] = {}
    repeated: set[str] = set()
    for index in range(lo, hi):
        line = lines[index]
        if line in seen:
            repeated.add(line)
        else:
            seen[line] = index
    return {line: index for line, index in seen.items() if line not in repeated}


def line_map(before: list[str], after: list[str]) -> tuple[dict[int, int], dict[int, int]]:
    """Lines of ``after`` -> their line in ``before``: the unchanged ones, and the rewritten
    ones (a changed block of as many lines on both sides, paired in order)."""
    unchanged: dict[int, int] = {}
    rewritten: dict[int, int] = {}
    i = j = 0
    for i1, i2, j1, j2 in [*_changed_blocks(before, after), (len(before), 0, len(after), 0)]:
        while i < i1 and j < j1:
            unchanged[j] = i
            i, j = i + 1, j + 1
        if i2 - i1 == j2 - j1:
            rewritten.update((j1 + k, i1 + k) for k in range(i2 - i1))
        i, j = max(i, i2), max(j, j2)
    return unchanged, rewritten

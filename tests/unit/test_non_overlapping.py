"""``non_overlapping`` picks exactly the fixes the simple quadratic rule picks, faster."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from mindport.conversion.fix import Fix
from mindport.fixes.fix_all import non_overlapping
from mindport.text import Position, Span, TextEdit


def _clash(a: TextEdit, b: TextEdit) -> bool:
    if a.span.overlaps(b.span):
        return True
    return a.span.start == a.span.end == b.span.start == b.span.end


def _reference(fixes: list[Fix]) -> tuple[list[Fix], list[TextEdit]]:
    """The rule as first written: compare every new edit with every edit taken."""
    taken: list[Fix] = []
    edits: list[TextEdit] = []
    for fix in sorted(fixes, key=lambda f: min(e.span.start for e in f.edits)):
        new = [e for e in fix.edits if e not in edits]
        if any(_clash(e, other) for e in new for other in edits):
            continue
        taken.append(fix)
        edits.extend(new)
    return taken, edits


# A small grid, so that edits often touch, overlap, repeat and share insertion points.
_positions = st.builds(Position, st.integers(0, 3), st.integers(0, 4))


@st.composite
def _edits(draw: st.DrawFn) -> TextEdit:
    a, b = sorted([draw(_positions), draw(_positions)])
    if draw(st.booleans()):
        b = a  # an insertion
    return TextEdit(Span(a, b), draw(st.sampled_from(["", "x", "import mindspore\n"])))


_fixes = st.lists(
    st.builds(
        Fix,
        title=st.sampled_from(["a", "b"]),
        edits=st.lists(_edits(), min_size=1, max_size=3).map(tuple),
        safe=st.booleans(),
    ),
    max_size=12,
)


@settings(max_examples=600, deadline=None)
@given(_fixes)
def test_the_same_fixes_and_edits_as_the_simple_rule(fixes: list[Fix]) -> None:
    taken, edits = non_overlapping(fixes)
    expected_taken, expected_edits = _reference(fixes)
    assert [id(f) for f in taken] == [id(f) for f in expected_taken]
    assert edits == expected_edits


def test_many_fixes_are_not_quadratic() -> None:
    # 3,000 one-edit fixes on separate lines plus one shared import line: the simple rule
    # compares about 4.5 million pairs (seconds); the sorted index takes milliseconds.
    shared = TextEdit(Span(Position(0, 0), Position(0, 0)), "import mindspore\n")
    fixes = [
        Fix(
            title=f"fix {line}",
            edits=(TextEdit(Span(Position(line, 4), Position(line, 9)), "mint"), shared),
            safe=True,
        )
        for line in range(1, 3001)
    ]
    begin = time.process_time()  # CPU time: a loaded machine stretches wall time, not this
    taken, edits = non_overlapping(fixes)
    assert time.process_time() - begin < 1.0
    assert len(taken) == 3000 and len(edits) == 3001

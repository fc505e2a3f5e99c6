"""Where "Disable CODE for this line" may write its comment, and how it merges codes."""

from __future__ import annotations

import ast

import pytest

from mindport.fixes.ignore_comment import comment_room, disable_edit
from mindport.text import SourceLines, TextEdit


def _apply(text: str, edit: TextEdit) -> str:
    lines = SourceLines(text)
    start, end = lines.offset(edit.span.start), lines.offset(edit.span.end)
    return text[:start] + edit.new_text + text[end:]


def _disable(text: str, line: int, code: str = "MP101") -> str | None:
    edit = disable_edit(text, text.splitlines()[line], line, code)
    return None if edit is None else _apply(text, edit)


def test_appends_a_comment_to_a_plain_line() -> None:
    assert (
        _disable("p = nn.Parameter(w)\n", 0) == "p = nn.Parameter(w)  # mindport: ignore[MP101]\n"
    )


def test_merges_into_an_existing_directive() -> None:
    text = "p = nn.Parameter(data=w)  # keep  # mindport: ignore[MP301]\n"
    assert _disable(text, 0, "MP202") == (
        "p = nn.Parameter(data=w)  # keep  # mindport: ignore[MP301, MP202]\n"
    )
    assert _disable(text, 0, "MP301") is None  # already there


def test_a_directive_spelled_inside_a_string_is_not_a_comment() -> None:
    text = 's = "mindport: ignore[MP301]"; p = nn.Parameter(w)\n'
    after = _disable(text, 0)
    assert after == text.rstrip("\n") + "  # mindport: ignore[MP101]\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('doc = """first\nsecond"""; p = nn.Parameter(w)\n', 0),  # the line ends inside a string
        ("x = torch.zeros(1) + \\\n    torch.ones(1)\n", 0),  # backslash continuation
        ('s = f"""{torch.zeros(1)}\n{x}"""\n', 0),  # inside a multi-line f-string
    ],
)
def test_no_comment_where_it_would_change_the_code(text: str, line: int) -> None:
    assert line in comment_room(text).no_room
    assert _disable(text, line) is None


def test_lines_around_strings_keep_their_room() -> None:
    text = 'doc = """first\nsecond"""; p = nn.Parameter(w)\nq = nn.Parameter(v)  # note \\\n'
    room = comment_room(text)
    assert room.no_room == frozenset({0})  # the comment's backslash continues nothing
    for line in (1, 2):
        after = _disable(text, line)
        assert after is not None
        ast.parse(after)


def test_half_typed_code_still_gets_the_lines_before_the_error() -> None:
    text = 'p = nn.Parameter(w)\ndoc = """never closed\n'
    room = comment_room(text)
    assert not room.complete
    assert (
        _disable(text, 0)
        == 'p = nn.Parameter(w)  # mindport: ignore[MP101]\ndoc = """never closed\n'
    )

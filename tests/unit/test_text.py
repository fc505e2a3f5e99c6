from __future__ import annotations

import pytest

from mindport.text import Position, SourceLines, Span, TextEdit, apply_edits


def test_utf8_columns_become_code_points() -> None:
    lines = SourceLines("x = '中文😀'; y = torch.nn.Parameter(w)\n")
    byte_column = "x = '中文😀'; y = ".encode().__len__()
    assert lines.column_from_utf8(0, byte_column) == len("x = '中文😀'; y = ")


def test_offsets_clamp_past_line_end_and_keep_crlf() -> None:
    lines = SourceLines("ab\r\ncd\r\n")
    assert lines.offset(Position(0, 99)) == 2
    assert lines.offset(Position(1, 1)) == 5
    assert lines.offset(Position(7, 0)) == len(lines.text)


def test_apply_edits_in_any_order_and_refuse_overlaps() -> None:
    text = "a = f(x)\n"
    edits = [
        TextEdit(Span.of(0, 4, 0, 5), "g"),
        TextEdit(Span.of(0, 0, 0, 0), "import m\n"),
        TextEdit(Span.of(0, 6, 0, 6), "y="),
    ]
    assert apply_edits(text, edits) == "import m\na = g(y=x)\n"
    with pytest.raises(ValueError):
        apply_edits(text, [TextEdit(Span.of(0, 0, 0, 3), ""), TextEdit(Span.of(0, 2, 0, 5), "")])


def test_span_contains_touching_end() -> None:
    span = Span.of(1, 4, 1, 16)
    assert span.contains(Position(1, 16))
    assert not span.contains(Position(1, 17))
    assert span.overlaps(Span.of(1, 15, 1, 20))
    assert not span.overlaps(Span.of(1, 16, 1, 20))

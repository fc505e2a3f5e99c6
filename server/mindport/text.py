"""Text positions shared by the whole core.

Every position inside MindPort's core is ``(line, column)`` with a **0-based line** and a
column counted in **code points** (Python ``str`` indices). Two other conventions meet
this one at the edges, and each is converted exactly once:

* ``ast`` reports 1-based lines and columns in **UTF-8 bytes** (see ``SourceLines``);
* LSP clients count columns in their negotiated encoding, UTF-16 for VS Code
  (converted in ``mindport.lsp.convert`` through pygls' position codec).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Position:
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of text."""

    start: Position
    end: Position

    @classmethod
    def of(cls, line: int, column: int, end_line: int, end_column: int) -> Span:
        return cls(Position(line, column), Position(end_line, end_column))

    def contains(self, position: Position) -> bool:
        """True when ``position`` is inside the span or touches its end (cursor after a name)."""
        return self.start <= position <= self.end

    def covers(self, position: Position) -> bool:
        """True when the character at ``position`` is inside the span (what a mouse points at)."""
        return self.start <= position < self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace the text in ``span`` with ``new_text`` (an insertion when the span is empty)."""

    span: Span
    new_text: str


_BREAK = re.compile(r"\r\n|\r|\n")
# What ``str.splitlines`` breaks on besides ``\n`` and ``\r``; Python and LSP do not.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """``text.splitlines(keepends)``, except that only ``\\n``, ``\\r\\n`` and ``\\r`` end a line.

    That is where Python's tokenizer and LSP clients end lines; ``str.splitlines`` also breaks
    on form feed, ``\\x0b``, ``\\x1c``-``\\x1e``, U+0085, U+2028 and U+2029, which may sit in
    comments and strings (a latin-1 file's 0x85 is U+0085).
    """
    if _OTHER_BREAKS.search(text) is None:
        return text.splitlines(keepends)
    lines: list[str] = []
    start = 0
    for match in _BREAK.finditer(text):
        lines.append(text[start : match.end() if keepends else match.start()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def line_reader(text: str) -> Callable[[], str]:
    """A ``readline`` over ``text`` for ``tokenize``, with lines as ``split_lines`` has them.

    ``io.StringIO(text).readline`` ends lines at ``\\n`` only (a ``\\r`` file is one line), and
    ``tokenize`` takes a lone ``\\r`` inside brackets for the end of a statement: each line is
    handed over ending in ``\\n``. Lines and columns of every token stay as in ``text``.
    """
    normal = (_ending_in_newline(line) for line in split_lines(text, keepends=True))
    return functools.partial(next, normal, "")


def _ending_in_newline(line: str) -> str:
    body = line.rstrip("\r\n")
    return body + "\n" if len(body) < len(line) else line


class SourceLines:
    """The lines of a text, with the conversions between offsets and positions.

    Lines keep their line endings, so ``"".join(lines) == text`` holds for ``\\n``,
    ``\\r\\n`` and ``\\r`` alike; nothing else ends a line (see ``split_lines``).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = split_lines(text, keepends=True)
        starts = [0]
        for line in self.lines:
            starts.append(starts[-1] + len(line))
        self._starts = starts

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def offset(self, position: Position) -> int:
        """Offset into ``text`` of a position; positions past a line's end are clamped to it."""
        if position.line >= len(self.lines):
            return len(self.text)
        line = self.lines[position.line].rstrip("\r\n")
        return self._starts[position.line] + min(position.column, len(line))

    def position(self, offset: int) -> Position:
        """The position of an offset into ``text`` (the inverse of ``offset``)."""
        offset = max(0, min(offset, len(self.text)))
        line = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        if line >= len(self.lines):  # the end of the text
            last = self.lines[-1] if self.lines else "\n"
            if last.endswith(("\r", "\n")):
                return Position(len(self.lines), 0)  # the empty line after the last ending
            return Position(len(self.lines) - 1, len(last))
        return Position(line, offset - self._starts[line])

    def column_from_utf8(self, line_index: int, byte_column: int) -> int:
        """Convert an ``ast`` column (UTF-8 bytes) on a 0-based line to code points."""
        line = self.line(line_index)
        if line.isascii():
            return byte_column
        return len(line.encode("utf-8")[:byte_column].decode("utf-8", errors="replace"))

    def text_of(self, span: Span) -> str:
        return self.text[self.offset(span.start) : self.offset(span.end)]


def apply_edits(text: str, edits: list[TextEdit] | tuple[TextEdit, ...]) -> str:
    """Apply non-overlapping edits to ``text``; raises ``ValueError`` on overlap."""
    lines = SourceLines(text)
    placed = sorted(
        ((lines.offset(e.span.start), lines.offset(e.span.end), e.new_text) for e in edits),
        key=lambda item: (item[0], item[1]),
    )
    out: list[str] = []
    cursor = 0
    for start, end, new_text in placed:
        if start < cursor:
            raise ValueError("overlapping edits")
        out.append(text[cursor:start])
        out.append(new_text)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)

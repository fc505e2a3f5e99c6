"""Text positions shared by the whole core.

Every position inside MindPort's core is ``(line, column)`` with a **0-based line** and a
column counted in **code points** (Python ``str`` indices). Two other conventions meet
this one at the edges, and each is converted exactly once:

* ``ast`` reports 1-based lines and columns in **UTF-8 bytes** (see ``SourceLines``);
* LSP clients count columns in their negotiated encoding, UTF-16 for VS Code
  (converted in ``mindport.lsp.convert`` through pygls' position codec).
"""

from __future__ import annotations

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


class SourceLines:
    """The lines of a text, with the conversions between offsets and positions.

    Lines keep their line endings, so ``"".join(lines) == text`` holds for ``\\n``,
    ``\\r\\n`` and ``\\r`` alike.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = text.splitlines(keepends=True)
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

"""MindPort's comments in the analysed code: suppressions and the TODOs its fixes leave.

``# mindport: ignore[MP101, MP202]`` (or a bare ``# mindport: ignore``) silences findings that
start on its line; ``# mindport: ignore-file[...]`` anywhere silences them in the whole file.
``# TODO(mindport): [MP201] ...`` is written by a fix that had to remove an argument; it is
reported again as long as it stays, so nothing that was dropped is forgotten.
"""

from __future__ import annotations

import re
import tokenize
from dataclasses import dataclass, field

from mindport.text import Position, Span, line_reader, split_lines

# The code list stops at the next bracket of either kind: each scan ends where the next one
# could start, so ``finditer`` stays linear on a comment full of unclosed ``ignore[``.
_DIRECTIVE = re.compile(r"mindport:\s*(ignore-file|ignore)\b(?:\[([^\[\]]*)\])?")
_TODO = re.compile(r"TODO\(mindport\):\s*\[(MP\d{3})\]\s*(.*)")


@dataclass(frozen=True, slots=True)
class Directive:
    span: Span  # the ``mindport: ignore[...]`` text
    codes: frozenset[str] | None  # None: every code
    file_level: bool

    def covers(self, code: str) -> bool:
        return self.codes is None or code in self.codes


@dataclass(frozen=True, slots=True)
class TodoMarker:
    span: Span  # the whole comment
    code: str
    text: str


@dataclass
class Comments:
    directives: list[Directive] = field(default_factory=list)
    todos: list[TodoMarker] = field(default_factory=list)

    def suppresses(self, code: str, line: int) -> bool:
        return any(
            d.covers(code) and (d.file_level or d.span.start.line == line) for d in self.directives
        )

    def directive_at(self, position: Position) -> Directive | None:
        return next((d for d in self.directives if d.span.covers(position)), None)


def _comment_tokens(text: str) -> list[tuple[int, int, str]]:
    """(0-based line, code-point column, text) of every comment; regex fallback on bad input."""
    found: list[tuple[int, int, str]] = []
    try:
        for token in tokenize.generate_tokens(line_reader(text)):
            if token.type == tokenize.COMMENT:
                found.append((token.start[0] - 1, token.start[1], token.string))
        return found
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    # Half-typed code: a line-by-line guess is better than nothing (a '#' in a string may fool it).
    found.clear()
    for number, line in enumerate(split_lines(text)):
        index = line.find("#")
        if index >= 0:
            found.append((number, index, line[index:].rstrip("\r\n")))
    return found


def parse_comments(text: str) -> Comments:
    comments = Comments()
    if "mindport" not in text:  # the common case costs one scan of the text
        return comments
    for line, column, comment in _comment_tokens(text):
        for match in _DIRECTIVE.finditer(comment):
            codes = None
            if match.group(2) is not None:
                codes = frozenset(c.strip() for c in match.group(2).split(",") if c.strip())
            span = Span(
                Position(line, column + match.start()), Position(line, column + match.end())
            )
            comments.directives.append(Directive(span, codes, match.group(1) == "ignore-file"))
        todo = _TODO.search(comment)
        if todo:
            span = Span(Position(line, column), Position(line, column + len(comment)))
            comments.todos.append(TodoMarker(span, todo.group(1), todo.group(2).strip()))
    return comments

"""The innermost statement around a span, found by bisecting each level's statement list.

A fix that must leave a ``# TODO(mindport): ...`` line puts it above the statement that holds
the call. Scanning every statement of the file for each such call grew with the square of the
file's size; the statements of one body are sorted and disjoint, so each level is a bisect.

The comment line goes above the *physical line where the statement's logical line begins*,
not at the statement itself: ``if x: y = f(a)`` and ``a = 1; y = f(a)`` share their line with
another statement, a statement after a backslash continuation or after a string that spans
lines starts in the middle of a logical line. A comment line put anywhere else breaks the
code (``if x: # TODO`` needs an indented block) or lands inside a string.
"""

from __future__ import annotations

import ast
import tokenize
from bisect import bisect_right

from mindport.analysis.static_pass import node_span
from mindport.text import Position, SourceLines, Span, line_reader


class StatementIndex:
    """Statement spans of one parsed text, computed per statement list as they are needed."""

    def __init__(self, tree: ast.Module, lines: SourceLines) -> None:
        self._tree = tree
        self._lines = lines
        self._bodies: dict[int, tuple[list[Position], list[Span]]] = {}  # id(list) -> spans
        self._logical: tuple[list[int], int] | None = None  # see ``_logical_lines``

    def _spans_of(self, body: list[ast.stmt]) -> tuple[list[Position], list[Span]]:
        known = self._bodies.get(id(body))
        if known is None:
            spans = [node_span(self._lines, node) for node in body]
            known = self._bodies[id(body)] = ([s.start for s in spans], spans)
        return known

    def comment_line_start(self, span: Span) -> Position | None:
        """Where a comment line about the innermost statement containing ``span`` goes: the
        start of the line where that statement's logical line begins, after its indentation.

        None outside any statement, and when the tokenizer cannot tell where the logical line
        begins (half-typed code after the point it stops): better no TODO than a broken file.
        """
        start = self.innermost_start(span)
        if start is None:
            return None
        line = self._logical_start(start.line)
        if line is None:
            return None
        text = self._lines.line(line)
        return Position(line, len(text) - len(text.lstrip(" \t\x0c")))

    def _logical_start(self, line: int) -> int | None:
        starts, known_until = self._logical_lines()
        index = bisect_right(starts, line) - 1
        if line > known_until or index < 0:
            return None
        return starts[index]

    def _logical_lines(self) -> tuple[list[int], int]:
        """The 0-based lines where a logical line begins, and the last line this is known for
        (the whole text unless the tokenizer stops early on broken code)."""
        if self._logical is not None:
            return self._logical
        starts: list[int] = []
        known_until = -1
        expect = True  # the next significant token begins a logical line
        skip = {tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}
        try:
            for token in tokenize.generate_tokens(line_reader(self._lines.text)):
                if token.type == tokenize.NEWLINE:
                    expect = True
                    known_until = token.end[0] - 1
                elif token.type == tokenize.ENDMARKER:
                    known_until = len(self._lines)
                elif expect and token.type not in skip:
                    starts.append(token.start[0] - 1)
                    expect = False
        except (tokenize.TokenError, SyntaxError):
            pass  # IndentationError is a SyntaxError
        self._logical = (starts, known_until)
        return self._logical

    def innermost_start(self, span: Span) -> Position | None:
        """Where the innermost statement that contains ``span`` starts; None outside any."""
        body: list[ast.stmt] | None = self._tree.body
        found: Position | None = None
        while body:
            starts, spans = self._spans_of(body)
            index = bisect_right(starts, span.start) - 1
            if index < 0 or spans[index].end < span.end:
                break
            found = spans[index].start
            body = self._inner_body(body[index], span)
        return found

    def _inner_body(self, statement: ast.stmt, span: Span) -> list[ast.stmt] | None:
        """The statement list inside ``statement`` (a body, an ``else``, a handler's or a
        case's body) whose extent holds ``span``, if any."""
        for _, value in ast.iter_fields(statement):
            if not isinstance(value, list) or not value:
                continue
            if isinstance(value[0], ast.stmt):
                bodies = [value]
            else:
                bodies = [
                    v.body for v in value if isinstance(v, (ast.ExceptHandler, ast.match_case))
                ]
            for body in bodies:  # never empty: Python needs a statement in every body
                spans = self._spans_of(body)[1]
                if spans[0].start <= span.start and span.end <= spans[-1].end:
                    return body
        return None

"""The innermost statement around a span, found by bisecting each level's statement list.

A fix that must leave a ``# TODO(mindport): ...`` line puts it above the statement that holds
the call. Scanning every statement of the file for each such call grew with the square of the
file's size; the statements of one body are sorted and disjoint, so each level is a bisect.
"""

from __future__ import annotations

import ast
from bisect import bisect_right

from mindport.analysis.static_pass import node_span
from mindport.text import Position, SourceLines, Span


class StatementIndex:
    """Statement spans of one parsed text, computed per statement list as they are needed."""

    def __init__(self, tree: ast.Module, lines: SourceLines) -> None:
        self._tree = tree
        self._lines = lines
        self._bodies: dict[int, tuple[list[Position], list[Span]]] = {}  # id(list) -> spans

    def _spans_of(self, body: list[ast.stmt]) -> tuple[list[Position], list[Span]]:
        known = self._bodies.get(id(body))
        if known is None:
            spans = [node_span(self._lines, node) for node in body]
            known = self._bodies[id(body)] = ([s.start for s in spans], spans)
        return known

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

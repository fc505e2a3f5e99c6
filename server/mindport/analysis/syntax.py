"""Parse Python source into an ``ast`` tree, recovering from syntax errors.

Half-typed code is the normal state of a file in an editor. When ``ast.parse`` fails we
repair a working copy line by line (a broken block header becomes ``if 1:``, any other
broken line becomes blank) and parse again, so every statement that does parse still
yields findings. Line numbers never move, and columns are always read from the original
text, so nothing downstream has to know a repair happened.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from mindport.text import SourceLines, split_lines

MAX_REPAIRS = 200
_HEADER = re.compile(
    r"\s*(async\s+)?(def|class|if|elif|else|for|while|with|try|except|finally|match|case)\b"
)
_AFTER_LINE = re.compile(r"on line (\d+)")


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    line: int  # 0-based
    message: str


@dataclass
class ParsedSource:
    lines: SourceLines
    tree: ast.Module
    problems: list[SyntaxProblem] = field(default_factory=list)


def _blank(line: str) -> str:
    body = line.rstrip("\r\n")
    return " " * len(body) + line[len(body) :]


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _repair(work: list[str], error: SyntaxError) -> bool:
    """Change ``work`` so that this error goes away; False when we cannot."""
    if not error.lineno or not work:
        return False
    index = min(error.lineno, len(work)) - 1
    message = error.msg or ""
    after = _AFTER_LINE.search(message)
    if "expected an indented block" in message and after:
        index = int(after.group(1)) - 1  # the header without a body
        work[index] = _blank(work[index])
        return True
    line = work[index]
    if "unexpected indent" in message:
        depth = _indent_of(line)
        # One line dedented inside a block (the usual slip): it becomes an ``if 1:`` header,
        # so the block after it is still analysed; only that statement is lost.
        previous = next((i for i in range(index - 1, -1, -1) if work[i].strip()), None)
        if previous is not None:
            above = work[previous].rstrip("\r\n")
            if (
                _indent_of(above) < depth
                and not above.rstrip().endswith((":", "\\", ",", "("))
                and not above.lstrip().startswith(("#", "@"))
                and above.strip() != "if 1:"
            ):
                work[previous] = " " * _indent_of(above) + "if 1:" + work[previous][len(above) :]
                return True
        # Otherwise drop the stray line and the block indented under it.
        work[index] = _blank(line)
        for follow in range(index + 1, len(work)):
            text = work[follow]
            if text.strip() and _indent_of(text) < depth:
                break
            work[follow] = _blank(text)
        return True
    body = line.rstrip("\r\n")
    if _HEADER.match(body) or body.rstrip().endswith(":"):
        # Keep the block below parseable: a broken header becomes ``if 1:``.
        replacement = " " * _indent_of(body) + "if 1:"
        if work[index].rstrip("\r\n") == replacement:
            work[index] = _blank(line)
        else:
            work[index] = replacement + line[len(body) :]
        return True
    if not body.strip():
        return False
    work[index] = _blank(line)
    return True


def parse_source(text: str) -> ParsedSource:
    """Parse ``text``; on syntax errors, parse the repaired text and report the first error."""
    lines = SourceLines(text)
    source = text.replace("\x00", " ")  # a NUL byte would make ast refuse the whole file
    problems: list[SyntaxProblem] = []
    work: list[str] | None = None
    for _ in range(MAX_REPAIRS):
        try:
            return ParsedSource(lines, ast.parse(source, type_comments=False), problems)
        except SyntaxError as error:
            if not problems:
                problems.append(
                    SyntaxProblem(max((error.lineno or 1) - 1, 0), error.msg or "syntax error")
                )
            if work is None:
                work = split_lines(source, keepends=True)
            if not _repair(work, error):
                break
            source = "".join(work)
        except (RecursionError, MemoryError, ValueError) as error:
            problems.append(SyntaxProblem(0, f"cannot parse: {type(error).__name__}"))
            break
    if not problems:
        problems.append(SyntaxProblem(0, "cannot parse"))
    return ParsedSource(lines, ast.Module(body=[], type_ignores=[]), problems)


# A visitor spends a few frames per level of the tree (visit, the handler, generic_visit, and
# the receiver typing of a chain); ``ast.parse`` builds trees deeper than the default limit of
# 1,000 frames allows to visit (``x = a + a + ... + a`` with 600 terms).
_FRAMES_PER_LEVEL = 6
MAX_RECURSION = 40_000


def tree_depth(tree: ast.AST) -> int:
    """How many nodes deep ``tree`` goes (without recursion)."""
    deepest = 0
    todo = [(tree, 1)]
    while todo:
        node, depth = todo.pop()
        deepest = max(deepest, depth)
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                todo.append((value, depth + 1))
            elif isinstance(value, list):
                todo.extend((item, depth + 1) for item in value if isinstance(item, ast.AST))
    return deepest


@contextmanager
def recursion_room(tree: ast.AST) -> Iterator[bool]:
    """Raise the recursion limit so that a visitor can walk ``tree``; yields False (and changes
    nothing) when that would take more than ``MAX_RECURSION`` frames. The old limit is put
    back afterwards unless someone changed it meanwhile."""
    needed = tree_depth(tree) * _FRAMES_PER_LEVEL + 1_000
    if needed > MAX_RECURSION:
        yield False
        return
    old = sys.getrecursionlimit()
    if needed <= old:
        yield True
        return
    sys.setrecursionlimit(needed)
    try:
        yield True
    finally:
        if sys.getrecursionlimit() == needed:
            sys.setrecursionlimit(old)


def _nothing(visitor: Any, node: ast.AST) -> None:
    """The handler of nodes without fields (``Load``, operators): nothing to visit."""


def walk(tree: ast.AST) -> Iterator[ast.AST]:
    """``ast.walk``: every node under ``tree``, in the same (breadth-first) order, faster."""
    todo = deque([tree])
    while todo:
        node = todo.popleft()
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                todo.append(value)
            elif isinstance(value, list):
                todo.extend(item for item in value if isinstance(item, ast.AST))
        yield node


class Visitor(ast.NodeVisitor):
    """``ast.NodeVisitor`` with the same visiting order, at about half the cost per node.

    The handler of each node class is looked up once per visitor class instead of once per
    node, nodes without fields and without a handler (``Load``, ``Store``, operators) are
    not visited at all, and ``Constant`` nodes skip ``NodeVisitor``'s search for the
    pre-3.8 handlers (``visit_Num`` and friends). The analysis walks every node of a file
    twice, so this is a good part of the static pass's time.
    """

    _handlers: ClassVar[dict[type, Callable[[Any, Any], Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = {}  # per class: a subclass may handle other node classes

    @classmethod
    def handler_of(cls, kind: type[ast.AST]) -> Callable[[Any, Any], Any]:
        """The (unbound) method that visits nodes of class ``kind``, cached per class.

        Subclasses that override ``visit`` call it as
        ``(self._handlers.get(kind) or self.handler_of(kind))(self, node)``.
        """
        handler = getattr(cls, "visit_" + kind.__name__, None)
        if handler is None:
            handler = cls.generic_visit if kind._fields else _nothing
        cls._handlers[kind] = handler
        return handler

    def visit(self, node: ast.AST) -> Any:
        kind = node.__class__
        return (self._handlers.get(kind) or self.handler_of(kind))(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def visit_Constant(self, node: ast.Constant) -> None:
        return None

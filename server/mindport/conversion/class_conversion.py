"""``class Net(nn.Module)`` -> ``class Net(mindspore.nn.Cell)`` with ``forward`` -> ``construct``.

MindSpore calls a Cell's ``construct``; a Cell that only defines ``forward`` fails when called
(verified with mindspore 2.10: "the method 'construct' is not defined"). The fix renames the
method and the ``self.forward`` / ``super().forward`` calls inside the class. It is safe
unless the file calls ``.forward`` somewhere else, which the rename would break.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection

from mindport.analysis.references import Reference
from mindport.analysis.static_pass import StaticResult, node_span
from mindport.analysis.syntax import walk
from mindport.conversion.fix import Fix
from mindport.conversion.imports import add_import_edit, spell
from mindport.kb.model import Locale
from mindport.text import Position, Span, TextEdit

_DEF = re.compile(r"(?:async\s+)?def\s+(forward)\b")


def forward_calls(tree: ast.AST, static: StaticResult) -> list[Span]:
    """The ``forward`` of every ``x.forward`` under ``tree`` (walk the file once, not per class)."""
    text = static.parsed.lines.text
    # An ASCII text without the word has no ``x.forward`` (a non-ASCII one may spell it with
    # characters that NFKC folds to it). A plain substring test: linear on any input.
    if text.isascii() and "forward" not in text:
        return []
    spans = []
    for node in walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "forward":
            span = node_span(static.parsed.lines, node)
            spans.append(Span(Position(span.end.line, span.end.column - len("forward")), span.end))
    return spans


def module_subclass_fix(
    node: ast.ClassDef,
    base: Reference,
    target: str,
    static: StaticResult,
    locale: Locale,
    file_forward_calls: Callable[[], Collection[Span]] | None = None,
) -> Fix | None:
    """The fix for one class; ``file_forward_calls`` gives ``forward_calls`` of the whole
    file, computed once per analysis by the caller (it is only needed for classes that
    rename ``forward``)."""
    lines = static.parsed.lines
    spelled, needs_import = spell(target, static.imports)
    edits = [TextEdit(base.span, spelled)]
    if needs_import:
        edits.append(add_import_edit(target.split(".", 1)[0], static.imports, lines))
    methods = {
        item.name: item
        for item in node.body
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    safe = True
    forward = methods.get("forward")
    if forward is not None and "construct" not in methods:
        start = node_span(lines, forward).start
        match = _DEF.match(lines.line(start.line), start.column)
        if match is None:
            return None
        name_start = Position(start.line, match.start(1))
        edits.append(TextEdit(Span(name_start, Position(start.line, match.end(1))), "construct"))
        inside = forward_calls(node, static)
        edits.extend(TextEdit(span, "construct") for span in inside)
        everywhere = (
            file_forward_calls()
            if file_forward_calls is not None
            else forward_calls(static.parsed.tree, static)
        )
        elsewhere = set(everywhere) - set(inside)
        safe = not elsewhere
    zh = locale == "zh"
    title = f"改为继承 {target}" if zh else f"Derive from {target}"
    if forward is not None and "construct" not in methods:
        title += ",并把 forward 改名为 construct" if zh else " and rename forward to construct"
    if not safe:
        title += (
            "(不安全:文件中其他地方还调用了 .forward)"
            if zh
            else " (unsafe: .forward is called elsewhere)"
        )
    return Fix(title=title, edits=tuple(edits), safe=safe)

"""The static pass: one walk over the ``ast`` that finds every reference it can prove from
imports and plain names, and marks the places where only jedi can tell (candidates)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from mindport.analysis.references import Argument, ArgumentKind, CallSite, Reference, Resolution
from mindport.analysis.scopes import Scope, ScopeBuilder, dotted_parts
from mindport.analysis.syntax import ParsedSource
from mindport.kb.loader import KnowledgeBase
from mindport.kb.model import Framework
from mindport.text import Position, SourceLines, Span

_UNBOUND = object()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A name the static pass cannot resolve but jedi may: ``position`` is on its last part."""

    node_span: Span
    position: Position
    call: CallSite | None


@dataclass
class ModuleImports:
    """Module-level import bindings and where a new import line belongs (used by fixes)."""

    bindings: dict[str, str] = field(default_factory=dict)
    insert_line: int = 0
    line_ending: str = "\n"


@dataclass
class StaticResult:
    parsed: ParsedSource
    references: list[Reference]
    candidates: list[Candidate]
    imports: ModuleImports


def node_span(lines: SourceLines, node: ast.AST) -> Span:
    """An ``ast`` node's span: ast lines are 1-based and its columns are UTF-8 bytes."""
    start_line = node.lineno - 1  # type: ignore[attr-defined]
    end_line = (node.end_lineno or node.lineno) - 1  # type: ignore[attr-defined]
    end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset  # type: ignore[attr-defined]
    return Span(
        Position(start_line, lines.column_from_utf8(start_line, node.col_offset)),  # type: ignore[attr-defined]
        Position(end_line, lines.column_from_utf8(end_line, end_col)),
    )


def call_site(lines: SourceLines, call: ast.Call) -> CallSite:
    arguments: list[Argument] = []
    for arg in call.args:
        span = node_span(lines, arg)
        if isinstance(arg, ast.Starred):
            value_span = node_span(lines, arg.value)
            arguments.append(
                Argument(ArgumentKind.STARRED, span, value_span, lines.text_of(value_span))
            )
        else:
            arguments.append(Argument(ArgumentKind.POSITIONAL, span, span, lines.text_of(span)))
    for keyword in call.keywords:
        span = node_span(lines, keyword)
        value_span = node_span(lines, keyword.value)
        if keyword.arg is None:
            arguments.append(
                Argument(ArgumentKind.DOUBLE_STARRED, span, value_span, lines.text_of(value_span))
            )
        else:
            name_span = Span(
                span.start, Position(span.start.line, span.start.column + len(keyword.arg))
            )
            arguments.append(
                Argument(
                    ArgumentKind.KEYWORD,
                    span,
                    value_span,
                    lines.text_of(value_span),
                    keyword=keyword.arg,
                    keyword_span=name_span,
                )
            )
    arguments.sort(key=lambda a: a.span.start)
    whole = node_span(lines, call)
    close = Span(Position(whole.end.line, whole.end.column - 1), whole.end)
    return CallSite(span=whole, arguments=tuple(arguments), close_paren=close)


def _import_insert_line(tree: ast.Module) -> int:
    """0-based line after the module's leading imports (after the docstring when there are none)."""
    line = 0
    for index, statement in enumerate(tree.body):
        is_docstring = (
            index == 0
            and isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        )
        if is_docstring or isinstance(statement, (ast.Import, ast.ImportFrom)):
            line = statement.end_lineno or statement.lineno
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            break
    return line


class _ReferenceWalker(ast.NodeVisitor):
    """Pass two: resolve every dotted name and keep those the knowledge base knows."""

    def __init__(self, kb: KnowledgeBase, lines: SourceLines, scopes: dict[int, Scope]):
        self.kb = kb
        self.lines = lines
        self.scopes = scopes
        self.references: list[Reference] = []
        self.candidates: list[Candidate] = []
        self._scope: Scope | None = None
        self._calls: dict[int, ast.Call] = {}
        self._resolving: set[int] = set()

    # -- resolution ------------------------------------------------------------------------

    def _resolve_name(self, name: str, scope: Scope) -> object:
        """A dotted name, None (bound to something we do not know) or _UNBOUND."""
        for each in scope.visible_chain():
            if name in each.global_names:
                continue
            binding = each.bindings.get(name)
            if binding is None:
                continue
            if binding.imported is not None:
                return binding.imported
            if binding.alias_of is not None and id(binding.alias_of) not in self._resolving:
                self._resolving.add(id(binding.alias_of))
                try:
                    return self._resolve_dotted(binding.alias_of, each)
                finally:
                    self._resolving.discard(id(binding.alias_of))
            return None
        return _UNBOUND

    def _resolve_dotted(self, node: ast.expr, scope: Scope) -> str | None:
        parts = dotted_parts(node)
        if parts is None:
            return None
        base = self._resolve_name(parts[0], scope)
        return ".".join([base, *parts[1:]]) if isinstance(base, str) else None

    # -- walking ------------------------------------------------------------------------------

    def _inside(self, node: ast.AST, *children: ast.AST) -> None:
        """Visit ``children`` in the scope that ``node`` opens."""
        outer, self._scope = self._scope, self.scopes[id(node)]
        try:
            for child in children:
                self.visit(child)
        finally:
            self._scope = outer

    def visit_Module(self, node: ast.Module) -> None:
        self._scope = self.scopes[id(node)]
        self.generic_visit(node)

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        # Decorators, defaults and annotations belong to the enclosing scope.
        args = node.args
        outer: list[ast.AST] = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
        if not isinstance(node, ast.Lambda):
            outer[:0] = node.decorator_list
            every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
            outer.extend(a.annotation for a in every if a is not None and a.annotation is not None)
            if node.returns is not None:
                outer.append(node.returns)
        for child in outer:
            self.visit(child)
        self._inside(node, *([node.body] if isinstance(node, ast.Lambda) else node.body))

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function
    visit_Lambda = _visit_function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for child in (*node.decorator_list, *node.bases, *node.keywords):
            self.visit(child)
        self._inside(node, *node.body)

    def _visit_comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp
    ) -> None:
        first, *rest = node.generators
        self.visit(first.iter)  # evaluated in the enclosing scope
        inner: list[ast.AST] = [first.target, *first.ifs]
        for generator in rest:
            inner.extend([generator.target, generator.iter, *generator.ifs])
        inner.extend([node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt])
        self._inside(node, *inner)

    visit_ListComp = _visit_comprehension
    visit_SetComp = _visit_comprehension
    visit_DictComp = _visit_comprehension
    visit_GeneratorExp = _visit_comprehension

    def visit_Call(self, node: ast.Call) -> None:
        self._calls[id(node.func)] = node
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._chain(node)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):  # ``alias = ...`` binds ``alias``; it is no reference
            self._chain(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            framework = self._framework(full)
            if framework is None:
                continue
            start = node_span(self.lines, alias).start
            span = Span(start, Position(start.line, start.column + len(alias.name)))
            self.references.append(
                Reference(full, framework, span, Resolution.IMPORTS, is_import=True)
            )

    def _framework(self, name: str) -> Framework | None:
        if self.kb.torch_id(name):
            return Framework.TORCH
        if self.kb.mindspore_ids(name):
            return Framework.MINDSPORE
        return None

    def _chain(self, node: ast.Attribute | ast.Name) -> None:
        chain: list[ast.expr] = []
        cursor: ast.expr = node
        while isinstance(cursor, ast.Attribute):
            chain.append(cursor)
            cursor = cursor.value
        if not isinstance(cursor, ast.Name):
            self.visit(
                cursor
            )  # e.g. ``torch.randn(3).view``: the call inside is a chain of its own
            return
        chain.append(cursor)
        chain.reverse()  # chain[k] covers parts[: k + 1]
        parts = [cursor.id, *(n.attr for n in chain[1:])]  # type: ignore[attr-defined]
        assert self._scope is not None
        base = self._resolve_name(cursor.id, self._scope)
        if isinstance(base, str):
            for k in range(len(parts), 0, -1):
                full = ".".join([base, *parts[1:k]])
                framework = self._framework(full)
                if framework is not None:
                    self._emit(full, framework, chain[k - 1])
                    return
        elif base is _UNBOUND and self.kb.has_short_name(parts[-1]):
            self._candidate(node)

    def _call_of(self, node: ast.expr) -> CallSite | None:
        call = self._calls.get(id(node))
        return call_site(self.lines, call) if call is not None else None

    def _emit(self, name: str, framework: Framework, node: ast.expr) -> None:
        span = node_span(self.lines, node)
        self.references.append(
            Reference(name, framework, span, Resolution.IMPORTS, call=self._call_of(node))
        )

    def _candidate(self, node: ast.Attribute | ast.Name) -> None:
        span = node_span(self.lines, node)
        if isinstance(node, ast.Attribute):
            position = Position(span.end.line, span.end.column - len(node.attr))
        else:
            position = span.start
        self.candidates.append(Candidate(span, position, self._call_of(node)))


def run_static_pass(parsed: ParsedSource, kb: KnowledgeBase) -> StaticResult:
    scopes = ScopeBuilder().build(parsed.tree)
    walker = _ReferenceWalker(kb, parsed.lines, scopes)
    walker.visit(parsed.tree)
    module_scope = scopes[id(parsed.tree)]
    imports = ModuleImports(
        bindings={
            name: binding.imported
            for name, binding in module_scope.bindings.items()
            if binding.imported is not None
        },
        insert_line=_import_insert_line(parsed.tree),
        line_ending="\r\n" if "\r\n" in parsed.lines.line(0) else "\n",
    )
    return StaticResult(parsed, walker.references, walker.candidates, imports)

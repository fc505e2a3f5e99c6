"""Scope-aware name bindings for the static pass.

Python scoping is decided per scope, not per line: a name assigned anywhere in a function is
local to the whole function. So we first collect every binding of every scope, then resolve
names. A name bound only by imports (or by one plain alias assignment such as
``act = torch.relu``) resolves to a dotted name; a name bound in any other way is opaque.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

SCOPE_NODES = (
    ast.Module,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


@dataclass
class Binding:
    """What a name is bound to in one scope."""

    imported: str | None = None  # dotted name from an import
    alias_of: ast.expr | None = None  # the value of a single ``name = dotted.name`` assignment
    opaque: bool = False  # bound some other way (or inconsistently)

    def merge_import(self, full_name: str) -> None:
        if self.opaque or self.alias_of is not None or self.imported not in (None, full_name):
            self.imported, self.alias_of, self.opaque = None, None, True
        else:
            self.imported = full_name

    def merge_alias(self, value: ast.expr) -> None:
        if self.opaque or self.imported is not None or self.alias_of is not None:
            self.imported, self.alias_of, self.opaque = None, None, True
        else:
            self.alias_of = value

    def merge_opaque(self) -> None:
        self.imported, self.alias_of, self.opaque = None, None, True


@dataclass
class Scope:
    node: ast.AST
    parent: Scope | None
    bindings: dict[str, Binding] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)
    star_imports: list[str] = field(default_factory=list)

    @property
    def is_class(self) -> bool:
        return isinstance(self.node, ast.ClassDef)

    def binding(self, name: str) -> Binding:
        return self.bindings.setdefault(name, Binding())

    def visible_chain(self) -> Iterator[Scope]:
        """Scopes searched for a name used here: class bodies are skipped from nested scopes."""
        scope: Scope | None = self
        first = True
        while scope is not None:
            if first or not scope.is_class:
                yield scope
            first = False
            scope = scope.parent


def dotted_parts(node: ast.expr) -> list[str] | None:
    """``a.b.c`` -> ["a", "b", "c"]; None for anything that is not a plain dotted name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    parts.reverse()
    return parts


class ScopeBuilder(ast.NodeVisitor):
    """Pass one: create a ``Scope`` for every scope node and record its bindings."""

    def __init__(self) -> None:
        self.scopes: dict[int, Scope] = {}
        self._current: Scope | None = None

    def build(self, tree: ast.Module) -> dict[int, Scope]:
        self._enter(tree, lambda: self.generic_visit(tree))
        return self.scopes

    def _enter(self, node: ast.AST, body: object) -> None:
        scope = Scope(node, self._current)
        self.scopes[id(node)] = scope
        outer, self._current = self._current, scope
        try:
            body()  # type: ignore[operator]
        finally:
            self._current = outer

    @property
    def scope(self) -> Scope:
        assert self._current is not None
        return self._current

    def _bind_opaque(self, name: str) -> None:
        if name not in self.scope.global_names:
            self.scope.binding(name).merge_opaque()

    def _bind_target(self, target: ast.expr) -> None:
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self._bind_opaque(node.id)

    # -- imports --------------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.scope.binding(alias.asname).merge_import(alias.name)
            else:
                top = alias.name.split(".", 1)[0]  # ``import torch.nn`` binds ``torch``
                self.scope.binding(top).merge_import(top)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            for alias in node.names:  # relative imports are the project's own code
                if alias.name != "*":
                    self._bind_opaque(alias.asname or alias.name)
            return
        for alias in node.names:
            if alias.name == "*":
                self.scope.star_imports.append(node.module)
            else:
                self.scope.binding(alias.asname or alias.name).merge_import(
                    f"{node.module}.{alias.name}"
                )

    # -- other bindings ---------------------------------------------------------------------

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.global_names.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.scope.global_names.update(node.names)

    def visit_Assign(self, node: ast.Assign) -> None:
        target = node.targets[0] if len(node.targets) == 1 else None
        if isinstance(target, ast.Name) and dotted_parts(node.value) is not None:
            if target.id not in self.scope.global_names:
                self.scope.binding(target.id).merge_alias(node.value)
        else:
            for each in node.targets:
                self._bind_target(each)
        self.visit(node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._bind_target(node.target)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._bind_target(node.target)
        self.generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        scope = self.scope
        while isinstance(scope.node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            assert scope.parent is not None
            scope = scope.parent
        scope.binding(node.target.id).merge_opaque()
        self.visit(node.value)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self._bind_target(node.target)
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_withitem(self, node: ast.withitem) -> None:
        if node.optional_vars is not None:
            self._bind_target(node.optional_vars)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self._bind_opaque(node.name)
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name:
            self._bind_opaque(node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self._bind_opaque(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest:
            self._bind_opaque(node.rest)
        self.generic_visit(node)

    # -- scopes -------------------------------------------------------------------------------

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        if not isinstance(node, ast.Lambda):
            self._bind_opaque(node.name)
            for decorator in node.decorator_list:
                self.visit(decorator)
            if node.returns is not None:
                self.visit(node.returns)
        args = node.args
        for default in (*args.defaults, *(d for d in args.kw_defaults if d is not None)):
            self.visit(default)
        all_args = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        if args.vararg:
            all_args.append(args.vararg)
        if args.kwarg:
            all_args.append(args.kwarg)
        if not isinstance(node, ast.Lambda):
            for arg in all_args:
                if arg.annotation is not None:
                    self.visit(arg.annotation)

        def body() -> None:
            for arg in all_args:
                self.scope.binding(arg.arg).merge_opaque()
            if isinstance(node, ast.Lambda):
                self.visit(node.body)
            else:
                for statement in node.body:
                    self.visit(statement)

        self._enter(node, body)

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function
    visit_Lambda = _visit_function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._bind_opaque(node.name)
        for expr in (*node.decorator_list, *node.bases, *(k.value for k in node.keywords)):
            self.visit(expr)

        def body() -> None:
            for statement in node.body:
                self.visit(statement)

        self._enter(node, body)

    def _visit_comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp
    ) -> None:
        # The first iterable is evaluated in the enclosing scope.
        self.visit(node.generators[0].iter)

        def body() -> None:
            for index, generator in enumerate(node.generators):
                self._bind_target(generator.target)
                if index:
                    self.visit(generator.iter)
                for condition in generator.ifs:
                    self.visit(condition)
            if isinstance(node, ast.DictComp):
                self.visit(node.key)
                self.visit(node.value)
            else:
                self.visit(node.elt)

        self._enter(node, body)

    visit_ListComp = _visit_comprehension
    visit_SetComp = _visit_comprehension
    visit_DictComp = _visit_comprehension
    visit_GeneratorExp = _visit_comprehension

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

from mindport.analysis.syntax import Visitor

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


@dataclass(frozen=True, slots=True)
class Origin:
    """How a name got its value, kept when the name is bound exactly once (receiver types).

    ``value``: ``name = value`` (``element``: one item of an unpacked tuple);
    ``annotation``: ``name: annotation`` or an annotated parameter; ``self_of``: the
    first parameter of a method of that class; ``definition``: ``def``/``class name``.
    """

    value: ast.expr | None = None
    element: bool = False
    annotation: ast.expr | None = None
    self_of: ast.ClassDef | None = None
    definition: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | None = None


Path = tuple[tuple[int, str], ...]  # the blocks around a statement: (id(compound), field)
Where = tuple[int, int]  # ast (line, column) of a use, or where a binding takes effect


@dataclass(frozen=True, slots=True)
class Site:
    """One place where a name is bound: what it holds from ``after`` on, in block ``path``."""

    origin: Origin | None
    after: Where
    path: Path


@dataclass
class Binding:
    """What a name is bound to in one scope."""

    imported: str | None = None  # dotted name from an import
    alias_of: ast.expr | None = None  # the value of a single ``name = dotted.name`` assignment
    opaque: bool = False  # bound some other way (or inconsistently)
    relative_import: bool = False  # bound only by relative imports (the project's own code)
    origin: Origin | None = None  # for an opaque name bound once: where its value comes from
    count: int = 0  # how many times the name is bound in this scope
    sites: list[Site] = field(default_factory=list)  # every binding, in source order

    def merge_import(self, full_name: str) -> None:
        self.count += 1
        self.relative_import = False
        if self.opaque or self.alias_of is not None or self.imported not in (None, full_name):
            self.imported, self.alias_of, self.opaque = None, None, True
        else:
            self.imported = full_name

    def merge_alias(self, value: ast.expr) -> None:
        self.count += 1
        self.relative_import = False
        if self.opaque or self.imported is not None or self.alias_of is not None:
            self.imported, self.alias_of, self.opaque = None, None, True
        else:
            self.alias_of = value

    def merge_opaque(self, origin: Origin | None = None) -> None:
        self.count += 1
        self.relative_import = False
        self.imported, self.alias_of, self.opaque = None, None, True
        self.origin = origin if self.count == 1 else None

    def reaching(self, where: Where, path: Path, loops: set[int]) -> Origin | None:
        """The origin of the value a use at ``where`` (in block ``path``) sees, when certain.

        That is the last binding before the use, if it is in the use's block or an enclosing
        one, and no binding later in a loop around the use can flow back to it.
        """
        before = [site for site in self.sites if site.after <= where]
        if not before:
            return None
        last = before[-1]
        if last.path != path[: len(last.path)]:
            return None  # bound in a branch (or a try) that the use is not inside
        inner_loops = {block for block, _ in path[len(last.path) :] if block in loops}
        if inner_loops and any(
            site.after > where and any(block in inner_loops for block, _ in site.path)
            for site in self.sites
        ):
            return None
        return last.origin


@dataclass(eq=False)  # compared and hashed by identity: a user class's scope is a type
class Scope:
    node: ast.AST
    parent: Scope | None
    bindings: dict[str, Binding] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)
    star_imports: list[str] = field(default_factory=list)
    # Class scopes: ``self.<name> = value`` in the class's methods, with the method's scope.
    members: dict[str, list[tuple[ast.expr, Scope, Path]]] = field(default_factory=dict)
    self_name: str | None = None  # function scopes of methods: the name of ``self``

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


def dotted_name(node: ast.expr) -> str | None:
    parts = dotted_parts(node)
    return ".".join(parts) if parts is not None else None


class ScopeBuilder(Visitor):
    """Pass one: create a ``Scope`` for every scope node and record its bindings."""

    def __init__(self) -> None:
        self.scopes: dict[int, Scope] = {}
        self.paths: dict[int, Path] = {}  # id(statement) -> the blocks around it
        self.loops: set[int] = set()  # ids of for/while statements
        self._current: Scope | None = None
        self._statement: ast.stmt | None = None

    def build(self, tree: ast.Module) -> dict[int, Scope]:
        self._enter(tree, lambda: self.generic_visit(tree))
        return self.scopes

    def visit(self, node: ast.AST) -> None:
        kind = node.__class__
        handler = self._handlers.get(kind) or self.handler_of(kind)
        if not isinstance(node, ast.stmt):
            handler(self, node)
            return
        path = self.paths.get(id(node), ())
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            self.loops.add(id(node))
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list):
                for child in block:
                    self.paths[id(child)] = (*path, (id(node), name))
        for part in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
            for child in part.body:
                self.paths[id(child)] = (*path, (id(part), "body"))
        outer, self._statement = self._statement, node
        try:
            handler(self, node)
        finally:
            self._statement = outer

    def _site(self, binding: Binding, origin: Origin | None) -> None:
        statement = self._statement
        if statement is None:
            binding.sites.append(Site(origin, (0, 0), ()))
            return
        after = (statement.end_lineno or statement.lineno, statement.end_col_offset or 0)
        binding.sites.append(Site(origin, after, self.paths.get(id(statement), ())))

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

    def _bind_opaque(self, name: str, origin: Origin | None = None) -> None:
        if name not in self.scope.global_names:
            binding = self.scope.binding(name)
            binding.merge_opaque(origin)
            self._site(binding, origin)

    def _bind_target(self, target: ast.expr, value: ast.expr | None = None) -> None:
        if isinstance(target, ast.Name):
            self._bind_opaque(target.id, Origin(value=value) if value is not None else None)
            return
        if isinstance(target, ast.Attribute):
            self._member(target, value)
        elements = target.elts if isinstance(target, (ast.Tuple, ast.List)) else None
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                simple = value is not None and elements is not None and node in elements
                self._bind_opaque(node.id, Origin(value=value, element=True) if simple else None)

    def _member(self, target: ast.Attribute, value: ast.expr | None) -> None:
        """Record ``self.name = value`` in the class whose method this is."""
        scope = self.scope
        if (
            value is None
            or scope.self_name is None
            or not isinstance(target.value, ast.Name)
            or target.value.id != scope.self_name
            or scope.parent is None
        ):
            return
        path = self.paths.get(id(self._statement), ()) if self._statement is not None else ()
        scope.parent.members.setdefault(target.attr, []).append((value, scope, path))

    # -- imports --------------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self._import(alias.asname, alias.name)
            else:
                top = alias.name.split(".", 1)[0]  # ``import torch.nn`` binds ``torch``
                self._import(top, top)

    def _import(self, name: str, full_name: str) -> None:
        binding = self.scope.binding(name)
        binding.merge_import(full_name)
        self._site(binding, None)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            for alias in node.names:  # relative imports are the project's own code
                if alias.name != "*":
                    name = alias.asname or alias.name
                    binding = self.scope.binding(name)
                    only_relative = binding.count == 0 or binding.relative_import
                    self._bind_opaque(name)
                    binding.relative_import = only_relative
            return
        for alias in node.names:
            if alias.name == "*":
                self.scope.star_imports.append(node.module)
            else:
                self._import(alias.asname or alias.name, f"{node.module}.{alias.name}")

    # -- other bindings ---------------------------------------------------------------------

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.global_names.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.scope.global_names.update(node.names)

    def visit_Assign(self, node: ast.Assign) -> None:
        target = node.targets[0] if len(node.targets) == 1 else None
        if isinstance(target, ast.Name) and dotted_parts(node.value) is not None:
            if target.id not in self.scope.global_names:
                binding = self.scope.binding(target.id)
                binding.merge_alias(node.value)
                self._site(binding, Origin(value=node.value))
        else:
            for each in node.targets:
                self._bind_target(each, node.value)
        # Targets hold expressions too (``d[[k for k in ks][0]] = v``, ``f(lambda: 0).x = v``):
        # every scope node under them needs its scope, as anywhere else in the tree.
        for each in node.targets:
            self.visit(each)
        self.visit(node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if isinstance(node.target, ast.Name):
            self._bind_opaque(node.target.id, Origin(annotation=node.annotation))
        else:
            self._bind_target(node.target, node.value)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._bind_target(node.target)
        self.generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        scope = self.scope
        while isinstance(scope.node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            assert scope.parent is not None
            scope = scope.parent
        binding = scope.binding(node.target.id)
        binding.merge_opaque()
        self._site(binding, None)
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
        owner = self.scope.node if isinstance(self.scope.node, ast.ClassDef) else None
        if not isinstance(node, ast.Lambda):
            self._bind_opaque(node.name, Origin(definition=node))
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

        self_arg = None
        if owner is not None and not isinstance(node, ast.Lambda):
            decorators = {dotted_name(d) for d in node.decorator_list}
            positional = [*args.posonlyargs, *args.args]
            if positional and not decorators & {"staticmethod", "classmethod"}:
                self_arg = positional[0]

        entry = (node.lineno, node.col_offset)
        body_path = (*self.paths.get(id(node), ()), (id(node), "body"))

        def body() -> None:
            if self_arg is not None:
                self.scope.self_name = self_arg.arg
            for arg in all_args:
                if arg is self_arg:
                    origin: Origin | None = Origin(self_of=owner)
                elif arg.annotation is not None:
                    origin = Origin(annotation=arg.annotation)
                else:
                    origin = None
                binding = self.scope.binding(arg.arg)
                binding.merge_opaque(origin)
                binding.sites.append(Site(origin, entry, body_path))
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
        self._bind_opaque(node.name, Origin(definition=node))
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
                self.visit(generator.target)  # ``for d[[k for k in ks][0]] in ...``
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

"""The static pass: one walk over the ``ast`` that finds every reference it can prove from
imports, plain names and certain receiver types, and marks the places where only jedi can
tell (candidates).

Receiver types come from torch calls (``torch.randn(3).view``), locals assigned from them,
annotations (``x: torch.Tensor``), ``self.fc = nn.Linear(...)`` members and classes derived
from torch classes. A local's type is taken from the last assignment before the use when
that assignment is certain to be the one that reaches it (same block or an enclosing one,
no loop bringing another value back); otherwise the receiver is unknown and the access
becomes a candidate for jedi, with a name-only guess as a ``POSSIBLE`` reference meanwhile.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from functools import lru_cache

from mindport.analysis.findings import Confidence
from mindport.analysis.references import (
    Argument,
    ArgumentKind,
    CallSite,
    Reference,
    ReferenceKind,
    Resolution,
)
from mindport.analysis.scopes import Binding, Origin, Path, Scope, ScopeBuilder, dotted_parts
from mindport.analysis.syntax import ParsedSource, SyntaxProblem, Visitor, recursion_room
from mindport.analysis.torch_types import (
    MODULE,
    SELF,
    TENSOR,
    TENSORS,
    call_result,
    class_chain,
    instance_call_result,
    is_class,
    member_type,
    words,
)
from mindport.kb.loader import KnowledgeBase
from mindport.kb.model import Framework
from mindport.text import Position, SourceLines, Span

_UNBOUND = object()
_UNKNOWN = object()  # a member whose receiver type is not known for certain
_ASK_JEDI = object()  # not known to be ours, not worth a name-only guess: only jedi may tell
FOREIGN = "<foreign>"  # a value that is certainly no torch object: a str, a dict, a NumPy array
# A value made by another library or the project's own modules (``COCOeval(gt)``, a name from a
# relative import): it may still be a torch object (a library's nn.Module subclass), so jedi is
# asked, but a member name alone is no reason to guess that it is one.
OTHER = "<other>"
_LITERALS = (
    ast.Constant,
    ast.JoinedStr,
    ast.Dict,
    ast.List,
    ast.Set,
    ast.Tuple,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
)
# Builtins whose result is never a torch object (``sum``/``max``/``abs`` of tensors are).
# Tensor methods that take a string positionally: a device (``x.to("cuda")``), a type name
# (``x.type("torch.FloatTensor")``) or a dimension name of a named tensor.
_TAKES_TEXT = words(
    "to type cuda xpu rename refine_names align_to unflatten flatten sum mean std var prod"
    " softmax log_softmax transpose squeeze unsqueeze size"
)
_FOREIGN_BUILTINS = words(
    "str repr len list dict set frozenset tuple sorted range enumerate zip open int float bool"
    " isinstance issubclass format dir vars type id hash ord chr bin hex oct bytes"
)
# Packages whose functions and classes never produce torch objects.
_FOREIGN_PACKAGES = words(
    "numpy pandas json os re math random collections itertools pathlib csv time datetime"
    " string logging sys shutil glob argparse"
)
# Libraries built on torch whose functions and classes usually hand back torch objects: their
# results stay unknown (a name-only guess is fair) rather than another library's values.
_TORCH_LIBRARIES = words(
    "torchvision torchaudio torchtext einops timm transformers diffusers accelerate kornia"
    " torchmetrics lightning pytorch_lightning torch_geometric fairseq"
)
_BUILTIN_NAMES = frozenset(dir(builtins))
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# The classes whose members are worth a candidate, most likely first for a name-only guess.
_MEMBER_OWNERS = (TENSOR, MODULE)


@dataclass(frozen=True, slots=True)
class _Definition:
    """A user's ``def`` or ``class`` named in the code (not a value of it)."""

    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    scope: Scope


# A receiver type: a torch class name (or TENSORS), a user class (its scope), or a definition.
StaticType = str | Scope | _Definition


@dataclass(frozen=True, slots=True)
class Candidate:
    """A position the static pass cannot resolve but jedi may.

    Plain names (star imports): ``position`` is on the name's last part. Members
    (``member`` is set): ``node_span`` and ``position`` are the attribute name, and ``guess``
    is the name-only guess reported as ``POSSIBLE`` until jedi answers.
    """

    node_span: Span
    position: Position
    call: CallSite | None
    member: str | None = None
    guess: str | None = None
    receiver: Span | None = None


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


@lru_cache(maxsize=8)
def member_index(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """Member name -> the known public names ``<Class>.<member>``, likeliest owner first."""
    found: dict[str, list[str]] = {}
    for entry_id in kb.ids:
        record = kb.record(entry_id)
        if record is None:
            continue
        for name in record.torch_names:
            owner, _, member = name.rpartition(".")
            if owner.rpartition(".")[2][:1].isupper() and member.isidentifier():
                found.setdefault(member, []).append(name)

    def rank(name: str) -> tuple[int, str]:
        owner = name.rpartition(".")[0]
        return (_MEMBER_OWNERS.index(owner) if owner in _MEMBER_OWNERS else 9, name)

    return {member: tuple(sorted(set(names), key=rank)) for member, names in found.items()}


def _flow_scope(scope: Scope) -> Scope:
    """The scope whose statements order a use: comprehensions belong to their function."""
    while isinstance(scope.node, _COMPREHENSIONS) and scope.parent is not None:
        scope = scope.parent
    return scope


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def member_span(lines: SourceLines, node: ast.Attribute) -> Span:
    """The attribute name of ``value.name`` (always the last token of the node)."""
    whole = node_span(lines, node)
    return Span(Position(whole.end.line, whole.end.column - len(node.attr)), whole.end)


def node_span(lines: SourceLines, node: ast.AST) -> Span:
    """An ``ast`` node's span: ast lines are 1-based and its columns are UTF-8 bytes."""
    start_line = node.lineno - 1  # type: ignore[attr-defined]
    end_line = (node.end_lineno or node.lineno) - 1  # type: ignore[attr-defined]
    start_col = node.col_offset  # type: ignore[attr-defined]
    end_col = node.end_col_offset if node.end_col_offset is not None else start_col  # type: ignore[attr-defined]
    # On ASCII lines bytes are code points (most lines: skip the conversion's call).
    source = lines.lines
    if not (0 <= start_line < len(source) and source[start_line].isascii()):
        start_col = lines.column_from_utf8(start_line, start_col)
    if not (0 <= end_line < len(source) and source[end_line].isascii()):
        end_col = lines.column_from_utf8(end_line, end_col)
    return Span(Position(start_line, start_col), Position(end_line, end_col))


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


class _ReferenceWalker(Visitor):
    """Pass two: resolve every dotted name and keep those the knowledge base knows; type the
    receivers of attribute accesses and resolve members whose receiver type is certain."""

    def __init__(
        self,
        kb: KnowledgeBase,
        lines: SourceLines,
        scopes: dict[int, Scope],
        builder: ScopeBuilder,
    ):
        self.kb = kb
        self.members = member_index(kb)
        self.lines = lines
        self.scopes = scopes
        self.paths = builder.paths
        self.loops = builder.loops
        self.references: list[Reference] = []
        self.candidates: list[Candidate] = []
        self._scope: Scope | None = None
        self._statement: ast.stmt | None = None
        self._calls: dict[int, ast.Call] = {}
        self._call_sites: dict[int, CallSite] = {}
        self._resolving: set[int] = set()
        self._types: dict[tuple[int, int], StaticType | None] = {}
        self._typing: set[tuple[int, int]] = set()

    # -- resolution of names -------------------------------------------------------------

    def _lookup(self, name: str, scope: Scope) -> tuple[Scope, Binding] | None:
        for each in scope.visible_chain():
            if name in each.global_names:
                continue
            binding = each.bindings.get(name)
            if binding is not None:
                return each, binding
        return None

    def _resolve_name(self, name: str, scope: Scope) -> object:
        """A dotted name, None (bound to something we do not know) or _UNBOUND."""
        found = self._lookup(name, scope)
        if found is None:
            return _UNBOUND
        where, binding = found
        if binding.imported is not None:
            return binding.imported
        if binding.alias_of is not None and id(binding.alias_of) not in self._resolving:
            self._resolving.add(id(binding.alias_of))
            try:
                return self._resolve_dotted(binding.alias_of, where)
            finally:
                self._resolving.discard(id(binding.alias_of))
        return None

    def _resolve_dotted(self, node: ast.expr, scope: Scope) -> str | None:
        parts = dotted_parts(node)
        if parts is None:
            return None
        base = self._resolve_name(parts[0], scope)
        return ".".join([base, *parts[1:]]) if isinstance(base, str) else None

    # -- receiver types ------------------------------------------------------------------------

    def type_of(self, node: ast.expr, scope: Scope, path: Path) -> StaticType | None:
        """The type of the value ``node`` evaluates to, when it follows for certain."""
        key = (id(node), id(scope))
        if key in self._types:
            return self._types[key]
        if key in self._typing:
            return None  # a cycle: no certain answer
        self._typing.add(key)
        try:
            found = self._type_of(node, scope, path)
        finally:
            self._typing.discard(key)
        self._types[key] = found
        return found

    def _type_of(self, node: ast.expr, scope: Scope, path: Path) -> StaticType | None:
        if isinstance(node, _LITERALS):
            return FOREIGN
        if isinstance(node, ast.Call):
            return self._call_type(node, scope, path)
        if isinstance(node, ast.Name):
            return self._name_type(node, scope, path)
        if isinstance(node, ast.Attribute):
            if self._resolve_dotted(node, scope) is not None:
                return None  # a module, class or function, not a value
            receiver = self.type_of(node.value, scope, path)
            return self._member_type(receiver, node.attr, called=False)
        if isinstance(node, ast.Subscript):
            value = self.type_of(node.value, scope, path)
            if value == TENSORS or (isinstance(value, str) and TENSOR in class_chain(value)):
                return TENSOR
            return None  # an item of a list or a NumPy array may be anything
        if isinstance(node, ast.BinOp) and not isinstance(node.op, ast.MatMult | ast.Mod):
            for side in (node.left, node.right):
                side_type = self.type_of(side, scope, path)
                if isinstance(side_type, str) and TENSOR in class_chain(side_type):
                    return TENSOR
            return None
        if isinstance(node, ast.BinOp):  # a @ b: a tensor when either side is one
            for side in (node.left, node.right):
                if self.type_of(side, scope, path) == TENSOR:
                    return TENSOR
            return None
        if isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.Not):
            operand = self.type_of(node.operand, scope, path)
            return TENSOR if operand == TENSOR else None
        return None

    def _call_type(self, node: ast.Call, scope: Scope, path: Path) -> StaticType | None:
        func = node.func
        name = self._resolve_dotted(func, scope)
        if name is not None:
            top = name.split(".", 1)[0]
            if top in _FOREIGN_PACKAGES:
                return FOREIGN
            if top not in ("torch", "mindspore", *_TORCH_LIBRARIES):
                return OTHER
            return call_result(name)
        if (
            isinstance(func, ast.Name)
            and func.id in _FOREIGN_BUILTINS
            and self._lookup(func.id, scope) is None
        ):
            return FOREIGN
        if isinstance(func, ast.Attribute):
            receiver = self.type_of(func.value, scope, path)
            if not (isinstance(receiver, Scope) and func.attr in receiver.members):
                return self._member_type(receiver, func.attr, called=True)
        callee = self.type_of(func, scope, path)  # ``self.fc(x)``: call the member's value
        if isinstance(callee, str):
            return instance_call_result(callee)
        if isinstance(callee, _Definition):
            definition = callee.node
            if isinstance(definition, ast.ClassDef):
                return self.scopes[id(definition)]
            if definition.returns is not None:
                return self._annotation_type(definition.returns, callee.scope)
        return None

    def _name_type(self, node: ast.Name, scope: Scope, path: Path) -> StaticType | None:
        found = self._lookup(node.id, scope)
        if found is None:
            return None
        where, binding = found
        if binding.imported is not None:
            return None
        if binding.relative_import:
            return OTHER  # a module or object of the project's own code
        origin: Origin | None
        if where is _flow_scope(scope):
            origin = binding.reaching((node.lineno, node.col_offset), path, self.loops)
        else:  # a name from an enclosing scope: only when it is bound once
            origin = binding.sites[0].origin if len(binding.sites) == 1 else None
        if origin is None:
            return None
        site_path = next((s.path for s in binding.sites if s.origin is origin), path)
        if origin.value is not None:
            if binding.alias_of is not None and self._resolve_dotted(origin.value, where):
                return None  # ``act = torch.relu``: a name, not a value
            value = self.type_of(origin.value, where, site_path)
            if origin.element:
                return TENSOR if value == TENSORS else None
            return value
        if origin.annotation is not None:
            return self._annotation_type(origin.annotation, where)
        if origin.self_of is not None:
            return self.scopes[id(origin.self_of)]
        if origin.definition is not None:
            return _Definition(origin.definition, where)
        return None

    def _annotation_type(self, node: ast.expr, scope: Scope) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):  # X | None
            sides = [s for s in (node.left, node.right) if not _is_none(s)]
            return self._annotation_type(sides[0], scope) if len(sides) == 1 else None
        if isinstance(node, ast.Subscript):  # Optional[X], Union[X, None]
            outer = self._resolve_dotted(node.value, scope)
            if outer in ("typing.Optional", "typing_extensions.Optional"):
                return self._annotation_type(node.slice, scope)
            if outer in ("typing.Union", "typing_extensions.Union"):
                items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
                sides = [s for s in items if not _is_none(s)]
                return self._annotation_type(sides[0], scope) if len(sides) == 1 else None
            return None
        name = self._resolve_dotted(node, scope)
        return name if name is not None and is_class(name) else None

    def _member_type(
        self, receiver: StaticType | None, member: str, called: bool
    ) -> StaticType | None:
        if receiver == FOREIGN:
            return FOREIGN  # methods of NumPy arrays, dicts, strings stay outside torch
        if isinstance(receiver, str):
            found = member_type(receiver, member, called)
            return receiver if found == SELF else found
        if isinstance(receiver, Scope):
            values = receiver.members.get(member)
            if values is not None:
                if called:
                    return None
                types = {self.type_of(value, where, path) for value, where, path in values}
                return types.pop() if len(types) == 1 else None
            if member in receiver.bindings:
                return None  # the class defines it itself
            base = self._torch_base(receiver)
            if isinstance(base, str):
                found = member_type(base, member, called)
                return receiver if found == SELF else found
        return None

    def _torch_base(self, cls: Scope, seen: frozenset[int] = frozenset()) -> object:
        """The torch class a user class derives from: a name, None (no torch base) or UNKNOWN."""
        node = cls.node
        assert isinstance(node, ast.ClassDef)
        if id(node) in seen:
            return _UNKNOWN
        outer = cls.parent
        assert outer is not None
        result: object = None
        for base in node.bases:
            name = self._resolve_dotted(base, outer)
            if name is not None:
                if not name.startswith("torch."):
                    return _UNKNOWN  # some other library's class: jedi may know more
                result = name
                continue
            if isinstance(base, ast.Name):
                found = self._lookup(base.id, outer)
                if found is None and base.id in _BUILTIN_NAMES:
                    continue
                origin = found[1].sites[0].origin if found and len(found[1].sites) == 1 else None
                if origin is not None and isinstance(origin.definition, ast.ClassDef):
                    inherited = self._torch_base(
                        self.scopes[id(origin.definition)], seen | {id(node)}
                    )
                    if inherited is _UNKNOWN:
                        return _UNKNOWN
                    result = inherited if inherited is not None else result
                    continue
            return _UNKNOWN
        return result

    def _member_reference(self, receiver: StaticType | None, member: str) -> str | object | None:
        """The public name of ``receiver.member``: a name, None (not ours) or _UNKNOWN."""
        if isinstance(receiver, _Definition):
            if isinstance(receiver.node, ast.ClassDef):  # ``Box.view``: a class attribute
                return self._member_reference(self.scopes[id(receiver.node)], member)
            return None  # an attribute of a function object
        if receiver is None:
            return _UNKNOWN
        if receiver == OTHER:
            return _ASK_JEDI
        if isinstance(receiver, Scope):
            if member in receiver.members or member in receiver.bindings:
                return None
            base = self._torch_base(receiver)
            if not isinstance(base, str):
                return base
            receiver = base
        if receiver in (TENSORS, FOREIGN):
            return None
        for cls in class_chain(receiver):
            name = f"{cls}.{member}"
            if self.kb.torch_id(name):
                return name
        return None

    # -- walking ------------------------------------------------------------------------------

    def visit(self, node: ast.AST) -> None:
        kind = node.__class__
        handler = self._handlers.get(kind) or self.handler_of(kind)
        if not isinstance(node, ast.stmt):
            handler(self, node)
            return
        outer, self._statement = self._statement, node
        try:
            handler(self, node)
        finally:
            self._statement = outer

    @property
    def _path(self) -> Path:
        return self.paths.get(id(self._statement), ()) if self._statement is not None else ()

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
        func = node.func
        if isinstance(func, ast.Name | ast.Attribute):
            assert self._scope is not None
            if self._resolve_dotted(func, self._scope) is None:
                callee = self.type_of(func, self._scope, self._path)
                if isinstance(callee, str) and callee != TENSOR and self.kb.torch_id(callee):
                    span = node_span(self.lines, func)
                    self.references.append(
                        Reference(
                            callee,
                            Framework.TORCH,
                            span,
                            Resolution.TYPES,
                            call=self._call_site(node),
                            kind=ReferenceKind.INSTANCE,
                        )
                    )
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
        chain.reverse()  # outermost last
        assert self._scope is not None
        if not isinstance(cursor, ast.Name):
            self.visit(cursor)  # e.g. ``torch.randn(3).view``: the call is a chain of its own
            self._members(chain)
            return
        parts = [cursor.id, *(n.attr for n in chain)]  # type: ignore[attr-defined]
        base = self._resolve_name(cursor.id, self._scope)
        if isinstance(base, str):
            nodes: list[ast.expr] = [cursor, *chain]  # nodes[k] covers parts[: k + 1]
            for k in range(len(parts), 0, -1):
                full = ".".join([base, *parts[1:k]])
                framework = self._framework(full)
                if framework is not None:
                    self._emit(full, framework, nodes[k - 1])
                    return
            return
        if (
            base is _UNBOUND
            and cursor.id not in _BUILTIN_NAMES
            and self.kb.has_short_name(parts[-1])
        ):
            self._candidate(node)  # from a star import: ``Parameter``, ``nn.Linear``
            return
        self._members(chain)

    def _members(self, chain: list[ast.expr]) -> None:
        """Attribute accesses on a value: ``x.view``, ``torch.randn(3).sum().item``."""
        assert self._scope is not None
        for attribute in chain:
            assert isinstance(attribute, ast.Attribute)
            member = attribute.attr
            self._instance(attribute)
            if member not in self.members:
                continue
            receiver = self.type_of(attribute.value, self._scope, self._path)
            found = self._member_reference(receiver, member)
            if isinstance(found, str):
                self._emit_member(found, attribute, Resolution.TYPES, Confidence.CONFIRMED)
            elif found is _UNKNOWN and member in self.members:
                guess = self.members[member][0]
                if self._text_argument(attribute, guess):
                    continue  # ``name.split("/")``: a tensor method never takes text there
                self._emit_member(guess, attribute, Resolution.NAME, Confidence.POSSIBLE)
                self._candidate(attribute, guess)
            elif found is _ASK_JEDI:
                self._candidate(attribute, member=True)

    def _text_argument(self, attribute: ast.Attribute, guess: str) -> bool:
        """The call of ``attribute`` passes a string literal positionally, which the guessed
        tensor method cannot take (``path.split("/")``, ``names.index("x")``): no tensor."""
        call = self._calls.get(id(attribute))
        if call is None or not guess.startswith("torch.Tensor."):
            return False
        if attribute.attr in _TAKES_TEXT:
            return False
        return any(
            isinstance(a, ast.JoinedStr)
            or (isinstance(a, ast.Constant) and isinstance(a.value, str | bytes))
            for a in call.args
        )

    def _instance(self, attribute: ast.Attribute) -> None:
        """``self.norm`` read without a call (``self.norm.weight``, ``f(self.fc)``): the layer
        it holds is a reference too (a call, ``self.fc(x)``, gets its reference in visit_Call)."""
        assert self._scope is not None
        if not isinstance(attribute.ctx, ast.Load) or id(attribute) in self._calls:
            return
        if not isinstance(self.type_of(attribute.value, self._scope, self._path), Scope):
            return  # only members of the project's own objects: torch's are members already
        value = self.type_of(attribute, self._scope, self._path)
        if isinstance(value, str) and value != TENSOR and self.kb.torch_id(value):
            self.references.append(
                Reference(
                    value,
                    Framework.TORCH,
                    node_span(self.lines, attribute),
                    Resolution.TYPES,
                    kind=ReferenceKind.INSTANCE,
                )
            )

    def _call_of(self, node: ast.expr) -> CallSite | None:
        call = self._calls.get(id(node))
        return self._call_site(call) if call is not None else None

    def _call_site(self, call: ast.Call) -> CallSite:
        """``call_site``, once per call (a guessed member is a reference and a candidate)."""
        found = self._call_sites.get(id(call))
        if found is None:
            found = self._call_sites[id(call)] = call_site(self.lines, call)
        return found

    def _emit(self, name: str, framework: Framework, node: ast.expr) -> None:
        span = node_span(self.lines, node)
        self.references.append(
            Reference(name, framework, span, Resolution.IMPORTS, call=self._call_of(node))
        )

    def _emit_member(
        self, name: str, node: ast.Attribute, resolution: Resolution, confidence: Confidence
    ) -> None:
        span = member_span(self.lines, node)
        framework = Framework.TORCH if self.kb.torch_id(name) else Framework.MINDSPORE
        self.references.append(
            Reference(
                name,
                framework,
                span,
                resolution,
                call=self._call_of(node),
                kind=ReferenceKind.MEMBER,
                confidence=confidence,
                receiver=node_span(self.lines, node.value),
            )
        )

    def _candidate(
        self, node: ast.Attribute | ast.Name, guess: str | None = None, member: bool = False
    ) -> None:
        if isinstance(node, ast.Attribute) and (guess is not None or member):
            span = member_span(self.lines, node)
            self.candidates.append(
                Candidate(
                    span,
                    span.start,
                    self._call_of(node),
                    member=node.attr,
                    guess=guess,
                    receiver=node_span(self.lines, node.value),
                )
            )
            return
        span = node_span(self.lines, node)
        if isinstance(node, ast.Attribute):
            position = Position(span.end.line, span.end.column - len(node.attr))
        else:
            position = span.start
        self.candidates.append(Candidate(span, position, self._call_of(node)))


def run_static_pass(parsed: ParsedSource, kb: KnowledgeBase) -> StaticResult:
    """The static pass over ``parsed``. A tree too deep for the recursion limit is walked
    again with more room; one too deep for any room gets no findings and a problem that says
    so (never a ``RecursionError``)."""
    try:
        return _static_pass(parsed, kb)
    except RecursionError:
        pass
    with recursion_room(parsed.tree) as room:
        if room:
            try:
                return _static_pass(parsed, kb)
            except RecursionError:
                pass
    problem = SyntaxProblem(0, "too deeply nested to analyse")
    empty = ast.Module(body=[], type_ignores=[])
    return _static_pass(ParsedSource(parsed.lines, empty, [*parsed.problems, problem]), kb)


def _static_pass(parsed: ParsedSource, kb: KnowledgeBase) -> StaticResult:
    builder = ScopeBuilder()
    scopes = builder.build(parsed.tree)
    walker = _ReferenceWalker(kb, parsed.lines, scopes, builder)
    walker.visit(parsed.tree)
    module_scope = scopes[id(parsed.tree)]
    imports = ModuleImports(
        bindings={
            name: binding.imported
            for name, binding in module_scope.bindings.items()
            if binding.imported is not None
        },
        insert_line=_import_insert_line(parsed.tree),
        line_ending=_line_ending(parsed.lines.line(0)),
    )
    return StaticResult(parsed, walker.references, walker.candidates, imports)


def _line_ending(first_line: str) -> str:
    """The file's line ending, as its first line has it (``\\r`` alone in old Mac files)."""
    if first_line.endswith("\r\n"):
        return "\r\n"
    return "\r" if first_line.endswith("\r") else "\n"

"""Read signatures from the installed torch and mindspore (this module imports them).

For each public name the chain is: ``inspect.signature`` first; for a class that defines
``__new__`` with ``(*args, **kwargs)`` (``mindspore.Parameter``) its ``__init__``; for
builtins and ``(*args, **kwargs)`` dispatchers (``mindspore.mint.add``) the signature lines
of the docstring (the first line and every ``.. function::``/``.. method::`` line, one per
overload); and last the ``.pyi`` stubs, located with jedi set up exactly like the server's
resolver and read with parso. torch builtins have stubs generated from the operator schema,
so for torch a stub beats a docstring line (the snapshot's ``remark`` says when the two
disagree). MindSpore Tensor methods also get their legacy overload from MindSpore's table
of deprecated Tensor methods.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import platform
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mindport.kb.generate.namespaces import (
    CLASS_NAMESPACES,
    MINDSPORE_ALIAS_MODULES,
    NAMESPACES,
    TORCH_ALIAS_MODULES,
    Namespace,
    counterparts,
    split_name,
)
from mindport.kb.generate.sigtext import (
    Signature,
    SignatureSyntaxError,
    default_source,
    normalise_default,
    parse_params,
    parse_signature,
    render,
)
from mindport.kb.generate.snapshot import ApiSnapshot, Snapshot
from mindport.kb.generate.stubs import Locator, StubReader
from mindport.kb.model import UNSPECIFIED, Param, ParamKind

_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: ParamKind.POSITIONAL_ONLY,
    inspect.Parameter.POSITIONAL_OR_KEYWORD: ParamKind.POSITIONAL_OR_KEYWORD,
    inspect.Parameter.VAR_POSITIONAL: ParamKind.VAR_POSITIONAL,
    inspect.Parameter.KEYWORD_ONLY: ParamKind.KEYWORD_ONLY,
    inspect.Parameter.VAR_KEYWORD: ParamKind.VAR_KEYWORD,
}
_DIRECTIVE = re.compile(r"^\.\.\s+(?:py:)?(?:function|method|class)::\s*(.*)$")
_DEPRECATED_TENSOR_METHODS = "mindspore.graph._parse.deprecated.deprecated_tensor_method"
_TENSOR_METHOD_IMPLS = "mindspore.ops.tensor_method"


class Missing(LookupError):
    """The name does not exist in the installed framework."""


def framework_version(framework: str) -> str:
    """The installed version without a local part (``2.13.0+cpu`` -> ``2.13.0``)."""
    module = importlib.import_module(framework)
    return str(module.__version__).split("+", 1)[0]


def resolve(name: str) -> tuple[Any, Any, str]:
    """The object, its owner (module or class) and the longest importable module prefix."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            obj: Any = importlib.import_module(module_name)
        except Exception:  # ImportError, or a module that fails while importing
            continue
        owner: Any = None
        for part in parts[cut:]:
            owner = obj
            try:
                obj = getattr(obj, part)
            except Exception as error:
                raise Missing(f"{'.'.join(parts[:cut])} has no {part}") from error
        return obj, owner, module_name
    raise Missing(f"cannot import {parts[0]}")


def _from_inspect(signature: inspect.Signature, drop_first: bool) -> Signature:
    params = [
        Param(
            p.name,
            None if p.default is inspect.Parameter.empty else default_source(p.default),
            _KINDS[p.kind],
        )
        for p in signature.parameters.values()
    ]
    if drop_first and params and params[0].kind is not ParamKind.VAR_POSITIONAL:
        params = params[1:]
    return tuple(params)


def is_dispatcher(params: Signature) -> bool:
    """``(*args, **kwargs)`` (possibly after a first parameter) or only ``*args``: the real
    parameter list is elsewhere (a docstring line, a stub)."""
    kinds = [p.kind for p in params]
    variadic = {ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD}
    if kinds and all(k in variadic for k in kinds):
        return True
    return ParamKind.VAR_POSITIONAL in kinds and ParamKind.VAR_KEYWORD in kinds and len(params) <= 3


def docstring_signatures(doc: str | None, short: str) -> list[Signature]:
    """The overloads a docstring spells: its first line and ``.. function::`` lines."""
    if not doc:
        return []
    lines = doc.expandtabs().splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    # the first line may name the implementation: "addcdiv_ext(input, ...)" for addcdiv
    pattern = re.compile(
        rf"^(?:[\w.]+\.)?{re.escape(short)}(?:_ext)?\((?P<params>.*?)\)\s*(?:->.*)?:?$"
    )
    found: list[Signature] = []
    for index, line in enumerate(lines):
        text = line.strip()
        directive = _DIRECTIVE.match(text)
        if directive:
            text = directive.group(1)
        elif index != first:
            continue
        end = index
        while text.count("(") > text.count(")") and end + 1 < len(lines) and end - index < 6:
            end += 1
            text += " " + lines[end].strip()
        match = pattern.match(text)
        if not match:
            continue
        try:
            params = parse_params(match.group("params"))
        except SignatureSyntaxError:
            continue
        if params and params[0].name == "self":
            params = params[1:]
        if params not in found:
            found.append(params)
    return found


_SECTION = re.compile(r"^(\s*)(Args|Arguments|Parameters|Keyword Args|Keyword Arguments):\s*$")
_ARG = re.compile(r"^(\*{0,2})(\w+)\s*(?:\((.*?)\))?\s*:(.*)$")
_DEFAULT = re.compile(r"Default:?\s*``(.+?)``", re.DOTALL)


def args_section_signature(doc: str | None) -> Signature | None:
    """A signature from a Google-style ``Args:`` / ``Keyword Args:`` section.

    ``Default: ``x```` gives the default; "optional" without one gives ``...``. Used only
    where nothing better exists (MindSpore dispatchers without a signature line).
    """
    if not doc:
        return None
    lines = doc.expandtabs().splitlines()
    params: list[Param] = []
    index = 0
    while index < len(lines):
        section = _SECTION.match(lines[index])
        index += 1
        if section is None:
            continue
        keyword_only = section.group(2).startswith("Keyword")
        base = len(section.group(1))
        entry_indent: int | None = None
        current: list[str] | None = None
        while index < len(lines):
            line = lines[index]
            indent = len(line) - len(line.lstrip())
            if line.strip() and indent <= base:
                break
            index += 1
            if not line.strip():
                continue
            if entry_indent is None:
                entry_indent = indent
            if indent == entry_indent and (match := _ARG.match(line.strip())):
                stars, name, kind_text, rest = match.groups()
                current = [kind_text or "", rest]
                kind = ParamKind.KEYWORD_ONLY if keyword_only else ParamKind.POSITIONAL_OR_KEYWORD
                if stars == "*" or (not stars and name == "args"):
                    kind = ParamKind.VAR_POSITIONAL
                elif stars == "**" or (not stars and name == "kwargs"):
                    kind = ParamKind.VAR_KEYWORD
                params.append(Param(name, None, kind))
            elif current is not None:
                current.append(line.strip())
            if current is not None and params:
                last = params[-1]
                text = " ".join(current[1:])
                default = _DEFAULT.search(text)
                value: str | None = None
                if default is not None:
                    value = normalise_default(default.group(1).strip())
                elif "optional" in current[0].lower():
                    value = UNSPECIFIED
                if last.kind in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD):
                    value = None
                params[-1] = Param(last.name, value, last.kind)
    if not params:
        return None
    ordered = sorted(params, key=lambda p: _KIND_ORDER[p.kind])
    try:
        return parse_signature(render(ordered))
    except SignatureSyntaxError:
        return None


_KIND_ORDER = {
    ParamKind.POSITIONAL_ONLY: 0,
    ParamKind.POSITIONAL_OR_KEYWORD: 1,
    ParamKind.VAR_POSITIONAL: 2,
    ParamKind.KEYWORD_ONLY: 3,
    ParamKind.VAR_KEYWORD: 4,
}


def drop_deprecated(overloads: list[Signature]) -> tuple[list[Signature], int]:
    """Leave out the deprecated overloads that torch's stubs still list.

    They are the old argument orders, e.g. ``add(self, alpha, other)`` beside
    ``add(input, other, *, alpha=1)``: in a function they name the tensor ``self``; in a
    method they pass a keyword-only parameter of another overload by position, which moves
    that overload's positional parameters (``add(alpha, other)`` beside ``add(other, *,
    alpha=1)``).
    """

    def deprecated(params: Signature) -> bool:
        names = [p.name for p in params if p.positional]
        if "self" in names:
            return True
        for other in overloads:
            if other is params or not {p.name for p in params} <= {p.name for p in other}:
                continue
            other_names = [p.name for p in other if p.positional]
            keyword_only = {p.name for p in other if p.kind is ParamKind.KEYWORD_ONLY}
            moved = any(n in other_names and other_names.index(n) != i for i, n in enumerate(names))
            if moved and keyword_only & set(names):
                return True
        return False

    kept = [o for o in overloads if not deprecated(o)]
    if not kept:
        return overloads, 0
    return kept, len(overloads) - len(kept)


def schema_signatures(obj: Any) -> list[Signature]:
    """torch builtins without a stub: the operator schemas the argument parser is built from.

    ``self`` is called ``input`` in Python; the ``out=`` variants add a keyword ``out``.
    """
    if not inspect.isbuiltin(obj):
        return []
    torch = importlib.import_module("torch")
    try:
        schemas = torch._C._jit_get_schemas_for_operator(f"aten::{obj.__name__}")
    except Exception:
        return []
    found: list[Signature] = []
    has_out = False
    for schema in schemas:
        arguments = list(schema.arguments)
        if any(a.alias_info is not None and a.alias_info.is_write for a in arguments):
            has_out = True
            continue
        params = tuple(
            Param(
                "input" if a.name == "self" else a.name,
                default_source(a.default_value) if a.has_default_value() else None,
                ParamKind.KEYWORD_ONLY if a.kwarg_only else ParamKind.POSITIONAL_OR_KEYWORD,
            )
            for a in arguments
        )
        if params not in found:
            found.append(params)
    if has_out:
        found = [(*s, Param("out", "None", ParamKind.KEYWORD_ONLY)) for s in found]
    return found


def _names(signatures: Iterable[Signature]) -> set[str]:
    return {p.name for s in signatures for p in s}


@dataclass
class Introspector:
    """Snapshots of one framework's APIs."""

    framework: str
    locator: Locator | None = None
    stubs: StubReader = field(default_factory=StubReader)
    _aliases: dict[int, list[str]] | None = None
    _keep: list[Any] = field(default_factory=list)

    # -- kinds and signatures -------------------------------------------------------------

    def snapshot(self, name: str) -> ApiSnapshot:
        obj, owner, module = resolve(name)
        short = split_name(name)[1]
        if inspect.isclass(owner):
            static = inspect.getattr_static(owner, short, None)
            if not callable(obj) or isinstance(static, property) or _is_getset(static):
                return ApiSnapshot(name, "attribute", "none")
            return self._callable(name, obj, owner, module, "method", static)
        if inspect.isclass(obj):
            snapshot = self._class(name, obj, module)
        elif callable(obj):
            snapshot = self._callable(name, obj, owner, module, "function", None)
        else:
            snapshot = ApiSnapshot(name, "attribute", "none")
        aliases = self.aliases_of(obj, name) if snapshot.kind in ("class", "function") else ()
        if aliases:
            snapshot = dataclasses.replace(snapshot, aliases=tuple(aliases))
        return snapshot

    def _class(self, name: str, cls: Any, module: str) -> ApiSnapshot:
        try:
            params: Signature | None = _from_inspect(inspect.signature(cls), drop_first=False)
        except (ValueError, TypeError):
            params = None
        if params is not None and not is_dispatcher(params):
            return _snap(name, "class", "inspect", [params])
        init = getattr(cls, "__init__", None)
        base = _base_class_init(self.framework, init)
        if base is not None:
            return _snap(name, "class", "inspect-init", [()], remark=f"inherits {base}")
        defines_new = any("__new__" in vars(k) for k in cls.__mro__[:-1])
        why = "__new__ takes (*args, **kwargs)" if defines_new else "(*args, **kwargs) on the class"
        overloads = (
            [
                s
                for s in (_inspect_or_none(f, drop_first=True) for f in _overloads_of(init))
                if s is not None and not is_dispatcher(s)
            ]
            if inspect.isfunction(init)
            else []
        )
        if overloads:
            return _snap(
                name, "class", "inspect-init", overloads, remark=f"{why}; overloads of __init__"
            )
        if init is not None and init is not object.__init__:
            from_init = _inspect_or_none(_unwrap(init), drop_first=True)
            if from_init is not None and not is_dispatcher(from_init):
                return _snap(name, "class", "inspect-init", [from_init], remark=why)
        documented = docstring_signatures(cls.__doc__, split_name(name)[1])
        if documented:
            return _snap(name, "class", "docstring", documented, remark=why)
        stubbed = self._stub_signatures(name, module)
        if stubbed:
            return _snap(name, "class", "pyi", stubbed)
        from_args = args_section_signature(cls.__doc__)
        if from_args is not None and self.framework == "mindspore":
            why += "; from the Args section of the docstring"
            return _snap(name, "class", "docstring", [from_args], remark=why)
        if params is not None:
            return _snap(
                name, "class", "inspect", [params], remark="only (*args, **kwargs) is known"
            )
        return ApiSnapshot(name, "class", "none", remark="no signature found")

    def _callable(
        self, name: str, obj: Any, owner: Any, module: str, kind: str, static: Any
    ) -> ApiSnapshot:
        short = split_name(name)[1]
        drop_first = kind == "method" and inspect.isfunction(static)
        try:
            inspected: Signature | None = _from_inspect(inspect.signature(obj), drop_first)
        except (ValueError, TypeError):
            inspected = None
        legacy = self._legacy(name) if kind == "method" else []
        if inspected is not None and not is_dispatcher(inspected):
            return _snap(name, kind, "inspect", [inspected], legacy=legacy)
        inner = _unwrap(obj)
        if inner is not obj:
            unwrapped = _inspect_or_none(inner, drop_first=drop_first)
            if unwrapped is not None and not is_dispatcher(unwrapped):
                why = "the decorator hides it: read the function it wraps"
                return _snap(name, kind, "inspect", [unwrapped], legacy=legacy, remark=why)
        documented = docstring_signatures(getattr(obj, "__doc__", None), short)
        stub_source = "pyi"
        stubbed, deprecated = drop_deprecated(self._stub_signatures(name, module))
        if self.framework == "torch" and not stubbed:
            stubbed = schema_signatures(obj)
            if stubbed:
                stub_source = "schema"
        remark = "inspect: (*args, **kwargs)" if inspected is not None else None
        if deprecated:
            remark = _join(remark, f"{deprecated} deprecated overload(s) of the stub left out")
        if self.framework == "torch" and stubbed:
            if documented and _names(documented) != _names(stubbed):
                remark = _join(
                    remark,
                    f"docstring names differ from the {stub_source}: "
                    + " | ".join(render(s) for s in documented),
                )
            return _snap(name, kind, stub_source, stubbed, legacy=legacy, remark=remark)
        if documented:
            return _snap(name, kind, "docstring", documented, legacy=legacy, remark=remark)
        if stubbed:
            return _snap(name, kind, "pyi", stubbed, legacy=legacy, remark=remark)
        referred = _referred_signature(getattr(obj, "__doc__", None))
        if referred is not None:
            target, params = referred
            remark = _join(remark, f"{target} (named by the docstring) without its first parameter")
            return _snap(name, kind, "docstring", [params], legacy=legacy, remark=remark)
        from_args = (
            args_section_signature(getattr(inner, "__doc__", None))
            if self.framework == "mindspore"
            else None
        )
        if from_args is not None:
            remark = _join(remark, "from the Args sections of the docstring")
            return _snap(name, kind, "docstring", [from_args], legacy=legacy, remark=remark)
        if inspected is not None:
            return _snap(name, kind, "inspect", [inspected], legacy=legacy, remark=remark)
        return ApiSnapshot(
            name,
            kind,
            "none",
            legacy=tuple(render(s) for s in legacy),
            remark="no signature: inspect failed, no docstring line, no stub",
        )

    def _stub_signatures(self, name: str, module: str) -> list[Signature]:
        if self.locator is None:
            return []
        found: list[Signature] = []
        for definition in self.locator.definitions(name, module):
            for signature in self.stubs.overloads(definition):
                if signature not in found:
                    found.append(signature)
        return found

    def _legacy(self, name: str) -> list[Signature]:
        """MindSpore Tensor methods: the deprecated overload (axis/keepdims style)."""
        if not name.startswith("mindspore.Tensor."):
            return []
        try:
            table = importlib.import_module(_DEPRECATED_TENSOR_METHODS)
            impls = importlib.import_module(_TENSOR_METHOD_IMPLS)
        except ImportError:
            return []
        impl_name = getattr(table, "deprecated_tensor_method_map", {}).get(split_name(name)[1])
        impl = getattr(impls, impl_name, None) if impl_name else None
        if impl is None:
            return []
        try:
            return [_from_inspect(inspect.signature(impl), drop_first=True)]
        except (ValueError, TypeError):
            return []

    # -- other spellings --------------------------------------------------------------------

    def aliases_of(self, obj: Any, name: str) -> list[str]:
        if self._aliases is None:
            self._aliases = {}
            modules = TORCH_ALIAS_MODULES if self.framework == "torch" else MINDSPORE_ALIAS_MODULES
            for module_name in modules:
                try:
                    module = importlib.import_module(module_name)
                except ImportError:
                    continue
                exported = getattr(module, "__all__", None)
                for attr in sorted(dir(module)):
                    if attr.startswith("_") or (exported is not None and attr not in exported):
                        continue
                    value = getattr(module, attr, None)
                    if value is None or inspect.ismodule(value) or not callable(value):
                        continue
                    self._keep.append(value)
                    self._aliases.setdefault(id(value), []).append(f"{module_name}.{attr}")
        return sorted(n for n in self._aliases.get(id(obj), []) if n != name)


def _overloads_of(function: Any) -> list[Any]:
    """``typing.get_overloads`` (Python 3.11+); nothing on older Pythons."""
    get_overloads = getattr(typing, "get_overloads", None)
    return list(get_overloads(function)) if get_overloads is not None else []


def _inspect_or_none(function: Any, *, drop_first: bool) -> Signature | None:
    try:
        return _from_inspect(inspect.signature(function), drop_first)
    except (ValueError, TypeError):
        return None


def _unwrap(function: Any, depth: int = 4) -> Any:
    """The function a decorator without ``functools.wraps`` closes over (``nn.Adam.__init__``)."""
    inner = _unwrap_once(function)
    if inner is function or depth <= 1:
        return inner
    params = _inspect_or_none(inner, drop_first=False)
    if params is None or is_dispatcher(params):
        deeper = _unwrap(inner, depth - 1)
        return deeper if deeper is not inner else inner
    return inner


def _unwrap_once(function: Any) -> Any:
    function = inspect.unwrap(function)
    closure = getattr(function, "__closure__", None) or ()
    inner = [c.cell_contents for c in closure if inspect.isfunction(c.cell_contents)]
    named = [f for f in inner if f.__name__ == getattr(function, "__name__", None)]
    if len(named) == 1:
        return named[0]
    if len(inner) == 1:
        return inner[0]
    # torch's boolean_dispatch closes over two functions with the same parameters
    shapes = {str(_inspect_or_none(f, drop_first=False)) for f in inner}
    return inner[0] if inner and len(shapes) == 1 else function


def _base_class_init(framework: str, init: Any) -> str | None:
    """The framework base class whose constructor a class inherits unchanged, if any."""
    bases = {"torch": ("torch.nn", "Module"), "mindspore": ("mindspore.nn", "Cell")}
    module_name, class_name = bases[framework]
    base = getattr(importlib.import_module(module_name), class_name)
    if init is base.__init__:
        return f"{module_name}.{class_name}.__init__, i.e. takes no arguments of its own"
    return None


_REFERENCE = re.compile(r":func:`~?(mindspore\.[\w.]+)`")


def _referred_signature(doc: str | None) -> tuple[str, Signature] | None:
    """ "For details, see mindspore.ops.t": that function's parameters after the first."""
    match = _REFERENCE.search(doc or "")
    if match is None:
        return None
    try:
        function, _, _ = resolve(match.group(1))
    except Missing:
        return None
    params = _inspect_or_none(function, drop_first=True)
    if params is None or is_dispatcher(params):
        documented = docstring_signatures(function.__doc__, split_name(match.group(1))[1])
        params = documented[0][1:] if documented and documented[0] else None
    return (match.group(1), params) if params is not None else None


def _is_getset(static: Any) -> bool:
    return inspect.isgetsetdescriptor(static) or inspect.ismemberdescriptor(static)


def _join(left: str | None, right: str) -> str:
    return f"{left}; {right}" if left else right


_LEGACY_NAMES = frozenset({"axis", "keepdims", "keep_dims"})
_TORCH_STYLE_NAMES = frozenset({"dim", "keepdim"})


def split_legacy(
    name: str, signatures: list[Signature], legacy: list[Signature]
) -> tuple[list[Signature], list[Signature]]:
    """MindSpore Tensor methods document their old axis/keepdims overload beside the
    torch-style dim/keepdim one (MindSpore marks it for removal): keep it apart."""
    if not name.startswith("mindspore.Tensor.") or len(signatures) < 2:
        return signatures, legacy
    names = [{p.name for p in s} for s in signatures]
    if not any(n & _TORCH_STYLE_NAMES for n in names):
        return signatures, legacy
    old = [s for s, n in zip(signatures, names, strict=True) if n & _LEGACY_NAMES]
    kept = [s for s in signatures if s not in old]
    return (kept, [*legacy, *old]) if kept else (signatures, legacy)


def _snap(
    name: str,
    kind: str,
    source: str,
    signatures: list[Signature],
    *,
    legacy: list[Signature] | None = None,
    remark: str | None = None,
) -> ApiSnapshot:
    signatures, legacy = split_legacy(name, signatures, legacy or [])
    texts = tuple(dict.fromkeys(render(s) for s in signatures))
    old = tuple(t for t in dict.fromkeys(render(s) for s in legacy or []) if t not in texts)
    return ApiSnapshot(name, kind, source, texts, legacy=old, remark=remark)


# -- which names ------------------------------------------------------------------------------


def _public(owner: Any) -> list[str]:
    return sorted(n for n in dir(owner) if not n.startswith("_"))


def namespace_members(namespace: Namespace) -> list[str]:
    """The torch names of one namespace that are candidates for a same-name mapping."""
    owner, _, _ = resolve(namespace.torch)
    names: list[str] = []
    for attr in _public(owner):
        try:
            value = getattr(owner, attr)
        except Exception:
            continue
        if namespace.members == "tensor":
            names.append(attr)
        elif namespace.members == "methods":
            static = inspect.getattr_static(owner, attr, None)
            if inspect.isfunction(static) or isinstance(static, property):
                names.append(attr)
        elif namespace.members == "callables":
            if callable(value) and not inspect.ismodule(value):
                names.append(attr)
        elif namespace.members == "functions":
            if callable(value) and not inspect.isclass(value) and not inspect.ismodule(value):
                names.append(attr)
        elif inspect.isclass(value) and _member_class(namespace.members, value):
            names.append(attr)
    return [f"{namespace.torch}.{attr}" for attr in names]


def _member_class(members: str, value: type) -> bool:
    torch = importlib.import_module("torch")
    if members == "modules":
        return issubclass(value, torch.nn.Module)
    if members == "optimizers":
        return issubclass(value, torch.optim.Optimizer)
    schedulers = importlib.import_module("torch.optim.lr_scheduler")
    return value.__module__.startswith("torch.optim.lr_scheduler") and issubclass(
        value, schedulers.LRScheduler | schedulers.ReduceLROnPlateau
    )


def exists(name: str) -> bool:
    try:
        resolve(name)
    except Missing:
        return False
    return True


def compatible(torch_name: str, mindspore_name: str) -> bool:
    """A same-name candidate must be the same sort of thing (function vs class)."""
    try:
        ours, _, _ = resolve(torch_name)
        theirs, _, _ = resolve(mindspore_name)
    except Missing:
        return False
    if split_name(torch_name)[0] in CLASS_NAMESPACES:
        return True
    return inspect.isclass(ours) == inspect.isclass(theirs)


def correct(name: str) -> str | None:
    """The real spelling of a misspelt table name (``torch.nn.CeLU`` -> ``torch.nn.CELU``)."""
    module, short = split_name(name)
    try:
        owner, _, _ = resolve(module)
    except Missing:
        return None
    public = _public(owner)
    folded = [n for n in public if n.lower() == short.lower()]
    if len(folded) == 1:
        return f"{module}.{folded[0]}"
    if f"{short}_" in public:
        return f"{module}.{short}_"
    return None


@dataclass
class Scope:
    torch: set[str] = field(default_factory=set)
    mindspore: set[str] = field(default_factory=set)
    corrections: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)


def discover(table_pairs: Iterable[tuple[str, str]], curated: Iterable[tuple[str, str]]) -> Scope:
    """Every name to snapshot: table rows, same-name candidates, curated entries."""
    scope = Scope()

    def add(name: str, into: set[str]) -> str | None:
        if not name or name.split(".")[0] not in ("torch", "mindspore"):
            return None
        if exists(name):
            into.add(name)
            return name
        real = correct(name)
        if real is not None:
            scope.corrections[name] = real
            into.add(real)
            return real
        scope.missing[name] = "not found"
        return None

    torch_names: list[str] = []
    for torch_name, ms_name in [*table_pairs, *curated]:
        real = add(torch_name, scope.torch)
        add(ms_name, scope.mindspore)
        if real:
            torch_names.append(real)
    for namespace in NAMESPACES:
        for torch_name in namespace_members(namespace):
            found = [
                n
                for slot in counterparts(torch_name).values()
                for n in slot
                if compatible(torch_name, n)
            ]
            if found:
                scope.torch.add(torch_name)
                scope.mindspore.update(found)
    for torch_name in torch_names:
        scope.mindspore.update(
            n for slot in counterparts(torch_name).values() for n in slot if exists(n)
        )
    return scope


def take_snapshot(framework: str, names: Iterable[str], locator: Locator | None) -> Snapshot:
    introspector = Introspector(framework, locator=locator)
    snapshot = Snapshot(
        framework=framework,
        version=framework_version(framework),
        python=platform.python_version().rsplit(".", 1)[0],
    )
    for name in sorted(set(names)):
        try:
            snapshot.apis[name] = introspector.snapshot(name)
        except Missing as error:
            snapshot.missing[name] = str(error)
    return snapshot


def default_locator(project_root: Path) -> Locator:
    return Locator(project_root)


def take_static_snapshot(names: Iterable[str], site_dir: Path, versions: str) -> Snapshot:
    """The data-pipeline packages (torchvision, torchaudio, torchtext), read from their
    unpacked wheels with jedi and parso: they cannot be imported beside torch here, and
    nothing in them is run."""
    from mindport.analysis.jedi_resolver import site_paths_of
    from mindport.kb.generate.jedi_table import module_of
    from mindport.kb.generate.stubs import StaticReader

    reader = StaticReader(site_dir, [*site_paths_of(None), str(site_dir)])
    snapshot = Snapshot(
        framework="torch-data",
        version=versions,
        python=platform.python_version().rsplit(".", 1)[0],
    )
    for name in sorted(set(names)):
        found = reader.signatures(name, module_of(name))
        if found is None:
            snapshot.missing[name] = "jedi finds no definition in the unpacked wheels"
            continue
        kind, signatures = found
        snapshot.apis[name] = _snap(
            name, kind, "static", signatures, remark="read from the wheel's sources, not imported"
        )
    return snapshot

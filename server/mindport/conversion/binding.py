"""Map a call's arguments onto a signature, the way Python itself would, overloads included.

The knowledge base stores each side's parameters as the union of its overloads, plus every
overload's own signature text (``(input, dim, keepdim=False, *, dtype=None)``). A call is
bound to the first overload that takes all of its arguments; only when none does is it
bound to the union, and the arguments left over are reported.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from mindport.analysis.references import Argument, ArgumentKind, CallSite
from mindport.kb.model import ApiSide, Param, ParamKind

Signature = tuple[Param, ...]


@dataclass
class BoundCall:
    """``by_param`` maps a parameter name to the argument that fills it.

    When the call spreads ``*args`` or ``**kwargs`` we cannot know which parameters they
    fill: ``spread`` is then True and nothing is claimed about parameters left unbound.
    Arguments gathered by the signature's own ``*args`` are in ``var_positional``.
    """

    by_param: dict[str, Argument] = field(default_factory=dict)
    unmatched: list[Argument] = field(default_factory=list)
    var_positional: list[Argument] = field(default_factory=list)
    spread: bool = False

    def argument(self, param_name: str) -> Argument | None:
        return self.by_param.get(param_name)


@lru_cache(maxsize=8192)
def parse_parameters(text: str) -> Signature | None:
    """``"(input, dim=None, *, out=None)"`` -> parameters; None when the text is not Python."""
    try:
        function = ast.parse(f"def _{text}: pass").body[0]
    except SyntaxError:
        return None
    assert isinstance(function, ast.FunctionDef)
    args = function.args
    params: list[Param] = []
    positional = [*args.posonlyargs, *args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        kind = (
            ParamKind.POSITIONAL_ONLY
            if index < len(args.posonlyargs)
            else ParamKind.POSITIONAL_OR_KEYWORD
        )
        params.append(Param(arg.arg, ast.unparse(default) if default is not None else None, kind))
    if args.vararg is not None:
        params.append(Param(args.vararg.arg, None, ParamKind.VAR_POSITIONAL))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(
            Param(
                arg.arg,
                ast.unparse(default) if default is not None else None,
                ParamKind.KEYWORD_ONLY,
            )
        )
    if args.kwarg is not None:
        params.append(Param(args.kwarg.arg, None, ParamKind.VAR_KEYWORD))
    return tuple(params)


def signatures_of(side: ApiSide) -> list[Signature]:
    """Each overload's parameters, in the knowledge base's order; the union when there are none."""
    parsed = [p for p in (parse_parameters(text) for text in side.overloads) if p is not None]
    return parsed or [side.params]


def positional_index(params: Sequence[Param], name: str) -> int | None:
    positional = [p.name for p in params if p.positional]
    return positional.index(name) if name in positional else None


def bind_params(call: CallSite, params: Sequence[Param]) -> BoundCall:
    bound = BoundCall()
    positional_params = [p for p in params if p.positional]
    takes_var_positional = any(p.kind is ParamKind.VAR_POSITIONAL for p in params)
    takes_var_keyword = any(p.kind is ParamKind.VAR_KEYWORD for p in params)
    keyword_names = {
        p.name
        for p in params
        if p.kind
        not in (ParamKind.POSITIONAL_ONLY, ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD)
    }
    index = 0
    for argument in call.arguments:
        if argument.kind in (ArgumentKind.STARRED, ArgumentKind.DOUBLE_STARRED):
            bound.spread = True
        elif argument.kind is ArgumentKind.POSITIONAL:
            if bound.spread:
                # after *args we no longer know which slot a positional argument fills
                bound.unmatched.append(argument)
            elif index < len(positional_params):
                bound.by_param[positional_params[index].name] = argument
                index += 1
            elif takes_var_positional:
                bound.var_positional.append(argument)
            else:
                bound.unmatched.append(argument)
        else:
            name = argument.keyword or ""
            if name in keyword_names and name not in bound.by_param:
                bound.by_param[name] = argument
            elif not takes_var_keyword:
                bound.unmatched.append(argument)
    return bound


def _complete(bound: BoundCall, params: Sequence[Param]) -> bool:
    if bound.unmatched:
        return False
    return bound.spread or all(p.name in bound.by_param for p in params if p.required)


def complete_bindings(call: CallSite, side: ApiSide) -> list[tuple[Signature, BoundCall]]:
    """Every overload that takes the whole call, in the knowledge base's order."""
    found = []
    for params in signatures_of(side):
        bound = bind_params(call, params)
        if _complete(bound, params):
            found.append((params, bound))
    return found


# torch's naming: a parameter that takes a Python number in one overload is ``value`` or
# ``scalar``; the same slot in a tensor overload is ``src`` or ``tensor``.
_TENSOR_ONLY_NAMES = frozenset({"src", "tensor"})


NOT_A_VALUE = object()


def literal_value(source: str | None) -> object:
    """The value of a literal's source (``-1``, ``(2, 3)``, ``'mean'``), else NOT_A_VALUE."""
    if source is None:
        return NOT_A_VALUE
    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return NOT_A_VALUE


def _number_literal(source: str) -> bool:
    value = literal_value(source)
    return isinstance(value, int | float | complex) and not isinstance(value, bool)


def _plausible(bound: BoundCall, sequences: frozenset[str]) -> bool:
    """Could Python pick this overload for the literals of the call?

    A number is never a sequence: where another overload gathers the same name as ``*dims``,
    the plain ``dims`` takes a list, so ``x.flip(0)`` is the ``*dims`` overload. Nor is it a
    tensor: ``x.scatter_(0, i, 2.0)`` is the ``value`` overload, not ``src``. Names and
    expressions could be anything.
    """
    for name, argument in bound.by_param.items():
        if (name in _TENSOR_ONLY_NAMES or name in sequences) and _number_literal(
            argument.value_source
        ):
            return False
    return True


def bind_best(
    call: CallSite, side: ApiSide, prefer: Callable[[BoundCall], bool] | None = None
) -> tuple[Signature, BoundCall]:
    """The first overload that takes the whole call, else the union (with what is left over).

    ``x.max(1)`` fits both ``max(other)`` and ``max(dim)``; Python decides by the argument's
    type at run time. Without types, ``prefer`` picks among the candidates (the checks prefer
    a reading that MindSpore can express); the order of the overloads decides the rest.
    """
    candidates = complete_bindings(call, side)
    if len(candidates) > 1:
        # Readings a literal's type rules out go last; the stable sort keeps the KB's order.
        sequences = frozenset(
            p.name
            for params in signatures_of(side)
            for p in params
            if p.kind is ParamKind.VAR_POSITIONAL
        )
        candidates.sort(key=lambda candidate: not _plausible(candidate[1], sequences))
    if prefer is not None:
        for params, bound in candidates:
            if prefer(bound):
                return params, bound
    if candidates:
        return candidates[0]
    return side.params, bind_params(call, side.params)


def bind_call(call: CallSite, side: ApiSide) -> BoundCall:
    return bind_best(call, side)[1]


def choose_overload(side: ApiSide, needed: set[str]) -> Signature:
    """The target overload that has every parameter this call will pass (else the union)."""
    for params in signatures_of(side):
        names = {p.name for p in params}
        if needed <= names:
            return params
    return side.params

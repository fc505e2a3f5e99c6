"""Signatures as text: parse ``(a, b=1, *, c=None)`` into parameters and write them back.

Snapshots store every signature in this form, one line per API, so a change of signature
reads like one in a diff. Defaults are Python source; ``...`` (the stub convention) means
"may be left out, but there is no single default value" (see ``model.UNSPECIFIED``).
"""

from __future__ import annotations

import ast
import enum
import math
import re
from collections.abc import Sequence

from mindport.kb.model import UNSPECIFIED, Param, ParamKind, render_params

Signature = tuple[Param, ...]

_SPACES = re.compile(r"\s+")


class SignatureSyntaxError(ValueError):
    """The text is not a parameter list we can read."""


def _fixups(text: str) -> str:
    """Repair spellings that docstrings use but Python does not accept."""
    text = _SPACES.sub(" ", text.strip())
    # torch.zeros(*size, *, out=None): a bare * after *args is implied
    text = re.sub(r"(\*\w+(?:\s*:[^,]*)?),\s*\*\s*,", r"\1,", text)
    # "..." as a trailing parameter ("size, ...") means more of the same
    text = re.sub(r",\s*\.\.\.\s*$", "", text)
    return text


def parse_params(text: str) -> Signature:
    """Parse the inside of a parameter list (annotations are accepted and dropped)."""
    source = _fixups(text)
    try:
        tree = ast.parse(f"def _f({source}): pass")
    except SyntaxError as error:
        raise SignatureSyntaxError(f"cannot read ({text}): {error.msg}") from None
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    args = function.args
    params: list[Param] = []
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults.extend(args.defaults)
    for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        kind = (
            ParamKind.POSITIONAL_ONLY
            if index < len(args.posonlyargs)
            else ParamKind.POSITIONAL_OR_KEYWORD
        )
        params.append(Param(arg.arg, _source(default), kind))
    if args.vararg is not None:
        params.append(Param(args.vararg.arg, None, ParamKind.VAR_POSITIONAL))
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(Param(arg.arg, _source(kw_default), ParamKind.KEYWORD_ONLY))
    if args.kwarg is not None:
        params.append(Param(args.kwarg.arg, None, ParamKind.VAR_KEYWORD))
    return tuple(params)


def parse_signature(text: str) -> Signature:
    """Parse ``(a, b=1)`` (the parentheses are required)."""
    text = text.strip()
    if not (text.startswith("(") and text.endswith(")")):
        raise SignatureSyntaxError(f"not a parenthesised parameter list: {text}")
    return parse_params(text[1:-1])


def _source(node: ast.expr | None) -> str | None:
    if node is None:
        return None
    return normalise_default(ast.unparse(node))


def normalise_default(source: str) -> str:
    """One spelling per value: ``"x"`` -> ``'x'``, ``1.`` -> ``1.0``, ``Ellipsis`` -> ``...``."""
    try:
        node = ast.parse(source, mode="eval").body
    except SyntaxError:
        return source
    if (isinstance(node, ast.Constant) and node.value is Ellipsis) or (
        isinstance(node, ast.Name) and node.id == "Ellipsis"
    ):
        return UNSPECIFIED
    return ast.unparse(node)


def render(params: Sequence[Param]) -> str:
    """``(a, /, b=1, *, c)``: the same text as ``ApiSide.signature`` without the name."""
    return render_params(params)


def default_source(value: object) -> str:
    """Python source for a default value found by ``inspect`` (``...`` when it has none)."""
    if isinstance(value, enum.Enum):
        kind = type(value)
        return f"{kind.__module__}.{kind.__qualname__}.{value.name}"
    if value is None or type(value) in (bool, int, str, bytes):
        return repr(value)
    if type(value) is float:
        if math.isnan(value):
            return "float('nan')"
        if math.isinf(value):
            return "float('inf')" if value > 0 else "-float('inf')"
        return repr(value)
    if isinstance(value, tuple | list):
        items = [default_source(v) for v in value]
        if UNSPECIFIED in items:
            return UNSPECIFIED
        if isinstance(value, list):
            return f"[{', '.join(items)}]"
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    text = repr(value)
    if "<" in text or " at 0x" in text:
        name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
        module = getattr(value, "__module__", None)
        if isinstance(name, str) and isinstance(module, str) and "<" not in name:
            return f"{module}.{name}"
        return UNSPECIFIED
    try:
        ast.parse(text, mode="eval")
    except SyntaxError:
        return UNSPECIFIED
    return text

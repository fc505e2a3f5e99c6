"""Hypothesis strategies for Python source: every statement kind, targets, comprehensions,
lambdas, decorators, strings with every quote kind, deep nesting, unicode and torch calls
whose arguments spread over lines. Most of what they draw parses; what does not is still
fed to the analysis (half-typed code is normal in an editor)."""

from __future__ import annotations

from hypothesis import strategies as st

NAMES = ["x", "y", "t", "w", "data", "ñame", "变量", "_", "self"]
TORCH_CALLS = [
    "torch.abs",
    "torch.zeros",
    "torch.nn.functional.leaky_relu",
    "F.leaky_relu",
    "nn.Parameter",
    "torch.nn.Parameter",
    "torch.max",
    "torch.cat",
    "nn.Linear",
    "torch.std",
    "nn.ModuleDict",
]
KEYWORDS = ["inplace", "requires_grad", "dim", "keepdim", "bias", "out", "modules", "k"]
STRINGS = [
    "'a'",
    '"b"',
    "'''c\nd'''",
    '"""e\n\\\nf"""',
    "r'\\d+'",
    "b'\\x00'",
    "rb'\\\\'",
    "u'é'",
    "f'{x}'",
    'f"{x!r:>{w}}"',
    "'\u2028'",
    "'\x0c'",
    "'\\u2028'",
    "'#'",
    "'.forward'",
    "'\U0001f600'",
    "''",
]
SEPARATORS = [", ", ",\n    ", ",  # note\n    ", ", \\\n    ", ",\n\n  "]
IMPORTS = [
    "import torch",
    "import torch.nn as nn",
    "import torch.nn.functional as F",
    "from torch import nn",
    "from torch.nn import *",
    "import mindspore",
    "from torch.nn import Parameter as P",
    "import numpy as np",
]


def _expr(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        st.sampled_from(NAMES),
        st.sampled_from(STRINGS),
        st.sampled_from(["0", "1.5", "-2", "None", "True", "...", "0x1f", "1j"]),
    )
    if depth <= 0:
        return leaf
    sub = st.deferred(lambda: _expr(depth - 1))
    name = st.sampled_from(NAMES)
    return st.one_of(
        leaf,
        _torch_call(sub),
        st.builds(
            lambda f, a: f"{f}({a})", st.sampled_from(["f", "g", "x.view", "x.forward"]), sub
        ),
        st.builds(lambda e, v, i, c: f"[{e} for {v} in {i} if {c}]", sub, name, sub, sub),
        st.builds(lambda k, e, v, i: f"{{{k}: {e} for {v} in {i}}}", sub, sub, name, sub),
        st.builds(lambda e, v, i: f"({e} for {v} in {i})", sub, name, sub),
        st.builds(lambda e, v, i: f"{{{e} for {v} in {i}}}", sub, name, sub),
        st.builds(lambda d, e: f"(lambda a, b={d}: {e})", sub, sub),
        st.builds(lambda v, e: f"({v} := {e})", st.sampled_from(["x", "y", "z"]), sub),
        st.builds(lambda e, i: f"{e}[{i}]", sub, sub),
        st.builds(lambda e, a: f"{e}.{a}", sub, st.sampled_from(["view", "forward", "T", "sum"])),
        st.builds(
            lambda a, op, b: f"({a} {op} {b})",
            sub,
            st.sampled_from(["+", "and", "<", "@", "if x else"]),
            sub,
        ),
        st.builds(lambda a, b: f"[{a}, *{b}]", sub, sub),
        st.builds(lambda a, b: f"{{'k': {a}, **{b}}}", sub, sub),
        st.builds(lambda a: f"(\n{a}\n)", sub),
        st.builds(lambda a: f"await {a}", sub),
    )


def _torch_call(argument: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    positional = st.lists(argument, max_size=3)
    keywords = st.lists(st.tuples(st.sampled_from(KEYWORDS), argument), max_size=3)
    return st.builds(
        lambda f, p, k, sep, trail: (
            f"{f}("
            + sep.join([*p, *(f"{n}={v}" for n, v in k)])
            + ("," if trail and (p or k) else "")
            + ")"
        ),
        st.sampled_from(TORCH_CALLS),
        positional,
        keywords,
        st.sampled_from(SEPARATORS),
        st.booleans(),
    )


def _target(depth: int) -> st.SearchStrategy[str]:
    expr = _expr(depth)
    simple = st.one_of(
        st.sampled_from(["x", "y", "self.w", "_"]),
        st.builds(lambda e, i: f"{e}[{i}]", expr, expr),
        st.builds(lambda e: f"{e}.attr", expr),
    )
    return st.one_of(
        simple,
        st.builds(lambda a, b: f"{a}, {b}", simple, simple),
        st.builds(lambda a, b: f"[{a}, *{b}]", simple, simple),
        st.builds(lambda a, b: f"({a}, ({b}))", simple, simple),
    )


def _block(depth: int, indent: str) -> st.SearchStrategy[str]:
    inner = indent + "    "
    return st.lists(_statement(depth - 1, inner), min_size=1, max_size=3).map("".join)


def _statement(depth: int, indent: str) -> st.SearchStrategy[str]:
    expr = _expr(min(depth, 2))
    target = _target(1)
    simple = st.one_of(
        st.builds(lambda t, e: f"{t} = {e}", target, expr),
        st.builds(lambda t, e: f"{t} += {e}", st.sampled_from(["x", "self.w", "d[0]"]), expr),
        st.builds(
            lambda t, a, e: f"{t}: {a} = {e}", st.sampled_from(["x", "self.w", "d[k]"]), expr, expr
        ),
        st.builds(lambda t: f"del {t}", target),
        expr,
        st.builds(lambda a, b: f"{a}; {b}", expr, expr),
        st.sampled_from(
            ["pass", "global g", "return", "yield x", "raise", "break", "assert x, 'm'"]
        ),
        st.sampled_from(IMPORTS),
        st.builds(
            lambda c: f"# {c}",
            st.sampled_from(
                [
                    "mindport: ignore[MP101]",
                    "TODO(mindport): [MP201] x",
                    "ç\x85",
                    "\x0c",
                    "\u2028",
                    "a" * 100,
                ]
            ),
        ),
    ).map(lambda s: indent + s.replace("\n", "\n" + indent) + "\n")
    if depth <= 0:
        return simple
    block = _block(depth, indent)
    header = st.one_of(
        st.builds(lambda e: f"if {e}:", expr),
        st.builds(lambda t, e: f"for {t} in {e}:", target, expr),
        st.builds(lambda e, t: f"with {e} as {t}:", expr, target),
        st.builds(lambda e: f"while {e}:", expr),
        st.builds(
            lambda decos, d, a: (
                "".join(f"@{x}\n{indent}" for x in decos)
                + f"def f(a, b={d}, *c, k: {a} = 1, **kw) -> {a}:"
            ),
            st.lists(expr, max_size=2),
            expr,
            expr,
        ),
        st.builds(
            lambda e: (
                f"async def g():\n{indent}    async for x in {e}:\n{indent}        pass\n{indent}    async with {e} as y:"
            ),
            expr,
        ),
        st.builds(
            lambda b, k: f"class C({b}, metaclass={k}):",
            st.sampled_from(["nn.Module", "torch.nn.Module", "object", "Base"]),
            expr,
        ),
    )
    compound = st.one_of(
        st.builds(lambda h, b: f"{indent}{h}\n{b}", header, block),
        st.builds(
            lambda b1, b2, b3: (
                f"{indent}try:\n{b1}{indent}except (E, F) as e:\n{b2}{indent}finally:\n{b3}"
            ),
            block,
            block,
            block,
        ),
        st.builds(
            lambda s, g, b1, b2: (
                f"{indent}match {s}:\n{indent}    case [a, *rest] if {g}:\n{b1}{indent}    case {{'k': v, **kw}}:\n{b2}"
            ),
            expr,
            expr,
            _block(depth, indent + "    "),
            _block(depth, indent + "    "),
        ),
        st.builds(lambda e, s: f"{indent}if {e}: {s.strip()}\n", expr, simple),
        st.builds(
            lambda body: (
                f"{indent}class Net(nn.Module):\n{indent}    def forward(self, x):\n{body}"
            ),
            _block(depth, indent + "    "),
        ),
    )
    return st.one_of(simple, compound)


def modules(depth: int = 3) -> st.SearchStrategy[str]:
    """A module: a few imports, then statements; CRLF and CR endings some of the time."""
    body = st.lists(_statement(depth, ""), min_size=1, max_size=6).map("".join)
    return st.builds(
        lambda imports, text, ending: ("\n".join(imports) + "\n" + text).replace("\n", ending),
        st.lists(st.sampled_from(IMPORTS), min_size=1, max_size=3),
        body,
        st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"]),
    )


def deep_nesting() -> st.SearchStrategy[str]:
    """Nesting near the parser's limits, around a torch call."""
    return st.builds(
        lambda kind, n: (
            "import torch\n"
            + {
                "lists": "x = " + "[" * n + "torch.abs(t)" + "]" * n,
                "calls": "x = " + "torch.abs(" * n + "t" + ")" * n,
                "lambdas": "x = " + "lambda: " * n + "torch.abs(t)",
                "blocks": "".join(" " * i + "if x:\n" for i in range(min(n, 99)))
                + " " * min(n, 99)
                + "y = torch.abs(t)",
                "binops": "x = " + "torch.abs(t) + " * (n * 10) + "1",
                "comprehensions": "x = " + "[" * n + "torch.abs(t)" + " for t in ts]" * n,
            }[kind]
            + "\n"
        ),
        st.sampled_from(["lists", "calls", "lambdas", "blocks", "binops", "comprehensions"]),
        st.integers(1, 120),
    )

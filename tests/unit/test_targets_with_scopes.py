"""Comprehensions and lambdas wherever the grammar allows them, assignment targets above all.

Each opens a scope. The static pass used to build scopes only for the nodes it happened to
visit, and a comprehension inside an assignment target (``d[[k for k in ks][0]] = 1``) got
none: a ``KeyError`` that lost every finding of the file. Each shape below must analyse and
fix without an exception, give every scope node its scope, and leave the findings on the
lines around it as they are without it.
"""

from __future__ import annotations

import ast

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.analysis.scopes import SCOPE_NODES, ScopeBuilder
from mindport.fixes.fix_all import fix_all
from mindport.kb.loader import KnowledgeBase

SHAPES = {
    "subscript": "d[[k for k in ks][0]] = 1",
    "attribute": "f(lambda: 0).x = 1",
    "chained": "a = d[{k: 1 for k in ks}[0]] = f(lambda: 0).x = 1",
    "tuple": "a, d[next(k for k in ks)] = 1, 2",
    "list": "[d[lambda: 0], b] = 1, 2",
    "starred": "a, *d[{k for k in ks}.pop()] = ks",
    "annotated subscript": "d[[k for k in ks][0]]: int = 1",
    "annotated attribute": "f(lambda: 0).y: int = 2",
    "annotation": "x: [k for k in ks] = (lambda: 0)()",
    "augmented subscript": "d[lambda: 0] += 1",
    "augmented attribute": "f(lambda: 0).x += 1",
    "for target": "for d[[k for k in ks][0]] in ks:\n    pass",
    "with target": "with ctx() as d[(lambda: 0)()]:\n    pass",
    "with tuple target": "with ctx() as (a, d[[k for k in ks][0]]):\n    pass",
    "del": "del d[[k for k in ks][0]], f(lambda: 0).x",
    "walrus": "d[(z := [k for k in ks])[0]] = (w := lambda: 0)",
    "decorators": "@deco([k for k in ks])\n@(lambda g: g)\ndef g():\n    pass",
    "defaults": "def g(a=[k for k in ks], *, b=lambda: 0):\n    pass",
    "annotations": "def g(a: [k for k in ks]) -> (lambda: 0):\n    pass",
    "lambda default": "h = lambda a=lambda: 0, b=[k for k in ks]: a",
    "class keywords": "class C(f(lambda: 0), key=[k for k in ks]):\n    pass",
    "class body target": "class K:\n    d[[k for k in ks][0]] = 1",
    "method target": (
        "class M:\n    def m(self):\n        self.x[[k for k in ks][0]] = lambda: 0\n"
    ),
    "match subject and guard": (
        "match [k for k in ks]:\n    case [a] if [k for k in a] and (lambda: 0):\n        pass"
    ),
    "comprehension target": "r = [0 for d[[k for k in ks][0]] in ks]",
    "except": "try:\n    pass\nexcept [k for k in ks][0] as e:\n    pass",
    "async targets": (
        "async def g():\n"
        "    async for d[[k for k in ks][0]] in it:\n"
        "        pass\n"
        "    async with ctx() as f(lambda: 0).x:\n"
        "        pass"
    ),
    "nested": "d[[[j for j in (lambda: [k for k in ks])()] for _ in ks][0][0]] = 1",
}

BEFORE = "import torch\n\np = torch.nn.Parameter(w, requires_grad=False)\n"
AFTER = "\nq = torch.nn.Parameter(w, requires_grad=False)\n"


def _findings(analyzer: Analyzer, text: str) -> list[tuple[str, int, str]]:
    lines = text.splitlines()
    return sorted(
        (f.code, f.span.start.line, lines[f.span.start.line])
        for f in analyzer.analyze_static(text, AnalysisOptions()).findings
    )


@pytest.mark.parametrize("shape", SHAPES.values(), ids=list(SHAPES))
def test_every_scope_node_gets_a_scope(shape: str) -> None:
    tree = ast.parse(shape)
    scopes = ScopeBuilder().build(tree)
    missing = [
        type(node).__name__
        for node in ast.walk(tree)
        if isinstance(node, SCOPE_NODES) and id(node) not in scopes
    ]
    assert missing == []


@pytest.mark.parametrize("shape", SHAPES.values(), ids=list(SHAPES))
def test_findings_around_the_shape_survive(shape: str, kb: KnowledgeBase) -> None:
    analyzer = Analyzer(kb)
    plain = BEFORE + AFTER
    text = BEFORE + shape + "\n" + AFTER
    expected = _findings(analyzer, plain)
    assert {code for code, _, _ in expected}, "the lines around the shape must have findings"
    shift = shape.count("\n") + 1
    around = [
        (code, line if line < 3 else line - shift, source)
        for code, line, source in _findings(analyzer, text)
        if line < 3 or line >= 3 + shift
    ]
    assert around == expected
    for unsafe in (False, True):
        result = fix_all(
            text, lambda t: analyzer.analyze_static(t, AnalysisOptions()).findings, unsafe=unsafe
        )
        ast.parse(result.text)
        assert shape in result.text

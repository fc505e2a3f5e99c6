"""The innermost statement around a call: the bisecting index agrees with a scan of every
statement (the definition) for every call in files of every statement kind."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mindport.analysis.statements import StatementIndex
from mindport.analysis.static_pass import node_span
from mindport.text import Position, SourceLines, Span

ROOT = Path(__file__).resolve().parents[2]

NESTED = """\
import torch
x = torch.zeros(1); y = torch.ones(2)


@torch.no_grad()
def f(a=torch.ones(1)):
    if a.sum() > 0:
        b = torch.abs(a)
    elif torch.any(a):
        pass
    else:
        for i in range(torch.numel(a)):
            c = torch.neg(a)
        else:
            d = torch.exp(a)
    try:
        e = torch.log(a)
    except (torch.cuda.OutOfMemoryError, ValueError) as error:
        g = torch.sqrt(a)
    else:
        h = torch.tanh(a)
    finally:
        k = torch.sigmoid(a)
    with torch.no_grad():
        while torch.rand(1) < 0.5:
            m = torch.relu(a)
    match torch.numel(a):
        case 1:
            n = torch.sin(a)
        case _:
            o = torch.cos(a)
    return torch.cat([
        a,
        torch.zeros(1),
    ])


class Net(torch.nn.Module):
    scale = torch.tensor(2.0)

    def forward(self, z):
        return torch.relu(z) * self.scale
"""


def _by_scan(tree: ast.Module, lines: SourceLines, span: Span) -> Position | None:
    containing = [
        node_span(lines, node)
        for node in ast.walk(tree)
        if isinstance(node, ast.stmt)
        and node_span(lines, node).start <= span.start
        and span.end <= node_span(lines, node).end
    ]
    return max(containing, key=lambda s: s.start).start if containing else None


def _calls(text: str) -> tuple[ast.Module, SourceLines, list[Span]]:
    tree = ast.parse(text)
    lines = SourceLines(text)
    return tree, lines, [node_span(lines, n) for n in ast.walk(tree) if isinstance(n, ast.Call)]


def test_nested_statements_of_every_kind() -> None:
    tree, lines, calls = _calls(NESTED)
    index = StatementIndex(tree, lines)
    assert len(calls) > 20
    for span in calls:
        assert index.innermost_start(span) == _by_scan(tree, lines, span), span


def test_known_answers() -> None:
    tree, lines, _ = _calls(NESTED)
    index = StatementIndex(tree, lines)

    def at(needle: str) -> Position | None:
        offset = NESTED.index(needle)
        line = NESTED.count("\n", 0, offset)
        column = offset - (NESTED.rfind("\n", 0, offset) + 1)
        start = Position(line, column)
        return index.innermost_start(Span(start, Position(line, column + len(needle))))

    assert at("torch.ones(2)") == Position(1, 20)  # the second statement of a `;` line
    assert at("torch.neg(a)") == Position(12, 12)  # in a for loop in an else branch
    assert at("torch.sqrt(a)") == Position(18, 8)  # in an except handler's body
    assert at("torch.cuda.OutOfMemoryError") == Position(15, 4)  # the handler's type: the try
    assert at("torch.cos(a)") == Position(30, 12)  # in a match case
    # ast starts a decorated def at `def`: its decorators are in no statement of their own
    assert at("torch.no_grad()") is None


def _python_files() -> list[Path]:
    files = sorted((ROOT / "examples").glob("*.py")) + sorted(
        (ROOT / "tests" / "data").rglob("*.py")
    )
    parsed = []
    for path in files:
        try:
            ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue  # test data with deliberate errors
        parsed.append(path)
    return parsed


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: p.name)
def test_every_call_in_the_repository_data(path: Path) -> None:
    tree, lines, calls = _calls(path.read_text(encoding="utf-8"))
    index = StatementIndex(tree, lines)
    for span in calls:
        assert index.innermost_start(span) == _by_scan(tree, lines, span), (path.name, span)

from __future__ import annotations

import ast

from mindport.analysis.syntax import parse_source


def _names(text: str) -> set[str]:
    parsed = parse_source(text)
    return {node.id for node in ast.walk(parsed.tree) if isinstance(node, ast.Name)}


def test_clean_source_has_no_problems() -> None:
    assert parse_source("x = 1\n").problems == []


def test_unclosed_call_keeps_the_rest() -> None:
    parsed = parse_source("a = f(\nb = 2\nc = g(3)\n")
    assert parsed.problems and parsed.problems[0].line == 0
    assert {"c", "g"} <= {n.id for n in ast.walk(parsed.tree) if isinstance(n, ast.Name)}


def test_broken_block_header_keeps_its_body() -> None:
    names = _names("def f(:\n    inner = torch.x\n\nouter = 1\n")
    assert {"inner", "torch", "outer"} <= names


def test_block_without_body_and_stray_indent() -> None:
    assert {"after"} <= _names("if x:\nafter = 1\n")
    assert {"kept"} <= _names("x = 1\n    y = 2\n        z = 3\nkept = 4\n")


def test_nul_bytes_and_unterminated_strings_do_not_stop_analysis() -> None:
    assert "ok" in _names("ok = 1\x00\n")
    parsed = parse_source('s = """never closed\nok = 1\n')
    assert parsed.problems


def test_lines_and_columns_never_move() -> None:
    text = "bad = (\nvalue = 中文 + torch\n"
    parsed = parse_source(text)
    torch = next(n for n in ast.walk(parsed.tree) if isinstance(n, ast.Name) and n.id == "torch")
    assert (torch.lineno, parsed.lines.column_from_utf8(torch.lineno - 1, torch.col_offset)) == (
        2,
        13,
    )


def test_hopeless_input_gives_an_empty_tree_not_an_exception() -> None:
    parsed = parse_source("(" * 500 + "\n")
    assert parsed.problems

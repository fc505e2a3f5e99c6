"""Lines end where Python and LSP end them, and fixes keep every other byte.

``str.splitlines`` also breaks on form feed, ``\\x0b``, ``\\x1c``-``\\x1e``, U+0085, U+2028 and
U+2029. Python's tokenizer and editors do not: a latin-1 file's 0x85 in a comment, a form
feed between sections or a U+2028 in a string used to shift every position below it, so
fixes landed on the wrong text and a second ``fix --write`` changed the file again.
"""

from __future__ import annotations

import ast
import tokenize

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.comments import parse_comments
from mindport.analysis.engine import Analyzer
from mindport.fixes.fix_all import fix_all, minimal_edits
from mindport.kb.loader import KnowledgeBase, load_knowledge
from mindport.text import Position, SourceLines, TextEdit, apply_edits, line_reader, split_lines

ODD = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
ENDINGS = ["\n", "\r\n", "\r"]


@pytest.mark.parametrize("odd", ODD, ids=[f"U+{ord(c):04X}" for c in ODD])
@pytest.mark.parametrize("ending", ENDINGS, ids=["LF", "CRLF", "CR"])
def test_lines_are_those_of_python(odd: str, ending: str) -> None:
    text = f"a = 1  # x{odd}y{ending}b = 'p{odd}q'{ending}c = 3"
    lines = split_lines(text, keepends=True)
    assert "".join(lines) == text
    assert len(lines) == 3
    assert [n.lineno for n in ast.parse(text).body] == [1, 2, 3]
    assert split_lines(text) == [line.rstrip("\r\n") for line in lines]
    tokens = list(tokenize.generate_tokens(line_reader(text)))
    names = [(t.start, t.string) for t in tokens if t.type == tokenize.NAME]
    assert names == [((1, 0), "a"), ((2, 0), "b"), ((3, 0), "c")]


@pytest.mark.parametrize("ending", ENDINGS, ids=["LF", "CRLF", "CR"])
def test_comments_are_found_on_their_lines(ending: str) -> None:
    text = ending.join(["x = (1,", "  2)  # mindport: ignore[MP101]", "y = 2  # mindport: ignore"])
    comments = parse_comments(text)
    assert [d.span.start.line for d in comments.directives] == [1, 2]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", " ", "\n", "\r", *ODD, "é", "😀"])))
def test_offsets_and_positions_round_trip(text: str) -> None:
    lines = SourceLines(text)
    assert "".join(lines.lines) == text
    for line in lines.lines:
        body = line.rstrip("\r\n")
        assert "\r" not in body and "\n" not in body
        assert line[len(body) :] in ("", "\n", "\r", "\r\n")
    for offset in range(len(text) + 1):
        position = lines.position(offset)
        line = lines.line(position.line)
        if position.column <= len(line.rstrip("\r\n")):
            assert lines.offset(position) == offset
        assert position.line <= len(lines.lines)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(load_knowledge())


def _fix(analyzer: Analyzer, text: str, unsafe: bool = True) -> str:
    return fix_all(
        text, lambda t: analyzer.analyze_static(t, AnalysisOptions()).findings, unsafe=unsafe
    ).text


BODY = (
    "import torch\n"
    "import torch.nn.functional as F\n"
    "\n"
    "# section one{odd}still the comment\n"
    "x = torch.abs(t)  # after{odd}\n"
    "s = 'in a{odd}string'; y = F.leaky_relu(x, 0.2, inplace=True)\n"
    "\x0c\n"
    "#{odd}\n"
    "z = torch.nn.Parameter(w, requires_grad=False)\n"
)


def _changed_lines_are_fixed(before: str, after: str) -> None:
    """Every line of ``before`` that changed is one a fix touches (no shifted lines)."""
    for edit in minimal_edits(before, after):
        removed = SourceLines(before).text_of(edit.span)
        assert "torch" in removed or removed.strip() == "" or "leaky_relu" in removed, removed


@pytest.mark.parametrize("odd", ODD, ids=[f"U+{ord(c):04X}" for c in ODD])
@pytest.mark.parametrize("ending", ENDINGS, ids=["LF", "CRLF", "CR"])
def test_fixes_keep_separators_and_are_idempotent(
    odd: str, ending: str, analyzer: Analyzer
) -> None:
    text = BODY.format(odd=odd).replace("\n", ending)
    fixed = _fix(analyzer, text)
    assert fixed != text
    ast.parse(fixed)
    assert _fix(analyzer, fixed) == fixed
    assert fixed.count(odd) == text.count(odd)
    assert fixed.count("\x0c") == text.count("\x0c")
    for line in split_lines(fixed, keepends=True):
        assert line.endswith(ending) or line == split_lines(fixed, keepends=True)[-1]
        assert not line.rstrip("\r\n").count("\r") and "\n" not in line.rstrip("\r\n")
    _changed_lines_are_fixed(text, fixed)


def test_a_latin1_file_with_nel_and_form_feed_is_fixed_once(analyzer: Analyzer) -> None:
    raw = (
        b"# -*- coding: latin-1 -*-\n"
        b"import torch\n"
        b"# caf\xe9\x85 na\xefve\n"
        b"\x0c\n"
        b"# page two \x0c here\n"
        b"y = torch.abs(x)\n"
    )
    first = _fix(analyzer, raw.decode("latin-1")).encode("latin-1")
    assert first != raw
    second = _fix(analyzer, first.decode("latin-1")).encode("latin-1")
    assert second == first
    kept = [line for line in raw.split(b"\n") if b"torch" not in line]
    assert [
        line for line in first.split(b"\n") if b"torch" not in line and b"mindspore" not in line
    ] == kept


COMPOUND = {
    "if body": "if x: y = F.leaky_relu(x, 0.2, inplace=True)\n",
    "else body": "if x:\n    pass\nelse: y = F.leaky_relu(x, 0.2, inplace=True)\n",
    "semicolon": "a = 1; y = F.leaky_relu(x, 0.2, inplace=True)\n",
    "after a string over lines": 'a = """q\nr"""; y = F.leaky_relu(x, 0.2, inplace=True)\n',
    "backslash": "if x: \\\n    y = F.leaky_relu(x, 0.2, inplace=True)\n",
    "while header": "while x: y = F.leaky_relu(x, 0.2, inplace=True)\n",
    "def one line": "def g(x): return F.leaky_relu(x, 0.2, inplace=True)\n",
    "class one line": "class C: y = F.leaky_relu(x, 0.2, inplace=True)\n",
    "with": "with c: y = F.leaky_relu(x, 0.2, inplace=True)\n",
    "nested brackets": "y = [F.leaky_relu(x, 0.2, inplace=True),\n     1]\n",
    "u2028 in a string": "s = 'a\u2028b'; y = F.leaky_relu(x, 0.2, inplace=f('\u2028'))\n",
    "multi-line argument": "y = F.leaky_relu(x, 0.2, inplace=(True\n    and  # why\n    f()))\n",
    "string argument": 'y = F.leaky_relu(x, 0.2, inplace="""a\n\\\nb""")\n',
}


@pytest.mark.parametrize("body", COMPOUND.values(), ids=list(COMPOUND))
@pytest.mark.parametrize("ending", ENDINGS, ids=["LF", "CRLF", "CR"])
def test_an_unsafe_fix_with_a_todo_parses(body: str, ending: str, analyzer: Analyzer) -> None:
    text = ("import torch.nn.functional as F\n" + body).replace("\n", ending)
    fixed = _fix(analyzer, text)
    assert "TODO(mindport): [MP201]" in fixed
    ast.parse(fixed)
    assert _fix(analyzer, fixed) == fixed
    [todo] = [line for line in split_lines(fixed) if "TODO(mindport)" in line]
    assert todo.lstrip().startswith("#")


FRAGMENTS = st.sampled_from(
    ["True", "a", "f(b)", "'s'", '"""x\ny"""', "# c\n", "\n", "\\\n", "\u2028", "+", " ", "\t"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(FRAGMENTS, min_size=1, max_size=8), st.sampled_from(ENDINGS))
def test_generated_multi_line_arguments_leave_code_that_parses(
    fragments: list[str], ending: str
) -> None:
    value = "(" + " ".join(fragments) + "\n)"
    text = f"import torch.nn.functional as F\nif c: y = F.leaky_relu(x, 0.2, inplace={value})\n"
    try:
        ast.parse(text)
    except SyntaxError:
        return
    text = text.replace("\r\n", "\n").replace("\n", ending)
    fixed = _fix(_ANALYZER, text)
    ast.parse(fixed)
    assert _fix(_ANALYZER, fixed) == fixed


_ANALYZER = Analyzer(load_knowledge())


def test_minimal_edits_stay_inside_the_text() -> None:
    for old, new in [("a\nb", "a\nc"), ("a\r\nb", "x\r\nb\r\nz"), ("a", ""), ("", "q")]:
        edits = minimal_edits(old, new)
        assert apply_edits(old, edits) == new
        lines = SourceLines(old)
        end = lines.position(len(old))
        for edit in edits:
            assert Position(0, 0) <= edit.span.start <= edit.span.end <= end


def test_kb_fixture_is_real(kb: KnowledgeBase) -> None:
    assert (
        _fix(Analyzer(kb), "import torch\ny = torch.abs(x)\n") != "import torch\ny = torch.abs(x)\n"
    )
    assert isinstance(TextEdit, type)

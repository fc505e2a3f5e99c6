"""Every regular expression that reads user text stays linear on adversarial input.

The ``.forward`` prefilter of the class conversion used to backtrack exponentially on a line
ending in ``.`` followed by a banner of ``#``: 24 characters took a second, 40 would take
hours. The suppression-comment patterns were quadratic on a comment full of unclosed
``ignore[``. Each case below takes well under a second now; the bound is generous for a
loaded machine but far below what the old patterns needed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.comments import parse_comments
from mindport.analysis.engine import Analyzer
from mindport.analysis.jedi_names import public_name
from mindport.analysis.syntax import parse_source
from mindport.fixes.fix_all import fix_all
from mindport.fixes.ignore_comment import disable_edit
from mindport.kb.loader import KnowledgeBase
from mindport.render.card import markdown_to_plaintext

BOUND = 3.0  # CPU seconds


def _timed(action: Callable[[], object]) -> float:
    """CPU seconds of this process: a loaded machine stretches wall time, not this."""
    start = time.process_time()
    action()
    return time.process_time() - start


def _banner_module(width: int) -> str:
    return (
        "import torch.nn as nn\n"
        "\n"
        "# the model below is described in the paper.\n" + "#" * width + "\n"
        "class Net(nn.Module):\n"
        "    def forward(self, x):\n"
        "        return x\n"
    )


@pytest.mark.parametrize("width", [40, 2000])
def test_a_banner_after_a_dotted_comment_does_not_hang(width: int, kb: KnowledgeBase) -> None:
    analyzer = Analyzer(kb)
    text = _banner_module(width)

    def run() -> None:
        findings = analyzer.analyze_static(text, AnalysisOptions()).findings
        assert findings  # the class is still reported
        fix_all(text, lambda t: analyzer.analyze_static(t, AnalysisOptions()).findings)

    assert _timed(run) < BOUND


def test_forward_spelled_with_continuations_and_comments_is_still_renamed(
    kb: KnowledgeBase,
) -> None:
    """What the old pattern was for: ``x.forward`` split over lines still counts as a call."""
    analyzer = Analyzer(kb)
    text = (
        "import torch.nn as nn\n\nclass Net(nn.Module):\n    def forward(self, x):\n"
        "        return x\n\nclass Other(nn.Module):\n    def construct(self, x):\n"
        "        return (Net().  # a comment\n            forward(x))\n"
    )
    result = fix_all(text, lambda t: analyzer.analyze_static(t, AnalysisOptions()).findings)
    assert "def forward" in result.text  # unsafe: .forward is called elsewhere


ADVERSARIAL_COMMENTS = {
    "unclosed ignore": "# " + "mindport:ignore[" * 20000,
    "unclosed ignore-file": "# " + "mindport: ignore-file[MP101, " * 5000,
    "spaces": "# " + ("mindport:" + " " * 50) * 3000,
    "todo": "# " + "TODO(mindport): [MP101] " * 10000,
    "todo spaces": "# TODO(mindport):" + " " * 200000 + "[",
}


@pytest.mark.parametrize("comment", ADVERSARIAL_COMMENTS.values(), ids=list(ADVERSARIAL_COMMENTS))
def test_comment_patterns_are_linear(comment: str) -> None:
    text = "x = 1  " + comment + "\n"
    assert _timed(lambda: parse_comments(text)) < BOUND
    line = text.splitlines(keepends=True)[0]
    assert _timed(lambda: disable_edit(text, line, 0, "MP101")) < BOUND


def test_block_header_pattern_is_linear() -> None:
    text = "async" + " " * 200000 + "x(\n" + " " * 200000 + "def(\n"
    assert _timed(lambda: parse_source(text)) < BOUND


def test_directives_still_read_their_codes() -> None:
    comments = parse_comments("x = 1  # mindport: ignore[MP101, MP202]\n")
    [directive] = comments.directives
    assert directive.codes == frozenset({"MP101", "MP202"})
    assert parse_comments("x = 1  # mindport: ignore\n").directives[0].codes is None


MARKDOWN = {
    "open brackets": "[" * 20000,
    "open links": "[a](" * 20000,
    "link tails": "](a" * 20000,
    "long text": "[" + "a" * 200000,
}


@pytest.mark.parametrize("markdown", MARKDOWN.values(), ids=list(MARKDOWN))
def test_markdown_to_plaintext_is_linear(markdown: str) -> None:
    assert _timed(lambda: markdown_to_plaintext(markdown)) < BOUND


def test_links_still_become_plain_text() -> None:
    text = "see [torch.abs](https://pytorch.org/docs/stable/generated/torch.abs.html)."
    assert markdown_to_plaintext(text) == (
        "see torch.abs <https://pytorch.org/docs/stable/generated/torch.abs.html>."
    )


JEDI_NAMES = [
    "torch.nn.modules." + "a" * 200000 + ".",
    "torch.optim." + "a." * 100000,
    "torch._C." + "a" * 200000 + "!",
    "mindspore.common." + "a" * 100000 + "." + "b" * 100000 + ".",
]


@pytest.mark.parametrize("name", JEDI_NAMES, ids=range(len(JEDI_NAMES)))
def test_jedi_name_rules_are_linear(name: str, kb: KnowledgeBase) -> None:
    assert _timed(lambda: public_name(name, kb)) < BOUND

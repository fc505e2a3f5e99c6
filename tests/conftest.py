"""Shared fixtures: the real knowledge base and helpers to read labelled test data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mindport.kb.loader import KnowledgeBase, load_knowledge

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parent.parent

_EXPECT = re.compile(r"#\s*expect:\s*(.*)$")
_ITEM = re.compile(r"(MP\d{3})\[([^\]]*)\]")


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


def expected_labels(text: str) -> set[tuple[str, int, str]]:
    """Labels written as ``# expect: MP101[nn.Parameter], MP301[requires_grad=False]``.

    Each label is (code, 0-based line, the exact source text the finding must cover).
    """
    labels: set[tuple[str, int, str]] = set()
    for number, line in enumerate(text.splitlines()):
        match = _EXPECT.search(line)
        if match:
            labels.update(
                (code, number, covered) for code, covered in _ITEM.findall(match.group(1))
            )
    return labels

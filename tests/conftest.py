"""Shared fixtures: the real knowledge base and helpers to read labelled test data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mindport.kb.loader import KnowledgeBase, load_knowledge

DATA = Path(__file__).resolve().parent / "data"
SEED_ENTRY = "torch.nn.Parameter"
ROOT = Path(__file__).resolve().parent.parent

_EXPECT = re.compile(r"#\s*expect:\s*(.*)$")
_ITEM = re.compile(r"(MP\d{3})\[([^\]]*)\]")


SEED_KB = DATA / "knowledge" / "seed"


@pytest.fixture(autouse=True)
def private_result_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``check``/``fix`` cache results in a folder of the test session, not the user's."""
    monkeypatch.setenv("MINDPORT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "result-cache"))


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The real knowledge base."""
    return load_knowledge()


@pytest.fixture(scope="session")
def seed_kb() -> KnowledgeBase:
    """Only the seed entry: for tests whose exact output must not move as the knowledge grows."""
    return load_knowledge(SEED_KB)


@pytest.fixture
def seed_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``mindport`` (in-process or child) use the seed-only knowledge base."""
    monkeypatch.setenv("MINDPORT_KNOWLEDGE", str(SEED_KB))


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

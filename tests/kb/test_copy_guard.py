"""No sentence of the MindSpore reference pages appears in the knowledge base or its report.

The same rule as the project's pre-submit copy guard: sentences of 50+ characters and 7+
words, or with 12+ Chinese characters, must not repeat word for word. Skipped when the
reference pages (../shared/reference) are not beside the checkout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT

REFERENCE = ROOT.parent / "shared" / "reference" / "mindspore-docs"
_SPLIT = re.compile(r"[。！？；\n]|(?<=[.!?;])\s+|[|`\"]")


def pieces(text: str) -> Iterator[str]:
    for part in _SPLIT.split(text):
        piece = re.sub(r"\s+", " ", part).strip(" ,，:：*-").lower()
        cjk = len(re.findall(r"[\u4e00-\u9fff]", piece))
        if cjk >= 12 or (cjk == 0 and len(piece) >= 50 and piece.count(" ") >= 6):
            yield piece


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the reference pages are not available")
def test_no_reference_sentence_is_copied() -> None:
    reference: set[str] = set()
    for page in REFERENCE.rglob("*.md"):
        reference.update(pieces(page.read_text(encoding="utf-8", errors="ignore")))
    files = [
        *(ROOT / "knowledge" / "curated").rglob("*.toml"),
        *(ROOT / "knowledge" / "apis").rglob("*.toml"),
        ROOT / "knowledge" / "README.md",
        ROOT / "docs" / "knowledge-report.md",
    ]
    hits = []
    for path in files:
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(piece in reference for piece in pieces(line)):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert hits == []

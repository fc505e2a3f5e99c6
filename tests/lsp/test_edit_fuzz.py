"""The LSP edit fuzz, small (about 20 s): jedi off and on. CI runs >= 10,000 edits
(.ci/stages/40-fuzz.sh, ``python -m tests.lsp.edit_fuzz``)."""

from __future__ import annotations

import pytest

from tests.lsp.edit_fuzz import run_fuzz


@pytest.mark.parametrize(("jedi", "edits", "seed"), [(False, 400, 1), (True, 250, 2)])
def test_random_edits_with_requests_in_between(jedi: bool, edits: int, seed: int) -> None:
    stats = run_fuzz(edits=edits, seconds=12, jedi=jedi, seed=seed)
    assert stats.failures == []
    assert stats.edits >= min(edits, 100), "the fuzz made too few edits to mean anything"
    assert stats.requests >= stats.edits // 6
    assert stats.rss_end_mb - stats.rss_start_mb < 100

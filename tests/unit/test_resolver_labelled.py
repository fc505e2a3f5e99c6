"""Every label in tests/data/resolution, checked one by one, in three set-ups:

* the full resolver (static pass + jedi over this environment's site-packages, torch included);
* the static pass alone (no jedi): a subset of the full result, never a false positive;
* jedi with torch installed nowhere (the site-packages replaced by an empty directory), so
  only MindPort's stubs tell jedi about torch.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analysis, Analyzer
from mindport.analysis.findings import Confidence
from mindport.analysis.jedi_resolver import JediResolver
from mindport.kb.loader import KnowledgeBase, load_knowledge
from tests.unit.resolution_labels import (
    FILES,
    KNOWLEDGE,
    RESOLUTION,
    Score,
    category,
    found,
    negatives_hit,
    read_labels,
    score,
)

IDS = [p.name for p in FILES]


@cache
def kb() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE)


@cache
def resolver(setup: str) -> JediResolver | None:
    if setup == "static":
        return None
    if setup == "stubs":
        empty = RESOLUTION / "__no_site__"  # does not exist: no site-packages at all
        return JediResolver(kb(), project_root=RESOLUTION, site_paths=[str(empty)])
    return JediResolver(kb(), project_root=RESOLUTION)


@cache
def analysis(setup: str, path: Path) -> Analysis:
    text = path.read_text(encoding="utf-8")
    return Analyzer(kb(), resolver(setup)).analyze(text, path, AnalysisOptions())


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_label_with_jedi(path: Path) -> None:
    jedi_setup = resolver("jedi")
    if jedi_setup is not None and jedi_setup.use_stubs:
        pytest.skip(
            "torch is not installed in this environment, so jedi reads MindPort's stubs: "
            "test_without_torch_installed_the_stubs_keep_precision covers that; the frameworks "
            "CI stage runs this test against the real torch 2.13.0"
        )
    labels = read_labels(path.read_text(encoding="utf-8"))
    result = analysis("jedi", path)
    confirmed = found(result, Confidence.CONFIRMED)
    possible = found(result, Confidence.POSSIBLE)
    assert labels.refs - confirmed == set(), "labelled references not confirmed"
    assert confirmed - labels.refs == set(), "confirmed references without a label"
    assert labels.miss & confirmed == set(), "now confirmed: move these labels to refs"
    assert negatives_hit(confirmed, labels) == set()
    assert labels.possible - possible == set(), "labelled guesses not reported as possible"
    negative_guesses = {(line, name, text) for line, name, text in possible}
    allowed = labels.possible | labels.miss
    extra = {
        g for g in negative_guesses if g not in allowed and (g[0], g[2]) not in labels.negatives
    }
    assert extra == set(), "possible references without a label"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_static_pass_alone_never_guesses_wrong(path: Path) -> None:
    labels = read_labels(path.read_text(encoding="utf-8"))
    confirmed = found(analysis("static", path), Confidence.CONFIRMED)
    assert confirmed - labels.refs == set()
    assert negatives_hit(confirmed, labels) == set()


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_without_torch_installed_the_stubs_keep_precision(path: Path) -> None:
    labels = read_labels(path.read_text(encoding="utf-8"))
    assert resolver("stubs") is not None and resolver("stubs").use_stubs  # type: ignore[union-attr]
    confirmed = found(analysis("stubs", path), Confidence.CONFIRMED)
    assert confirmed - labels.refs - labels.miss == set()
    assert negatives_hit(confirmed, labels) == set()


def _scores(setup: str) -> dict[str, Score]:
    totals: dict[str, Score] = {}
    for path in FILES:
        labels = read_labels(path.read_text(encoding="utf-8"))
        totals.setdefault(category(path), Score()).add(score(analysis(setup, path), labels))
    return totals


def test_the_data_is_big_enough() -> None:
    totals = _scores("jedi")
    labelled = sum(s.labelled for s in totals.values())
    negatives = sum(s.negatives for s in totals.values())
    assert labelled >= 300, labelled
    assert negatives >= 60, negatives


@pytest.mark.parametrize("setup", ["jedi", "stubs"])
def test_recall_targets(setup: str) -> None:
    totals = _scores(setup)
    assert totals["names"].recall >= 0.99
    assert totals["members_inferable"].recall >= 0.90
    assert all(s.false_positives == 0 for s in totals.values())

"""The weights suite: each model of tests/data/weights gets torch weights converted by
``mindport weights convert`` (target classic); they load into the model ``mindport fix``
converted with 0 unmatched keys either way, and the outputs agree. The facts file the static
mapping reads is checked against live instances of both frameworks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.frameworks.conftest import require_frameworks

MODELS = sorted((DATA / "weights").glob("*.py"))


def test_weight_facts_match_both_frameworks() -> None:
    require_frameworks()
    from mindport.weights.generate import OUTPUT, facts, render

    assert OUTPUT.read_text(encoding="utf-8") == render(facts()), (
        "run python -m mindport.weights.generate"
    )


@pytest.mark.parametrize("source", MODELS, ids=lambda p: Path(p).stem)
@pytest.mark.parametrize("target", ["classic"])
def test_converted_weights_load_and_match(source: Path, target: str, tmp_path: Path) -> None:
    require_frameworks()
    from tests.frameworks.weights_harness import run_model

    result = run_model(source, tmp_path, target)
    assert result["map_exit"] == 0, result["map"].get("problems")
    assert result["convert_exit"] == 0, result["convert_log"]
    assert "error" not in result, f"{result['error']}\n{result.get('converted')}"
    mindspore_only = set(result["map"]["mindspore_only"])
    assert set(result["not_loaded"]) == mindspore_only  # only what torch has no value for
    assert result["unused"] == []
    assert result["shape_ok"]
    assert result["max_diff"] <= 1e-4

"""The training-step suite: each script of tests/data/training trains 5 steps in torch and,
after ``mindport fix --unsafe`` (target classic) and ``mindport weights convert``, in
MindSpore, from the same initial weights and batches; the losses agree within 1e-3 relative at
every step. See tests/frameworks/training_harness.py (all scripts share one MindSpore run)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import DATA
from tests.frameworks.conftest import require_frameworks

SCRIPTS = sorted((DATA / "training").glob("*.py"))


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    require_frameworks()
    from tests.frameworks.training_harness import run_all

    return run_all(SCRIPTS, tmp_path_factory.mktemp("training"))


@pytest.mark.parametrize("name", [p.stem for p in SCRIPTS])
def test_losses_agree_after_the_rewrite(results: dict[str, dict[str, Any]], name: str) -> None:
    from tests.frameworks.training_harness import agree

    result = results[name]
    assert result["weights"] == 0, result["weights_log"]
    assert "error" not in result, f"{result.get('trace')}\n{result['converted']}"
    assert result["not_loaded"] == []
    assert agree(result["torch"], result["losses"]), (result["torch"], result["losses"])


def test_the_suite_has_the_variants() -> None:
    names = {p.stem for p in SCRIPTS}
    assert len(names) >= 15
    variants = (
        "plain",
        "clip",
        "accumulate",
        "scaler",
        "two_losses_eval",
        "scheduler_batch",
        "epochs_scheduler",
        "zero_grad_last",
    )
    for variant in variants:
        assert any(n.endswith(f"__{variant}") for n in names), variant

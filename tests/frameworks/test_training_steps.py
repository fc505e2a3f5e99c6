"""The training-step suite: each script of tests/data/training trains 5 steps in torch and,
after ``mindport fix --unsafe`` (target classic) and ``mindport weights convert``, in
MindSpore, from the same initial weights and batches; the losses agree within 1e-3 relative at
every step. See tests/frameworks/training_harness.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.frameworks.conftest import require_frameworks

SCRIPTS = sorted((DATA / "training").glob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: Path(p).stem)
def test_losses_agree_after_the_rewrite(script: Path, tmp_path: Path) -> None:
    require_frameworks()
    from tests.frameworks.training_harness import agree, run_both

    result = run_both(script, tmp_path)
    assert result["weights"] == 0, result["weights_log"]
    assert "error" not in result, f"{result.get('stderr')}\n{result['converted']}"
    assert result["not_loaded"] == []
    assert agree(result["torch"], result["losses"]), (result["torch"], result["losses"])


def test_the_suite_has_the_variants() -> None:
    names = {p.stem for p in SCRIPTS}
    assert len(names) >= 15
    for variant in (
        "plain",
        "clip",
        "accumulate",
        "scaler",
        "two_losses_eval",
        "scheduler_batch",
        "epochs_scheduler",
        "zero_grad_last",
    ):
        assert any(n.endswith(f"__{variant}") for n in names), variant

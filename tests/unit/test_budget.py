"""Time budgets: a stage that runs too long is interrupted and reported, nothing else is."""

from __future__ import annotations

import time

import pytest

from mindport.analysis import engine
from mindport.analysis.budget import BudgetExceeded, within_budget
from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.kb.loader import load_knowledge


def _spin() -> None:
    while True:
        try:
            sum(range(100))
        except Exception:  # the interruption must not be swallowed here
            continue


def test_a_block_over_budget_is_interrupted_with_the_stage_and_the_name() -> None:
    started = time.monotonic()
    with (
        pytest.raises(BudgetExceeded) as caught,
        within_budget(0.2, stage="static analysis", name="slow.py"),
    ):
        _spin()
    assert time.monotonic() - started < 5
    assert caught.value.stage == "static analysis"
    assert "slow.py" in str(caught.value) and "0.2 s" in str(caught.value)
    assert "slow.py" in caught.value.message("zh")


def test_a_block_within_budget_is_left_alone_and_nothing_fires_later() -> None:
    with within_budget(0.2, stage="static analysis", name="fast.py"):
        total = sum(range(1000))
    time.sleep(0.4)  # a late interruption would land here
    assert total == 499500


def test_no_budget_means_no_timer() -> None:
    with within_budget(None, stage="static analysis", name="x"):
        pass
    with within_budget(0, stage="static analysis", name="x"):
        pass


def test_the_engine_reports_a_static_pass_over_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    analyzer = Analyzer(load_knowledge())
    options = AnalysisOptions(locale="en", target="mint")

    def endless(*args: object, **kwargs: object) -> None:
        _spin()

    monkeypatch.setattr(engine, "run_static_pass", endless)
    with pytest.raises(BudgetExceeded) as caught:
        analyzer.analyze_static("import torch\n", options, budget=0.2, name="model.py")
    assert caught.value.name == "model.py"
    outcome = analyzer.analyze_within("import torch\n", None, options, budget=0.2, name="m.py")
    assert outcome.analysis is None and outcome.exceeded is not None
    assert outcome.exceeded.name == "m.py"


def test_the_engine_keeps_the_analysis_within_budget() -> None:
    analyzer = Analyzer(load_knowledge())
    options = AnalysisOptions(locale="en", target="mint")
    outcome = analyzer.analyze_within(
        "import torch\nx = torch.nn.Linear(2, 3)\n", None, options, budget=30
    )
    assert outcome.exceeded is None and outcome.analysis is not None
    assert outcome.analysis.findings

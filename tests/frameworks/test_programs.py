"""The program suite (tests/programs, ``python -m mindport.verify programs``): every program
converted by MindPort for both targets and run in torch and MindSpore.

Fails when a program's outcome moved from the one recorded in tests/programs/results.json
(re-run the suite, review, commit the results and docs/programs.md), when a torch program is
broken, and on every defect that is not recorded: a converted program that differs from torch,
or fails on a line MindPort does not report. A recorded defect is reported as an expected
failure with its detail, so it stays visible in every run until it is fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REASON = (
    "needs torch and mindspore (pip install -e '.[test,frameworks]'); the program suite"
    " (tests/frameworks/test_programs.py) was not run"
)
pytest.importorskip("torch", reason=REASON)
pytest.importorskip("mindspore", reason=REASON)

from mindport.verify import programs as suite  # noqa: E402
from mindport.verify.runner import default_jobs  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

DIRECTORY = ROOT / "tests" / "programs"
STORED = suite.read_results(DIRECTORY / suite.RESULTS_NAME)
PROGRAMS = suite.load_programs(DIRECTORY)


@pytest.fixture(scope="module")
def fresh() -> dict[str, suite.ProgramResult]:
    results, _, _ = suite.run_programs(PROGRAMS, suite.analyzer_findings(), jobs=default_jobs())
    return {r.name: r for r in results}


@pytest.mark.parametrize("target", suite.TARGETS)
@pytest.mark.parametrize("name", [p.name for p in PROGRAMS])
def test_program(name: str, target: str, fresh: dict[str, suite.ProgramResult]) -> None:
    result = fresh[name]
    assert result.torch_error is None, f"the torch program fails: {result.torch_error}"
    outcome = result.targets[target]
    recorded = STORED["programs"][name]["targets"][target]["outcome"]
    assert outcome.outcome == recorded, (
        f"{name} ({target}): recorded {recorded}, now {outcome.outcome}: {outcome.detail};"
        f" re-run `{suite.COMMAND}` and review the change"
    )
    if outcome.outcome == suite.DEFECT:
        pytest.xfail(f"recorded defect: {outcome.detail}")


def test_the_share_of_programs_that_run_and_match_is_recorded(
    fresh: dict[str, suite.ProgramResult],
) -> None:
    assert suite.counts(list(fresh.values())) == STORED["summary"]


def test_a_program_that_leaves_torch_fails_on_the_line_that_uses_it(tmp_path: Path) -> None:
    from mindport.verify.runner import Worker

    worker = Worker("mindspore", tmp_path)
    text = "import torch\n\n\ndef run():\n    x = 1\n    return {'y': torch.ones(2)}\n"
    try:
        answer = worker.call({"kind": "program", "program": text, "inputs": []})
    finally:
        worker.stop()
    assert not answer["ok"] and answer["line"] == 6 and "torch.ones" in answer["error"]

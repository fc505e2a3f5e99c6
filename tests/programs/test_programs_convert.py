"""The program suite without the frameworks: every program follows the contract, converts with
the fixer for both targets, and the converted code parses; the stored results cover every
program and docs/programs.md is generated from them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mindport.verify import programs as suite
from tests.conftest import ROOT

DIRECTORY = Path(__file__).resolve().parent
PROGRAMS = suite.load_programs(DIRECTORY)
RESULTS = DIRECTORY / suite.RESULTS_NAME


@pytest.fixture(scope="module")
def findings_of() -> suite.FindingsOf:
    return suite.analyzer_findings()


def test_the_suite_has_at_least_forty_programs_of_every_kind() -> None:
    assert len(PROGRAMS) >= 40
    assert {p.kind for p in PROGRAMS} == set(suite.KINDS)
    assert sum(not p.training for p in PROGRAMS) >= 40


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.name)
@pytest.mark.parametrize("target", suite.TARGETS)
def test_the_program_converts_and_parses(
    program: suite.Program, target: str, findings_of: suite.FindingsOf
) -> None:
    converted = suite.convert_program(program.text, target, findings_of)
    assert converted.text is not None, converted.problem
    ast.parse(converted.text)
    assert converted.applied > 0  # the fixer did convert something
    assert "import mindspore" in converted.text


def test_the_stored_results_cover_every_program_and_the_docs_are_generated_from_them() -> None:
    data = suite.read_results(RESULTS)
    assert sorted(data["programs"]) == sorted(p.name for p in PROGRAMS)
    docs = (ROOT / suite.DOCS_FILE).read_text(encoding="utf-8")
    assert docs == suite.render_docs(data), f"re-run `{suite.COMMAND}`"


def test_a_failing_line_counts_only_when_a_finding_is_on_its_statement() -> None:
    text = "x = f(\n    1,\n    2,\n)\nwith g():\n    y = 1\n"
    assert suite.statement_lines(text, 3) == (1, 4)
    assert suite.statement_lines(text, 5) == (5, 5)
    assert suite.statement_lines(text, 6) == (6, 6)


def test_a_program_without_run_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text('KIND = "model"\nINPUTS = {}\n', encoding="utf-8")
    with pytest.raises(suite.ProgramFileError, match="run"):
        suite.load_programs(tmp_path)


def _finding_on(line: int) -> suite.Finding:
    from mindport.analysis.findings import Confidence, Severity
    from mindport.text import Position, Span

    span = Span(Position(line - 1, 0), Position(line - 1, 5))
    return suite.Finding("MP101", Severity.WARNING, span, "m", None, None, Confidence.CONFIRMED)


def _tensor(values: list[float]) -> dict[str, object]:
    return {"kind": "tensor", "dtype": "float32", "shape": [len(values)], "data": values}


def test_outcomes_are_decided_by_the_failing_line_and_the_outputs() -> None:
    program = PROGRAMS[0]
    text = "a = 1\nb = f(\n    a,\n)\nc = 2\n"
    converted = suite.Converted("mint", text, None, 1, (_finding_on(2),))
    torch = {"ok": True, "output": {"kind": "dict", "items": {"y": _tensor([1.0, 2.0])}}}

    def failing(line: int) -> dict[str, object]:
        return {"ok": False, "stage": "run", "error": "E", "line": line}

    reported = suite.classify(program, converted, torch, failing(3))
    assert reported.outcome == suite.REPORTED and reported.codes == ("MP101",)
    assert suite.classify(program, converted, torch, failing(5)).outcome == suite.DEFECT
    weights = {"ok": False, "stage": "weights", "error": "E", "line": 2}
    assert suite.classify(program, converted, torch, weights).outcome == suite.DEFECT
    same = {"ok": True, "output": {"kind": "dict", "items": {"y": _tensor([1.0, 2.0])}}}
    assert suite.classify(program, converted, torch, same).outcome == suite.MATCH
    other = {"ok": True, "output": {"kind": "dict", "items": {"y": _tensor([1.0, 2.5])}}}
    assert suite.classify(program, converted, torch, other).outcome == suite.DEFECT
    missing = {**same, "missing_weights": ["bias [3]"]}
    assert suite.classify(program, converted, torch, missing).outcome == suite.DEFECT
    broken = suite.Converted("mint", None, "does not parse")
    assert suite.classify(program, broken, torch, None).outcome == suite.DEFECT

"""The program suite: whole torch programs converted by MindPort and run in both frameworks.

Every ``tests/programs/*.py`` (but ``test_*``) is one program with a small contract:

``KIND``       what it is (``model``, ``loss``, ``utility``, ``inference``, ``checkpoint``,
               ``preprocessing``, ``training``)
``INPUTS``     a dict literal: name -> input spec as in the case files (``shape``, ``dtype``,
               ``dist``, ``low``, ``high``, ``values``) and ``numpy = True`` for an input passed
               as a NumPy array instead of a tensor
``TOLERANCE``  optional: ``{"rtol": ..., "atol": ..., "why": "..."}``
``build()``    optional: returns the model; the harness seeds, builds, sets evaluation mode and
               copies torch's weights into the converted model by name
``run(...)``   ``run(model, **inputs)`` (``run(**inputs)`` without ``build``): a dict of outputs

Each program is converted with ``fix_all`` (safe fixes, as ``mindport fix --write`` with
default settings) for the ``mint`` and the classic target, then run with torch and with
MindSpore in worker processes (``runner.Worker``) on the same seeded NumPy inputs, and compared
with the equivalence suite's per-dtype tolerances (``compare``). Outcomes:

``match``     both ran and every output agrees
``reported``  MindSpore fails on a line that MindPort still reports after the fix (expected)
``defect``    the outputs differ, the converted program fails on a line no finding is on, it
              does not parse, or the fixer raised
``broken``    the torch program itself fails (a bug in the suite)
"""

from __future__ import annotations

import ast
import json
import queue
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mindport.analysis.findings import Finding
from mindport.fixes.fix_all import fix_all
from mindport.verify.cases import InputSpec, parse_spec
from mindport.verify.compare import Tolerance, differences

TARGETS = ("mint", "classic")
MATCH, REPORTED, DEFECT, BROKEN = "match", "reported", "defect", "broken"
OUTCOMES = (MATCH, REPORTED, DEFECT, BROKEN)
KINDS = ("model", "loss", "utility", "inference", "checkpoint", "preprocessing", "training")
RESULTS_NAME = "results.json"
DOCS_FILE = "docs/programs.md"
COMMAND = "python -m mindport.verify programs"
PROGRAM_TIMEOUT = 120.0

FindingsOf = Callable[[str, str], "list[Finding] | tuple[Finding, ...]"]  # (text, target)


class ProgramFileError(ValueError):
    """A program that does not follow the contract (names the file)."""


@dataclass(frozen=True, slots=True)
class Program:
    name: str
    text: str
    kind: str
    inputs: tuple[tuple[str, InputSpec, bool], ...]  # name, spec, passed as NumPy
    summary: str
    rtol: float | None = None
    atol: float | None = None

    @property
    def training(self) -> bool:
        return self.kind == "training"

    @property
    def seed(self) -> int:
        return zlib.crc32(self.name.encode()) % 2**32


def _constant(tree: ast.Module, name: str) -> Any:
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == name
        ):
            return ast.literal_eval(node.value)
    return None


def read_program(path: Path) -> Program:
    text = path.read_text(encoding="utf-8")
    where = path.name
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        raise ProgramFileError(f"{where}: not Python: {error.msg}") from None
    try:
        kind = _constant(tree, "KIND")
        raw_inputs = _constant(tree, "INPUTS") or {}
        tolerance = _constant(tree, "TOLERANCE") or {}
    except ValueError as error:
        raise ProgramFileError(f"{where}: KIND, INPUTS and TOLERANCE are literals") from error
    if kind not in KINDS:
        raise ProgramFileError(f"{where}: KIND must be one of {', '.join(KINDS)}")
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    if "run" not in functions:
        raise ProgramFileError(f"{where}: no run() function")
    inputs: list[tuple[str, InputSpec, bool]] = []
    for name, value in dict(raw_inputs).items():
        spec = dict(value)
        as_numpy = bool(spec.pop("numpy", False))
        inputs.append((str(name), parse_spec(spec, f"{where} INPUTS[{name!r}]"), as_numpy))
    if tolerance and not tolerance.get("why"):
        raise ProgramFileError(f"{where}: a TOLERANCE needs `why`")
    doc = ast.get_docstring(tree) or ""
    return Program(
        name=path.stem,
        text=text,
        kind=str(kind),
        inputs=tuple(inputs),
        summary=doc.strip().splitlines()[0] if doc.strip() else "",
        rtol=tolerance.get("rtol"),
        atol=tolerance.get("atol"),
    )


def load_programs(directory: Path, only: Iterable[str] | None = None) -> list[Program]:
    wanted = set(only) if only is not None else None
    return [
        read_program(path)
        for path in sorted(directory.glob("*.py"))
        if not path.name.startswith(("test_", "_")) and (wanted is None or path.stem in wanted)
    ]


# -- conversion ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Converted:
    target: str
    text: str | None  # None: the fixer raised or its output does not parse
    problem: str | None = None
    applied: int = 0
    findings: tuple[Finding, ...] = ()  # MindPort's findings on the converted text


def convert_program(text: str, target: str, findings_of: FindingsOf) -> Converted:
    """``mindport fix --write`` with default settings (safe fixes only) for one target."""
    try:
        result = fix_all(text, lambda t: findings_of(t, target), unsafe=False)
    except Exception as error:  # a fixer crash is a defect of its own
        return Converted(target, None, f"the fixer raised {type(error).__name__}: {error}")
    try:
        ast.parse(result.text)
    except SyntaxError as error:
        return Converted(
            target, None, f"the fixed program does not parse (line {error.lineno}: {error.msg})"
        )
    return Converted(
        target, result.text, None, result.applied, tuple(findings_of(result.text, target))
    )


def statement_lines(text: str, line: int) -> tuple[int, int]:
    """The 1-based lines of the innermost statement at ``line`` (a compound one's header)."""
    best: tuple[int, int] = (line, line)
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return best
    size = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        start, end = node.lineno, node.end_lineno or node.lineno
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            # a compound statement: its header ends before its body (decorators included)
            end = max(start, body[0].lineno - 1)
        if start <= line <= end and (size is None or end - start < size):
            best, size = (start, end), end - start
    return best


def findings_on(text: str, findings: Sequence[Finding], line: int) -> list[Finding]:
    """The findings on the statement that holds ``line`` (1-based)."""
    start, end = statement_lines(text, line)
    return [f for f in findings if f.span.start.line + 1 <= end and f.span.end.line + 1 >= start]


# -- outcomes --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TargetOutcome:
    target: str
    outcome: str
    detail: str = ""
    line: int | None = None  # the converted program's failing line
    codes: tuple[str, ...] = ()  # the findings on that line
    applied: int = 0
    remaining: int = 0  # findings left in the converted program

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"outcome": self.outcome}
        if self.detail:
            data["detail"] = self.detail
        if self.line is not None:
            data["line"] = self.line
        if self.codes:
            data["codes"] = list(self.codes)
        data["applied"] = self.applied
        data["remaining"] = self.remaining
        return data


@dataclass(frozen=True, slots=True)
class ProgramResult:
    name: str
    kind: str
    summary: str
    targets: dict[str, TargetOutcome] = field(default_factory=dict)
    torch_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "summary": self.summary,
            "targets": {t: o.to_json() for t, o in self.targets.items()},
        }
        if self.torch_error:
            data["torch_error"] = self.torch_error
        return data


def _line_text(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def classify(
    program: Program, converted: Converted, torch: dict[str, Any], ms: dict[str, Any] | None
) -> TargetOutcome:
    """The outcome of one program for one target."""
    target = converted.target
    if converted.text is None or ms is None:
        return TargetOutcome(target, DEFECT, converted.problem or "not run")
    applied, remaining = converted.applied, len(converted.findings)
    if not ms.get("ok"):
        line = ms.get("line")
        error = str(ms.get("error"))
        stage = ms.get("stage")
        if isinstance(line, int) and stage not in ("weights", "outputs"):
            on_line = findings_on(converted.text, converted.findings, line)
            where = f"line {line} `{_line_text(converted.text, line)}`: {error}"
            if on_line:
                codes = tuple(dict.fromkeys(f.code for f in on_line))
                return TargetOutcome(target, REPORTED, where, line, codes, applied, remaining)
            return TargetOutcome(
                target,
                DEFECT,
                f"fails on a line with no finding: {where}",
                line,
                (),
                applied,
                remaining,
            )
        return TargetOutcome(target, DEFECT, f"{stage}: {error}", None, (), applied, remaining)
    tolerance = Tolerance(program.rtol, program.atol)
    found = differences(torch["output"], ms["output"], "output", tolerance)
    found += [f"weights: no place for torch's {w}" for w in ms.get("missing_weights", [])]
    if found:
        detail = "differs: " + "; ".join(found)[:600]
        return TargetOutcome(target, DEFECT, detail, None, (), applied, remaining)
    return TargetOutcome(target, MATCH, "", None, (), applied, remaining)


# -- running ---------------------------------------------------------------------------------


def _request(program: Program, text: str) -> dict[str, Any]:
    from mindport.verify.inputs import make_input

    return {
        "kind": "program",
        "program": text,
        "train": False,
        "inputs": [
            (name, spec.dtype, make_input(spec, program.seed, n), as_numpy)
            for n, (name, spec, as_numpy) in enumerate(program.inputs)
        ],
    }


def analyzer_findings(jedi: bool = False) -> FindingsOf:
    """Findings as ``mindport fix`` computes them (default settings, one target each)."""
    from mindport.analysis.checks import AnalysisOptions
    from mindport.analysis.engine import Analyzer
    from mindport.kb.loader import load_knowledge

    kb = load_knowledge()
    resolver = None
    if jedi:
        from mindport.analysis.jedi_resolver import JediResolver

        resolver = JediResolver(kb)
    analyzer = Analyzer(kb, resolver)
    options = {t: AnalysisOptions(target=t) for t in TARGETS}

    def findings_of(text: str, target: str) -> tuple[Finding, ...]:
        return analyzer.analyze(text, None, options[target]).findings

    return findings_of


def run_programs(
    programs: Sequence[Program],
    findings_of: FindingsOf,
    *,
    jobs: int = 1,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[ProgramResult], dict[str, str], dict[str, dict[str, str]]]:
    """Convert and run every program; returns the results, the versions and the converted
    texts (program -> target -> text)."""
    from mindport.verify.runner import Worker

    say = progress or (lambda _: None)
    started = time.perf_counter()
    converted = {
        p.name: {t: convert_program(p.text, t, findings_of) for t in TARGETS} for p in programs
    }
    say(f"{len(programs)} programs converted in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory(prefix="mindport-programs-") as tmp:
        log_dir = Path(tmp)
        torch_worker = Worker("torch", log_dir)
        ms_workers = [Worker("mindspore", log_dir) for _ in range(max(1, jobs))]
        try:
            torch_worker.start()
            torch_out: dict[str, dict[str, Any]] = {}
            for program in programs:
                torch_out[program.name] = torch_worker.call(
                    _request(program, program.text), PROGRAM_TIMEOUT
                )
            say(f"torch ran in {time.perf_counter() - started:.1f} s")
            tasks: queue.Queue[tuple[Program, str]] = queue.Queue()
            for program in programs:
                if torch_out[program.name].get("ok"):
                    for target in TARGETS:
                        if converted[program.name][target].text is not None:
                            tasks.put((program, target))
            ms_out: dict[tuple[str, str], dict[str, Any]] = {}
            lock = threading.Lock()

            def work(worker: Worker) -> None:
                while True:
                    try:
                        program, target = tasks.get_nowait()
                    except queue.Empty:
                        return
                    text = converted[program.name][target].text
                    assert text is not None
                    request = _request(program, text)
                    request["weights"] = torch_out[program.name].get("weights", [])
                    answer = worker.call(request, PROGRAM_TIMEOUT)
                    with lock:
                        ms_out[(program.name, target)] = answer

            threads = [threading.Thread(target=work, args=(w,)) for w in ms_workers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            versions = {**torch_worker.versions, **ms_workers[0].versions}
        finally:
            for worker in (torch_worker, *ms_workers):
                worker.stop()
    say(f"MindSpore ran in {time.perf_counter() - started:.1f} s")
    results: list[ProgramResult] = []
    for program in programs:
        torch = torch_out[program.name]
        if not torch.get("ok"):
            error = f"{torch.get('stage')} line {torch.get('line')}: {torch.get('error')}"
            results.append(ProgramResult(program.name, program.kind, program.summary, {}, error))
            continue
        targets = {
            t: classify(program, converted[program.name][t], torch, ms_out.get((program.name, t)))
            for t in TARGETS
        }
        results.append(ProgramResult(program.name, program.kind, program.summary, targets))
    texts = {p.name: {t: converted[p.name][t].text or "" for t in TARGETS} for p in programs}
    return results, versions, texts


def outcome_of(result: ProgramResult, target: str) -> str:
    if result.torch_error is not None:
        return BROKEN
    return result.targets[target].outcome


def counts(results: Sequence[ProgramResult]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for target in TARGETS:
        tally = dict.fromkeys(OUTCOMES, 0)
        for result in results:
            tally[outcome_of(result, target)] += 1
        out[target] = tally
    return out


def write_results(
    path: Path, results: Sequence[ProgramResult], versions: dict[str, str], seconds: float
) -> dict[str, Any]:
    data = {
        "format": 1,
        "generated_by": COMMAND,
        "versions": versions,
        "seconds": round(seconds),
        "summary": counts(results),
        "programs": {r.name: r.to_json() for r in results},
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return data


def read_results(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


# -- docs/programs.md ------------------------------------------------------------------------

_LABEL = {
    MATCH: "runs, matches",
    REPORTED: "fails on a reported line",
    DEFECT: "**DEFECT**",
    BROKEN: "torch fails",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _left(result: ProgramResult) -> str:
    if result.torch_error is not None:
        return _cell(result.torch_error)
    parts: list[str] = []
    for target, outcome in result.targets.items():
        if outcome.outcome == MATCH:
            continue
        codes = f" ({', '.join(outcome.codes)})" if outcome.codes else ""
        parts.append(f"{target}: {_cell(outcome.detail[:220])}{codes}")
    return "<br>".join(parts) if parts else "nothing"


def render_docs(data: dict[str, Any]) -> str:
    programs: dict[str, Any] = data["programs"]
    results = [
        ProgramResult(
            name,
            item["kind"],
            item.get("summary", ""),
            {
                t: TargetOutcome(
                    t,
                    o["outcome"],
                    o.get("detail", ""),
                    o.get("line"),
                    tuple(o.get("codes", ())),
                    o.get("applied", 0),
                    o.get("remaining", 0),
                )
                for t, o in item.get("targets", {}).items()
            },
            item.get("torch_error"),
        )
        for name, item in programs.items()
    ]
    tally = counts(results)
    without_training = [r for r in results if r.kind != "training"]
    lines = [
        "# The program suite",
        "",
        f"Generated by `{COMMAND}` from `tests/programs/{RESULTS_NAME}`; do not edit.",
        "",
        f"{len(results)} PyTorch programs written for this suite (`tests/programs/*.py`: model"
        " definitions, losses, tensor utilities, inference scripts, checkpoints, data"
        " preprocessing, training steps). Each is converted by MindPort's own fixer"
        " (`fix_all` with safe fixes only, as `mindport fix --write` with default settings),"
        ' once for the `mint` target and once with `target = "classic"`, and both the torch'
        " original (torch"
        f" {data['versions'].get('torch', '?')}) and the converted program (MindSpore"
        f" {data['versions'].get('mindspore', '?')}, CPU) run in separate worker processes on the"
        " same inputs drawn with NumPy from a fixed seed; models get torch's weights copied in by"
        " name. Outputs are compared with the equivalence suite's per-dtype tolerances"
        " (`docs/verified-apis.md`).",
        "",
        "Outcomes: **runs, matches**; **fails on a reported line** (MindSpore raises on a line"
        " where MindPort still shows a finding after the fix: the user is told, expected);"
        " **DEFECT** (the outputs differ, or it fails on a line with no finding, or the fixed"
        " program does not parse). CI's frameworks stage runs the suite"
        " (`tests/frameworks/test_programs.py`): it fails when an outcome moves from the one"
        " recorded here and on every new defect; a recorded defect shows as an expected failure"
        " with its detail until it is fixed.",
        "",
        "| outcome | mint | classic |",
        "|---|---:|---:|",
    ]
    for outcome in OUTCOMES:
        lines.append(
            f"| {_LABEL[outcome]} | {tally['mint'][outcome]} | {tally['classic'][outcome]} |"
        )
    for target in TARGETS:
        matched = sum(1 for r in without_training if outcome_of(r, target) == MATCH)
        share = 100 * matched / len(without_training) if without_training else 0.0
        lines.append("")
        lines.append(
            f"`{target}`: {matched} of {len(without_training)} programs without a training step"
            f" run and match after the fix ({share:.0f}%)."
        )
    lines += [
        "",
        f"Run time of the last run: {data.get('seconds', '?')} s.",
        "",
        "| program | kind | mint | classic | what is left |",
        "|---|---|---|---|---|",
    ]
    for result in sorted(results, key=lambda r: (KINDS.index(r.kind), r.name)):
        cells = [
            f"`{result.name}`<br>{_cell(result.summary)}",
            result.kind,
            _LABEL[outcome_of(result, "mint")],
            _LABEL[outcome_of(result, "classic")],
            _left(result),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"

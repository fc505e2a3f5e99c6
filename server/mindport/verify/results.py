"""Case outcomes, per-API verdicts, and ``knowledge/verification.json``.

A case *passes* when both programs ran and every compared value agrees; it *differs* when
both ran and something disagrees; anything else (a crash, a timeout, an error in one
framework, a conversion the fixer could not finish, random values) makes it *not
verifiable*, with the reason. Never a pass.

Per target: ``differs`` when a case differs, ``verified`` when every case passed, else
``not-verifiable``. Per API: ``differs`` when a target differs, ``verified`` when a target
is verified, else ``not-verifiable``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mindport.kb.model import Entry
from mindport.kb.verification import problem_kind as kb_problem_kind

FORMAT = 1
PASS, DIFFERS, NOT_VERIFIABLE = "pass", "differs", "not-verifiable"
VERIFIED = "verified"
STATUSES = (VERIFIED, DIFFERS, NOT_VERIFIABLE)
RESULTS_FILE = "verification.json"
COMMAND = "python -m mindport.verify run"


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: str
    target: str
    status: str  # pass | differs | not-verifiable
    detail: str | None = None  # the differences, or why it could not be compared
    stage: str | None = None  # where it stopped: convert, torch, mindspore, weights, ...
    compared: tuple[str, ...] = ()
    unsafe: bool = False  # the fixer needed unsafe fixes
    program: str | None = None  # the converted program (kept in memory for reports)
    warned: bool = False  # MindPort already warns about this call (unsafe fix, MP3xx note)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"case": self.case, "status": self.status}
        if self.stage:
            data["stage"] = self.stage
        if self.detail:
            data["detail"] = _short(self.detail, DETAIL_LENGTH)
        if self.unsafe:
            data["unsafe_fix"] = True
        if self.warned and self.status != PASS:
            data["warned"] = True
        return data


SUMMARY_LENGTH = 200
DETAIL_LENGTH = 400


def problem_kind(result: CaseResult) -> str:
    """Why a case is not a pass, in one word the card and the report translate."""
    return kb_problem_kind(result.status, result.stage, result.detail, result.warned)


def _short(text: str, length: int = SUMMARY_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 3] + "..."


@dataclass(frozen=True, slots=True)
class TargetResult:
    target: str
    api: str  # the MindSpore API the fixer writes
    status: str
    cases: int
    passed: int
    compared: tuple[str, ...] = ()
    problems: tuple[CaseResult, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "api": self.api,
            "status": self.status,
            "cases": self.cases,
            "passed": self.passed,
        }
        if self.compared:
            data["compared"] = list(self.compared)
        if self.status != VERIFIED and self.problems:
            # the problem that decided the status: a difference first, else the first error
            first = next((p for p in self.problems if p.status == DIFFERS), self.problems[0])
            data["kind"] = problem_kind(first)
            data["summary"] = _short(first.detail or "")
        if self.problems:
            data["problems"] = [p.to_json() for p in self.problems]
        return data


@dataclass(frozen=True, slots=True)
class ApiResult:
    api: str
    status: str
    targets: Mapping[str, TargetResult] = field(default_factory=dict)
    cases: tuple[str, ...] = ()
    reason: str | None = None  # why the API as a whole could not be verified
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # the entry's notes checked by this suite (they explain it)

    @property
    def namespace(self) -> str:
        return namespace_of(self.api)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status}
        if self.reason:
            data["reason"] = self.reason
        if self.cases:
            data["cases"] = list(self.cases)
        if self.sources:
            data["sources"] = list(self.sources)
        if self.notes:
            data["notes"] = list(self.notes)
        if self.targets:
            data["targets"] = {t: r.to_json() for t, r in self.targets.items()}
        return data


SUITE_MARK = "equivalence suite"


def with_notes(result: ApiResult, entry: Entry | None) -> ApiResult:
    """The result with the ids of the entry's notes that this suite checked."""
    if entry is None:
        return result
    ids = tuple(n.id for n in entry.notes if n.verified and SUITE_MARK in n.verified)
    return replace(result, notes=ids)


def namespace_of(api: str) -> str:
    return api.rsplit(".", 1)[0]


ORDER = ("values", "shapes", "dtypes", "gradients", "weights copied", "buffers")


def target_result(target: str, api: str, results: Sequence[CaseResult]) -> TargetResult:
    passed = [r for r in results if r.status == PASS]
    if any(r.status == DIFFERS for r in results):
        status = DIFFERS
    elif results and len(passed) == len(results):
        status = VERIFIED
    else:
        status = NOT_VERIFIABLE
    compared = sorted(
        {c for r in passed for c in r.compared},
        key=lambda c: ORDER.index(c) if c in ORDER else len(ORDER),
    )
    problems = tuple(r for r in results if r.status != PASS)
    return TargetResult(target, api, status, len(results), len(passed), tuple(compared), problems)


def api_status(targets: Iterable[TargetResult]) -> str:
    statuses = [t.status for t in targets]
    if DIFFERS in statuses:
        return DIFFERS
    if VERIFIED in statuses:
        return VERIFIED
    return NOT_VERIFIABLE


def summary(results: Iterable[ApiResult]) -> dict[str, dict[str, int]]:
    """Counts per namespace and status (and ``all``)."""
    counts: dict[str, Counter[str]] = {}
    for result in results:
        for key in (result.namespace, "all"):
            counts.setdefault(key, Counter())[result.status] += 1
    return {
        key: {status: counts[key][status] for status in STATUSES}
        for key in sorted(counts, key=lambda k: (k == "all", k))
    }


def write_results(
    path: Path, results: Sequence[ApiResult], versions: Mapping[str, str]
) -> dict[str, Any]:
    data = {
        "format": FORMAT,
        "generated_by": COMMAND,
        "versions": dict(sorted(versions.items())),
        "summary": summary(results),
        "apis": {r.api: r.to_json() for r in sorted(results, key=lambda r: r.api)},
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return data


def read_results(path: Path) -> dict[str, Any]:
    """The stored results (an empty set when there are none yet)."""
    if not path.is_file():
        return {"format": FORMAT, "versions": {}, "apis": {}}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: unsupported format {data.get('format')!r}")
    return data


def api_from_json(api: str, data: Mapping[str, Any]) -> ApiResult:
    """Rebuild a stored result (for merging a partial run into the stored file)."""
    targets = {}
    for target, raw in (data.get("targets") or {}).items():
        problems = tuple(
            CaseResult(
                case=p["case"],
                target=target,
                status=p["status"],
                detail=p.get("detail"),
                stage=p.get("stage"),
                unsafe=bool(p.get("unsafe_fix", False)),
                warned=bool(p.get("warned", False)),
            )
            for p in raw.get("problems", [])
        )
        targets[target] = TargetResult(
            target,
            raw["api"],
            raw["status"],
            int(raw["cases"]),
            int(raw["passed"]),
            tuple(raw.get("compared", [])),
            problems,
        )
    return ApiResult(
        api,
        data["status"],
        targets,
        tuple(data.get("cases", [])),
        data.get("reason"),
        tuple(data.get("sources", [])),
        tuple(data.get("notes", [])),
    )

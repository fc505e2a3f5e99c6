"""What running both frameworks said about each mapping (``knowledge/verification.json``).

Written by ``python -m mindport.verify run`` (the equivalence suite); the server reads it the
first time a card needs it. A missing file means "not checked yet"; a broken file or record is
reported as a knowledge problem and ignored, never a crash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

VERIFICATION_FILE = "verification.json"
VERIFICATION_FORMAT = 1
STATUSES = ("verified", "differs", "not-verifiable")

# Why a case is not a pass, read from where it stopped and what was said (shared with the
# suite, which writes the target's ``kind`` with it; the server reads it per case).
NO_KERNEL_SIGNS = (
    "unregistered",
    "Unsupported op",
    "Kernel select failed",
    "not supported on this device",
    "only supports Ascend",
    "Create kernelmod",
    "Not implement exception",
    "Not found op",
)
# MindSpore refusing the call itself: the conversion wrote a call the target does not accept.
BAD_CALL_SIGNS = (
    "unexpected keyword argument",
    "required positional argument",
    "takes from",
    "positional arguments but",
    "Failed calling",
)


def problem_kind(status: str, stage: str | None, detail: str | None, warned: bool = False) -> str:
    """Why a case is not a pass, in one word the card and the report translate."""
    detail = detail or ""
    stage = stage or ""
    if status == "differs":
        return "difference"
    if any(sign in detail for sign in NO_KERNEL_SIGNS):
        return "no-cpu-kernel"
    if stage == "convert":
        return "convert"
    if stage == "unsafe fix":
        return "unsafe-fix"
    if stage == "random":
        return "random"
    if stage.startswith("torch"):
        return "case-error"
    if stage.endswith(("timeout", "crash")):
        return "crash"
    if stage == "compare":
        return "not-comparable"
    if any(sign in detail for sign in BAD_CALL_SIGNS) and not warned:
        # a rejection MindPort warns about at the call (a note's MP301, an unsafe fix) is a
        # known limitation of the target, not a conversion bug
        return "bad-conversion"
    return "mindspore-error"


@dataclass(frozen=True, slots=True)
class CaseProblem:
    """One case of a target that did not pass: its torch code and why."""

    case: str
    status: str  # differs | not-verifiable
    kind: str  # problem_kind's word: no-cpu-kernel, difference, mindspore-error, ...


@dataclass(frozen=True, slots=True)
class TargetCheck:
    """The outcome for one MindSpore target of an entry."""

    target: str  # "mint" or "classic"
    api: str  # the MindSpore API the fix writes
    status: str  # verified | differs | not-verifiable
    cases: int
    passed: int
    compared: tuple[str, ...] = ()  # values, shapes, dtypes, gradients, weights copied, ...
    kind: str | None = None  # why not verified: no-cpu-kernel, convert, random, ...
    summary: str | None = None  # the first difference or error, in English
    problems: tuple[CaseProblem, ...] = ()  # every case that did not pass


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome for one torch API, per target, with the versions that produced it."""

    api: str
    status: str
    targets: Mapping[str, TargetCheck] = field(default_factory=dict)
    reason: str | None = None  # why the API was not run at all
    versions: Mapping[str, str] = field(default_factory=dict)
    cases: tuple[str, ...] = ()  # the torch code of every case, in the order they ran


class VerificationError(ValueError):
    pass


def _target(target: str, raw: Any) -> TargetCheck:
    if not isinstance(raw, dict):
        raise VerificationError(f"target {target!r} is not an object")
    status = raw.get("status")
    if status not in STATUSES:
        raise VerificationError(f"target {target!r}: unknown status {status!r}")
    return TargetCheck(
        target=target,
        api=str(raw["api"]),
        status=str(status),
        cases=int(raw.get("cases", 0)),
        passed=int(raw.get("passed", 0)),
        compared=tuple(str(c) for c in raw.get("compared", ())),
        kind=str(raw["kind"]) if raw.get("kind") else None,
        summary=str(raw["summary"]) if raw.get("summary") else None,
        problems=tuple(_problem(target, p) for p in raw.get("problems") or ()),
    )


def _problem(target: str, raw: Any) -> CaseProblem:
    if not isinstance(raw, dict) or not isinstance(raw.get("case"), str):
        raise VerificationError(f"target {target!r}: a problem without its case")
    status = str(raw.get("status", ""))
    stage = raw.get("stage")
    detail = raw.get("detail")
    return CaseProblem(
        case=raw["case"],
        status=status,
        kind=problem_kind(
            status,
            str(stage) if stage else None,
            str(detail) if detail else None,
            bool(raw.get("warned", False)),
        ),
    )


def parse_verification(data: Any) -> tuple[dict[str, Verification], list[str]]:
    """Every well-formed record, and a message per malformed one (the rest still load)."""
    if not isinstance(data, dict) or data.get("format") != VERIFICATION_FORMAT:
        raise VerificationError(f"unsupported format; expected {VERIFICATION_FORMAT}")
    versions = data.get("versions") or {}
    if not isinstance(versions, dict):
        raise VerificationError("'versions' is not an object")
    versions = {str(k): str(v) for k, v in versions.items()}
    apis = data.get("apis") or {}
    if not isinstance(apis, dict):
        raise VerificationError("'apis' is not an object")
    records: dict[str, Verification] = {}
    problems: list[str] = []
    for api, raw in apis.items():
        try:
            if not isinstance(raw, dict) or raw.get("status") not in STATUSES:
                raise VerificationError("not a record with a known status")
            targets = {t: _target(t, r) for t, r in (raw.get("targets") or {}).items()}
            records[api] = Verification(
                api=str(api),
                status=str(raw["status"]),
                targets=targets,
                reason=str(raw["reason"]) if raw.get("reason") else None,
                versions=versions,
                cases=tuple(str(c) for c in raw.get("cases") or ()),
            )
        except (VerificationError, KeyError, TypeError, ValueError) as error:
            problems.append(f"{api}: {error}")
    return records, problems

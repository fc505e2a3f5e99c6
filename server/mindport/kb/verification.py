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


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome for one torch API, per target, with the versions that produced it."""

    api: str
    status: str
    targets: Mapping[str, TargetCheck] = field(default_factory=dict)
    reason: str | None = None  # why the API was not run at all
    versions: Mapping[str, str] = field(default_factory=dict)


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
            )
        except (VerificationError, KeyError, TypeError, ValueError) as error:
            problems.append(f"{api}: {error}")
    return records, problems

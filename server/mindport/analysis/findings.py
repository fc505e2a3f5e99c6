"""The one ``Finding`` model: analysis makes it; diagnostics, hovers, code actions, the CLI
and the fixer all consume it."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from mindport.conversion.fix import Fix
from mindport.text import Span


class Severity(enum.IntEnum):
    """Same numbers as LSP's DiagnosticSeverity."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4


class Confidence(enum.Enum):
    """How sure we are that the code refers to the API."""

    CONFIRMED = "confirmed"  # resolved through imports or by jedi
    POSSIBLE = "possible"  # a guess from the name alone; never more than a hint


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    span: Span
    message: str
    torch_api: str | None
    mindspore_api: str | None
    confidence: Confidence
    entry_id: str | None = None
    fix: Fix | None = None
    # The MindSpore API the fix writes has no kernel on a device the `devices` setting lists
    # (the fix is then unsafe and says so); `mindport check` counts these up front.
    off_device: bool = False

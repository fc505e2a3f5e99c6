"""A fix is a titled set of text edits; a safe fix keeps the program's behaviour."""

from __future__ import annotations

from dataclasses import dataclass

from mindport.text import TextEdit


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[TextEdit, ...]
    safe: bool

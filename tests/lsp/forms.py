"""The import forms under tests/data/lsp/forms: each file, its labels, its expected fix."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from tests.conftest import DATA, expected_labels
from tests.lsp.helpers import units

FORMS_DIR = DATA / "lsp" / "forms"
_HOVER = re.compile(r"hover:\s*(\S+)")


@dataclass(frozen=True)
class Form:
    path: Path
    text: str
    labels: set[tuple[str, int, str]]
    fixed: str | None

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def hover_target(self) -> tuple[int, str]:
        """(line, text) to hover: the MP101 span, or the one named by ``hover: X``."""
        for code, line, covered in sorted(self.labels):
            if code == "MP101":
                return line, covered
        for line, text in enumerate(self.text.splitlines()):
            match = _HOVER.search(text)
            if match:
                return line, match.group(1)
        raise AssertionError(f"{self.path} needs an MP101 label or a `hover:` marker")

    def range_on_line(self, line: int, covered: str, encoding: str = "utf-16") -> types.Range:
        """The client range of the first ``covered`` on ``line``."""
        line_text = self.text.splitlines()[line]
        start = line_text.index(covered)
        start_units = units(line_text[:start], encoding)
        return types.Range(
            start=types.Position(line, start_units),
            end=types.Position(line, start_units + units(covered, encoding)),
        )

    def target_range(self, encoding: str = "utf-16") -> types.Range:
        return self.range_on_line(*self.hover_target, encoding=encoding)

    @property
    def is_torch(self) -> bool:
        return self.fixed is not None


def load_forms() -> list[Form]:
    forms = []
    for path in sorted(FORMS_DIR.glob("*.py")):
        if path.name.endswith(".fixed.py"):
            continue
        text = path.read_text(encoding="utf-8")
        fixed_path = path.with_name(path.stem + ".fixed.py")
        fixed = fixed_path.read_text(encoding="utf-8") if fixed_path.exists() else None
        forms.append(Form(path, text, expected_labels(text), fixed))
    return forms


FORMS = load_forms()

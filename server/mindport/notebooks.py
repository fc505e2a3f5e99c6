"""Jupyter notebooks (``.ipynb``): analysed and fixed cell by cell.

The code cells become one Python text, each cell after a marker line, so that names imported
in one cell resolve in the next as they do in the kernel. IPython lines that are not Python
(``%magic``, ``!shell``, and every line of a ``%%cell_magic`` cell) are commented out for the
analysis and restored afterwards. Findings are reported by cell (1-based, counting every
cell as Jupyter shows them) and line within the cell. A fix rewrites only the code cells'
sources: outputs, execution counts, metadata and the other cells stay as they were, and the
JSON keeps its key order and indentation.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mindport.analysis.findings import Finding
from mindport.conversion.fix import Fix
from mindport.text import Position, Span, TextEdit

MARKER = "# mindport: notebook cell {}\n"
_MARKER_PREFIX = "# mindport: notebook cell "


class NotebookError(ValueError):
    """Not a notebook MindPort can read or write back; the message is meant for the user."""


@dataclass(frozen=True)
class CellSpan:
    index: int  # the cell's index in the notebook's ``cells`` (0-based)
    first: int  # the virtual text's line where the cell's source starts
    count: int  # lines of the cell's source


@dataclass(frozen=True)
class NotebookText:
    """The code cells as one Python text, and where each cell went."""

    text: str
    cells: tuple[CellSpan, ...]
    masked: dict[int, dict[str, str]] = field(default_factory=dict)  # cell -> masked -> original

    def cell(self, index: int) -> CellSpan | None:
        """Where the cell with index ``index`` went; None for a cell that is not code."""
        return next((c for c in self.cells if c.index == index), None)

    def locate(self, line: int) -> tuple[int, int] | None:
        """(cell index, line in the cell) of a line of the virtual text; None on a marker."""
        for cell in self.cells:
            if cell.first <= line < cell.first + cell.count:
                return cell.index, line - cell.first
        return None


def load(raw: str) -> dict[str, Any]:
    try:
        notebook = json.loads(raw)
    except ValueError as error:
        raise NotebookError(f"not a notebook: invalid JSON ({error})") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise NotebookError("not a notebook: no list of cells")
    return notebook


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(str(part) for part in source)
    return str(source)


def _mask(line: str, whole_cell: bool) -> str | None:
    stripped = line.lstrip()
    if whole_cell or stripped.startswith(("%", "!")):
        indent = line[: len(line) - len(stripped)]
        return f"{indent}#{stripped}"
    return None


def notebook_text(notebook: dict[str, Any]) -> NotebookText:
    return cells_text(
        [
            _source(cell) if isinstance(cell, dict) and cell.get("cell_type") == "code" else None
            for cell in notebook["cells"]
        ]
    )


def cells_text(sources: Sequence[str | None]) -> NotebookText:
    """The code cells as one text: ``sources`` has every cell's source in order, None for a
    cell that is not code (the ``.ipynb`` reader and the language server's notebook sync
    both build the text here)."""
    parts: list[str] = []
    cells: list[CellSpan] = []
    masked: dict[int, dict[str, str]] = {}
    line = 0
    for index, source in enumerate(sources):
        if source is None:
            continue
        lines = source.splitlines(keepends=True) if source else []
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += "\n"
        cell_magic = bool(lines) and lines[0].lstrip().startswith("%%")
        for number, text in enumerate(lines):
            hidden = _mask(text, cell_magic)
            if hidden is not None:
                masked.setdefault(index, {})[hidden] = text
                lines[number] = hidden
        parts.append(MARKER.format(index + 1))
        line += 1
        cells.append(CellSpan(index, line, len(lines)))
        parts.extend(lines)
        line += len(lines)
    return NotebookText("".join(parts), tuple(cells), masked)


def _shift(position: Position, lines: int) -> Position:
    return Position(position.line - lines, position.column)


def cell_findings(
    findings: tuple[Finding, ...], text: NotebookText
) -> tuple[tuple[Finding, ...], tuple[int, ...]]:
    """Findings with lines counted within their cell, and each one's 1-based cell number."""
    mapped: list[Finding] = []
    numbers: list[int] = []
    for finding in findings:
        where = text.locate(finding.span.start.line)
        if where is None:
            continue
        index, _ = where
        first = next(c.first for c in text.cells if c.index == index)
        fix = finding.fix
        if fix is not None:
            fix = Fix(
                fix.title,
                tuple(
                    TextEdit(
                        Span(_shift(e.span.start, first), _shift(e.span.end, first)), e.new_text
                    )
                    for e in fix.edits
                ),
                fix.safe,
            )
        span = Span(_shift(finding.span.start, first), _shift(finding.span.end, first))
        mapped.append(replace(finding, span=span, fix=fix))
        numbers.append(index + 1)
    return tuple(mapped), tuple(numbers)


def _indent(raw: str) -> int:
    for line in raw.splitlines()[1:3]:
        stripped = line.lstrip(" ")
        if stripped.startswith('"'):
            return len(line) - len(stripped)
    return 1


def write_back(raw: str, notebook: dict[str, Any], text: NotebookText, fixed: str) -> str:
    """The notebook's JSON with the code cells' sources taken from ``fixed``."""
    sources: dict[int, list[str]] = {}
    current: int | None = None
    preamble: list[str] = []  # lines a fix put above the first cell's marker
    for line in fixed.splitlines(keepends=True):
        if line.startswith(_MARKER_PREFIX):
            try:
                current = int(line[len(_MARKER_PREFIX) :].strip()) - 1
            except ValueError:
                raise NotebookError(
                    "a fix changed a cell marker; the notebook is left as it was"
                ) from None
            sources[current] = []
            continue
        if current is None:
            preamble.append(line)
        else:
            sources[current].append(line)
    if sorted(sources) != sorted(cell.index for cell in text.cells):
        raise NotebookError("a fix changed the cells' markers; the notebook is left as it was")
    if preamble and text.cells:
        sources[text.cells[0].index][:0] = preamble
    for index, lines in sources.items():
        restore = text.masked.get(index, {})
        lines = [restore.get(line, line) for line in lines]
        cell = notebook["cells"][index]
        original = _source(cell)
        new = "".join(lines)
        if not original.endswith(("\n", "\r")) and new.endswith("\n"):
            new = new[:-1]  # the newline this module added to the last line
        if new == original:
            continue
        if isinstance(cell.get("source"), list):
            cell["source"] = new.splitlines(keepends=True)
        else:
            cell["source"] = new
    out = json.dumps(notebook, indent=_indent(raw), ensure_ascii=False)
    return out + "\n" if raw.endswith("\n") else out

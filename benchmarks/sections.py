"""What the benchmark harnesses share: number formats, and their sections of docs/benchmarks.md.

Each harness owns one section between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` and
rewrites only that, so running one harness leaves the others' numbers alone.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def spread(values: list[float], show: Callable[[float], str] = ms) -> str:
    """The median, and the range when there are several runs."""
    middle = show(statistics.median(values))
    if len(values) < 2:
        return middle
    return f"{middle} ({show(min(values))}-{show(max(values))})"


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def write_section(name: str, section: str) -> None:
    """Replace section ``name`` of docs/benchmarks.md (``section`` includes its markers)."""
    start, end = markers(name)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def run_sessions(count: int, one_run: Callable[[], Any]) -> list[Any]:
    """``count`` runs (each a new server), reporting progress on stderr."""
    runs = []
    for index in range(count):
        runs.append(one_run())
        print(f"run {index + 1} of {count} done", file=sys.stderr)
    return runs


def publish(name: str, section: str, write: bool) -> None:
    """Print the section, and write it into docs/benchmarks.md when asked."""
    print(section)
    if write:
        write_section(name, section)

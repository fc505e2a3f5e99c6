"""Say at the end of a run when the equivalence suite was skipped (no torch or MindSpore)."""

from __future__ import annotations

import pytest

MARKER = "the equivalence suite (tests/frameworks/test_equivalence.py) was not run"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    if any(MARKER in str(getattr(report, "longrepr", "")) for report in skipped):
        terminalreporter.write_line(
            "equivalence suite: NOT RUN (torch and mindspore are not installed;"
            " pip install -e '.[test,frameworks]' and run tests/frameworks)",
            yellow=True,
            bold=True,
        )

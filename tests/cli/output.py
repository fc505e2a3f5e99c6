"""Reading the CLI's text output in tests."""

from __future__ import annotations

SUMMARY_STARTS = ("Found ", "No findings in ")


def finding_lines(out: str) -> list[str]:
    """The finding lines of ``check``'s text output: without the summary line at the end."""
    lines = out.splitlines()
    assert lines and lines[-1].startswith(SUMMARY_STARTS), "the summary line ends the output"
    return lines[:-1]

"""The real-code fuzz in the default run: a seeded sample of installed packages' sources.

``MINDPORT_FUZZ_FILES`` sets the sample size (``all`` for every file: CI's long run);
``MINDPORT_FUZZ_BUDGET`` the CPU seconds each stage of one file may take.
"""

from __future__ import annotations

import os

from tests.fuzz.corpus import DEFAULT_PACKAGES, run, sample, sources

FILES = os.environ.get("MINDPORT_FUZZ_FILES", "80")
BUDGET = float(os.environ.get("MINDPORT_FUZZ_BUDGET", "20"))


def test_installed_sources_analyse_and_fix_cleanly() -> None:
    files = sources(DEFAULT_PACKAGES)
    assert len(files) > 500  # the standard library alone has more
    chosen = sample(files, None if FILES == "all" else int(FILES))
    outcome = run(chosen, BUDGET)
    assert outcome.files == len(chosen)
    assert outcome.lines > 0
    assert not outcome.failures, "\n".join(outcome.failures)

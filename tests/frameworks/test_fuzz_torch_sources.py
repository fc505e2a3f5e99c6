"""The real-code fuzz over torch's own Python sources (read, never imported): analysed and
fixed file by file under a CPU budget, like the default run's sample of other packages.

Skipped when torch is not installed. ``MINDPORT_FUZZ_FILES`` sets the sample (``all``: every
file, what ``.ci/stages/45-fuzz-python.sh`` runs); ``MINDPORT_FUZZ_BUDGET`` the seconds per stage.
"""

from __future__ import annotations

import os

import pytest

from tests.fuzz.corpus import package_root, run, sample, sources

FILES = os.environ.get("MINDPORT_FUZZ_FILES", "60")
BUDGET = float(os.environ.get("MINDPORT_FUZZ_BUDGET", "20"))


def test_torch_sources_analyse_and_fix_cleanly() -> None:
    if package_root("torch") is None:
        pytest.skip("torch is not installed (pip install -e '.[test,frameworks]')")
    files = sources(["torch"])
    chosen = sample(files, None if FILES == "all" else int(FILES))
    outcome = run(chosen, BUDGET)
    assert outcome.files == len(chosen) > 0
    assert not outcome.failures, "\n".join(outcome.failures)

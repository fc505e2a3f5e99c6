#!/usr/bin/env bash
# The long fuzz runs (the default test run has bounded versions of each): generated Python
# with 5x the examples, a seeded sample of 600 files of the installed packages' sources
# (standard library, pip, jedi, parso, pygls, hypothesis) and 400 of torch's, each analysed
# and fixed (safe and unsafe, twice) under a CPU budget per stage. See tests/fuzz/.
# Sized for CI's time: on the 2-core development machine (CPU time of the run) generated
# Python at 5x about 30 s, 400 of torch's files (160,000 lines) 30 s; the whole corpus
# (2,512 files, 1.1 million lines, 140 s CPU) and all of torch run with
# `python -m tests.fuzz.corpus [--packages torch]` without --files.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PYTHONPATH="$PWD/server:$PWD${PYTHONPATH:+:$PYTHONPATH}"
python -c "import torch" 2>/dev/null || python -m pip install -q -e '.[test,frameworks]'
MINDPORT_FUZZ_SCALE=5 python -m pytest -q tests/fuzz/test_generated_python.py
python -m tests.fuzz.corpus --files 600
python -m tests.fuzz.corpus --packages torch --files 400

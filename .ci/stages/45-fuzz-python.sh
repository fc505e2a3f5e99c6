#!/usr/bin/env bash
# The long fuzz runs (the default test run has bounded versions of each): generated Python
# with 20x the examples, every file of the installed packages' sources (standard library, pip,
# jedi, parso, pygls, hypothesis) and every file of torch's sources, each analysed and fixed
# (safe and unsafe, twice) under a CPU budget per stage. See tests/fuzz/.
# Measured on the 2-core development machine under load (CPU time of the run): generated
# Python at 5x about 30 s; 400 of torch's files (160,000 lines) 30 s; see the report in the
# commit that added it for the whole-corpus numbers.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PYTHONPATH="$PWD/server:$PWD${PYTHONPATH:+:$PYTHONPATH}"
python -c "import torch" 2>/dev/null || python -m pip install -q -e '.[test,frameworks]'
MINDPORT_FUZZ_SCALE=20 python -m pytest -q tests/fuzz/test_generated_python.py
python -m tests.fuzz.corpus
python -m tests.fuzz.corpus --packages torch

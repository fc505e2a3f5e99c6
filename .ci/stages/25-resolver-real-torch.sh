#!/usr/bin/env bash
# The resolver's labelled references against the real torch 2.13.0 (jedi reading torch itself,
# not MindPort's stubs). Runs after 20-frameworks.sh has installed the frameworks extra; in
# the main stage, without torch, this test says it was skipped and why.
set -euo pipefail
python -c "import torch" 2>/dev/null || python -m pip install -q -e '.[test,frameworks]'
python -m pytest -q tests/unit/test_resolver_labelled.py tests/unit/test_resolver_cache.py -rs
# Real third-party code: the pinned wheels the labels of tests/data/realcode point into are
# downloaded into a cache outside the clone (and the projects' own small dependencies, which
# jedi reads as their users have them), then recall and knowledge coverage are measured, by
# kind of reference, with the static pass, with jedi and torch, and with jedi and the stubs.
# Each download is bounded: a slow index fails the stage instead of hanging it.
export PIP_DEFAULT_TIMEOUT=30 PIP_RETRIES=2
timeout 300 python tests/data/realcode/census.py fetch
timeout 300 python tests/data/realcode/members.py deps
timeout 1200 python -m pytest -q -s tests/unit/test_realcode.py -rs

"""The equivalence suite: every API's cases converted by MindPort's fixer and run in torch and
MindSpore (``mindport.verify``), one test per API, each checked against what the knowledge
base records (``knowledge/verification.json``, ``docs/verified-apis.md``).

A test fails when a result moved (re-run ``python -m mindport.verify run`` and look at what
changed) or when a difference is not explained in the knowledge (an unsafe fix or a behaviour
note that says it was checked by this suite). One API failing never stops the others: every
case runs in a worker process with a timeout.

``MINDPORT_EQUIVALENCE_SHARD=i/n`` runs the i-th of n slices (to split the suite across CI
jobs). Without torch and MindSpore the whole module is skipped, with the reason.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

REASON = (
    "needs torch and mindspore (pip install -e '.[test,frameworks]'); the equivalence suite"
    " (tests/frameworks/test_equivalence.py) was not run"
)
pytest.importorskip("torch", reason=REASON)
pytest.importorskip("mindspore", reason=REASON)

from mindport.kb.loader import KnowledgeBase  # noqa: E402
from mindport.verify.cases import all_api_cases  # noqa: E402
from mindport.verify.program import analyzer_findings  # noqa: E402
from mindport.verify.results import ApiResult, read_results  # noqa: E402
from mindport.verify.runner import Worker, default_jobs, entries_by_id, verify  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

STORED: dict[str, Any] = read_results(ROOT / "knowledge" / "verification.json")
CURATED = ROOT / "knowledge" / "curated"


def _shard(apis: list[str]) -> list[str]:
    spec = os.environ.get("MINDPORT_EQUIVALENCE_SHARD", "")
    if not spec:
        return apis
    index, _, count = spec.partition("/")
    return [api for n, api in enumerate(apis) if n % int(count) == int(index) - 1]


APIS = _shard(sorted(STORED["apis"]))


@pytest.fixture(scope="module")
def fresh(kb: KnowledgeBase) -> dict[str, ApiResult]:
    entries = [e for e in (kb.entry(i) for i in kb.ids) if e is not None]
    cases, problems = all_api_cases(entries, ROOT / "knowledge" / "cases", only=APIS)
    assert problems == []
    results, _ = verify(cases, entries_by_id(entries), analyzer_findings(), jobs=default_jobs())
    return {r.api: r for r in results}


def test_versions_are_the_recorded_ones() -> None:
    import mindspore
    import torch

    assert STORED["versions"]["torch"] == torch.__version__.split("+")[0]
    assert STORED["versions"]["mindspore"] == mindspore.__version__


def _curated_checks(api: str) -> list[str]:
    module, _, name = api.rpartition(".")
    paths = list((CURATED / module).glob(f"{name}.toml")) + list(
        (CURATED / module).glob(f"{name}.upper.toml")
    )
    notes: list[str] = []
    for path in paths:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        notes += [str(n.get("verified", "")) for n in data.get("notes", [])]
    return notes


@pytest.mark.parametrize("api", APIS)
def test_api(api: str, fresh: dict[str, ApiResult]) -> None:
    stored = STORED["apis"][api]
    result = fresh[api].to_json()
    moved = {
        target: (stored.get("targets", {}).get(target, {}).get("status"), found["status"])
        for target, found in result.get("targets", {}).items()
        if stored.get("targets", {}).get(target, {}).get("status") != found["status"]
    }
    assert result["status"] == stored["status"] and not moved, (
        f"{api}: recorded {stored['status']}, now {result['status']} {moved};"
        " re-run `python -m mindport.verify run` and resolve the change in the knowledge"
    )
    if result["status"] != "differs":
        return
    explained = any("equivalence" in v for v in _curated_checks(api))
    for target, found in result["targets"].items():
        unexplained = [
            p["case"]
            for p in found.get("problems", [])
            if p["status"] == "differs" and not p.get("warned")
        ]
        assert explained or not unexplained, (
            f"{api} ({target}) differs in {unexplained} and neither an unsafe fix nor a"
            " behaviour note checked by the equivalence suite says so"
        )


# -- the harness with the real frameworks: bad input stays one case's result --------------


@pytest.mark.parametrize("framework", ["torch", "mindspore"])
def test_a_crash_or_hang_in_one_case_does_not_stop_the_next(framework: str, tmp_path: Path) -> None:
    worker = Worker(framework, tmp_path)
    request = {"kind": "function", "seed": 1, "grad": False, "inputs": [], "train": False}
    try:
        died = worker.call({**request, "program": "import os\ndef case():\n    os._exit(7)\n"})
        assert not died["ok"] and died["stage"] == "crash"
        hung = worker.call(
            {**request, "program": "import time\ndef case():\n    time.sleep(30)\n"}, timeout=5
        )
        assert not hung["ok"] and hung["stage"] == "timeout"
        raised = worker.call({**request, "program": "def case():\n    raise ValueError('no')\n"})
        assert raised == {"ok": False, "stage": "forward", "error": "ValueError: no"}
        fine = worker.call({**request, "program": "def case():\n    return 3\n"})
        assert fine["ok"] and fine["output"] == {"kind": "scalar", "type": "int", "value": 3}
    finally:
        worker.stop()


def test_the_mindspore_worker_cannot_fall_back_on_torch(tmp_path: Path) -> None:
    worker = Worker("mindspore", tmp_path)
    try:
        answer = worker.call(
            {
                "kind": "function",
                "seed": 1,
                "grad": False,
                "inputs": [],
                "program": "import torch\ndef case():\n    return 1\n",
            }
        )
    finally:
        worker.stop()
    assert not answer["ok"] and answer["stage"] == "load" and "torch" in answer["error"]

"""The stored results: loaded lazily and tolerantly by the server, shown on cards, in sync
with docs/verified-apis.md. None of this needs torch or MindSpore."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from mindport.cli import main
from mindport.kb.loader import KnowledgeBase, load_knowledge
from mindport.kb.verification import VERIFICATION_FILE, Verification, parse_verification
from mindport.render.card import render_card, verification_line
from mindport.verify.docs import render_docs
from mindport.verify.results import read_results
from tests.conftest import ROOT, SEED_KB

RESULTS = ROOT / "knowledge" / VERIFICATION_FILE


def _record(status: str, **target: Any) -> dict[str, Any]:
    data = {
        "api": "mindspore.mint.sum",
        "status": status,
        "cases": 3,
        "passed": 3 if status == "verified" else 1,
        "compared": ["values", "shapes", "dtypes", "gradients"],
    }
    data.update(target)
    return {"status": status, "targets": {"mint": data}}


def _data(**records: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": 1,
        "versions": {"torch": "2.13.0", "mindspore": "2.10.0"},
        "apis": records,
    }


def _kb_with(tmp_path: Path, content: str | None) -> KnowledgeBase:
    root = tmp_path / "kb"
    shutil.copytree(SEED_KB, root)
    if content is not None:
        (root / VERIFICATION_FILE).write_text(content, encoding="utf-8")
    return load_knowledge(root)


def test_a_missing_file_means_not_checked_and_is_no_problem(tmp_path: Path) -> None:
    kb = _kb_with(tmp_path, None)
    assert kb.verification("torch.nn.Parameter") is None
    assert kb.problems == []


def test_a_broken_file_is_reported_once_and_ignored(tmp_path: Path) -> None:
    kb = _kb_with(tmp_path, "{not json")
    assert kb.verification("torch.nn.Parameter") is None
    assert kb.verification("torch.nn.Parameter") is None
    problems = [str(p) for p in kb.problems]
    assert len(problems) == 1 and problems[0].startswith(f"{VERIFICATION_FILE}: ignored")


def test_a_malformed_record_is_skipped_and_the_rest_loads(tmp_path: Path) -> None:
    data = _data(**{"torch.nn.Parameter": _record("verified"), "torch.bad": {"status": "maybe"}})
    kb = _kb_with(tmp_path, json.dumps(data))
    found = kb.verification("torch.nn.Parameter")
    assert found is not None and found.targets["mint"].cases == 3
    assert found.versions["mindspore"] == "2.10.0"
    assert kb.verification("torch.bad") is None
    assert any("[torch.bad]" in str(p) for p in kb.problems)


def test_the_file_is_read_only_when_a_card_asks(tmp_path: Path) -> None:
    kb = _kb_with(tmp_path, "{not json")
    assert kb.problems == []  # loading the knowledge base does not touch it
    kb.verification("anything")
    assert kb.problems


def _verification(record: dict[str, Any]) -> Verification:
    records, problems = parse_verification(_data(**{"torch.sum": record}))
    assert problems == []
    return records["torch.sum"]


def test_card_line_for_a_verified_mapping() -> None:
    found = _verification(_record("verified"))
    line = verification_line(found, "mint", "en")
    assert line is not None and line.startswith("**Verified by execution** (torch 2.13.0")
    assert "`mindspore.mint.sum`" in line and "gradients" in line and "3 case(s)" in line
    zh = verification_line(found, "mint", "zh")
    assert zh is not None and "已通过运行验证" in zh and "梯度" in zh


def test_card_line_for_a_difference_points_to_the_notes() -> None:
    found = _verification(
        _record("differs", kind="difference", summary="output: dtype int64 in torch, int32")
    )
    line = verification_line(found, "mint", "en")
    assert line is not None and "results differ" in line and "2 of 3" in line
    assert "int32" in line and "behaviour differences" in line
    zh = verification_line(found, "mint", "zh")
    assert zh is not None and "运行对比发现差异" in zh and "行为差异" in zh


def test_card_line_for_a_mapping_that_could_not_be_run_says_why() -> None:
    record = _record("not-verifiable", kind="no-cpu-kernel", summary="The kernel X unregistered.")
    record["targets"]["classic"] = {
        "api": "mindspore.ops.sum",
        "status": "verified",
        "cases": 2,
        "passed": 2,
    }
    found = _verification(record)
    line = verification_line(found, "mint", "en")
    assert line is not None and line.startswith("**Not verified by execution**")
    assert "no kernel" in line and "`mindspore.ops.sum` was verified instead" in line
    zh = verification_line(found, "mint", "zh")
    assert zh is not None and "CPU 版本没有对应的算子实现" in zh


def test_no_record_no_line_and_a_skipped_api_gives_its_reason() -> None:
    assert verification_line(None, "mint", "en") is None
    skipped = _verification({"status": "not-verifiable", "reason": "needs a GPU"})
    line = verification_line(skipped, "mint", "en")
    assert line is not None and "needs a GPU" in line


def test_real_cards_and_explain_show_the_line(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = kb.entry_for_torch("torch.sum")
    assert entry is not None
    card = render_card(entry, "en", verification=kb.verification("torch.sum"))
    assert "**Verified by execution**" in card
    assert main(["explain", "torch.sum", "--locale", "en"]) == 0
    assert "Verified by execution" in capsys.readouterr().out
    assert main(["explain", "torch.nn.Parameter", "--locale", "zh"]) == 0
    assert "运行" in capsys.readouterr().out


def test_every_entry_with_a_target_has_a_result(kb: KnowledgeBase) -> None:
    missing = []
    for entry_id in kb.ids:
        entry = kb.entry(entry_id)
        if entry is not None and entry.targets and kb.verification(entry_id) is None:
            missing.append(entry_id)
    assert missing == [], "run `python -m mindport.verify run` (needs the frameworks extra)"


def test_the_report_is_generated_from_the_results() -> None:
    stored = (ROOT / "docs" / "verified-apis.md").read_text(encoding="utf-8")
    assert stored == render_docs(read_results(RESULTS)), "run `python -m mindport.verify docs`"


def test_at_least_400_apis_are_verified_across_the_namespaces() -> None:
    summary = read_results(RESULTS)["summary"]
    assert summary["all"]["verified"] >= 400
    for namespace in (
        "torch",
        "torch.Tensor",
        "torch.nn",
        "torch.nn.functional",
        "torch.optim",
    ):
        assert summary[namespace]["verified"] > 0, namespace
    apis = read_results(RESULTS)["apis"]
    assert apis["torch.nn.Parameter"]["status"] == "verified"

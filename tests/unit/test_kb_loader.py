"""Loading the knowledge base: index first, entries lazily, broken pieces reported and skipped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mindport.kb.loader import INDEX_FILE, KnowledgeBase, build_index, load_knowledge
from mindport.kb.paths import knowledge_dir
from tests.conftest import DATA

BROKEN = DATA / "knowledge" / "broken"


def test_index_in_the_repository_matches_the_entry_files() -> None:
    root = knowledge_dir()
    built, problems = build_index(root)
    assert problems == []
    stored = json.loads((root / INDEX_FILE).read_text(encoding="utf-8"))
    assert stored == built, "knowledge/index.json is stale: run `mindport kb index`"


def test_the_seed_test_knowledge_is_the_real_seed_entry() -> None:
    real = knowledge_dir() / "apis" / "torch.nn" / "Parameter.toml"
    copy = DATA / "knowledge" / "seed" / "apis" / "torch.nn" / "Parameter.toml"
    assert copy.read_bytes() == real.read_bytes(), (
        "copy the seed entry to tests/data/knowledge/seed"
    )


def test_broken_entries_are_reported_with_file_and_entry_and_the_rest_loads() -> None:
    kb = load_knowledge(BROKEN)
    good = kb.entry_for_torch("torch.good")
    assert good is not None and good.targets["mint"].name == "mindspore.mint.good"
    for entry_id in ("torch.bad_toml", "torch.bad_category", "torch.bad_row", "torch.missing"):
        assert kb.entry(entry_id) is None
    messages = [str(p) for p in kb.problems]
    assert any("index.json [torch.bad_record]" in m for m in messages)
    assert any("apis/torch/bad_toml.toml [torch.bad_toml]" in m for m in messages)
    assert any("[torch.bad_category]: category: 'mostly-fine' is not one of" in m for m in messages)
    assert any("[torch.bad_row]: params[0].torch: 'inpt' is not a parameter" in m for m in messages)
    assert any("apis/torch/missing.toml [torch.missing]" in m for m in messages)


def test_a_problem_is_recorded_once_even_when_asked_again() -> None:
    kb = load_knowledge(BROKEN)
    kb.entry("torch.bad_toml")
    kb.entry("torch.bad_toml")
    assert sum("bad_toml" in str(p) for p in kb.problems) == 1


def test_missing_index_falls_back_to_scanning(tmp_path: Path) -> None:
    copy = tmp_path / "kb"
    shutil.copytree(BROKEN, copy)
    (copy / INDEX_FILE).unlink()
    kb = load_knowledge(copy)
    assert kb.entry_for_torch("torch.good") is not None
    assert any("scanned the entry files instead" in str(p) for p in kb.problems)
    assert any("bad_category.toml" in str(p) for p in kb.problems)


def test_lookups_by_every_spelling(kb: KnowledgeBase) -> None:
    for name in ("torch.nn.Parameter", "torch.nn.parameter.Parameter"):
        assert kb.torch_id(name) == "torch.nn.Parameter"
    for name in ("mindspore.Parameter", "mindspore.common.parameter.Parameter"):
        assert kb.mindspore_ids(name) == ["torch.nn.Parameter"]
    assert kb.has_short_name("Parameter")
    assert kb.lookup("mindspore.Parameter") is kb.lookup("torch.nn.Parameter")
    assert kb.lookup("torch.nn.Nope") is None


def test_jedi_name_table_is_read_when_present(tmp_path: Path) -> None:
    copy = tmp_path / "kb"
    shutil.copytree(BROKEN, copy)
    (copy / "jedi-names.json").write_text(
        json.dumps({"names": {"torch._C._VariableFunctions.good": "torch.good"}}), encoding="utf-8"
    )
    kb = load_knowledge(copy)
    assert kb.jedi_public_name("torch._C._VariableFunctions.good") == "torch.good"
    (copy / "jedi-names.json").write_text("[not a table", encoding="utf-8")
    broken = load_knowledge(copy)
    assert broken.jedi_public_name("anything") is None
    assert any("jedi-names.json" in str(p) for p in broken.problems)

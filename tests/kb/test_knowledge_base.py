"""The knowledge base in the repository: complete, in sync, regenerable, explainable."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from mindport.cli import main
from mindport.kb.generate.build import build_all, index_text, load_sources
from mindport.kb.generate.curated import is_generated
from mindport.kb.generate.report import REPORT_FILE, render_report
from mindport.kb.loader import INDEX_FILE, KnowledgeBase, load_knowledge
from mindport.kb.model import Category, Entry, Tier
from mindport.kb.paths import knowledge_dir
from mindport.render.card import render_card
from tests.conftest import ROOT

KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="module")
def entries() -> dict[str, Entry]:
    kb = load_knowledge(KNOWLEDGE)
    assert kb.problems == []
    found = {i: kb.entry(i) for i in kb.ids}
    assert kb.problems == [], [str(p) for p in kb.problems]
    return {i: e for i, e in found.items() if e is not None}


def test_the_repository_knowledge_is_the_one_in_use() -> None:
    assert knowledge_dir().resolve() == KNOWLEDGE.resolve()


def test_scope_is_at_least_1200_entries(entries: dict[str, Entry]) -> None:
    assert len(entries) >= 1200
    tiers = Counter(e.tier for e in entries.values())
    assert tiers[Tier.DATA_PIPELINE] >= 90  # torchvision, torchaudio, torchtext, utils.data
    namespaces = Counter(i.rsplit(".", 1)[0] for i in entries)
    for namespace in (
        "torch",
        "torch.Tensor",
        "torch.nn",
        "torch.nn.functional",
        "torch.optim",
        "torch.optim.lr_scheduler",
        "torch.linalg",
        "torch.fft",
        "torch.special",
    ):
        assert namespaces[namespace] >= 5, namespace
    assert sum(1 for e in entries.values() if e.category is Category.NO_EQUIVALENT) >= 60


def test_index_is_in_sync_with_the_entry_files() -> None:
    text, problems = index_text(KNOWLEDGE)
    assert problems == []
    assert (KNOWLEDGE / INDEX_FILE).read_text(encoding="utf-8") == text, (
        "knowledge/index.json is stale: run `mindport kb index`"
    )


def test_regenerating_from_the_stored_sources_changes_nothing() -> None:
    result = build_all(load_sources(KNOWLEDGE))
    generated = {
        p.relative_to(KNOWLEDGE).as_posix()
        for p in (KNOWLEDGE / "apis").rglob("*.toml")
        if is_generated(p)
    }
    assert set(result.files) == generated
    stale = [
        path
        for path, text in result.files.items()
        if (KNOWLEDGE / path).read_text(encoding="utf-8") != text
    ]
    assert stale == [], f"run `mindport kb generate --steps entries`: {stale[:5]}"


def test_the_seed_stays_hand_written_and_complete(entries: dict[str, Entry]) -> None:
    path = KNOWLEDGE / "apis" / "torch.nn" / "Parameter.toml"
    assert not is_generated(path)
    seed = entries["torch.nn.Parameter"]
    assert {n.id for n in seed.notes} == {"requires-grad", "name", "class-hierarchy", "printing"}
    assert seed.example is not None and len(seed.rows) == 7


def test_every_entry_that_is_not_consistent_has_notes_in_both_languages(
    entries: dict[str, Entry],
) -> None:
    for entry in entries.values():
        if entry.category is Category.CONSISTENT:
            continue
        texts = [(n.title, n.text) for n in entry.notes] + [
            (r.note, r.note) for r in entry.rows if r.note is not None
        ]
        assert texts, entry.id
        for title, text in texts:
            assert title.en and title.zh and text.en and text.zh, entry.id
        assert any(any("\u4e00" <= ch <= "\u9fff" for ch in text.zh) for _, text in texts), entry.id


def test_every_entry_can_be_explained(entries: dict[str, Entry]) -> None:
    for entry in entries.values():
        for locale in ("en", "zh"):
            card = render_card(entry, locale)
            assert entry.torch.name in card
            for side in entry.targets.values():
                reverse = render_card(entry, locale, mindspore_name=side.name)
                assert side.name in reverse


@pytest.mark.parametrize(
    "name",
    ["torch.sum", "torch.Tensor.view", "torch.nn.functional.relu", "torch.cuda.is_available"],
)
def test_explain_through_the_cli(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", name, "--locale", "en"]) == 0
    assert name in capsys.readouterr().out


def test_every_row_compares_both_sides(entries: dict[str, Entry]) -> None:
    for entry in entries.values():
        if not entry.targets or entry.torch.kind.value == "attribute":
            continue
        torch_names = {p.name for p in entry.torch.params}
        assert torch_names == {r.torch.name for r in entry.rows if r.torch}, entry.id
        for target_id, side in entry.targets.items():
            assert {p.name for p in side.params} == {
                p.name for r in entry.rows if (p := r.target_param(target_id))
            }, (entry.id, target_id)


def test_file_names_do_not_collide_on_case_insensitive_file_systems() -> None:
    paths = [p.relative_to(KNOWLEDGE).as_posix().lower() for p in KNOWLEDGE.rglob("*.toml")]
    assert len(paths) == len(set(paths))


def test_jedi_name_table_maps_definitions_to_public_names(kb: KnowledgeBase) -> None:
    data = json.loads((KNOWLEDGE / "jedi-names.json").read_text(encoding="utf-8"))
    names = data["names"]
    assert names["torch._C._VariableFunctions.abs"] == "torch.abs"
    assert names["torch._C.TensorBase.view"] == "torch.Tensor.view"
    assert names["torch.nn.modules.linear.Linear"] == "torch.nn.Linear"
    assert names["mindspore.ops.auto_generate.gen_ops_def.abs"] == "mindspore.mint.abs"
    assert kb.jedi_public_name("torch._C._VariableFunctions.abs") == "torch.abs"
    assert all(kb.knows(public) for public in names.values())


def test_the_report_is_up_to_date() -> None:
    assert (ROOT / REPORT_FILE).read_text(encoding="utf-8") == render_report(KNOWLEDGE), (
        "docs/knowledge-report.md is stale: run `mindport kb report`"
    )


def test_claims_and_snapshots_record_their_versions() -> None:
    sources = load_sources(KNOWLEDGE)
    assert (sources.torch.version, sources.mindspore.version) == ("2.13.0", "2.10.0")
    assert "torchvision 0.28.0" in sources.torch.data_version
    assert len(sources.claims.claims) == 515 + 887
    for entry_file in (KNOWLEDGE / "apis").rglob("*.toml"):
        text = entry_file.read_text(encoding="utf-8")
        assert 'checked_against = { torch = "2.13.0", mindspore = "2.10.0"' in text, entry_file


def test_data_pipeline_signatures_come_from_the_wheels(entries: dict[str, Entry]) -> None:
    resize = entries["torchvision.transforms.Resize"]
    assert resize.tier is Tier.DATA_PIPELINE
    assert resize.provenance.signature_sources["torch"] == "static"
    assert "torchvision 0.28.0" in resize.provenance.checked_against["data-pipeline"]
    assert [p.name for p in resize.torch.params][:2] == ["size", "interpolation"]
    interpolation = resize.row_for_torch("interpolation")
    assert interpolation is not None and interpolation.diffs("classic") == ()  # same member


def test_table_claims_are_checked(entries: dict[str, Entry]) -> None:
    checks = [c for e in entries.values() for c in e.provenance.claims]
    assert len(checks) >= 1300
    stale = [c for c in checks if c.agrees is False]
    assert 60 <= len(stale) <= 400  # the docs are stale in places, not everywhere
    flatten = entries["torch.nn.Flatten"]
    assert flatten.targets["mint"].name == "mindspore.mint.nn.Flatten"
    assert any(c.agrees is False for c in flatten.provenance.claims)
    celu = entries["torch.nn.CELU"]
    assert celu.provenance.remarks and "torch.nn.CeLU" in celu.provenance.remarks


def test_mint_and_classic_parameter_names_both_recorded(entries: dict[str, Entry]) -> None:
    differing = [
        e
        for e in entries.values()
        if {"mint", "classic"} <= set(e.targets)
        and {p.name for p in e.targets["mint"].params}
        != {p.name for p in e.targets["classic"].params}
    ]
    assert len(differing) >= 40
    argmax = entries["torch.amax"]
    row = argmax.row_for_torch("dim")
    assert row is not None
    assert row.target_param("mint") is not None and row.target_param("mint").name == "dim"
    assert row.target_param("classic") is not None and row.target_param("classic").name == "axis"


def test_path_of_every_entry_follows_the_naming_rule(entries: dict[str, Entry]) -> None:
    for entry in entries.values():
        module, _, short = entry.id.rpartition(".")
        assert entry.source_file in (
            f"apis/{module}/{short}.toml",
            f"apis/{module}/{short}.upper.toml",
        ), entry.id
        assert Path(KNOWLEDGE / entry.source_file).is_file()

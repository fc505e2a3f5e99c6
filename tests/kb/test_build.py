"""The entry step on a small, made-up knowledge directory (no framework needed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mindport.kb.generate.build import build_all, load_sources, write_knowledge
from mindport.kb.generate.claims import CLAIMS_FILE, Claim, Claims, ParamPair
from mindport.kb.generate.curated import GENERATED_MARK, read_curated
from mindport.kb.generate.snapshot import ApiSnapshot, Snapshot
from mindport.kb.loader import load_knowledge
from mindport.kb.model import Category, RowDiff
from mindport.kb.parse import EntryError
from tests.conftest import ROOT

SEED = ROOT / "knowledge" / "apis" / "torch.nn" / "Parameter.toml"

OVERLAY = """id = "torch.nn.ReLU"
remarks = "Checked by hand."

[[params]]
torch = "inplace"
note.en = "MindSpore always returns a new tensor."
note.zh = "MindSpore 总是返回新的张量。"

[[notes]]
id = "made-up"
verified = "a unit test"

[notes.en]
title = "A curated note"
text = "Written by a person."

[notes.zh]
title = "人工说明"
text = "由人撰写。"
"""


def _api(name: str, kind: str, *signatures: str, **extra: object) -> ApiSnapshot:
    return ApiSnapshot(name, kind, "inspect", tuple(signatures), **extra)  # type: ignore[arg-type]


def make_knowledge(root: Path) -> None:
    torch = Snapshot("torch", "9.9.9", "3.11")
    for api in (
        _api("torch.abs", "function", "(input, *, out=None)"),
        _api(
            "torch.sum",
            "function",
            "(input, *, dtype=None)",
            "(input, dim, keepdim=False, *, dtype=None)",
        ),
        _api("torch.nn.ReLU", "class", "(inplace=False)"),
        _api("torch.nn.Parameter", "class", "(data=None, requires_grad=True)"),
        _api("torch.Tensor.view", "method", "(*shape)"),
        _api("torch.old_api", "function", "(input)"),
    ):
        torch.apis[api.name] = api
    torch.corrections["torch.nn.Relu"] = "torch.nn.ReLU"
    mindspore = Snapshot("mindspore", "8.8.8", "3.11")
    for api in (
        _api("mindspore.mint.abs", "function", "(input)"),
        _api("mindspore.ops.abs", "function", "(x)"),
        _api("mindspore.mint.sum", "function", "(input, dim=None, keepdim=False, *, dtype=None)"),
        _api("mindspore.mint.nn.ReLU", "class", "()"),
        _api("mindspore.Tensor.view", "method", "(*shape)", legacy=("(axis)",)),
        _api(
            "mindspore.Parameter",
            "class",
            "(default_input, name=None, requires_grad=True, layerwise_parallel=False,"
            " parallel_optimizer=True, storage_format='', device=None)",
        ),
    ):
        mindspore.apis[api.name] = api
    for snapshot in (torch, mindspore):
        snapshot.write(root / "snapshots" / f"{snapshot.framework}.json")
    claims = Claims(
        claims=[
            Claim("newest", 1, "torch.abs", "mindspore.mint.abs", "consistent"),
            Claim("r2.4.10", 1, "torch.abs", "mindspore.ops.abs", "consistent"),
            Claim(
                "r2.4.10",
                2,
                "torch.nn.Relu",
                "mindspore.mint.nn.ReLU",
                "ms_lacks_param",
                detail=("inplace",),
                diff_page="ReLU.md",
            ),
            Claim("r2.4.10", 3, "torch.old_api", "mindspore.ops.gone", "consistent"),
        ],
        pairs=[ParamPair("ReLU.md", "Parameters", "inplace", "", "ms_lacks_param")],
    )
    (root / CLAIMS_FILE).parent.mkdir(parents=True, exist_ok=True)
    (root / CLAIMS_FILE).write_text(claims.dumps(), encoding="utf-8")
    (root / "apis" / "torch.nn").mkdir(parents=True)
    shutil.copy(SEED, root / "apis" / "torch.nn" / "Parameter.toml")
    (root / "curated" / "torch.nn").mkdir(parents=True)
    (root / "curated" / "torch.nn" / "ReLU.toml").write_text(OVERLAY, encoding="utf-8")


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    make_knowledge(root)
    write_knowledge(root, build_all(load_sources(root)))
    return root


def test_entries_from_claims_candidates_and_hand_written(knowledge: Path) -> None:
    kb = load_knowledge(knowledge)
    assert kb.problems == []
    assert set(kb.ids) == {
        "torch.abs",
        "torch.sum",
        "torch.nn.ReLU",
        "torch.nn.Parameter",
        "torch.Tensor.view",
        "torch.old_api",
    }
    assert SEED.read_bytes() == (knowledge / "apis/torch.nn/Parameter.toml").read_bytes()
    abs_entry = kb.entry("torch.abs")
    assert abs_entry is not None
    assert abs_entry.targets["mint"].name == "mindspore.mint.abs"
    assert abs_entry.targets["classic"].name == "mindspore.ops.abs"
    assert abs_entry.category is Category.CONSISTENT  # against mint; `out` is a general param
    classic_row = abs_entry.row_for_torch("input")
    assert classic_row is not None and classic_row.diffs("classic") == (RowDiff.RENAMED,)
    assert abs_entry.notes and "`input` is `x`" in abs_entry.notes[0].text.en
    assert [c.agrees for c in abs_entry.provenance.claims] == [True, False]  # ops.abs renamed


def test_overlays_and_corrections_are_merged(knowledge: Path) -> None:
    relu = load_knowledge(knowledge).entry("torch.nn.ReLU")
    assert relu is not None
    assert relu.category is Category.BEHAVIOUR_DIFFERS  # a curated note
    assert relu.notes[0].id == "made-up" and relu.notes[1].id == "signature"
    inplace = relu.row_for_torch("inplace")
    assert inplace is not None and inplace.note is not None and "新的张量" in inplace.note.zh
    assert relu.provenance.remarks is not None
    assert "spells it torch.nn.Relu" in relu.provenance.remarks
    assert relu.provenance.remarks.endswith("Checked by hand.")
    claim = relu.provenance.claims[0]
    assert claim.agrees is False and "torch.nn.Relu" in (claim.reason or "")


def test_missing_targets_and_legacy_overloads(knowledge: Path) -> None:
    kb = load_knowledge(knowledge)
    old = kb.entry("torch.old_api")
    assert old is not None and old.category is Category.NO_EQUIVALENT
    assert "mindspore.ops.gone" in old.notes[0].text.en
    view = kb.entry("torch.Tensor.view")
    assert view is not None and view.targets["classic"].name == "mindspore.Tensor.view"
    assert [n.id for n in view.notes] == ["legacy-overload"]
    summed = kb.entry("torch.sum")
    assert summed is not None and summed.torch.param("dim") is not None
    assert summed.torch.overloads and summed.category is Category.CONSISTENT


def test_regenerating_changes_nothing_and_removes_what_is_gone(knowledge: Path) -> None:
    before = {p: p.read_bytes() for p in knowledge.rglob("*") if p.is_file()}
    assert write_knowledge(knowledge, build_all(load_sources(knowledge)))[0] == 0
    assert before == {p: p.read_bytes() for p in knowledge.rglob("*") if p.is_file()}

    snapshot = Snapshot.read(knowledge / "snapshots/torch.json")
    del snapshot.apis["torch.Tensor.view"]
    snapshot.write(knowledge / "snapshots/torch.json")
    _, _, deleted = write_knowledge(knowledge, build_all(load_sources(knowledge)))
    assert deleted == 1 and not (knowledge / "apis/torch.Tensor").exists()
    assert "torch.Tensor.view" not in load_knowledge(knowledge).ids
    assert (knowledge / "apis/torch.nn/Parameter.toml").is_file()


def test_generated_files_say_so(knowledge: Path) -> None:
    text = (knowledge / "apis/torch/abs.toml").read_text(encoding="utf-8")
    assert text.startswith(f"# {GENERATED_MARK}") and "curated/torch/abs.toml" in text


def test_a_broken_overlay_is_reported_with_its_file(knowledge: Path) -> None:
    bad = knowledge / "curated" / "torch" / "abs.toml"
    bad.parent.mkdir(parents=True)
    bad.write_text('id = "torch.abs"\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(EntryError, match=r"curated/torch/abs.toml: unknown keys: colour"):
        read_curated(knowledge)
    bad.write_text('id = "torch.sum"\n', encoding="utf-8")
    with pytest.raises(EntryError, match=r"belongs in curated/torch/sum\.toml"):
        read_curated(knowledge)
    bad.write_text('id = "torch.abs"\n[[params]]\ntorch = "nope"\nnote.en="x"\nnote.zh="y"\n')
    with pytest.raises(
        EntryError, match=r"apis/torch/abs.toml \[torch.abs\].*matches no parameter"
    ):
        build_all(load_sources(knowledge))


def test_curated_signature_overloads_and_shared_rows(knowledge: Path) -> None:
    from mindport.kb.generate.pipeline import apply_curated_signatures

    (knowledge / "curated" / "signatures.toml").write_text(
        '["mindspore.mint.sum"]\nkind = "function"\n'
        'signatures = ["(input, /)", "(input, dim, /, keepdim=False)"]\nverified = "a test"\n',
        encoding="utf-8",
    )
    curated = read_curated(knowledge)
    assert curated.signatures["mindspore.mint.sum"].signatures == (
        "(input, /)",
        "(input, dim, /, keepdim=False)",
    )
    snapshot = Snapshot.read(knowledge / "snapshots/mindspore.json")
    apply_curated_signatures(snapshot, curated)
    api = snapshot.apis["mindspore.mint.sum"]
    assert api.source == "curated" and len(api.signatures) == 2
    assert api.remark is not None and api.remark.startswith("automatic (inspect): ")
    (knowledge / "curated" / "signatures.toml").write_text(
        '["x.y"]\nkind = "function"\nsignature = "()"\nsignatures = ["()"]\nverified = "v"\n',
        encoding="utf-8",
    )
    with pytest.raises(EntryError, match="either signature or signatures"):
        read_curated(knowledge)


def test_two_torch_parameters_of_one_overload_cannot_share(knowledge: Path) -> None:
    overlay = knowledge / "curated" / "torch" / "abs.toml"
    overlay.parent.mkdir(parents=True, exist_ok=True)
    shared = (
        'id = "torch.abs"\n[[params]]\ntorch = "input"\nmint = "input"\n'
        '[[params]]\ntorch = "out"\nmint = "input"\n'
    )
    overlay.write_text(shared, encoding="utf-8")
    with pytest.raises(EntryError, match="one overload takes both"):
        build_all(load_sources(knowledge))

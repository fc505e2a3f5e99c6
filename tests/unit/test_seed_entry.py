"""The seed case, torch.nn.Parameter -> mindspore.Parameter, holds every fact the issue lists."""

from __future__ import annotations

from mindport.kb.loader import KnowledgeBase
from mindport.kb.model import Category, RowDiff


def test_spellings_and_target(kb: KnowledgeBase) -> None:
    entry = kb.entry_for_torch("torch.nn.parameter.Parameter")
    assert entry is not None
    assert set(entry.torch.names) == {"torch.nn.Parameter", "torch.nn.parameter.Parameter"}
    assert entry.choose_target("mint") == ("classic", entry.targets["classic"])
    assert entry.targets["classic"].name == "mindspore.Parameter"
    assert entry.category is Category.BEHAVIOUR_DIFFERS
    assert entry.official_doc and entry.example is not None


def test_one_row_per_parameter_with_both_defaults(kb: KnowledgeBase) -> None:
    entry = kb.entry_for_torch("torch.nn.Parameter")
    assert entry is not None
    rows = {
        (r.torch.name if r.torch else None, p.name if (p := r.target_param("classic")) else None): r
        for r in entry.rows
    }
    assert set(rows) == {
        ("data", "default_input"),
        ("requires_grad", "requires_grad"),
        (None, "name"),
        (None, "layerwise_parallel"),
        (None, "parallel_optimizer"),
        (None, "storage_format"),
        (None, "device"),
    }
    data = rows[("data", "default_input")]
    assert data.torch is not None and data.torch.default == "None"
    assert data.diffs("classic") == (RowDiff.RENAMED, RowDiff.REQUIRED_IN_MINDSPORE)
    grad = rows[("requires_grad", "requires_grad")]
    assert grad.diffs("classic") == (RowDiff.MEANING_DIFFERS,)
    defaults = {p.name: p.default for p in entry.targets["classic"].params}
    assert defaults == {
        "default_input": None,
        "name": "None",
        "requires_grad": "True",
        "layerwise_parallel": "False",
        "parallel_optimizer": "True",
        "storage_format": "''",
        "device": "None",
    }
    for key, row in rows.items():
        if key[0] is None:
            assert row.diffs("classic") == (RowDiff.MINDSPORE_ONLY,)
            assert row.note is not None and row.note.en and row.note.zh


def test_behaviour_notes_in_both_languages(kb: KnowledgeBase) -> None:
    entry = kb.entry_for_torch("torch.nn.Parameter")
    assert entry is not None
    notes = {note.id: note for note in entry.notes}
    assert set(notes) == {"requires-grad", "name", "class-hierarchy", "printing"}
    for note in notes.values():
        assert note.title.en and note.title.zh and note.text.en and note.text.zh and note.verified
    assert "trainable_params" in notes["requires-grad"].text.en
    assert "GRAPH_MODE" in notes["requires-grad"].text.zh
    trigger = notes["requires-grad"].trigger
    assert trigger is not None and trigger.argument == "requires_grad" and trigger.equals == "False"
    assert "Parameter#2" in notes["name"].text.en
    assert "TensorPy" in notes["class-hierarchy"].text.en
    assert "asnumpy" in notes["printing"].text.zh

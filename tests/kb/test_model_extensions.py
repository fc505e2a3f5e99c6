"""What the knowledge issue added to the model and the parser."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mindport.kb.model import UNSPECIFIED, Category, ParamKind, RowDiff, same_default
from mindport.kb.parse import EntryError, parse_entry

ENTRY: dict[str, Any] = {
    "format": 1,
    "id": "torch.sum",
    "tier": "core",
    "category": "parameter-names-differ",
    "torch": {
        "name": "torch.sum",
        "kind": "function",
        "params": [
            {"name": "input"},
            {"name": "dim", "default": "..."},
            {"name": "keepdim", "default": "False"},
            {"name": "out", "default": "None", "kind": "keyword_only"},
        ],
        "overloads": ["(input, *, dtype=None)", "(input, dim, keepdim=False)"],
    },
    "targets": {
        "classic": {
            "name": "mindspore.ops.sum",
            "kind": "function",
            "params": [
                {"name": "x"},
                {"name": "axis", "default": "None"},
                {"name": "keep_dims", "default": "True"},
                {"name": "ddof", "kind": "keyword_only"},
            ],
        }
    },
    "params": [
        {"torch": "input", "classic": "x"},
        {"torch": "dim", "classic": "axis"},
        {"torch": "keepdim", "classic": "keep_dims"},
        {"torch": "out"},
        {"classic": "ddof"},
    ],
    "notes": [
        {
            "id": "n",
            "en": {"title": "t", "text": "x"},
            "zh": {"title": "标题", "text": "正文"},
        }
    ],
    "provenance": {
        "tables": ["newest"],
        "claims": [
            {
                "table": "newest",
                "mindspore": "mindspore.ops.sum",
                "category": "consistent",
                "agrees": False,
                "reason": "names differ",
            }
        ],
        "signature_sources": {"torch": "pyi", "classic": "inspect"},
    },
}


def test_unspecified_default_never_differs() -> None:
    assert same_default(UNSPECIFIED, "None")
    assert same_default("0", UNSPECIFIED)
    assert not same_default(UNSPECIFIED, None)


def test_lists_and_tuples_are_the_same_default() -> None:
    assert same_default("[-2, -1]", "(-2, -1)")
    assert not same_default("[-2, -1]", "(-1, -2)")


def test_overloads_claims_and_sources_are_parsed() -> None:
    entry = parse_entry(ENTRY)
    assert entry.torch.overloads == ("(input, *, dtype=None)", "(input, dim, keepdim=False)")
    assert entry.torch.param("dim") is not None and entry.torch.param("dim").default == "..."
    claim = entry.provenance.claims[0]
    assert (claim.table, claim.agrees, claim.reason) == ("newest", False, "names differ")
    assert entry.provenance.signature_sources == {"torch": "pyi", "classic": "inspect"}
    assert entry.category is Category.PARAMETER_NAMES_DIFFER


def test_recipe_lists_what_a_fix_must_do() -> None:
    entry = parse_entry(ENTRY)
    recipe = entry.recipe("classic")
    assert recipe.renames == {"input": "x", "dim": "axis", "keepdim": "keep_dims"}
    assert recipe.write_defaults == {"keep_dims": "False"}  # torch's default, written out
    assert recipe.blocked == ("out",)
    assert recipe.required == ("ddof",)
    assert recipe.keyword_only == ()
    assert not recipe.trivial
    rows = {r.torch.name: r for r in entry.rows if r.torch}
    assert rows["dim"].diffs("classic") == (RowDiff.RENAMED,)  # "..." matches any default


def test_recipe_moves_arguments_that_change_slot() -> None:
    data = copy.deepcopy(ENTRY)
    data["targets"]["classic"]["params"][1]["kind"] = "keyword_only"
    data["targets"]["classic"]["params"] = [
        data["targets"]["classic"]["params"][i] for i in (0, 2, 1, 3)
    ]
    recipe = parse_entry(data).recipe("classic")
    assert recipe.keyword_only == ("dim", "keepdim")
    assert parse_entry(data).targets["classic"].param("axis").kind is ParamKind.KEYWORD_ONLY


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ((), "unknown keys: colour"),
        (("torch",), "torch: unknown keys: colour"),
        (("provenance",), "provenance: unknown keys: colour"),
    ],
)
def test_unknown_keys_are_reported_where_they_are(path: tuple[str, ...], where: str) -> None:
    data = copy.deepcopy(ENTRY)
    target = data
    for key in path:
        target = target[key]
    target["colour"] = "blue"
    with pytest.raises(EntryError, match=where):
        parse_entry(data)


def test_a_malformed_claim_names_its_place() -> None:
    data = copy.deepcopy(ENTRY)
    data["provenance"]["claims"][0]["agrees"] = "yes"
    with pytest.raises(EntryError, match=r"provenance.claims\[0\].agrees"):
        parse_entry(data)


def test_meaning_can_differ_in_one_target_only() -> None:
    data = copy.deepcopy(ENTRY)
    data["targets"]["mint"] = {
        "name": "mindspore.mint.sum",
        "kind": "function",
        "params": [{"name": "input"}],
    }
    data["params"][0] = {
        "torch": "input",
        "classic": "x",
        "mint": "input",
        "meaning_differs": ["classic"],
    }
    row = parse_entry(data).rows[0]
    assert RowDiff.MEANING_DIFFERS in row.diffs("classic")
    assert row.diffs("mint") == ()
    data["params"][0]["meaning_differs"] = ["nope"]
    with pytest.raises(EntryError, match=r"params\[0\].meaning_differs: not a target: nope"):
        parse_entry(data)


def test_equivalent_defaults_are_no_difference_and_nothing_to_write() -> None:
    data = copy.deepcopy(ENTRY)
    data["params"][2]["defaults_equivalent"] = True
    entry = parse_entry(data)
    row = entry.row_for_torch("keepdim")
    assert row is not None and row.diffs("classic") == (RowDiff.RENAMED,)
    assert entry.recipe("classic").write_defaults == {}

"""Row-level knowledge that drives fixes: values to write, equivalent defaults, meaning per target."""

from __future__ import annotations

from typing import Any

import pytest

from mindport.kb.parse import EntryError, parse_entry


def entry(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": 1,
        "id": "torch.nn.Conv2d",
        "tier": "core",
        "category": "behaviour-differs",
        "torch": {
            "name": "torch.nn.Conv2d",
            "kind": "class",
            "params": [{"name": "padding", "default": "0"}],
        },
        "targets": {
            "classic": {
                "name": "mindspore.nn.Conv2d",
                "kind": "class",
                "params": [
                    {"name": "pad_mode", "default": "'same'"},
                    {"name": "padding", "default": "0"},
                ],
            }
        },
        "params": [{"torch": "padding", "classic": "padding"}, row],
        "notes": [
            {"id": "n", "en": {"title": "t", "text": "x"}, "zh": {"title": "标题", "text": "内容"}}
        ],
    }


def test_a_mindspore_only_value_to_write() -> None:
    parsed = parse_entry(entry({"classic": "pad_mode", "write": {"classic": "'pad'"}}))
    assert parsed.rows[1].write == {"classic": "'pad'"}
    from_argument = parse_entry(entry({"classic": "pad_mode", "write": {"classic": "{padding}"}}))
    assert from_argument.rows[1].write == {"classic": "{padding}"}


@pytest.mark.parametrize(
    ("row", "where"),
    [
        ({"classic": "pad_mode", "write": {"mint": "'pad'"}}, "params[1].write.mint"),
        ({"torch": "padding", "write": {"classic": "'pad'"}}, "params[1].write.classic"),
        ({"torch": "padding", "values": {"0": "'pad'"}}, "params[1].values"),
        ({"classic": "pad_mode", "write": {"classic": 1}}, "params[1].write.classic"),
        # a value written from another argument names a torch parameter
        ({"classic": "pad_mode", "write": {"classic": "{stride}"}}, "params[1].write.classic"),
    ],
)
def test_bad_values_to_write_name_the_field(row: dict[str, Any], where: str) -> None:
    with pytest.raises(EntryError) as error:
        parse_entry(entry(row))
    assert error.value.where == where


def test_a_torch_row_may_map_values_and_say_what_to_write() -> None:
    row = {"torch": "padding", "classic": "pad_mode", "values": {"0": "'pad'"}}
    parsed = parse_entry(entry(row))
    assert parsed.rows[1].values == {"0": "'pad'"}
    written = parse_entry(entry({**row, "write": {"classic": "'pad'"}}))
    assert written.rows[1].write == {"classic": "'pad'"}


def note_with(when: dict[str, Any]) -> dict[str, Any]:
    data = entry({"classic": "pad_mode"})
    data["notes"] = [{**data["notes"][0], "when": when}]
    return data


def test_a_trigger_says_when_a_note_holds() -> None:
    when = {
        "argument": "padding",
        "targets": ["classic"],
        "unless": ["tuple", "int"],
        "absent": ["dtype"],
        "fails": True,
    }
    trigger = parse_entry(note_with(when)).notes[0].trigger
    assert trigger is not None
    assert (trigger.targets, trigger.unless, trigger.absent, trigger.fails) == (
        ("classic",),
        ("tuple", "int"),
        ("dtype",),
        True,
    )
    whole_call = parse_entry(note_with({"fails": True})).notes[0].trigger
    assert whole_call is not None and whole_call.argument == "" and whole_call.fails


@pytest.mark.parametrize(
    "when", [{"argument": "padding", "unless": ["dict"]}, {"argument": "padding", "if": "x"}]
)
def test_a_bad_trigger_is_reported(when: dict[str, Any]) -> None:
    with pytest.raises(EntryError):
        parse_entry(note_with(when))

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


@pytest.mark.parametrize(
    ("row", "where"),
    [
        ({"classic": "pad_mode", "write": {"mint": "'pad'"}}, "params[1].write.mint"),
        (
            {"torch": "padding", "classic": "pad_mode", "write": {"classic": "'pad'"}},
            "params[1].write.classic",
        ),
        ({"classic": "pad_mode", "write": {"classic": 1}}, "params[1].write.classic"),
    ],
)
def test_bad_values_to_write_name_the_field(row: dict[str, Any], where: str) -> None:
    with pytest.raises(EntryError) as error:
        parse_entry(entry(row))
    assert error.value.where == where

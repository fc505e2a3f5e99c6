"""The TOML writer: fixed layout, and what it writes reads back the same."""

from __future__ import annotations

import sys

from mindport.kb.generate.tomlwrite import dumps, text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


DATA = {
    "format": 1,
    "id": "torch.x",
    "tier": "core",
    "category": "consistent",
    "workaround": {"en": "Use y.", "zh": "改用 y。"},
    "torch": {"name": "torch.x", "kind": "function", "params": [{"name": "a", "default": "'q\"'"}]},
    "targets": {"mint": {"name": "mindspore.mint.x", "kind": "function", "params": []}},
    "params": [{"torch": "a", "note": {"en": 'Tricky \\ "quotes"', "zh": "引号"}}],
    "notes": [
        {
            "id": "n",
            "when": {"argument": "a", "equals": "1"},
            "verified": "ran it",
            "en": {"title": "T", "text": 'Two\n\nparagraphs ending in "quotes"'},
            "zh": {"title": "标题", "text": "两段\n\n文字"},
        }
    ],
    "example": {"torch": "x = 1\n", "mindspore": "y = '''2'''"},
    "provenance": {
        "tables": ["newest"],
        "agrees": True,
        "checked_against": {"torch": "2.13.0"},
        "claims": [{"table": "newest", "mindspore": "m", "category": "consistent", "agrees": True}],
    },
}


def test_round_trip() -> None:
    written = dumps(DATA, ["header line"])
    assert written.startswith("# header line\nformat = 1\n")
    read = tomllib.loads(written)
    assert read["notes"][0]["en"]["text"].strip() == DATA["notes"][0]["en"]["text"]
    assert read["params"][0]["note"]["en"] == DATA["params"][0]["note"]["en"]
    assert read["example"]["mindspore"].strip() == DATA["example"]["mindspore"]
    assert read["provenance"]["claims"] == DATA["provenance"]["claims"]
    assert read["torch"]["params"][0]["default"] == "'q\"'"
    assert read["workaround"] == DATA["workaround"]


def test_output_is_stable() -> None:
    assert dumps(DATA) == dumps(dict(reversed(list(DATA.items()))))


def test_multiline_strings_escape_what_they_must() -> None:
    assert tomllib.loads(f"v = {text('a' + chr(10) + 'b' + chr(34) * 3 + 'c' + chr(92))}")["v"] == (
        'a\nb"""c\\'
    )

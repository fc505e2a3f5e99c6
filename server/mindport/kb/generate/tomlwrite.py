"""Write an entry's data as TOML in one fixed layout (the seed entry's), so output is stable.

Only what entries use is supported: strings, booleans, integers, lists of strings, inline
tables of scalars, and the entry's known tables and arrays of tables, in a fixed key order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

_TOP = ("format", "id", "tier", "category", "official_doc")
_SIDE = ("name", "aliases", "kind", "doc", "params", "overloads")
_ROW_FIRST = (
    "torch",
    "mint",
    "classic",
    "meaning_differs",
    "defaults_equivalent",
    "write",
    "values",
    "floats",
)
_NOTE_FIRST = ("id", "when", "verified")
_PROVENANCE = (
    "tables",
    "claimed_category",
    "agrees",
    "remarks",
    "checked_against",
    "signature_sources",
)
_TARGETS = ("mint", "classic")


def string(value: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(value, ensure_ascii=False)


def text(value: str, *, block: bool = False) -> str:
    """Multi-line text (or any text when ``block``) as a TOML multi-line basic string."""
    if "\n" not in value and not block:
        return string(value)
    body = value.replace("\\", "\\\\").replace('"""', '""\\"')
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    return f'"""\n{body}"""'


def literal_block(value: str) -> str:
    """Code (examples) as a multi-line literal string, exactly as written."""
    if "'''" in value:
        return text(value)
    return f"'''\n{value}\n'''"


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, Mapping):
        return inline_table(value)
    if isinstance(value, Sequence):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def inline_table(value: Mapping[str, Any]) -> str:
    if not value:
        return "{}"
    return "{ " + ", ".join(f"{_key(k)} = {scalar(v)}" for k, v in value.items()) + " }"


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() and key.isascii() else string(key)


def _lines_for_list(key: str, values: Sequence[Any]) -> list[str]:
    if not values:
        return [f"{key} = []"]
    if all(isinstance(v, Mapping) for v in values) or len(scalar(values)) > 90:
        return [f"{key} = [", *(f"    {scalar(v)}," for v in values), "]"]
    return [f"{key} = {scalar(values)}"]


def _assign(key: str, value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return _lines_for_list(key, value)
    if isinstance(value, str) and "\n" in value:
        return [f"{key} = {text(value)}"]
    return [f"{key} = {scalar(value)}"]


def _ordered(data: Mapping[str, Any], first: Sequence[str]) -> list[str]:
    return [k for k in first if k in data] + sorted(k for k in data if k not in first)


def dumps(data: Mapping[str, Any], header: Sequence[str] = ()) -> str:
    out: list[str] = [f"# {line}" if line else "#" for line in header]
    for key in _ordered({k: v for k, v in data.items() if k in _TOP}, _TOP):
        out += _assign(key, data[key])
    if "workaround" in data:
        out += ["", "[workaround]"]
        out += _assign("en", data["workaround"]["en"]) + _assign("zh", data["workaround"]["zh"])
    if "torch" in data:
        out += ["", "[torch]", *_side(data["torch"])]
    for target_id in _TARGETS:
        side = data.get("targets", {}).get(target_id)
        if side is not None:
            out += ["", f"[targets.{target_id}]", *_side(side)]
    for row in data.get("params", []):
        out += ["", "[[params]]"]
        for key in _ordered({k: v for k, v in row.items() if k != "note"}, _ROW_FIRST):
            out += _assign(key, row[key])
        if "note" in row:
            out += _assign("note.en", row["note"]["en"]) + _assign("note.zh", row["note"]["zh"])
    for note in data.get("notes", []):
        out += ["", "[[notes]]"]
        for key in _ordered({k: v for k, v in note.items() if k not in ("en", "zh")}, _NOTE_FIRST):
            out += _assign(key, note[key])
        for locale in ("en", "zh"):
            out += ["", f"[notes.{locale}]"]
            out += _assign("title", note[locale]["title"])
            out += [f"text = {text(note[locale]['text'], block=True)}"]
    if "example" in data:
        out += ["", "[example]"]
        out += [f"torch = {literal_block(data['example']['torch'])}"]
        out += [f"mindspore = {literal_block(data['example']['mindspore'])}"]
    provenance = data.get("provenance")
    if provenance:
        out += ["", "[provenance]"]
        plain = {k: v for k, v in provenance.items() if k != "claims"}
        for key in _ordered(plain, _PROVENANCE):
            out += _assign(key, plain[key])
        for claim in provenance.get("claims", []):
            out += ["", "[[provenance.claims]]"]
            for key in _ordered(claim, ("table", "mindspore", "category", "agrees", "reason")):
                out += _assign(key, claim[key])
    return "\n".join(out) + "\n"


def _side(side: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for key in _ordered(side, _SIDE):
        out += _assign(key, side[key])
    return out

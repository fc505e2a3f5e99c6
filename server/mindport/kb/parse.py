"""Turn one entry file's TOML data into an ``Entry``, or say precisely what is wrong."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mindport.kb.model import (
    LITERAL_KINDS,
    TARGET_ORDER,
    ApiKind,
    ApiSide,
    Category,
    ClaimCheck,
    Entry,
    Example,
    Framework,
    LocalText,
    Note,
    Param,
    ParamKind,
    ParamRow,
    Provenance,
    Tier,
    Trigger,
)

FORMAT_VERSION = 1


class EntryError(ValueError):
    """A malformed entry; ``where`` is the dotted path of the bad field."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where


_ENTRY_KEYS = frozenset(
    {
        "format",
        "id",
        "tier",
        "category",
        "official_doc",
        "torch",
        "targets",
        "params",
        "notes",
        "example",
        "workaround",
        "provenance",
    }
)
_SIDE_KEYS = frozenset({"name", "aliases", "kind", "doc", "params", "overloads"})
_PROVENANCE_KEYS = frozenset(
    {
        "tables",
        "claimed_category",
        "agrees",
        "remarks",
        "checked_against",
        "claims",
        "signature_sources",
    }
)
_CLAIM_KEYS = frozenset({"table", "mindspore", "category", "agrees", "reason"})


def _known_keys(data: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise EntryError(where, f"unknown keys: {', '.join(sorted(unknown))}")


def _field(
    data: Mapping[str, Any], key: str, kind: type, where: str, *, required: bool = True
) -> Any:
    if key not in data:
        if required:
            raise EntryError(f"{where}{key}", "missing")
        return None
    value = data[key]
    if not isinstance(value, kind):
        raise EntryError(f"{where}{key}", f"expected {kind.__name__}, got {type(value).__name__}")
    return value


def _enum(enum_type: type[Any], value: str, where: str) -> Any:
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_type)
        raise EntryError(where, f"{value!r} is not one of: {allowed}") from None


def _strings(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = _field(data, key, list, where, required=False) or []
    if not all(isinstance(v, str) for v in values):
        raise EntryError(f"{where}{key}", "expected a list of strings")
    return tuple(values)


def _local_text(data: Any, where: str) -> LocalText:
    if not isinstance(data, Mapping):
        raise EntryError(where, "expected a table with 'en' and 'zh'")
    en = _field(data, "en", str, f"{where}.")
    zh = _field(data, "zh", str, f"{where}.")
    if not en.strip() or not zh.strip():
        raise EntryError(where, "both 'en' and 'zh' must be written")
    return LocalText(en=en.strip(), zh=zh.strip())


def _param(data: Any, where: str) -> Param:
    if not isinstance(data, Mapping):
        raise EntryError(where, "expected a table like { name = ..., default = ... }")
    name = _field(data, "name", str, f"{where}.")
    default = _field(data, "default", str, f"{where}.", required=False)
    kind_name = _field(data, "kind", str, f"{where}.", required=False)
    kind = (
        _enum(ParamKind, kind_name, f"{where}.kind")
        if kind_name
        else ParamKind.POSITIONAL_OR_KEYWORD
    )
    return Param(name=name, default=default, kind=kind)


def _side(data: Any, where: str) -> ApiSide:
    if not isinstance(data, Mapping):
        raise EntryError(where, "expected a table")
    params = tuple(
        _param(p, f"{where}.params[{i}]")
        for i, p in enumerate(_field(data, "params", list, f"{where}.", required=False) or [])
    )
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise EntryError(f"{where}.params", "a parameter is listed twice")
    _known_keys(data, _SIDE_KEYS, where)
    return ApiSide(
        name=_field(data, "name", str, f"{where}."),
        kind=_enum(ApiKind, _field(data, "kind", str, f"{where}."), f"{where}.kind"),
        params=params,
        aliases=_strings(data, "aliases", f"{where}."),
        doc=_field(data, "doc", str, f"{where}.", required=False),
        overloads=_strings(data, "overloads", f"{where}."),
    )


COERCIONS = ("tuple", "float")


def _row(data: Any, torch: ApiSide, targets: Mapping[str, ApiSide], where: str) -> ParamRow:
    if not isinstance(data, Mapping):
        raise EntryError(where, "expected a table")
    torch_name = _field(data, "torch", str, f"{where}.", required=False)
    torch_param = torch.param(torch_name) if torch_name else None
    if torch_name and torch_param is None:
        raise EntryError(f"{where}.torch", f"{torch_name!r} is not a parameter of {torch.name}")
    mapped: dict[str, Param | None] = {}
    for target_id, side in targets.items():
        name = _field(data, target_id, str, f"{where}.", required=False)
        if name is None:
            mapped[target_id] = None
            continue
        param = side.param(name)
        if param is None:
            raise EntryError(f"{where}.{target_id}", f"{name!r} is not a parameter of {side.name}")
        mapped[target_id] = param
    unknown = set(data) - {
        "torch",
        "meaning_differs",
        "defaults_equivalent",
        "note",
        "write",
        "values",
        "write_when",
        "coerce",
        "floats",
        *targets,
    }
    if unknown:
        raise EntryError(where, f"unknown keys: {', '.join(sorted(unknown))}")
    if torch_param is None and not any(mapped.values()):
        raise EntryError(where, "a row needs at least one side")
    note = _local_text(data["note"], f"{where}.note") if "note" in data else None
    meaning = data.get("meaning_differs", False)
    if isinstance(meaning, list):
        unknown_ids = [t for t in meaning if t not in targets]
        if unknown_ids:
            raise EntryError(
                f"{where}.meaning_differs", f"not a target: {', '.join(map(str, unknown_ids))}"
            )
        meaning_for: tuple[str, ...] = tuple(meaning)
        meaning = False
    elif isinstance(meaning, bool):
        meaning_for = ()
    else:
        raise EntryError(f"{where}.meaning_differs", "expected true/false or a list of target ids")
    write = _field(data, "write", Mapping, f"{where}.", required=False) or {}
    for target_id, value in write.items():
        if mapped.get(target_id) is None:
            raise EntryError(
                f"{where}.write.{target_id}", "only a parameter of that target can be written"
            )
        if not isinstance(value, str):
            raise EntryError(f"{where}.write.{target_id}", "expected Python source as a string")
        inner = value[1:-1] if value.startswith("{") and value.endswith("}") else ""
        if inner.isidentifier() and all(p.name != inner for p in torch.params):
            raise EntryError(
                f"{where}.write.{target_id}", f"`{{{inner}}}` is not a parameter of torch's side"
            )
    values = _field(data, "values", Mapping, f"{where}.", required=False) or {}
    if values and (torch_param is None or not any(mapped.values())):
        raise EntryError(f"{where}.values", "values map a torch parameter to a target's")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in values.items()):
        raise EntryError(f"{where}.values", "expected Python source strings")
    write_when = _field(data, "write_when", str, f"{where}.", required=False)
    if write_when is not None and not write:
        raise EntryError(f"{where}.write_when", "needs `write`")
    coerce = _field(data, "coerce", Mapping, f"{where}.", required=False) or {}
    for target_id, kind in coerce.items():
        if mapped.get(target_id) is None or torch_param is None:
            raise EntryError(
                f"{where}.coerce.{target_id}", "coerces a torch parameter to a target's"
            )
        if kind not in COERCIONS:
            raise EntryError(f"{where}.coerce.{target_id}", f"expected one of {COERCIONS}")
    floats = tuple(_strings(data, "floats", f"{where}."))
    if any(mapped.get(target_id) is None for target_id in floats):
        raise EntryError(f"{where}.floats", "only targets that have the parameter")
    return ParamRow(
        torch=torch_param,
        write_when=write_when,
        coerce=dict(coerce),
        targets=mapped,
        floats=floats,
        meaning_differs=meaning,
        note=note,
        meaning_differs_for=meaning_for,
        write=dict(write),
        values=dict(values),
        defaults_equivalent=bool(
            _field(data, "defaults_equivalent", bool, f"{where}.", required=False)
        ),
    )


def _trigger(data: Any, where: str) -> Trigger:
    if not isinstance(data, Mapping):
        raise EntryError(where, "expected a table like { argument = ..., equals = ... }")
    frameworks = tuple(
        _enum(Framework, name, f"{where}.frameworks")
        for name in _strings(data, "frameworks", f"{where}.")
    )
    unknown = set(data) - {
        "argument",
        "equals",
        "frameworks",
        "targets",
        "unless",
        "unless_equals",
        "absent",
        "fails",
        "native",
        "cast",
    }
    if unknown:
        raise EntryError(where, f"unknown keys: {', '.join(sorted(unknown))}")
    unless = _strings(data, "unless", f"{where}.")
    bad = [kind for kind in unless if kind not in LITERAL_KINDS]
    if bad:
        raise EntryError(
            f"{where}.unless", f"not a literal kind: {', '.join(bad)} ({', '.join(LITERAL_KINDS)})"
        )
    return Trigger(
        argument=_field(data, "argument", str, f"{where}.", required=False) or "",
        equals=_field(data, "equals", str, f"{where}.", required=False),
        frameworks=frameworks or (Framework.TORCH, Framework.MINDSPORE),
        targets=tuple(_strings(data, "targets", f"{where}.")),
        unless=tuple(unless),
        unless_equals=_strings(data, "unless_equals", f"{where}."),
        absent=tuple(_strings(data, "absent", f"{where}.")),
        fails=bool(_field(data, "fails", bool, f"{where}.", required=False)),
        native=bool(_field(data, "native", bool, f"{where}.", required=False)),
        cast=_field(data, "cast", str, f"{where}.", required=False),
    )


def _note(data: Any, where: str) -> Note:
    if not isinstance(data, Mapping):
        raise EntryError(where, "expected a table")
    en = _field(data, "en", Mapping, f"{where}.")
    zh = _field(data, "zh", Mapping, f"{where}.")
    title = _local_text(
        {
            "en": _field(en, "title", str, f"{where}.en."),
            "zh": _field(zh, "title", str, f"{where}.zh."),
        },
        f"{where}.title",
    )
    text = _local_text(
        {
            "en": _field(en, "text", str, f"{where}.en."),
            "zh": _field(zh, "text", str, f"{where}.zh."),
        },
        f"{where}.text",
    )
    return Note(
        id=_field(data, "id", str, f"{where}."),
        title=title,
        text=text,
        trigger=_trigger(data["when"], f"{where}.when") if "when" in data else None,
        verified=_field(data, "verified", str, f"{where}.", required=False),
    )


def _provenance(data: Any) -> Provenance:
    if data is None:
        return Provenance()
    if not isinstance(data, Mapping):
        raise EntryError("provenance", "expected a table")
    _known_keys(data, _PROVENANCE_KEYS, "provenance")
    checked = _field(data, "checked_against", Mapping, "provenance.", required=False) or {}
    sources = _field(data, "signature_sources", Mapping, "provenance.", required=False) or {}
    claims = _field(data, "claims", list, "provenance.", required=False) or []
    return Provenance(
        tables=_strings(data, "tables", "provenance."),
        claimed_category=_field(data, "claimed_category", str, "provenance.", required=False),
        agrees=_field(data, "agrees", bool, "provenance.", required=False),
        remarks=_field(data, "remarks", str, "provenance.", required=False),
        checked_against={str(k): str(v) for k, v in checked.items()},
        claims=tuple(_claim(c, f"provenance.claims[{i}]") for i, c in enumerate(claims)),
        signature_sources={str(k): str(v) for k, v in sources.items()},
    )


def _claim(data: Any, where: str) -> ClaimCheck:
    if not isinstance(data, Mapping):
        raise EntryError(where, "expected a table like { table = ..., mindspore = ... }")
    _known_keys(data, _CLAIM_KEYS, where)
    return ClaimCheck(
        table=_field(data, "table", str, f"{where}."),
        mindspore=_field(data, "mindspore", str, f"{where}."),
        category=_field(data, "category", str, f"{where}."),
        agrees=_field(data, "agrees", bool, f"{where}.", required=False),
        reason=_field(data, "reason", str, f"{where}.", required=False),
    )


def parse_entry(data: Mapping[str, Any], source_file: str = "") -> Entry:
    """Build an ``Entry`` from decoded TOML; raises ``EntryError`` naming the bad field."""
    fmt = _field(data, "format", int, "")
    _known_keys(data, _ENTRY_KEYS, "")
    if fmt != FORMAT_VERSION:
        raise EntryError(
            "format", f"unsupported format {fmt}; this MindPort reads {FORMAT_VERSION}"
        )
    torch = _side(data.get("torch"), "torch")
    raw_targets = _field(data, "targets", Mapping, "", required=False) or {}
    unknown_targets = set(raw_targets) - set(TARGET_ORDER)
    if unknown_targets:
        raise EntryError("targets", f"unknown target ids: {', '.join(sorted(unknown_targets))}")
    targets = {
        target_id: _side(raw_targets[target_id], f"targets.{target_id}")
        for target_id in TARGET_ORDER
        if target_id in raw_targets
    }
    category = _enum(Category, _field(data, "category", str, ""), "category")
    if (category is Category.NO_EQUIVALENT) != (not targets):
        raise EntryError(
            "targets", "an entry has targets exactly when its category is not no-equivalent"
        )
    rows = tuple(
        _row(r, torch, targets, f"params[{i}]")
        for i, r in enumerate(_field(data, "params", list, "", required=False) or [])
    )
    notes = tuple(
        _note(n, f"notes[{i}]")
        for i, n in enumerate(_field(data, "notes", list, "", required=False) or [])
    )
    example_data = _field(data, "example", Mapping, "", required=False)
    example = (
        Example(
            torch=_field(example_data, "torch", str, "example.").strip("\n"),
            mindspore=_field(example_data, "mindspore", str, "example.").strip("\n"),
        )
        if example_data is not None
        else None
    )
    if category is not Category.CONSISTENT and not notes and not any(r.note for r in rows):
        raise EntryError("notes", "an entry that is not consistent needs a note in both languages")
    return Entry(
        id=_field(data, "id", str, ""),
        tier=_enum(Tier, _field(data, "tier", str, ""), "tier"),
        category=category,
        torch=torch,
        targets=targets,
        rows=rows,
        notes=notes,
        example=example,
        official_doc=_field(data, "official_doc", str, "", required=False),
        workaround=_local_text(data["workaround"], "workaround") if "workaround" in data else None,
        provenance=_provenance(data.get("provenance")),
        source_file=source_file,
    )

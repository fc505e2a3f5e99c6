"""Build every entry from the snapshots, the official claims and the curated overlays.

This step imports no framework: its inputs are files under ``knowledge/``, so running it
twice gives the same bytes, and ``kb validate`` can rebuild in memory and compare.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mindport.kb.generate.claims import CLAIMS_FILE, TABLE_ORDER, Claim, Claims
from mindport.kb.generate.compare import (
    Pairing,
    category_of,
    compare,
    judge_claim,
    kinds_differ,
    merge_overloads,
    pair_params,
)
from mindport.kb.generate.curated import (
    GENERATED_MARK,
    Curated,
    entry_path,
    is_generated,
    overlay_path,
    read_curated,
)
from mindport.kb.generate.namespaces import (
    CLASS_NAMESPACES,
    NAMESPACES,
    TORCH_TENSOR,
    counterparts,
    is_data_pipeline,
    namespace_of,
    split_name,
    target_slot,
)
from mindport.kb.generate.notes import (
    TargetDiff,
    legacy_note,
    no_equivalent_note,
    no_target_note,
    signature_notes,
    unknown_signature_note,
)
from mindport.kb.generate.sigtext import Signature, parse_signature
from mindport.kb.generate.snapshot import ApiSnapshot, Snapshot
from mindport.kb.generate.tomlwrite import dumps
from mindport.kb.loader import ENTRIES_DIR, INDEX_FILE, build_index, read_entry_file
from mindport.kb.model import TARGET_ORDER, Category, Entry, Note, Param, ParamKind, Tier
from mindport.kb.parse import EntryError, parse_entry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SNAPSHOT_DIR = "snapshots"
ENTRY_KEYS_FROM_OVERLAY = ("official_doc", "workaround", "example")
_CLAIM_CATEGORY = {
    "consistent": Category.CONSISTENT,
    "param_names_differ": Category.PARAMETER_NAMES_DIFFER,
    "default_differs": Category.DEFAULTS_DIFFER,
    "ms_lacks_param": Category.TORCH_ONLY_PARAMETERS,
    "ms_extra_param": Category.MINDSPORE_ONLY_PARAMETERS,
}


# Parameter rows of the official pages that pair two names meaning the same thing (a pair
# tagged default_differs or free text may be a different parameter with a related purpose).
_SAME_MEANING = frozenset(
    {"name_differs", "name_and_default_differ", "consistent", "consistent_with_remark"}
)
_NO_EQUIVALENT_CHECK = (
    "No same-name API in the MindSpore namespaces MindPort searches and no row in the official"
    " tables; tests/frameworks checks that every MindSpore name in the workaround exists."
)
_NO_TARGET_DRAFT: dict[str, Any] = {
    "category": Category.NO_EQUIVALENT.value,
    "notes": [
        {"id": "draft", "en": {"title": "-", "text": "-"}, "zh": {"title": "-", "text": "-"}}
    ],
}


@dataclass
class Sources:
    """Everything an entry is built from."""

    torch: Snapshot
    mindspore: Snapshot
    claims: Claims
    curated: Curated
    hand_written: dict[str, Entry] = field(default_factory=dict)  # id -> entry

    @property
    def versions(self) -> dict[str, str]:
        return {"torch": self.torch.version, "mindspore": self.mindspore.version}


def snapshot_path(root: Path, framework: str) -> Path:
    return root / SNAPSHOT_DIR / f"{framework}.json"


def load_sources(root: Path) -> Sources:
    torch = Snapshot.read(snapshot_path(root, "torch"))
    data = snapshot_path(root, "torch-data")
    if data.is_file():
        merge_data_snapshot(torch, Snapshot.read(data))
    return Sources(
        torch=torch,
        mindspore=Snapshot.read(snapshot_path(root, "mindspore")),
        claims=Claims.read(root / CLAIMS_FILE),
        curated=read_curated(root),
        hand_written=read_hand_written(root),
    )


def merge_data_snapshot(torch: Snapshot, data: Snapshot) -> None:
    """The data-pipeline snapshot (torchvision & co., read statically) joins torch's."""
    torch.apis.update(data.apis)
    torch.missing.update(data.missing)
    torch.data_version = data.version


def read_hand_written(root: Path) -> dict[str, Entry]:
    """Entry files that the generator did not write (and must never overwrite)."""
    found: dict[str, Entry] = {}
    for path in sorted((root / ENTRIES_DIR).rglob("*.toml")):
        if is_generated(path):
            continue
        entry = read_entry_file(root, path.relative_to(root).as_posix())
        found[entry.id] = entry
    return found


# -- which entries, and which targets -----------------------------------------------------------


@dataclass
class Plan:
    id: str
    tier: Tier
    claims: list[Claim] = field(default_factory=list)
    targets: dict[str, str] = field(default_factory=dict)  # target id -> MindSpore name
    missing_claimed: list[str] = field(default_factory=list)
    overlay: dict[str, Any] = field(default_factory=dict)


def _compatible(torch_api: ApiSnapshot | None, ms_api: ApiSnapshot | None) -> bool:
    if torch_api is None or ms_api is None:
        return ms_api is not None
    if split_name(torch_api.name)[0] in CLASS_NAMESPACES:
        return True
    return (torch_api.kind == "class") == (ms_api.kind == "class")


def plan_entries(sources: Sources) -> dict[str, Plan]:
    plans: dict[str, Plan] = {}
    torch_snap, ms_snap = sources.torch, sources.mindspore

    def plan_for(torch_id: str) -> Plan:
        if torch_id not in plans:
            tier = Tier.DATA_PIPELINE if is_data_pipeline(torch_id) else Tier.CORE
            plans[torch_id] = Plan(torch_id, tier)
        return plans[torch_id]

    owners = {a: e.id for e in sources.hand_written.values() for a in e.torch.names}

    def canonical(name: str) -> str:
        """One id per object: a hand-written entry's, else the spelling with fewest dots."""
        name = torch_snap.corrections.get(name, name)
        api = torch_snap.apis.get(name)
        spellings = [name, *(api.aliases if api else ())]
        owned = [owners[s] for s in spellings if s in owners]
        if owned:
            return owned[0]
        known = [s for s in spellings if s in torch_snap.apis]
        return min(known, key=lambda s: (s.count("."), s)) if known else name

    order = {table: i for i, table in enumerate(TABLE_ORDER)}
    for claim in sorted(sources.claims.claims, key=lambda c: (order[c.table], c.row)):
        if not claim.torch:
            continue
        torch_id = canonical(claim.torch)
        if torch_id not in torch_snap.apis and not is_data_pipeline(torch_id):
            continue
        plan_for(torch_id).claims.append(claim)
    for name, api in torch_snap.apis.items():
        namespace = namespace_of(name)
        if namespace is None or namespace not in NAMESPACES:
            continue
        found = [
            n
            for slot in counterparts(name).values()
            for n in slot
            if _compatible(api, ms_snap.apis.get(n))
        ]
        if found and canonical(name) == name:
            plan_for(name)
    for torch_id, overlay in sources.curated.overlays.items():
        plan_for(torch_id).overlay = overlay
    for torch_id in sources.hand_written:
        plans.pop(torch_id, None)
    for plan in plans.values():
        _choose_targets(plan, sources)
    return dict(sorted(plans.items()))


def _choose_targets(plan: Plan, sources: Sources) -> None:
    ms_snap = sources.mindspore
    torch_api = sources.torch.apis.get(plan.id)
    offered: dict[str, list[str]] = {slot: [] for slot in TARGET_ORDER}
    for claim in plan.claims:
        name = ms_snap.corrections.get(claim.mindspore, claim.mindspore)
        if name not in ms_snap.apis:
            if claim.mindspore and claim.mindspore not in plan.missing_claimed:
                plan.missing_claimed.append(claim.mindspore)
            continue
        offered[target_slot(name)].append(name)
    same_name = counterparts(plan.id)
    for slot in TARGET_ORDER:
        candidates = [n for n in same_name[slot] if _compatible(torch_api, ms_snap.apis.get(n))]
        claimed = [n for n in offered[slot] if _compatible(torch_api, ms_snap.apis.get(n))]
        preferred = [n for n in claimed if n in candidates] or claimed or candidates
        if not preferred and offered[slot]:
            preferred = offered[slot]  # only a claim of another kind: keep it, flagged later
        if preferred:
            plan.targets[slot] = preferred[0]
    overlay_targets = plan.overlay.get("targets", {})
    for slot in TARGET_ORDER:
        name = overlay_targets.get(slot, {}).get("name")
        if name:
            plan.targets[slot] = name
    for slot in plan.overlay.get("drop_targets", []):
        plan.targets.pop(slot, None)


# -- one entry ------------------------------------------------------------------------------------


def _param_data(param: Param) -> dict[str, Any]:
    data: dict[str, Any] = {"name": param.name}
    if param.default is not None:
        data["default"] = param.default
    if param.kind is not ParamKind.POSITIONAL_OR_KEYWORD:
        data["kind"] = param.kind.value
    return data


# torch classes documented on the tensor attributes page, not on a generated page of their own
_TENSOR_ATTRIBUTE_CLASSES = frozenset({"torch.device", "torch.dtype", "torch.layout"})


def torch_doc_url(name: str, kind: str) -> str | None:
    if is_data_pipeline(name) and not name.startswith("torch."):
        return None
    module = split_name(name)[0]
    if module == TORCH_TENSOR and kind == "attribute":
        return f"https://pytorch.org/docs/stable/tensors.html#{name}"
    if module == "torch" and kind == "attribute":  # the dtypes: torch.float32, torch.long...
        return "https://pytorch.org/docs/stable/tensor_attributes.html#torch.dtype"
    if name in _TENSOR_ATTRIBUTE_CLASSES:
        return f"https://pytorch.org/docs/stable/tensor_attributes.html#{name}"
    if name == "torch.Size":
        return "https://pytorch.org/docs/stable/size.html"
    if module.startswith("torch.special"):
        return f"https://pytorch.org/docs/stable/special.html#{name}"
    if module.startswith("torch.distributed"):
        return f"https://pytorch.org/docs/stable/distributed.html#{name}"
    if module.startswith("torch.utils.data"):
        return f"https://pytorch.org/docs/stable/data.html#{name}"
    return f"https://pytorch.org/docs/stable/generated/{name}.html"


_MS_DOC_DIRS = (
    ("mindspore.mint.", "mint"),
    ("mindspore.ops.", "ops"),
    ("mindspore.nn.", "nn"),
    ("mindspore.Tensor.", "mindspore/Tensor"),
    ("mindspore.experimental.optim.", "experimental/optim"),
)


def mindspore_doc_url(name: str, known: Mapping[str, str], kind: str = "") -> str | None:
    if name in known:
        return known[name]
    if kind == "attribute" and name.count(".") == 1:  # the dtypes: mindspore.float32...
        return "https://www.mindspore.cn/docs/en/master/api_python/mindspore/mindspore.dtype.html"
    for prefix, directory in _MS_DOC_DIRS:
        if name.startswith(prefix):
            return f"https://www.mindspore.cn/docs/en/master/api_python/{directory}/{name}.html"
    if name.count(".") == 1:
        return f"https://www.mindspore.cn/docs/en/master/api_python/mindspore/{name}.html"
    return None


@dataclass
class Side:
    data: dict[str, Any]
    params: Signature
    known: bool  # False when no signature could be read
    source: str
    legacy: tuple[str, ...] = ()
    overloads: tuple[Signature, ...] = ()

    def takes_separately(self, name: str | None) -> tuple[bool, bool]:
        """Whether some overload takes ``name`` as ``*name`` / as one argument."""
        forms = [p for o in (self.overloads or (self.params,)) for p in o if p.name == name]
        variadic = [p.kind is ParamKind.VAR_POSITIONAL for p in forms]
        return any(variadic), not all(variadic)


def _side(name: str, api: ApiSnapshot | None, doc: str | None, aliases: Iterable[str]) -> Side:
    if api is None:
        kind = "class" if split_name(name)[1][:1].isupper() else "function"
        data: dict[str, Any] = {"name": name, "kind": kind}
        if doc:
            data["doc"] = doc
        return Side(data, (), known=False, source="not installed")
    overloads = api.overloads()
    params = merge_overloads(overloads)
    data = {"name": name, "kind": api.kind}
    alias_list = sorted(set(aliases) - {name})
    if alias_list:
        data["aliases"] = alias_list
    if doc:
        data["doc"] = doc
    known = api.kind == "attribute" or bool(overloads)
    if api.kind != "attribute":
        data["params"] = [_param_data(p) for p in params]
    if len(overloads) > 1:
        data["overloads"] = list(api.signatures)
    return Side(
        data,
        params,
        known=known,
        source=api.source,
        legacy=api.legacy,
        overloads=tuple(overloads),
    )


def _page_hints(claims: Claims, plan: Plan) -> list[tuple[str, str]]:
    hints: list[tuple[str, str]] = []
    for claim in plan.claims:
        if not claim.diff_page:
            continue
        for pair in claims.pairs_for_page(claim.diff_page):
            if pair.section.lower().startswith("input") and plan.id.split(".")[-1][:1].isupper():
                continue  # forward inputs of a module, not constructor parameters
            if (
                pair.kind in _SAME_MEANING
                and pair.torch.isidentifier()
                and pair.mindspore.isidentifier()
            ):
                hints.append((pair.torch, pair.mindspore))
    return hints


def _overlay_hints(overlay: Mapping[str, Any], slot: str) -> list[tuple[str, str]]:
    return [
        (row["torch"], row[slot])
        for row in overlay.get("params", [])
        if isinstance(row.get("torch"), str) and isinstance(row.get(slot), str)
    ]


def _shared_hints(overlay: Mapping[str, Any], slot: str) -> list[tuple[str, str]]:
    """Curated rows that give one target parameter to several torch parameters."""
    pairs = _overlay_hints(overlay, slot)
    counts: dict[str, int] = {}
    for _, name in pairs:
        counts[name] = counts.get(name, 0) + 1
    return [(ours, name) for ours, name in pairs if counts[name] > 1]


def _check_shared(torch_side: Side, pairings: Mapping[str, Pairing]) -> None:
    """Torch parameters sharing a target parameter must never meet in one overload."""
    overloads = torch_side.overloads or (torch_side.params,)
    for slot, pairing in pairings.items():
        by_target: dict[str, list[str]] = {}
        for torch_name, target_name in pairing.pairs.items():
            by_target.setdefault(target_name, []).append(torch_name)
        for theirs, names in by_target.items():
            if len(names) < 2:
                continue
            for overload in overloads:
                met = sorted({p.name for p in overload} & set(names))
                if len(met) > 1:
                    raise EntryError(
                        "params",
                        f"{', '.join(met)} share {slot} `{theirs}` but one overload takes both",
                    )


def _receiver_offset(torch_side: Side, target: Side) -> int:
    """1 when a torch method goes to a function that takes the receiver first."""
    return int(torch_side.data.get("kind") == "method" and target.data.get("kind") == "function")


def _rows(
    torch_side: Side,
    targets: Mapping[str, Side],
    hints: Mapping[str, list[tuple[str, str]]],
    overlay: Mapping[str, Any],
) -> list[dict[str, Any]]:
    torch_params = torch_side.params
    pairings = {
        slot: pair_params(
            torch_params,
            side.params,
            hints[slot],
            _shared_hints(overlay, slot),
            receiver_offset=_receiver_offset(torch_side, side),
        )
        for slot, side in targets.items()
    }
    _check_shared(torch_side, pairings)
    rows: list[dict[str, Any]] = []
    for param in torch_params:
        row: dict[str, Any] = {"torch": param.name}
        for slot, pairing in pairings.items():
            if param.name in pairing.pairs:
                row[slot] = pairing.pairs[param.name]
        clashes = [
            (slot, side)
            for slot, side in targets.items()
            if _var_clash(torch_side, param.name, side, row.get(slot))
        ]
        clash = bool(clashes)
        if clashes:
            slot, side = clashes[0]
            row["note"] = _clash_note(torch_side, param.name, side, row[slot])
        if any(
            _equivalent_default(param, side.params, row.get(slot)) for slot, side in targets.items()
        ):
            row["defaults_equivalent"] = True
        if clash:
            row["meaning_differs"] = True
        rows.append(row)
    only: dict[str, dict[str, Any]] = {}
    for slot, side in targets.items():
        paired = set(pairings[slot].pairs.values())
        for param in side.params:
            if param.name not in paired:
                only.setdefault(param.name, {})[slot] = param.name
    rows.extend(only.values())
    for curated_row in overlay.get("params", []):
        match = _find_row(rows, curated_row)
        if match is None:
            raise EntryError("params", f"curated row {curated_row} matches no parameter")
        if "note" in curated_row:
            match["note"] = dict(curated_row["note"])
        if "meaning_differs" in curated_row:  # true, false, or a list of target ids
            match["meaning_differs"] = curated_row["meaning_differs"]
        if "defaults_equivalent" in curated_row:  # the defaults are spelt apart but agree
            match["defaults_equivalent"] = curated_row["defaults_equivalent"]
        if "write" in curated_row:  # values a conversion writes out
            match["write"] = dict(curated_row["write"])
        if "values" in curated_row:  # torch values -> the target's values, same meaning
            match["values"] = dict(curated_row["values"])
        if "write_when" in curated_row:  # write only when this torch argument is passed
            match["write_when"] = curated_row["write_when"]
        if "coerce" in curated_row:  # the kind the target takes the value only as
            match["coerce"] = dict(curated_row["coerce"])
        if "floats" in curated_row:  # targets that take the parameter only as a float
            match["floats"] = list(curated_row["floats"])
    return rows


# Defaults spelt differently that mean the same thing (checked against both frameworks'
# documentation and sources: ATen's Reduction enum is None=0, Mean=1, Sum=2; torch creates
# float32 when dtype is None; the default process group is MindSpore's HCCL world group).
EQUIVALENT_DEFAULTS = frozenset(
    {
        ("dtype", "None", "mindspore.float32"),
        ("dtype", "None", "mstype.float32"),
        ("reduction", "0", "'none'"),
        ("reduction", "1", "'mean'"),
        ("reduction", "2", "'sum'"),
        ("group", "None", "'hccl_world_group'"),
        ("activation", "torch.nn.functional.relu", "'relu'"),
        ("activation", "torch.nn.functional.gelu", "'gelu'"),
        ("dim", "()", "None"),  # amax/amin: reduce over every dimension
    }
)


def _equivalent_default(param: Param, target: Signature, name: str | None) -> bool:
    theirs = next((p for p in target if p.name == name), None)
    if theirs is None or param.default is None or theirs.default is None:
        return False
    if (param.name, param.default, theirs.default) in EQUIVALENT_DEFAULTS:
        return True
    # members of two enums with the same name: InterpolationMode.BILINEAR and Inter.BILINEAR
    ours, other = param.default.rsplit(".", 1), theirs.default.rsplit(".", 1)
    return (
        len(ours) == 2
        and len(other) == 2
        and ours[1] == other[1]
        and ours[1].isupper()
        and ours[0][-1:].isalpha()
    )


def _clash_note(torch_side: Side, ours: str, target: Side, theirs: str) -> dict[str, str]:
    name = target.data["name"]
    if torch_side.takes_separately(ours)[0] and not target.takes_separately(theirs)[0]:
        return {
            "en": f"torch also takes the values one by one (*{ours}); {name} takes one"
            f" sequence ({theirs}): pass a tuple.",
            "zh": f"torch 也接受逐个传入的值(*{ours});{name} 只接受一个序列({theirs}):请传入元组。",
        }
    return {
        "en": f"{name} takes the values one by one (*{theirs}); torch passes one sequence"
        f" ({ours}): unpack it with *.",
        "zh": f"{name} 逐个接收这些值(*{theirs});torch 传入的是一个序列({ours}):请用 * 展开。",
    }


def _var_clash(torch_side: Side, ours: str, target: Side, theirs: str | None) -> bool:
    """torch accepts ``*size`` where the target wants one sequence (or the other way round).

    Overloads count: ``reshape(shape)`` beside ``reshape(*shape)`` accepts both forms.
    """
    if theirs is None:
        return False
    our_variadic, our_single = torch_side.takes_separately(ours)
    their_variadic, their_single = target.takes_separately(theirs)
    return (our_variadic and not their_variadic) or (our_single and not their_single)


def _find_row(rows: list[dict[str, Any]], wanted: Mapping[str, Any]) -> dict[str, Any] | None:
    keys = [k for k in ("torch", *TARGET_ORDER) if isinstance(wanted.get(k), str)]
    for row in rows:
        if keys and all(row.get(k) == wanted[k] for k in keys):
            return row
    return None


def _verified(sources: Sources, sides: Mapping[str, Side]) -> str:
    how = ", ".join(f"{k}: {v.source}" for k, v in sides.items())
    return (
        f"Signatures read from torch {sources.torch.version} and mindspore"
        f" {sources.mindspore.version} ({how}); `mindport kb validate` reads them again."
    )


def _claim_checks(
    plan: Plan,
    sources: Sources,
    torch_side: Side,
    hints: list[tuple[str, str]],
    curated_behaviour: bool,
) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []
    for claim in plan.claims:
        check: dict[str, Any] = {
            "table": claim.table,
            "mindspore": claim.mindspore,
            "category": claim.category,
        }
        real_torch = sources.torch.corrections.get(claim.torch)
        real_ms = sources.mindspore.corrections.get(claim.mindspore, claim.mindspore)
        ms_api = sources.mindspore.apis.get(real_ms)
        if real_torch is not None:
            check.update(
                agrees=False, reason=f"the table writes {claim.torch}; the API is {real_torch}"
            )
        elif ms_api is None:
            check.update(
                agrees=False,
                reason=f"{claim.mindspore} does not exist in MindSpore {sources.mindspore.version}",
            )
        elif real_ms != claim.mindspore:
            check.update(
                agrees=False, reason=f"the table writes {claim.mindspore}; the API is {real_ms}"
            )
        elif not torch_side.known or (not ms_api.overloads() and ms_api.kind != "attribute"):
            check["reason"] = "not checked: a signature is unknown"
        else:
            comparison = compare(
                torch_side.params,
                merge_overloads(ms_api.overloads()),
                hints,
                torch_kind=torch_side.data["kind"],
                target_kind=ms_api.kind,
            )
            verdict = judge_claim(
                claim.category, claim.detail, comparison, curated_behaviour=curated_behaviour
            )
            if verdict.agrees is not None:
                check["agrees"] = verdict.agrees
            check["reason"] = verdict.reason
        checks.append(check)
    return checks


def _overall(checks: Sequence[Mapping[str, Any]]) -> bool | None:
    verdicts = [c["agrees"] for c in checks if "agrees" in c]
    if not verdicts:
        return None
    return all(verdicts)


@dataclass
class BuildContext:
    sources: Sources
    torch_aliases: dict[str, list[str]]  # torch id -> aliases it may claim


def build_entry(plan: Plan, context: BuildContext) -> dict[str, Any]:
    sources = context.sources
    overlay = plan.overlay
    urls = sources.claims.doc_urls
    torch_api = sources.torch.apis.get(plan.id)
    torch_side = _side(
        plan.id,
        torch_api,
        torch_doc_url(plan.id, torch_api.kind if torch_api else "") or urls.get(plan.id),
        [*context.torch_aliases.get(plan.id, ()), *overlay.get("torch", {}).get("aliases", ())],
    )
    sides: dict[str, Side] = {}
    for slot in TARGET_ORDER:
        name = plan.targets.get(slot)
        if name is None:
            continue
        api = sources.mindspore.apis.get(name)
        others = set(plan.targets.values()) - {name}
        aliases = [a for a in (api.aliases if api else ()) if a not in others]
        doc = mindspore_doc_url(name, urls, api.kind if api else "")
        sides[slot] = _side(name, api, doc, aliases)
    page_hints = _page_hints(sources.claims, plan)
    hints = {slot: [*_overlay_hints(overlay, slot), *page_hints] for slot in sides}
    rows = _rows(torch_side, sides, hints, overlay)

    data: dict[str, Any] = {
        "format": 1,
        "id": plan.id,
        "tier": overlay.get("tier", plan.tier.value),
        "category": Category.CONSISTENT.value,
    }
    official = overlay.get("official_doc") or next(
        (c.doc_url for c in plan.claims if c.doc_url), None
    )
    if official:
        data["official_doc"] = official
    for key in ("workaround", "example"):
        if key in overlay:
            data[key] = overlay[key]
    data["torch"] = torch_side.data
    if sides:
        data["targets"] = {slot: side.data for slot, side in sides.items()}
    data["params"] = rows

    # A first parse gives the computed rows; then category and notes are added.
    draft = parse_entry(data if sides else {**data, **_NO_TARGET_DRAFT})
    curated_notes = [dict(n) for n in overlay.get("notes", [])]
    diffs: list[TargetDiff] = []
    for slot, side in sides.items():
        comparison_kind = kinds_differ(torch_side.data["kind"], side.data["kind"])
        diffs.append(
            TargetDiff(
                slot,
                draft.targets[slot],
                draft.rows,
                comparison_kind,
                category_of(draft.rows, slot, behaviour=comparison_kind),
            )
        )
    unknown = [s for s in (torch_side, *sides.values()) if not s.known]
    if "category" in overlay:
        category = Category(overlay["category"])
    elif not sides:
        category = Category.NO_EQUIVALENT
    elif unknown:
        claimed = next((c.category for c in plan.claims), "diff")
        category = _CLAIM_CATEGORY.get(claimed, Category.BEHAVIOUR_DIFFERS)
    elif curated_notes:
        category = Category.BEHAVIOUR_DIFFERS
    else:
        category = diffs[0].category
    data["category"] = category.value

    verified = _verified(sources, {"torch": torch_side, **sides})
    notes: list[dict[str, Any]] = list(curated_notes)
    if overlay.get("generated_notes", True):
        generated: list[Note] = []
        if unknown:
            for side in unknown:
                generated.append(unknown_signature_note(side.data["name"], side.source, verified))
        else:
            generated.extend(signature_notes(draft.torch, diffs, verified))
        for slot, side in sides.items():
            if side.legacy and _legacy_differs(side):
                generated.append(legacy_note(draft.targets[slot], side.legacy, verified))
        if not sides and plan.missing_claimed:
            generated.append(no_target_note(plan.id, plan.missing_claimed, verified))
        elif not sides and "workaround" in overlay and not curated_notes:
            generated.append(no_equivalent_note(plan.id, _NO_EQUIVALENT_CHECK))
        notes.extend(_note_data(n) for n in generated)
    if notes:
        data["notes"] = notes

    checks = _claim_checks(
        plan, sources, torch_side, [*page_hints], curated_behaviour=bool(curated_notes)
    )
    provenance: dict[str, Any] = {}
    if plan.claims:
        provenance["tables"] = sorted({c.table for c in plan.claims}, key=TABLE_ORDER.index)
        provenance["claimed_category"] = plan.claims[0].category
        agrees = _overall(checks)
        if agrees is not None:
            provenance["agrees"] = agrees
    remarks = [*_correction_remarks(plan, sources)]
    if overlay.get("remarks"):
        remarks.append(str(overlay["remarks"]))
    if remarks:
        provenance["remarks"] = " ".join(remarks)
    provenance["checked_against"] = sources.versions
    if torch_side.source == "static" and sources.torch.data_version:
        provenance["checked_against"] = {
            **sources.versions,
            "data-pipeline": sources.torch.data_version,
        }
    provenance["signature_sources"] = {
        "torch": torch_side.source,
        **{slot: side.source for slot, side in sides.items()},
    }
    if checks:
        provenance["claims"] = checks
    data["provenance"] = provenance
    return data


def _legacy_differs(side: Side) -> bool:
    names = {p.name for p in side.params}
    return any({p.name for p in parse_signature(s)} - names for s in side.legacy)


def _correction_remarks(plan: Plan, sources: Sources) -> Iterable[str]:
    for claim in plan.claims:
        if claim.torch in sources.torch.corrections:
            yield f"The {claim.table} table spells it {claim.torch}."
        real = sources.mindspore.corrections.get(claim.mindspore)
        if real:
            yield f"The {claim.table} table writes {claim.mindspore} for {real}."


def _note_data(note: Note) -> dict[str, Any]:
    data: dict[str, Any] = {"id": note.id}
    if note.verified:
        data["verified"] = note.verified
    data["en"] = {"title": note.title.en, "text": note.text.en}
    data["zh"] = {"title": note.title.zh, "text": note.text.zh}
    return data


# -- the whole knowledge base ---------------------------------------------------------------------


def _torch_aliases(plans: Mapping[str, Plan], sources: Sources) -> dict[str, list[str]]:
    """Aliases from the snapshot, kept only where exactly one entry can claim them."""
    reserved = set(plans) | set(sources.hand_written)
    for entry in sources.hand_written.values():
        reserved.update(entry.torch.aliases)
    owners: dict[str, list[str]] = {}
    for torch_id in plans:
        api = sources.torch.apis.get(torch_id)
        for alias in api.aliases if api else ():
            owners.setdefault(alias, []).append(torch_id)
    result: dict[str, list[str]] = {}
    for alias, ids in owners.items():
        if len(ids) == 1 and alias not in reserved:
            result.setdefault(ids[0], []).append(alias)
    return result


HEADER = (
    f"{GENERATED_MARK}: do not edit; put curated knowledge in {{overlay}}.",
    "{summary}",
)


@dataclass
class BuildResult:
    files: dict[str, str]  # relative path -> text
    entries: dict[str, Entry]


def build_all(sources: Sources) -> BuildResult:
    plans = plan_entries(sources)
    context = BuildContext(sources, _torch_aliases(plans, sources))
    lower_by_module: dict[str, set[str]] = {}
    for torch_id in [*plans, *sources.hand_written]:
        module, short = split_name(torch_id)
        if short == short.lower():
            lower_by_module.setdefault(module, set()).add(short)
    files: dict[str, str] = {}
    entries: dict[str, Entry] = {}
    for torch_id, plan in plans.items():
        relative = entry_path(torch_id, lower_by_module.get(split_name(torch_id)[0], set()))
        try:
            data = build_entry(plan, context)
            text = render_entry(data, torch_id, relative)
            entry = parse_entry(tomllib.loads(text), source_file=relative)
        except (EntryError, ValueError, KeyError) as error:
            raise EntryError(f"{relative} [{torch_id}]", str(error)) from error
        files[relative] = text
        entries[torch_id] = entry
    return BuildResult(files, entries)


def render_entry(data: Mapping[str, Any], torch_id: str, relative: str | None = None) -> str:
    targets = data.get("targets", {})
    names = ", ".join(side["name"] for side in targets.values()) or "no MindSpore counterpart"
    overlay = overlay_path(torch_id)
    if relative is not None and relative.endswith(".upper.toml"):
        overlay = overlay.removesuffix(".toml") + ".upper.toml"  # beside a lower-case twin
    header = (
        HEADER[0].format(overlay=f"knowledge/{overlay}"),
        HEADER[1].format(summary=f"{torch_id} -> {names}"),
    )
    return dumps(data, header)


def write_knowledge(root: Path, result: BuildResult) -> tuple[int, int, int]:
    """Write the entry files, delete generated files no longer produced, rebuild the index.

    Returns (written, unchanged, deleted).
    """
    written = unchanged = deleted = 0
    for relative, text in sorted(result.files.items()):
        path = root / relative
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            unchanged += 1
            continue
        if path.is_file() and not is_generated(path):
            raise EntryError(relative, "a hand-written entry is in the way of a generated one")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1
    for path in sorted((root / ENTRIES_DIR).rglob("*.toml")):
        relative = path.relative_to(root).as_posix()
        if relative not in result.files and is_generated(path):
            path.unlink()
            deleted += 1
    for directory in sorted((root / ENTRIES_DIR).glob("*"), reverse=True):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
    write_index(root)
    return written, unchanged, deleted


def index_text(root: Path) -> tuple[str, list[str]]:
    data, problems = build_index(root)
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    return text, [str(p) for p in problems]


def write_index(root: Path) -> None:
    text, problems = index_text(root)
    if problems:
        raise EntryError(INDEX_FILE, "; ".join(problems))
    (root / INDEX_FILE).write_text(text, encoding="utf-8")

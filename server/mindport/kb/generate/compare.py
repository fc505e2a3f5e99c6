"""Compare two signatures: pair the parameters, compute the category, check a table's claim.

Everything here works on parsed signatures only (no framework import), so the entry step,
``kb validate`` and ``kb report`` all reach the same verdicts from the same snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from mindport.kb.generate.sigtext import Signature
from mindport.kb.model import UNSPECIFIED, Category, Param, ParamKind, ParamRow, RowDiff

# torch parameters that the official tables call "general differences": MindSpore leaves
# them out on purpose. They still get a row (a call passing them cannot be converted), but
# they alone do not make an entry inconsistent, as in the tables.
GENERAL_TORCH_ONLY = frozenset(
    {
        "out",
        "layout",
        "device",
        "requires_grad",
        "pin_memory",
        "memory_format",
        "stable",
        "sparse_grad",
        "size_average",
        "reduce",
    }
)

# Names that mean the same thing: paired wherever they appear.
_ANYWHERE = {
    "dim": ("axis",),
    "keepdim": ("keep_dims", "keepdims"),
    "lr": ("learning_rate",),
    "amsgrad": ("use_amsgrad",),
}
# Names paired only when they occupy the same positional slot.
_SAME_SLOT = {
    "input": ("x", "input_x", "a", "tensor"),
    "other": ("y", "x2"),
}


def merge_overloads(overloads: Sequence[Signature]) -> Signature:
    """One parameter list that accepts what any overload accepts.

    The overload with the most parameters sets the order; a parameter that some overload
    can do without becomes optional (``...`` when there is no single default); a parameter
    only other overloads have is added as keyword-only, because its positional slot belongs
    to another parameter in the main overload. Other overloads' ``*args`` are dropped when
    they are alternative spellings (``view(*shape)`` beside ``view(shape)``); one under a name
    of its own is kept when the main overload has none (``atleast_1d(*tensors)`` beside
    ``atleast_1d(tensor, /)``).
    """
    if not overloads:
        return ()
    if len(overloads) == 1:
        return overloads[0]
    main = max(overloads, key=len)
    merged: dict[str, Param] = {p.name: p for p in main}
    extra: list[Param] = []
    varargs: Param | None = None
    has_varargs = any(p.kind is ParamKind.VAR_POSITIONAL for p in main)
    for overload in overloads:
        if overload is main:
            continue
        for param in overload:
            known = merged.get(param.name) or next((e for e in extra if e.name == param.name), None)
            if known is None:
                if param.kind is ParamKind.VAR_POSITIONAL and not has_varargs and varargs is None:
                    varargs = param
                if param.kind in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD):
                    continue
                default = param.default if param.default is not None else UNSPECIFIED
                extra.append(Param(param.name, default, ParamKind.KEYWORD_ONLY))
            elif known.default != param.default and param.name in merged:
                merged[param.name] = _relax(known, param)
    for name, param in merged.items():
        if param.required and not all(any(p.name == name for p in o) for o in overloads):
            merged[name] = Param(name, UNSPECIFIED, param.kind)
    ordered = list(merged.values())
    if varargs is not None:
        keywords = (ParamKind.KEYWORD_ONLY, ParamKind.VAR_KEYWORD)
        at = next((i for i, p in enumerate(ordered) if p.kind in keywords), len(ordered))
        ordered.insert(at, varargs)
    insert_at = next(
        (i for i, p in enumerate(ordered) if p.kind is ParamKind.VAR_KEYWORD), len(ordered)
    )
    return tuple(ordered[:insert_at] + extra + ordered[insert_at:])


def _relax(known: Param, other: Param) -> Param:
    if known.default is None:
        return Param(known.name, other.default or UNSPECIFIED, known.kind)
    if other.default is None:
        return known
    return Param(known.name, UNSPECIFIED, known.kind)


@dataclass
class Pairing:
    """torch parameter name -> target parameter name, for one target."""

    pairs: dict[str, str] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)  # torch name -> "name", "hint", ...


def _positional_index(params: Signature, name: str) -> int | None:
    positional = [p.name for p in params if p.positional]
    return positional.index(name) if name in positional else None


def pair_params(
    torch: Signature,
    target: Signature,
    hints: Iterable[tuple[str, str]] = (),
    shared: Iterable[tuple[str, str]] = (),
    *,
    receiver_offset: int = 0,
) -> Pairing:
    """Pair by equal name, then by hints (curated, then the official pages), then synonyms,
    then by slot.

    ``shared`` are curated hints whose target parameter several torch parameters fill, each
    in its own overload (``indices``, ``sections`` -> ``indices_or_sections``).
    ``receiver_offset`` is 1 when a torch method goes to a function whose first parameter
    the receiver fills (the slots are shifted by one).
    """
    pairing = Pairing()
    sharing = set(shared)
    theirs = {p.name for p in target}
    taken: set[str] = set()

    def take(ours: str, name: str, how: str) -> None:
        pairing.pairs[ours] = name
        pairing.how[ours] = how
        taken.add(name)

    for param in torch:
        if param.name in theirs:
            take(param.name, param.name, "name")
    for ours, name in hints:
        if ours in pairing.pairs or name not in theirs:
            continue
        if name in taken and (ours, name) not in sharing:
            continue
        if any(p.name == ours for p in torch):
            take(ours, name, "hint")
    for param in torch:
        if param.name in pairing.pairs:
            continue
        for name in _ANYWHERE.get(param.name, ()):
            if name in theirs and name not in taken:
                take(param.name, name, "synonym")
                break
        else:
            slot = _positional_index(torch, param.name)
            for name in _SAME_SLOT.get(param.name, ()):
                if (
                    name in theirs
                    and name not in taken
                    and slot is not None
                    and _positional_index(target, name) == slot
                ):
                    take(param.name, name, "synonym")
                    break
    _pair_by_slot(torch, target, pairing, taken, receiver_offset)
    return pairing


def _pair_by_slot(
    torch: Signature, target: Signature, pairing: Pairing, taken: set[str], offset: int
) -> None:
    """A torch parameter left unpaired and a target parameter left unpaired that sit in the
    same positional slot are one argument under two names: ``Tensor.transpose(dim0, dim1)``
    and ``Tensor.swapaxes(axis0, axis1)``, ``torch.from_numpy(ndarray)`` and
    ``mindspore.Tensor.from_numpy(array)``. A positional call is then carried by position and
    a keyword renamed.

    Only when the slots tell the whole story: both positional, neither variadic, both
    required or both optional with the same default (not ``None``), every slot before them filled by the
    same pair on both sides, and afterwards no torch parameter (but torch's general ones,
    ``device``...) and no required target parameter left without a partner. A partial match
    (``DataLoader(dataset, batch_size)`` against ``GeneratorDataset(source, column_names)``)
    is a coincidence of order, not a pairing; curated hints pair those that are real.
    """
    ours = [p for p in torch if p.positional]
    theirs = [p for p in target if p.positional][offset:]
    found: dict[str, str] = {}
    for index, param in enumerate(ours):
        if index >= len(theirs):
            break
        other = theirs[index]
        if param.name in pairing.pairs:
            if pairing.pairs[param.name] != other.name:
                break  # the slots diverge from here
            continue
        if other.name in taken or any(p.name == other.name for p in torch):
            break
        if param.name in GENERAL_TORCH_ONLY or ParamKind.VAR_POSITIONAL in (param.kind, other.kind):
            break
        if param.required != other.required or (
            not param.required and (param.default != other.default or param.default == "None")
        ):
            break  # ``None`` stands for anything: ``transform=None`` is not ``num_samples=None``
        found[param.name] = other.name
    if not found:
        return
    paired = set(pairing.pairs) | set(found)
    partners = taken | set(found.values())
    if any(
        p.name not in paired
        and p.name not in GENERAL_TORCH_ONLY
        and p.kind is not ParamKind.VAR_KEYWORD
        for p in torch
    ):
        return
    if any(p.required and p.name not in partners for p in target[offset:]):
        return
    names = [p.name for p in target]
    if any(
        other != name
        and (
            (len(ours) >= 5 and ours[:5] in other)
            or other in _SAME_SLOT.get(ours, ())
            or other in _ANYWHERE.get(ours, ())
        )
        for ours, name in found.items()
        for other in names
    ):
        return  # the partner by name is elsewhere: ``Optimizer(params)`` / ``parameters``
    for ours_name, name in found.items():
        pairing.pairs[ours_name] = name
        pairing.how[ours_name] = "slot"
        taken.add(name)


@dataclass(frozen=True, slots=True)
class Comparison:
    """torch against one MindSpore API: rows and the category they add up to."""

    rows: tuple[ParamRow, ...]
    category: Category
    kind_differs: bool = False

    def diffs(self) -> list[tuple[ParamRow, tuple[RowDiff, ...]]]:
        return [(r, r.diffs("t")) for r in self.rows if r.diffs("t")]


def compare(
    torch: Signature,
    target: Signature,
    hints: Iterable[tuple[str, str]] = (),
    *,
    torch_kind: str = "function",
    target_kind: str = "function",
    meaning_differs: Iterable[str] = (),
    behaviour: bool = False,
) -> Comparison:
    """Compare two parameter lists as target id ``t`` (see ``category_of``)."""
    pairing = pair_params(torch, target, hints)
    by_name = {p.name: p for p in target}
    differs = set(meaning_differs)
    rows: list[ParamRow] = []
    for param in torch:
        theirs = by_name.get(pairing.pairs.get(param.name, ""))
        rows.append(
            ParamRow(
                torch=param,
                targets={"t": theirs},
                meaning_differs=param.name in differs or _kind_clash(param, theirs),
            )
        )
    paired = set(pairing.pairs.values())
    rows.extend(ParamRow(torch=None, targets={"t": p}) for p in target if p.name not in paired)
    kind_differs = kinds_differ(torch_kind, target_kind)
    return Comparison(
        tuple(rows),
        category_of(rows, "t", behaviour=behaviour or kind_differs),
        kind_differs,
    )


def kinds_differ(torch_kind: str, target_kind: str) -> bool:
    callable_kinds = {"function", "method"}
    if torch_kind in callable_kinds and target_kind in callable_kinds:
        return False
    return torch_kind != target_kind


def _kind_clash(ours: Param, theirs: Param | None) -> bool:
    """``*size`` on one side and one ``size`` argument on the other take values differently."""
    if theirs is None:
        return False
    return (ours.kind is ParamKind.VAR_POSITIONAL) != (theirs.kind is ParamKind.VAR_POSITIONAL)


def category_of(rows: Sequence[ParamRow], target_id: str, *, behaviour: bool = False) -> Category:
    """The headline difference, in ``Category`` precedence order."""
    if behaviour:
        return Category.BEHAVIOUR_DIFFERS
    found: set[RowDiff] = set()
    for row in rows:
        diffs = set(row.diffs(target_id))
        if RowDiff.TORCH_ONLY in diffs and row.torch is not None:
            general = row.torch.name in GENERAL_TORCH_ONLY
            variadic = row.torch.kind in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD)
            if general or variadic:
                diffs.discard(RowDiff.TORCH_ONLY)
        if RowDiff.MINDSPORE_ONLY in diffs:
            theirs = row.targets.get(target_id)
            if theirs is not None and theirs.kind is ParamKind.VAR_KEYWORD:
                diffs.discard(RowDiff.MINDSPORE_ONLY)
        found |= diffs
    for diff, category in (
        (RowDiff.MEANING_DIFFERS, Category.BEHAVIOUR_DIFFERS),
        (RowDiff.TORCH_ONLY, Category.TORCH_ONLY_PARAMETERS),
        (RowDiff.DEFAULT_DIFFERS, Category.DEFAULTS_DIFFER),
        (RowDiff.REQUIRED_IN_MINDSPORE, Category.DEFAULTS_DIFFER),
        (RowDiff.RENAMED, Category.PARAMETER_NAMES_DIFFER),
        (RowDiff.MINDSPORE_ONLY, Category.MINDSPORE_ONLY_PARAMETERS),
    ):
        if diff in found:
            return category
    return Category.CONSISTENT


# -- the official tables' claims --------------------------------------------------------------

_CONSISTENT_ENOUGH = {Category.CONSISTENT, Category.MINDSPORE_ONLY_PARAMETERS}
_GENERIC_DIFF = {
    "diff",
    "overload_differs",
    "param_list_differs",
    "param_count_or_order_differ",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    agrees: bool | None
    reason: str


def judge_claim(
    category: str, detail: Sequence[str], comparison: Comparison, *, curated_behaviour: bool
) -> Verdict:
    """Does the table's category still hold for this pair of signatures?

    The tables' own rules apply: MindSpore-only parameters with defaults and the general
    torch-only parameters do not count against "consistent".
    """
    rows = comparison.rows
    optional_extras = all(
        not (r.torch is None and (p := r.targets.get("t")) is not None and p.required) for r in rows
    )
    matches = comparison.category in _CONSISTENT_ENOUGH and optional_extras
    if category == "consistent":
        if matches and not curated_behaviour:
            return Verdict(True, "the signatures match")
        return Verdict(False, f"claimed consistent; found {_describe(comparison)}")
    if category == "default_differs":
        names = set(detail)
        hits = [
            r.torch.name
            for r in rows
            if r.torch is not None
            and (not names or r.torch.name in names)
            and {
                RowDiff.DEFAULT_DIFFERS,
                RowDiff.REQUIRED_IN_MINDSPORE,
                RowDiff.OPTIONAL_IN_MINDSPORE,
            }
            & set(r.diffs("t"))
        ]
        if hits:
            return Verdict(True, f"defaults differ for {', '.join(hits)}")
        return Verdict(
            False,
            f"claimed defaults differ ({', '.join(detail) or 'unnamed'}); "
            f"found {_describe(comparison)}",
        )
    if category == "ms_lacks_param":
        torch_only = {r.torch.name for r in rows if r.torch is not None and not r.targets.get("t")}
        named = [n for n in detail if n.isidentifier()]
        missing = [n for n in named if n not in torch_only]
        if named and not missing:
            return Verdict(True, f"MindSpore lacks {', '.join(named)}")
        if not named and torch_only:
            return Verdict(True, f"MindSpore lacks {', '.join(sorted(torch_only))}")
        if not named:
            return Verdict(
                False, "claimed MindSpore lacks parameters; every torch parameter has a counterpart"
            )
        return Verdict(
            False, f"claimed MindSpore lacks {', '.join(named)}; it now has {', '.join(missing)}"
        )
    if category == "ms_extra_param":
        extra = {p.name for r in rows if r.torch is None and (p := r.targets.get("t"))}
        named = [n for n in detail if n.isidentifier()]
        if (named and set(named) <= extra) or (not named and extra):
            return Verdict(True, f"MindSpore adds {', '.join(named or sorted(extra))}")
        return Verdict(
            False,
            f"claimed MindSpore-only parameters ({', '.join(named)}); "
            f"found {_describe(comparison)}",
        )
    if category == "param_names_differ":
        renamed = [r for r in rows if RowDiff.RENAMED in r.diffs("t")]
        unpaired = any(r.torch is not None and not r.targets.get("t") for r in rows) and any(
            r.torch is None for r in rows
        )
        if renamed or unpaired:
            return Verdict(True, "parameter names differ")
        return Verdict(False, f"claimed names differ; found {_describe(comparison)}")
    if category in _GENERIC_DIFF:
        if not matches or curated_behaviour:
            return Verdict(True, f"found {_describe(comparison)}")
        return Verdict(
            None, "the signatures now match; the claimed difference is not visible in signatures"
        )
    return Verdict(None, f"'{category}' cannot be checked from signatures")


def _describe(comparison: Comparison) -> str:
    parts: list[str] = []
    if comparison.kind_differs:
        parts.append("a different kind of API")
    for row in comparison.rows:
        diffs = row.diffs("t")
        ours, theirs = row.torch, row.targets.get("t")
        if RowDiff.TORCH_ONLY in diffs and ours is not None:
            parts.append(f"torch-only {ours.name}")
        if RowDiff.MINDSPORE_ONLY in diffs and theirs is not None:
            parts.append(f"MindSpore-only {theirs.name}")
        if RowDiff.RENAMED in diffs and ours is not None and theirs is not None:
            parts.append(f"{ours.name} -> {theirs.name}")
        if RowDiff.DEFAULT_DIFFERS in diffs and ours is not None and theirs is not None:
            parts.append(f"{ours.name} default {ours.default} vs {theirs.default}")
        if RowDiff.REQUIRED_IN_MINDSPORE in diffs and theirs is not None:
            parts.append(f"{theirs.name} required in MindSpore")
        if RowDiff.MEANING_DIFFERS in diffs and ours is not None:
            parts.append(f"{ours.name} is passed differently")
    return "; ".join(parts) if parts else "no difference"


def hints_from(mapping: Mapping[str, str]) -> list[tuple[str, str]]:
    return sorted(mapping.items())

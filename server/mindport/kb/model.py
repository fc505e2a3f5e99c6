"""Typed model of one knowledge entry (the format is described in ``knowledge/README.md``)."""

from __future__ import annotations

import ast
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Locale = str  # "en" or "zh"
LOCALES: tuple[Locale, ...] = ("en", "zh")


def normalise_locale(value: str | None) -> Locale:
    """Map a client or OS locale (``zh-cn``, ``zh_CN.UTF-8``, ``en-US`` ...) to ``en`` or ``zh``."""
    if value and value.strip().lower().startswith("zh"):
        return "zh"
    return "en"


@dataclass(frozen=True, slots=True)
class LocalText:
    """A text written by us in English and Simplified Chinese."""

    en: str
    zh: str

    def get(self, locale: Locale) -> str:
        return self.zh if locale == "zh" and self.zh else self.en


class ParamKind(enum.Enum):
    POSITIONAL_ONLY = "positional_only"
    POSITIONAL_OR_KEYWORD = "positional_or_keyword"
    KEYWORD_ONLY = "keyword_only"
    VAR_POSITIONAL = "var_positional"
    VAR_KEYWORD = "var_keyword"


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of one side's signature. ``default`` is Python source; ``None`` = required."""

    name: str
    default: str | None = None
    kind: ParamKind = ParamKind.POSITIONAL_OR_KEYWORD

    @property
    def required(self) -> bool:
        return self.default is None and self.kind not in (
            ParamKind.VAR_POSITIONAL,
            ParamKind.VAR_KEYWORD,
        )

    @property
    def positional(self) -> bool:
        return self.kind in (ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_OR_KEYWORD)

    def render(self) -> str:
        prefix = {ParamKind.VAR_POSITIONAL: "*", ParamKind.VAR_KEYWORD: "**"}.get(self.kind, "")
        return f"{prefix}{self.name}" if self.default is None else f"{self.name}={self.default}"


UNSPECIFIED = "..."
"""The default of a parameter that may be left out but has no single default value.

Stubs write it ``...``; we use it when overloads differ (``torch.sum(input)`` and
``torch.sum(input, dim)`` make ``dim`` optional without a value) and for sentinel objects.
It compares equal to any default: we cannot say that it differs, and a fix never writes it.
"""


def same_default(left: str | None, right: str | None) -> bool:
    """Compare defaults written as Python source (``''`` equals ``""``, ``1.0`` equals ``1.``)."""
    if left is None or right is None:
        return left is right
    if left == right or UNSPECIFIED in (left, right):
        return True
    try:
        return bool(_as_value(ast.literal_eval(left)) == _as_value(ast.literal_eval(right)))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False


def _as_value(value: object) -> object:
    """Lists and tuples of the same items are the same default (``[-2, -1]``, ``(-2, -1)``)."""
    if isinstance(value, list | tuple):
        return tuple(_as_value(v) for v in value)
    return value


def render_params(params: Sequence[Param]) -> str:
    """The parameter list as Python would write it, with ``/`` and ``*`` markers."""
    parts: list[str] = []
    star_written = False
    slash_needed = any(p.kind is ParamKind.POSITIONAL_ONLY for p in params)
    for param in params:
        if slash_needed and param.kind is not ParamKind.POSITIONAL_ONLY:
            parts.append("/")
            slash_needed = False
        if param.kind is ParamKind.VAR_POSITIONAL:
            star_written = True
        if param.kind is ParamKind.KEYWORD_ONLY and not star_written:
            parts.append("*")
            star_written = True
        parts.append(param.render())
    if slash_needed:
        parts.append("/")
    return f"({', '.join(parts)})"


class ApiKind(enum.Enum):
    FUNCTION = "function"
    CLASS = "class"
    METHOD = "method"
    ATTRIBUTE = "attribute"


@dataclass(frozen=True, slots=True)
class ApiSide:
    """One API on one side: its public name, other public spellings and its signature."""

    name: str
    kind: ApiKind
    params: tuple[Param, ...] = ()
    aliases: tuple[str, ...] = ()
    doc: str | None = None
    # Every overload as signature text when the API has several; ``params`` is their union.
    overloads: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def positional_index(self, name: str) -> int | None:
        """Index among the parameters that can be passed positionally, or None."""
        positional = [p.name for p in self.params if p.positional]
        return positional.index(name) if name in positional else None

    def signature(self) -> str:
        if self.kind is ApiKind.ATTRIBUTE:
            return self.name
        return f"{self.name}{render_params(self.params)}"


class RowDiff(enum.Enum):
    """How one parameter differs between torch and one MindSpore target (computed)."""

    RENAMED = "renamed"
    TORCH_ONLY = "torch-only"
    MINDSPORE_ONLY = "mindspore-only"
    DEFAULT_DIFFERS = "default-differs"
    REQUIRED_IN_MINDSPORE = "required-in-mindspore"
    OPTIONAL_IN_MINDSPORE = "optional-in-mindspore"
    MEANING_DIFFERS = "meaning-differs"


@dataclass(frozen=True, slots=True)
class ParamRow:
    """One parameter compared across torch and every target. A missing side is ``None``."""

    torch: Param | None
    targets: Mapping[str, Param | None]
    meaning_differs: bool = False
    note: LocalText | None = None
    # Targets where the same-named parameter means something else (``meaning_differs``
    # covers every target); e.g. BatchNorm's momentum differs in ``classic`` only.
    meaning_differs_for: tuple[str, ...] = ()
    # The defaults are written differently but mean the same (torch's ``reduction=1`` is
    # ``'mean'``; ``dtype=None`` creates float32): not a difference, nothing to write out.
    defaults_equivalent: bool = False
    # A MindSpore-only parameter whose default would change behaviour: the value a converted
    # call writes, per target (classic ``nn.Conv2d`` pads 'same' unless told ``pad_mode='pad'``).
    # On a row with a torch parameter: the value written when a call leaves that parameter
    # out and MindSpore's own default would differ (``x.std()`` -> ``x.std(correction=1)``).
    write: Mapping[str, str] = field(default_factory=dict)
    # torch values (Python source) -> the target's value for the same meaning, when the row
    # pairs two parameters that say one thing in other terms (``unbiased=True`` is
    # ``correction=1``); a value not listed cannot be carried over automatically.
    values: Mapping[str, str] = field(default_factory=dict)
    # With ``write``: write that value only when the call passes this torch parameter
    # (classic ``nn.Upsample`` needs ``recompute_scale_factor=True`` once a scale is given).
    write_when: str | None = None
    # The kind the target takes the value only as, per target: ``tuple`` (classic
    # ``LayerNorm(8)`` must be ``LayerNorm((8,))``) or ``float`` (``scale_factor=2`` -> ``2.0``);
    # a converted call writes the value as that kind.
    coerce: Mapping[str, str] = field(default_factory=dict)
    # Targets that take the parameter only as a float where torch also takes an int
    # (``scale_factor=2`` raises in MindSpore's interpolate): an int literal, or a tuple or
    # list of them, is written as a float (``2`` -> ``2.0``), the same value.
    floats: tuple[str, ...] = ()

    def target_param(self, target_id: str) -> Param | None:
        return self.targets.get(target_id)

    def diffs(self, target_id: str) -> tuple[RowDiff, ...]:
        theirs = self.targets.get(target_id)
        ours = self.torch
        found: list[RowDiff] = []
        if ours is None and theirs is not None:
            found.append(RowDiff.MINDSPORE_ONLY)
        elif ours is not None and theirs is None:
            found.append(RowDiff.TORCH_ONLY)
        elif ours is not None and theirs is not None:
            if ours.name != theirs.name:
                found.append(RowDiff.RENAMED)
            if not ours.required and theirs.required:
                found.append(RowDiff.REQUIRED_IN_MINDSPORE)
            elif ours.required and not theirs.required:
                found.append(RowDiff.OPTIONAL_IN_MINDSPORE)
            elif not self.defaults_equivalent and not same_default(ours.default, theirs.default):
                found.append(RowDiff.DEFAULT_DIFFERS)
        if self.meaning_differs or target_id in self.meaning_differs_for:
            found.append(RowDiff.MEANING_DIFFERS)
        return tuple(found)


class Category(enum.Enum):
    """The headline difference of an entry, most significant first."""

    NO_EQUIVALENT = "no-equivalent"
    BEHAVIOUR_DIFFERS = "behaviour-differs"
    TORCH_ONLY_PARAMETERS = "torch-only-parameters"
    DEFAULTS_DIFFER = "defaults-differ"
    PARAMETER_NAMES_DIFFER = "parameter-names-differ"
    MINDSPORE_ONLY_PARAMETERS = "mindspore-only-parameters"
    CONSISTENT = "consistent"


class Tier(enum.Enum):
    CORE = "core"
    DATA_PIPELINE = "data-pipeline"


class Framework(enum.Enum):
    TORCH = "torch"
    MINDSPORE = "mindspore"


# The kinds of literal a note's trigger can name in ``unless``.
# ``sequence`` is a tuple or a list, ``number`` an int or a float.
LITERAL_KINDS = ("tuple", "list", "sequence", "int", "float", "number", "bool", "str", "none")


@dataclass(frozen=True, slots=True)
class Trigger:
    """When a note applies to one call: an argument passed explicitly (with a given value).

    ``argument`` names the torch parameter; on the MindSpore side its row's target name
    is used. ``equals`` is Python source compared by value; ``None`` means any value. An
    empty ``argument`` means the call itself, whatever it passes (``x.add_(y)``, which
    MindSpore 2.10 does not perform in place on CPU).
    """

    argument: str
    equals: str | None = None
    frameworks: tuple[Framework, ...] = (Framework.TORCH, Framework.MINDSPORE)
    # The targets the note is about (empty: those its title names, else every target).
    targets: tuple[str, ...] = ()
    # Literal kinds of the argument for which the note does not hold (``"sequence"``: the
    # LayerNorm tuple note says nothing about a call that already passes a tuple).
    unless: tuple[str, ...] = ()
    # Values (Python source) for which the note does not hold (``'cpu'`` for ``x.to(device)``).
    unless_equals: tuple[str, ...] = ()
    # torch parameters whose presence makes the note not hold (``dtype`` for torch.full's
    # "without dtype" note).
    absent: tuple[str, ...] = ()
    # The converted call raises or computes something else when the note holds: a fix
    # that writes it is not safe.
    fails: bool = False
    # The note holds for MindSpore code written as MindSpore, not only against torch: it is
    # reported on MindSpore calls too (those that ``fails`` always are).
    native: bool = False
    # A MindSpore dtype (``"int64"``): the converted call's result (a pair's indices) has
    # another dtype than torch's; the fix casts it back (``.astype(mindspore.int64)``) where
    # it can, and is not safe where it cannot.
    cast: str | None = None


# Notes the generator writes to sum up the signatures; the argument-level findings already
# say the same for each call, so diagnostics do not repeat them (cards still show them).
SUMMARY_NOTE_IDS = frozenset(
    {
        "signature",
        "signature-mint",
        "signature-classic",
        "signature-unknown",
        "legacy-overload",
        "no-equivalent",
    }
)


@dataclass(frozen=True, slots=True)
class Note:
    """A behaviour difference in our own words, with how we verified it."""

    id: str
    title: LocalText
    text: LocalText
    trigger: Trigger | None = None
    verified: str | None = None


@dataclass(frozen=True, slots=True)
class Example:
    torch: str
    mindspore: str


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """One official table row about this API, and whether the installed frameworks agree.

    ``agrees`` is None when signatures cannot settle the claim (e.g. a claim about types).
    """

    table: str
    mindspore: str
    category: str
    agrees: bool | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    tables: tuple[str, ...] = ()
    claimed_category: str | None = None
    agrees: bool | None = None
    remarks: str | None = None
    checked_against: Mapping[str, str] = field(default_factory=dict)
    claims: tuple[ClaimCheck, ...] = ()
    # How each side's signature was read: "torch" / "mint" / "classic" -> inspect, pyi, ...
    signature_sources: Mapping[str, str] = field(default_factory=dict)


TARGET_ORDER: tuple[str, ...] = ("mint", "classic")


@dataclass(frozen=True, slots=True)
class Recipe:
    """How a call converts to one target, derived from the parameter rows.

    ``renames`` maps torch keyword names to target names; ``keyword_only`` lists the torch
    parameters that can no longer be passed by position (their slot moved or became
    keyword-only) and so must be written as ``name=value``; ``write_defaults`` are the target
    keywords to add with torch's default when the call leaves them out; ``blocked`` are torch
    parameters with no counterpart (the call cannot be carried over if it passes them);
    ``required`` are target parameters a converted call must supply although torch lets the
    call leave them out (or has no such parameter).
    """

    renames: Mapping[str, str]
    keyword_only: tuple[str, ...]
    write_defaults: Mapping[str, str]
    blocked: tuple[str, ...]
    required: tuple[str, ...]

    @property
    def trivial(self) -> bool:
        return not (
            self.renames
            or self.keyword_only
            or self.write_defaults
            or self.blocked
            or self.required
        )


@dataclass(frozen=True, slots=True)
class Entry:
    """Everything we know about one torch API."""

    id: str
    tier: Tier
    category: Category
    torch: ApiSide
    targets: Mapping[str, ApiSide]
    rows: tuple[ParamRow, ...] = ()
    notes: tuple[Note, ...] = ()
    example: Example | None = None
    official_doc: str | None = None
    workaround: LocalText | None = None
    provenance: Provenance = field(default_factory=Provenance)
    source_file: str = ""

    def choose_target(self, preference: str) -> tuple[str, ApiSide] | None:
        """The target for the user's namespace preference, falling back to the other one."""
        order = (preference, *(t for t in TARGET_ORDER if t != preference))
        for target_id in order:
            side = self.targets.get(target_id)
            if side is not None:
                return target_id, side
        return None

    def row_for_torch(self, name: str) -> ParamRow | None:
        return next((r for r in self.rows if r.torch is not None and r.torch.name == name), None)

    def row_for_target(self, target_id: str, name: str) -> ParamRow | None:
        for row in self.rows:
            param = row.targets.get(target_id)
            if param is not None and param.name == name:
                return row
        return None

    def recipe(self, target_id: str) -> Recipe:
        """The conversion recipe for one target (what ``conversion.plan`` plans and ``conversion.edits`` writes)."""
        target = self.targets[target_id]
        renames: dict[str, str] = {}
        keyword_only: list[str] = []
        write_defaults: dict[str, str] = {}
        blocked: list[str] = []
        covered: set[str] = set()  # target parameters that a torch argument always fills
        for ours in self.torch.params:
            row = self.row_for_torch(ours.name)
            theirs = row.target_param(target_id) if row else target.param(ours.name)
            if theirs is None:
                if ours.kind not in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD):
                    blocked.append(ours.name)
                continue
            if ours.required:
                covered.add(theirs.name)
            if theirs.name != ours.name:
                renames[ours.name] = theirs.name
            if ours.positional and (
                self.torch.positional_index(ours.name) != target.positional_index(theirs.name)
            ):
                keyword_only.append(ours.name)
            if (
                ours.default is not None
                and not theirs.required
                and not (row is not None and row.defaults_equivalent)
                and not same_default(ours.default, theirs.default)
            ):
                write_defaults[theirs.name] = ours.default
        required = tuple(p.name for p in target.params if p.required and p.name not in covered)
        return Recipe(renames, tuple(keyword_only), write_defaults, tuple(blocked), required)

    def target_id_of(self, mindspore_name: str) -> str | None:
        for target_id, side in self.targets.items():
            if mindspore_name in side.names:
                return target_id
        return None

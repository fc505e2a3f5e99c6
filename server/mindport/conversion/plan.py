"""Plan the rewrite of one torch call into its MindSpore target.

``plan_call`` decides, argument by argument, what happens to a call: kept, renamed, moved to
a keyword because its slot differs, dropped because MindSpore lacks it (silently only when
the value is torch's own default, so nothing changes), or unsupported. It also lists the
arguments the call leaves out whose MindSpore default differs (torch's value gets written
out), and the blockers that make an automatic rewrite impossible. The checks turn a plan
into findings; ``conversion.edits`` writes it as text edits. Arguments are never dropped
without a trace: an unsupported one leaves a ``# TODO(mindport): [MP201]`` line that keeps
the diagnostic alive.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from mindport.analysis.references import Argument, ArgumentKind, CallSite
from mindport.conversion.binding import (
    NOT_A_VALUE,
    BoundCall,
    bind_best,
    choose_overload,
    complete_bindings,
    literal_value,
    positional_index,
    signatures_of,
)
from mindport.kb.model import (
    UNSPECIFIED,
    ApiSide,
    Entry,
    Framework,
    LocalText,
    Note,
    Param,
    ParamKind,
    same_default,
)


class ArgumentAction(enum.Enum):
    KEEP = "keep"
    RENAME = "rename"  # keyword with another name in the target
    KEYWORDIFY = "keywordify"  # positional whose slot differs in the target
    # keyword whose target parameter is positional-only, and whose slot is the next one
    POSITIONALIZE = "positionalize"
    # keyword whose target parameter is positional-only, passed with the default both sides
    # share: left out rather than written by position (``CellDict(None)`` is rejected)
    OMIT_DEFAULT = "omit-default"
    # torch-only, passed with torch's default: dropping it changes nothing
    DROP_DEFAULT = "drop-default"
    # torch-only, and what it does nobody observes in this program (``inplace=True`` on a
    # tensor nothing reads afterwards): dropping it keeps the behaviour
    DROP_UNOBSERVED = "drop-unobserved"
    UNSUPPORTED = "unsupported"  # torch-only with another value: cannot be carried over
    # kept (renamed if needed), but the value means something else in the target
    MEANING_DIFFERS = "meaning-differs"
    # another parameter says the same in other terms: ``unbiased=True`` -> ``correction=1``
    MAP_VALUE = "map-value"


@dataclass(frozen=True, slots=True)
class ArgumentDecision:
    argument: Argument
    torch_param: Param
    target_param: Param | None
    action: ArgumentAction
    as_keyword: bool = False  # a positional argument that must become ``name=value``
    value: str | None = None  # ``MAP_VALUE``: the target's value for the argument's


@dataclass(frozen=True, slots=True)
class OmittedDefault:
    """A parameter the call leaves out whose default differs: torch's value is written."""

    torch_param: Param
    target_param: Param
    unwritable: LocalText | None = None  # why torch's value cannot be written (then it is not)


@dataclass(frozen=True, slots=True)
class PackedArguments:
    """Values torch takes one by one (``*size``) that the target takes as one sequence."""

    arguments: tuple[Argument, ...]
    target_param: Param
    as_keyword: bool


@dataclass(frozen=True, slots=True)
class WrittenValue:
    """A MindSpore-only parameter the converted call must set to behave like torch."""

    target_param: Param
    value: str
    note: LocalText | None
    torch_param: Param | None = None  # the torch parameter left out, whose meaning is written


@dataclass
class CallPlan:
    target_id: str
    target: ApiSide
    decisions: list[ArgumentDecision] = field(default_factory=list)
    omitted: list[OmittedDefault] = field(default_factory=list)
    blockers: list[LocalText] = field(default_factory=list)
    spread: bool = False  # *args/**kwargs at the call site: unknown parameters are filled
    # Reasons the rewrite may change behaviour although it can be written (an unsafe fix).
    cautions: list[LocalText] = field(default_factory=list)
    written: list[WrittenValue] = field(default_factory=list)
    packed: PackedArguments | None = None
    # Behaviour notes that hold for this call and say the converted call fails (or computes
    # something else): the titles, for an unsafe fix that says why.
    breaks: list[LocalText] = field(default_factory=list)
    # Arguments written as the kind the target takes (``LayerNorm(8)`` -> ``LayerNorm((8,))``):
    # the notes saying that the uncoerced value fails no longer hold for them.
    coerced: list[Argument] = field(default_factory=list)
    # A note that holds says the result has another dtype: the MindSpore dtype torch's result
    # has (the checks write the cast, or make the fix unsafe with ``cast_note``).
    cast: str | None = None
    cast_note: LocalText | None = None

    def with_action(self, action: ArgumentAction) -> list[ArgumentDecision]:
        return [d for d in self.decisions if d.action is action]

    @property
    def safe(self) -> bool:
        """Behaviour is kept: nothing unsupported, nothing unknown, nothing that means otherwise."""
        return (
            not self.spread
            and not self.cautions
            and not self.breaks
            and not self.with_action(ArgumentAction.UNSUPPORTED)
            and not self.with_action(ArgumentAction.MEANING_DIFFERS)
        )


def _text(en: str, zh: str) -> LocalText:
    return LocalText(en=en, zh=zh)


def literal_kinds(source: str) -> frozenset[str]:
    """The kinds (``LITERAL_KINDS``) a literal argument is of; empty for any other expression."""
    value = literal_value(source)
    if value is NOT_A_VALUE:
        # ``float('-inf')``: a float whatever its argument
        return frozenset({"float", "number"}) if source.startswith("float(") else frozenset()
    if value is None:
        return frozenset({"none"})
    if isinstance(value, bool):
        return frozenset({"bool"})
    if isinstance(value, int):
        return frozenset({"int", "number"})
    if isinstance(value, float):
        return frozenset({"float", "number"})
    if isinstance(value, str):
        return frozenset({"str"})
    if isinstance(value, tuple):
        return frozenset({"tuple", "sequence"})
    if isinstance(value, list):
        return frozenset({"list", "sequence"})
    return frozenset()


def _as_float(value: object) -> str | None:
    """The float literal for an int literal value (``2`` -> ``2.0``), ``None`` for a value
    that is not an int; a tuple or list of ints element by element."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return repr(float(value))
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple | list) and value:
        items = [_as_float(v) for v in value]
        if any(i is None for i in items):
            return None
        inner = ", ".join(i for i in items if i is not None)
        return (
            f"({inner},)"
            if isinstance(value, tuple) and len(items) == 1
            else (f"({inner})" if isinstance(value, tuple) else f"[{inner}]")
        )
    return None


def coerced_value(kind: str, source: str) -> tuple[str, bool] | None:
    """``source`` written as ``kind`` (``tuple`` or ``float``, a row's ``coerce``): the new
    source and whether the result is certain (a literal), or ``None`` when nothing can be
    written (a literal of another kind). An expression is written on the assumption that it
    holds what torch code usually passes there (an int); the caller says so."""
    value = literal_value(source)
    if kind == "tuple":
        if isinstance(value, tuple | list):
            return source, True
        if isinstance(value, int) and not isinstance(value, bool):
            return f"({source},)", True
        if value is NOT_A_VALUE and not source.startswith(("(", "[", "*")):
            return f"({source},)", False
        return None
    if kind == "float":
        if value is NOT_A_VALUE:
            return source, False
        written = _as_float(value)
        return (written, True) if written is not None else None
    return None


def note_targets(entry: Entry, note: Note) -> tuple[str, ...]:
    """The targets a note is about: its trigger's ``targets``; else those whose API its title
    names ("The classic mindspore.ops.sort returns int32..."); else every target."""
    if note.trigger is not None and note.trigger.targets:
        return note.trigger.targets
    named = tuple(tid for tid, side in entry.targets.items() if side.name in note.title.en)
    return named or tuple(entry.targets)


@dataclass(frozen=True, slots=True)
class TriggeredNote:
    note: Note
    argument: Argument | None  # None: the note is about the call itself


def triggered_notes(
    entry: Entry, bound: BoundCall, target_id: str | None, framework: Framework
) -> Iterator[TriggeredNote]:
    """The behaviour notes that hold for this call, these arguments and this target.

    ``bound`` binds the call to torch's side (``framework`` torch; ``target_id`` is then the
    chosen target, ``None`` for none) or to the target ``target_id`` it calls (MindSpore).
    A note holds when its trigger's argument is passed (with the value ``equals`` names),
    is not a literal of a kind the trigger excludes (``unless``), no parameter the trigger
    wants ``absent`` is passed, and the note is about that target.
    """
    on_target = framework is Framework.MINDSPORE
    side = entry.targets.get(target_id) if on_target and target_id else entry.torch
    if side is None:
        return

    def name_here(torch_name: str) -> str | None:
        if not on_target or target_id is None:
            return torch_name
        row = entry.row_for_torch(torch_name)
        param = row.target_param(target_id) if row else side.param(torch_name)
        return param.name if param else None

    for note in entry.notes:
        trigger = note.trigger
        if trigger is None or framework not in trigger.frameworks:
            continue
        if target_id is not None and target_id not in note_targets(entry, note):
            continue
        argument = None
        if trigger.argument:
            name = name_here(trigger.argument)
            argument = bound.argument(name) if name else None
            if argument is None:
                continue
            if trigger.equals is not None and not same_default(
                argument.value_source, trigger.equals
            ):
                continue
            if literal_kinds(argument.value_source) & set(trigger.unless):
                continue
            if any(same_default(argument.value_source, v) for v in trigger.unless_equals):
                continue
        if any(
            (other := name_here(absent)) is not None and bound.argument(other) is not None
            for absent in trigger.absent
        ):
            continue
        yield TriggeredNote(note, argument)


_VARIADIC = (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD)


def _variadic_in_some_overload(side: ApiSide, name: str) -> bool:
    return any(
        p.name == name and p.kind in _VARIADIC for params in signatures_of(side) for p in params
    )


def _meaning_differs(entry: Entry, target_id: str, torch_param: Param, theirs: Param) -> bool:
    """The value cannot be carried over as it is: the parameter means something else there.

    ``torch_param`` is the parameter of the overload the call bound to. When a verified note
    is triggered by this argument (``requires_grad=False`` on Parameter), the value does carry
    over and the note (MP301) says what changes; the rewrite itself stays safe.
    """
    if any(n.trigger is not None and n.trigger.argument == torch_param.name for n in entry.notes):
        return False
    row = entry.row_for_torch(torch_param.name)
    if row is None or not (row.meaning_differs or target_id in row.meaning_differs_for):
        return False
    # ``*size`` against ``size`` is a difference of kind that overload binding settles: a call
    # passing several values binds ``*size`` (and is blocked), one value carries over.
    target = entry.targets[target_id]
    if _variadic_in_some_overload(entry.torch, torch_param.name) or _variadic_in_some_overload(
        target, theirs.name
    ):
        return (torch_param.kind in _VARIADIC) != (theirs.kind in _VARIADIC)
    return True


def _float_source(source: str) -> str | None:
    """``2`` -> ``2.0``, ``(2, 3)`` -> ``(2.0, 3.0)``; None for anything else (a float
    already, a name, an expression)."""
    value = literal_value(source)
    if type(value) is int:
        return repr(float(value))
    if isinstance(value, (tuple, list)) and value and all(type(v) is int for v in value):
        items = ", ".join(repr(float(v)) for v in value)
        if isinstance(value, list):
            return f"[{items}]"
        return f"({items},)" if len(value) == 1 else f"({items})"
    return None


def _mapped_value(
    entry: Entry, torch_param: Param, argument: Argument, target_id: str
) -> object | None:
    """The target's value for an argument whose row maps values (``unbiased=True`` ->
    ``correction=1``): the value's source, ``NOT_A_VALUE`` for a value the table does not
    list (a name, an expression), ``None`` when the row maps no values. A row whose target
    takes only floats maps int literals to floats (``scale_factor=2`` -> ``2.0``)."""
    row = entry.row_for_torch(torch_param.name)
    if row is not None and target_id in row.floats:
        return _float_source(argument.value_source)
    if row is None or not row.values:
        return None
    for ours, theirs in row.values.items():
        if same_default(argument.value_source, ours):
            return theirs
    return NOT_A_VALUE


def _defaults_equivalent(entry: Entry, torch_param: Param) -> bool:
    row = entry.row_for_torch(torch_param.name)
    return row is not None and row.defaults_equivalent


def _family(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, tuple | list):
        return "sequence"
    return type(value).__name__


def unwritable_default(torch_default: str, target_default: str | None) -> LocalText | None:
    """Why torch's default must not be written into the MindSpore call, if it must not.

    Only a plain value of the same kind as MindSpore's own default keeps behaviour: ``None``
    or ``()`` usually stand for a computed value (``stride=None`` means the kernel size), an
    expression names torch objects, and a value of another kind (torch's ``approximate='none'``
    against MindSpore's ``approximate=True``) means something else there.
    """
    value = literal_value(torch_default)
    if value is NOT_A_VALUE:
        return _text(
            "it is an expression that MindSpore code cannot use",
            "它是 MindSpore 代码无法使用的表达式",
        )
    if value is None or value == () or value == []:
        return _text(
            "in torch it stands for a value computed from other arguments",
            "它在 torch 中代表由其他参数推算出的值",
        )
    theirs = literal_value(target_default)
    if theirs is not NOT_A_VALUE and theirs is not None and _family(theirs) != _family(value):
        return _text(
            f"it is a {_family(value)} in torch but a {_family(theirs)} in MindSpore",
            f"它在 torch 中是 {_family(value)},在 MindSpore 中是 {_family(theirs)}",
        )
    return None


def counterpart(entry: Entry, target_id: str, target: ApiSide, torch_param: Param) -> Param | None:
    row = entry.row_for_torch(torch_param.name)
    if row is not None:
        return row.target_param(target_id)
    return target.param(torch_param.name)  # no row: the generator saw the same name on both sides


def _other_readings(
    call: CallSite, entry: Entry, target_id: str, target: ApiSide, bound: BoundCall
) -> Iterator[LocalText]:
    """Cautions for arguments that another torch overload reads as something the target
    cannot take: ``x.max(y)`` is ``max(dim)`` if ``y`` is an int and the elementwise
    ``max(other)`` if it is a tensor; Python decides by the value's type at run time.

    A literal's type is plain to see, so only names and expressions count.
    """
    if len(entry.torch.overloads) < 2:
        return  # one reading only
    torch_params = {p.name: p for p in entry.torch.params}
    if any(
        name not in torch_params
        or counterpart(entry, target_id, target, torch_params[name]) is None
        for name in bound.by_param
    ):
        return  # the chosen reading is not convertible either: the call's findings say so
    chosen = {id(argument): name for name, argument in bound.by_param.items()}
    others: dict[int, tuple[Argument, list[str]]] = {}  # argument -> other torch readings
    for params, other in complete_bindings(call, entry.torch):
        by_name = {p.name: p for p in params}
        for name, argument in other.by_param.items():
            mine = chosen.get(id(argument))
            if (
                mine is None
                or mine == name
                or literal_value(argument.value_source) is not NOT_A_VALUE
            ):
                continue
            if counterpart(entry, target_id, target, by_name[name]) is not None:
                continue
            names = others.setdefault(id(argument), (argument, []))[1]
            if name not in names:
                names.append(name)
    for argument, names in others.values():
        source, mine = argument.value_source, chosen[id(argument)]
        listed = ", ".join(f"`{n}`" for n in names)
        yield _text(
            f"`{source}` is read as `{mine}`; if it is a value for torch's {listed} instead"
            f" (Python picks by its type), {target.name} has nothing to take it",
            f"`{source}` 按 `{mine}` 理解;若它实际对应 torch 的 {listed}(Python 按类型选择),"
            f"{target.name} 没有对应参数",
        )


def plan_call(
    call: CallSite,
    entry: Entry,
    target_id: str,
    target: ApiSide,
    *,
    receiver_first: bool = False,
    unobserved: frozenset[str] = frozenset(),
) -> CallPlan:
    """``receiver_first``: a method call (``x.abs()``) going to a function (``mint.abs(x)``),
    whose first parameter the receiver fills. ``unobserved``: torch parameters whose effect
    the program never observes (``conversion.inplace``): dropped when the target lacks them."""
    plan = CallPlan(target_id, target)

    def convertible(bound: BoundCall) -> bool:
        names = {p.name: p for p in entry.torch.params}
        return all(
            name in names and counterpart(entry, target_id, target, names[name]) is not None
            for name in bound.by_param
        )

    torch_params, bound = bind_best(call, entry.torch, prefer=convertible)
    plan.spread = bound.spread
    plan.cautions.extend(_other_readings(call, entry, target_id, target, bound))
    for argument in bound.unmatched:
        plan.blockers.append(
            _text(
                f"`{argument.value_source}` does not match any parameter of {entry.torch.name}",
                f"`{argument.value_source}` 不对应 {entry.torch.name} 的任何参数",
            )
        )
    by_name = {p.name: p for p in torch_params}
    owner = {id(argument): name for name, argument in bound.by_param.items()}
    needed = {
        theirs.name
        for name in bound.by_param
        if (theirs := counterpart(entry, target_id, target, by_name[name])) is not None
    }
    target_params = choose_overload(target, needed)
    if receiver_first:
        target_params = target_params[1:]
    pack_into: Param | None = None
    if bound.var_positional and not any(p.kind is ParamKind.VAR_POSITIONAL for p in target_params):
        # ``torch.zeros(2, 3)`` -> ``mint.zeros((2, 3))``: one sequence where torch took values one by one.
        variadic = next((p for p in torch_params if p.kind is ParamKind.VAR_POSITIONAL), None)
        theirs_seq = counterpart(entry, target_id, target, variadic) if variadic else None
        if (
            theirs_seq is not None
            and theirs_seq.kind not in _VARIADIC
            and theirs_seq.name in {p.name for p in target_params}
        ):
            pack_into = theirs_seq
        else:
            plan.blockers.append(
                _text(
                    f"{target.name} does not take a variable number of positional arguments",
                    f"{target.name} 不接受可变数量的位置参数",
                )
            )
    keyword_from_here = False
    slot = 0
    for argument in call.arguments:
        if argument.kind is ArgumentKind.STARRED:
            keyword_from_here = True  # slots after *args are unknown
            continue
        if pack_into is not None and argument is bound.var_positional[0]:
            same_slot = positional_index(target_params, pack_into.name) == slot
            plan.packed = PackedArguments(
                tuple(bound.var_positional), pack_into, not same_slot or keyword_from_here
            )
            keyword_from_here = keyword_from_here or not same_slot
            continue
        name = owner.get(id(argument))
        torch_param = by_name.get(name) if name else None
        if torch_param is None:
            continue
        theirs = counterpart(entry, target_id, target, torch_param)
        is_positional = argument.kind is ArgumentKind.POSITIONAL
        this_slot = slot
        if is_positional:
            slot += 1
        if theirs is None:
            dropped = torch_param.default is not None and same_default(
                argument.value_source, torch_param.default
            )
            if dropped:
                action = ArgumentAction.DROP_DEFAULT
            elif torch_param.name in unobserved:
                action = ArgumentAction.DROP_UNOBSERVED
            else:
                action = ArgumentAction.UNSUPPORTED
            keyword_from_here = keyword_from_here or is_positional
        elif not is_positional and theirs.kind is ParamKind.VAR_POSITIONAL:
            # ``x.view(size=(6,))``: MindSpore's ``*shape`` has no keyword to write it under.
            plan.blockers.append(
                _text(
                    f"`{argument.keyword}=` has no keyword in {target.name}: it takes"
                    f" *{theirs.name} by position",
                    f"`{argument.keyword}=` 在 {target.name} 中没有对应的关键字:"
                    f"它按位置接收 *{theirs.name}",
                )
            )
            action = ArgumentAction.KEEP
        elif (mapped := _mapped_value(entry, torch_param, argument, target_id)) is not None:
            keyword = not is_positional or (
                keyword_from_here
                or theirs.kind is ParamKind.KEYWORD_ONLY
                or positional_index(target_params, theirs.name) != this_slot
            )
            if mapped is NOT_A_VALUE:
                # ``unbiased=flag``: the value is unknown here, so is the target's
                action = ArgumentAction.MEANING_DIFFERS
                plan.decisions.append(
                    ArgumentDecision(argument, torch_param, theirs, action, as_keyword=keyword)
                )
            else:
                plan.decisions.append(
                    ArgumentDecision(
                        argument,
                        torch_param,
                        theirs,
                        ArgumentAction.MAP_VALUE,
                        as_keyword=keyword,
                        value=str(mapped),
                    )
                )
            keyword_from_here = keyword_from_here or keyword
            continue
        elif _meaning_differs(entry, target_id, torch_param, theirs):
            # Written as it is (under the target's name): the fix says it needs review.
            action = ArgumentAction.MEANING_DIFFERS
            same_slot = positional_index(target_params, theirs.name) == this_slot
            if is_positional and (not same_slot or keyword_from_here):
                keyword_from_here = True
                plan.decisions.append(
                    ArgumentDecision(argument, torch_param, theirs, action, as_keyword=True)
                )
                continue
        elif is_positional:
            if positional_index(target_params, theirs.name) == this_slot and not keyword_from_here:
                action = ArgumentAction.KEEP
            elif theirs.kind is ParamKind.POSITIONAL_ONLY:
                plan.blockers.append(
                    _text(
                        f"`{theirs.name}` of {target.name} is positional-only and sits in another slot",
                        f"{target.name} 的 `{theirs.name}` 只能按位置传入,且位置不同",
                    )
                )
                action = ArgumentAction.KEEP
            else:
                keyword_from_here = True
                action = ArgumentAction.KEYWORDIFY
        elif theirs.kind is ParamKind.POSITIONAL_ONLY:
            # ``torch.nansum(x, dim=1)`` -> ``mint.nansum(x, 1)``: possible only while every
            # argument before it is written by position and it fills the next slot.
            if same_default(argument.value_source, torch_param.default) and same_default(
                argument.value_source, theirs.default
            ):
                action = ArgumentAction.OMIT_DEFAULT
                keyword_from_here = True  # its slot stays empty: nothing after it by position
            elif not keyword_from_here and positional_index(target_params, theirs.name) == slot:
                action = ArgumentAction.POSITIONALIZE
                slot += 1
            else:
                plan.blockers.append(
                    _text(
                        f"`{theirs.name}` of {target.name} can only be passed by position,"
                        " and the arguments before it do not fill the slots ahead of it",
                        f"{target.name} 的 `{theirs.name}` 只能按位置传入,而它前面的参数没有占满之前的位置",
                    )
                )
                action = ArgumentAction.KEEP
        else:
            action = (
                ArgumentAction.RENAME if theirs.name != argument.keyword else ArgumentAction.KEEP
            )
            keyword_from_here = True  # nothing after a keyword may be written by position
        row = entry.row_for_torch(torch_param.name)
        kind = row.coerce.get(target_id) if row is not None else None
        if kind is not None and theirs is not None and action is not ArgumentAction.MEANING_DIFFERS:
            coerced = coerced_value(kind, argument.value_source)
            if coerced is not None:
                value, certain = coerced
                plan.coerced.append(argument)
                if not certain:
                    plan.cautions.append(
                        _text(
                            f"{target.name} takes `{theirs.name}` only as a {kind}:"
                            f" `{argument.value_source}` was written as one, assuming it holds"
                            " a single number",
                            f"{target.name} 的 `{theirs.name}` 只接受 {kind}:"
                            f"`{argument.value_source}` 已按此写出,前提是它是单个数值",
                        )
                    )
                if value != argument.value_source:
                    plan.decisions.append(
                        ArgumentDecision(
                            argument,
                            torch_param,
                            theirs,
                            ArgumentAction.MAP_VALUE,
                            as_keyword=not is_positional or action is ArgumentAction.KEYWORDIFY,
                            value=value,
                        )
                    )
                    continue
        plan.decisions.append(ArgumentDecision(argument, torch_param, theirs, action))
    if not plan.spread:
        filled = {d.target_param.name for d in plan.decisions if d.target_param is not None}
        _plan_omitted(plan, entry, torch_params, target_params, bound.by_param, filled)
    written_as = {id(a) for a in plan.coerced}
    for hit in triggered_notes(entry, bound, target_id, Framework.TORCH):
        assert hit.note.trigger is not None
        if hit.argument is not None and id(hit.argument) in written_as:
            continue  # the value is written as the kind the target takes
        if hit.note.trigger.fails:
            # MindPort never writes, as safe, a call that its own note says fails.
            plan.breaks.append(hit.note.title)
        if hit.note.trigger.cast:
            plan.cast, plan.cast_note = hit.note.trigger.cast, hit.note.title
    return plan


def row_source(value: str) -> str | None:
    """``"{kernel_size}"``: a row writes the value of that torch argument of the call."""
    inner = value[1:-1] if value.startswith("{") and value.endswith("}") else ""
    return inner if inner.isidentifier() else None


def _plain(source: str) -> bool:
    """A literal or a dotted name: writing it twice evaluates nothing twice."""
    if literal_value(source) is not NOT_A_VALUE:
        return True
    return all(part.strip().isidentifier() for part in source.split("."))


def _plan_omitted(
    plan: CallPlan,
    entry: Entry,
    torch_params: Sequence[Param],
    target_params: Sequence[Param],
    passed: Mapping[str, Argument],
    filled: set[str],
) -> None:
    """``passed``: the torch parameters the call passes, with their arguments. ``filled``:
    target parameters an argument of the call already sets (``unbiased=True`` sets
    ``correction``, which torch's own ``correction`` would otherwise leave to default)."""
    target = plan.target
    in_overload = {p.name: p for p in target_params}
    covered: set[str] = set()
    for torch_param in torch_params:
        mapped = counterpart(entry, plan.target_id, target, torch_param)
        if mapped is not None:
            covered.add(mapped.name)
        # the chosen target overload's own view of the parameter (defaults differ per overload)
        theirs = in_overload.get(mapped.name) if mapped is not None else None
        if torch_param.name in passed or theirs is None or theirs.name in filled:
            continue
        row = entry.row_for_torch(torch_param.name)
        if row is not None and plan.target_id in row.write:
            continue  # the row says what to write (below)
        if torch_param.kind in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD):
            continue
        if theirs.required and not torch_param.required:
            if (
                unwritable_default(torch_param.default or "None", None) is None
                and torch_param.default != UNSPECIFIED
            ):
                plan.omitted.append(
                    OmittedDefault(torch_param, theirs)
                )  # required there: write torch's value
                continue
            plan.blockers.append(
                _text(
                    f"{target.name} requires `{theirs.name}`, which this call leaves to"
                    f" torch's default ({torch_param.name}={torch_param.default})",
                    f"{target.name} 必须给出 `{theirs.name}`,而本次调用使用了 torch 的默认值"
                    f"({torch_param.name}={torch_param.default})",
                )
            )
        elif (
            torch_param.default is not None
            and not _defaults_equivalent(entry, torch_param)
            and not same_default(torch_param.default, theirs.default)
        ):
            if _meaning_differs(entry, plan.target_id, torch_param, theirs):
                plan.cautions.append(
                    _text(
                        f"`{theirs.name}` means something else in {target.name}; its default was left as it is",
                        f"`{theirs.name}` 在 {target.name} 中含义不同;保留了它的默认值",
                    )
                )
            elif (reason := unwritable_default(torch_param.default, theirs.default)) is not None:
                plan.omitted.append(OmittedDefault(torch_param, theirs, unwritable=reason))
                plan.cautions.append(
                    _text(
                        f"torch's default `{torch_param.name}={torch_param.default}` was not written: {reason.en}",
                        f"未写入 torch 的默认值 `{torch_param.name}={torch_param.default}`:{reason.zh}",
                    )
                )
            else:
                plan.omitted.append(OmittedDefault(torch_param, theirs))
    written: set[str] = set()
    for row in entry.rows:
        value = row.write.get(plan.target_id)
        param = row.target_param(plan.target_id)
        if value is None or param is None or param.name not in in_overload:
            continue
        if param.name in filled or param.name in written:
            continue  # an argument sets it, or another row already writes it
        if row.torch is not None and row.torch.name in passed:
            continue
        when = passed.get(row.write_when) if row.write_when is not None else None
        if row.write_when is not None and (when is None or when.value_source == "None"):
            continue  # written only beside a value for that torch parameter
        if (source := row_source(value)) is not None:
            # ``stride=None`` means "as kernel_size" in torch: the same value is written
            argument = passed.get(source)
            if argument is None or not _plain(argument.value_source):
                plan.blockers.append(
                    _text(
                        f"{target.name} needs `{param.name}` written as this call's"
                        f" `{source}`, which it does not pass as a name or a literal",
                        f"{target.name} 需要把 `{param.name}` 写成本次调用的 `{source}`,"
                        "而本次调用没有以名称或字面量传入它",
                    )
                )
                continue
            value = " ".join(argument.value_source.split())
        written.add(param.name)
        plan.written.append(WrittenValue(param, value, row.note, row.torch))
    for theirs in target_params:
        if theirs.required and theirs.name not in covered:
            plan.blockers.append(
                _text(
                    f"{target.name} requires `{theirs.name}`, which torch does not have",
                    f"{target.name} 必须给出 `{theirs.name}`,torch 没有这个参数",
                )
            )

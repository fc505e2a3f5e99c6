"""Plan and write the rewrite of one torch reference into its MindSpore target.

``plan_call`` decides, argument by argument, what happens to a call: kept, renamed, moved to
a keyword because its slot differs, dropped because MindSpore lacks it (silently only when
the value is torch's own default, so nothing changes), or unsupported. It also lists the
arguments the call leaves out whose MindSpore default differs (torch's value gets written
out), and the blockers that make an automatic rewrite impossible. The checks turn a plan
into findings; ``conversion_edits`` turns it into text edits. Arguments are never dropped
without a trace: an unsupported one leaves a ``# TODO(mindport): [MP201]`` line that keeps
the diagnostic alive.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from mindport.analysis.binding import (
    NOT_A_VALUE,
    BoundCall,
    bind_best,
    choose_overload,
    complete_bindings,
    literal_value,
    positional_index,
    signatures_of,
)
from mindport.analysis.references import Argument, ArgumentKind, CallSite, Reference, ReferenceKind
from mindport.analysis.static_pass import ModuleImports
from mindport.fixes.imports import add_import_edit, spell
from mindport.kb.model import (
    UNSPECIFIED,
    ApiKind,
    ApiSide,
    Entry,
    LocalText,
    Param,
    ParamKind,
    same_default,
)
from mindport.text import Position, SourceLines, Span, TextEdit

TODO_MARKER = "TODO(mindport)"


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
    UNSUPPORTED = "unsupported"  # torch-only with another value: cannot be carried over
    # kept (renamed if needed), but the value means something else in the target
    MEANING_DIFFERS = "meaning-differs"


@dataclass(frozen=True, slots=True)
class ArgumentDecision:
    argument: Argument
    torch_param: Param
    target_param: Param | None
    action: ArgumentAction
    as_keyword: bool = False  # a positional argument that must become ``name=value``


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

    def with_action(self, action: ArgumentAction) -> list[ArgumentDecision]:
        return [d for d in self.decisions if d.action is action]

    @property
    def safe(self) -> bool:
        """Behaviour is kept: nothing unsupported, nothing unknown, nothing that means otherwise."""
        return (
            not self.spread
            and not self.cautions
            and not self.with_action(ArgumentAction.UNSUPPORTED)
            and not self.with_action(ArgumentAction.MEANING_DIFFERS)
        )


def _text(en: str, zh: str) -> LocalText:
    return LocalText(en=en, zh=zh)


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
    call: CallSite, entry: Entry, target_id: str, target: ApiSide, *, receiver_first: bool = False
) -> CallPlan:
    """``receiver_first``: a method call (``x.abs()``) going to a function (``mint.abs(x)``),
    whose first parameter the receiver fills."""
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
            action = ArgumentAction.DROP_DEFAULT if dropped else ArgumentAction.UNSUPPORTED
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
        plan.decisions.append(ArgumentDecision(argument, torch_param, theirs, action))
    if not plan.spread:
        _plan_omitted(plan, entry, torch_params, target_params, set(bound.by_param))
    return plan


def _plan_omitted(
    plan: CallPlan,
    entry: Entry,
    torch_params: Sequence[Param],
    target_params: Sequence[Param],
    passed: set[str],
) -> None:
    target = plan.target
    in_overload = {p.name: p for p in target_params}
    covered: set[str] = set()
    for torch_param in torch_params:
        mapped = counterpart(entry, plan.target_id, target, torch_param)
        if mapped is not None:
            covered.add(mapped.name)
        # the chosen target overload's own view of the parameter (defaults differ per overload)
        theirs = in_overload.get(mapped.name) if mapped is not None else None
        if torch_param.name in passed or theirs is None:
            continue
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
    for row in entry.rows:
        value = row.write.get(plan.target_id)
        param = row.target_param(plan.target_id)
        if value is not None and param is not None and param.name in in_overload:
            plan.written.append(WrittenValue(param, value, row.note))
    for theirs in target_params:
        if theirs.required and theirs.name not in covered:
            plan.blockers.append(
                _text(
                    f"{target.name} requires `{theirs.name}`, which torch does not have",
                    f"{target.name} 必须给出 `{theirs.name}`,torch 没有这个参数",
                )
            )


def _comma_after(lines: SourceLines, position: Position) -> Span | None:
    """The comma that follows ``position`` across spaces only (no comment, no newline)."""
    line = lines.line(position.line)
    column = position.column
    while column < len(line) and line[column] in " \t":
        column += 1
    if column < len(line) and line[column] == ",":
        return Span(Position(position.line, column), Position(position.line, column + 1))
    return None


def _deletions(lines: SourceLines, call: CallSite, indexes: list[int]) -> list[Span]:
    """What to delete to remove the arguments at ``indexes`` with their commas, never a comment.

    Adjacent arguments are removed as one run, so the deletions never overlap.
    """
    arguments = call.arguments
    runs: list[list[int]] = []
    for index in sorted(indexes):
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    spans: list[Span] = []
    for run in runs:
        first, last = run[0], run[-1]
        candidates = []
        if last + 1 < len(arguments):
            candidates.append(Span(arguments[first].span.start, arguments[last + 1].span.start))
        if first > 0:
            candidates.append(Span(arguments[first - 1].span.end, arguments[last].span.end))
        if first == 0 and last + 1 == len(arguments):
            candidates.append(Span(arguments[first].span.start, call.close_paren.start))
        clean = next((c for c in candidates if "#" not in lines.text_of(c)), None)
        if clean is not None:
            spans.append(clean)
            continue
        # Comments in between: remove each argument with the comma right after it, or else
        # the comma right after the argument before; the comments stay where they are.
        for index in run:
            argument = arguments[index]
            after = _comma_after(lines, argument.span.end)
            if after is not None:
                spans.append(Span(argument.span.start, after.end))
                continue
            spans.append(argument.span)
            before = _comma_after(lines, arguments[index - 1].span.end) if index > 0 else None
            if before is not None and index - 1 not in run:
                spans.append(before)
    return spans


def conversion_edits(
    plan: CallPlan,
    reference: Reference,
    imports: ModuleImports,
    lines: SourceLines,
    statement_start: Position | None,
) -> list[TextEdit]:
    """The edits that carry out ``plan`` (the caller checks ``plan.blockers`` first)."""
    if reference.kind is ReferenceKind.MEMBER:
        edits = _member_edits(plan.target, reference, imports, lines)
    else:
        callee, needs_import = spell(plan.target.name, imports)
        edits = [TextEdit(reference.span, callee)]
        if needs_import:
            edits.append(add_import_edit(plan.target.name.split(".", 1)[0], imports, lines))
    call = reference.call
    if call is None:
        return edits
    dropped: list[ArgumentDecision] = []
    removed: list[int] = []
    for decision in plan.decisions:
        argument = decision.argument
        renamed = decision.action in (ArgumentAction.RENAME, ArgumentAction.MEANING_DIFFERS)
        if (
            renamed
            and argument.keyword_span
            and decision.target_param
            and decision.target_param.name != argument.keyword
        ):
            edits.append(TextEdit(argument.keyword_span, decision.target_param.name))
        elif (
            decision.action is ArgumentAction.KEYWORDIFY or decision.as_keyword
        ) and decision.target_param:
            start = argument.span.start
            edits.append(TextEdit(Span(start, start), f"{decision.target_param.name}="))
        elif decision.action is ArgumentAction.POSITIONALIZE:
            edits.append(TextEdit(Span(argument.span.start, argument.value_span.start), ""))
        elif decision.action is ArgumentAction.OMIT_DEFAULT:
            removed.append(call.arguments.index(argument))
        elif decision.action in (ArgumentAction.DROP_DEFAULT, ArgumentAction.UNSUPPORTED):
            dropped.append(decision)
            removed.append(call.arguments.index(argument))
    edits.extend(TextEdit(span, "") for span in _deletions(lines, call, removed))
    if plan.packed is not None:
        first, last = plan.packed.arguments[0], plan.packed.arguments[-1]
        values = Span(first.span.start, last.span.end)
        single = "," if len(plan.packed.arguments) == 1 else ""
        name = f"{plan.packed.target_param.name}=" if plan.packed.as_keyword else ""
        edits.append(TextEdit(values, f"{name}({lines.text_of(values)}{single})"))
    writable = [o for o in plan.omitted if o.unwritable is None]
    added = [f"{o.target_param.name}={o.torch_param.default}" for o in writable]
    added += [f"{w.target_param.name}={w.value}" for w in plan.written]
    if added:
        additions = ", ".join(added)
        kept = [a for a in call.arguments if not any(d.argument is a for d in dropped)]
        if kept:
            position = kept[-1].span.end
            edits.append(TextEdit(Span(position, position), ", " + additions))
        else:
            position = call.close_paren.start
            edits.append(TextEdit(Span(position, position), additions))
    unsupported = [d for d in dropped if d.action is ArgumentAction.UNSUPPORTED]
    if unsupported and statement_start is not None:
        line = lines.line(statement_start.line)
        indent = line[: statement_start.column]
        ending = line[len(line.rstrip("\r\n")) :] or imports.line_ending
        for decision in unsupported:
            quoted = _one_line(lines.text_of(decision.argument.span))
            text = (
                f"{indent}# {TODO_MARKER}: [MP201] `{quoted}`"
                f" was removed: {plan.target.name} has no `{decision.torch_param.name}`{ending}"
            )
            line_start = Position(statement_start.line, 0)
            edits.append(TextEdit(Span(line_start, line_start), text))
    return edits


def _one_line(source: str) -> str:
    """An argument's text for a comment: a comment ends at the first line break, so each run
    of white space (line breaks of every kind among it) becomes one space."""
    return " ".join(source.replace("\x00", " ").split())


def method_to_attribute(
    reference: Reference, entry: Entry, target: ApiSide, lines: SourceLines
) -> tuple[list[TextEdit], list[LocalText]]:
    """``x.size()`` -> ``x.shape`` and ``x.size(1)`` -> ``x.shape[1]``: a torch method that
    MindSpore offers as an attribute (``x.dim()`` -> ``x.ndim``). Returns the edits, or the
    reasons this call cannot become an attribute access."""
    call = reference.call
    assert call is not None
    name = target.name.rsplit(".", 1)[-1]
    whole = Span(reference.span.start, call.span.end)
    if not call.arguments:
        return [TextEdit(whole, name)], []
    _, bound = bind_best(call, entry.torch)
    if len(call.arguments) == 1 and list(bound.by_param) == ["dim"]:
        return [TextEdit(whole, f"{name}[{call.arguments[0].value_source}]")], []
    return [], [
        _text(
            f"{target.name} is an attribute, and this call's arguments have no place on it",
            f"{target.name} 是属性,本次调用的参数无处可放",
        )
    ]


def _member_edits(
    target: ApiSide, reference: Reference, imports: ModuleImports, lines: SourceLines
) -> list[TextEdit]:
    """``x.view(...)``: the member is renamed when MindSpore's method has another name.

    A target that is a function rather than a method (``x.abs()`` -> ``mint.abs(x)``) moves the
    receiver into the call: ``plan_call`` has already set the first parameter aside for it.
    """
    if target.kind is not ApiKind.FUNCTION:
        new_name = target.name.rsplit(".", 1)[-1]
        return (
            []
            if new_name == lines.text_of(reference.span)
            else [TextEdit(reference.span, new_name)]
        )
    call, receiver = reference.call, reference.receiver
    assert call is not None and receiver is not None  # plan_call blocks the other cases
    function, needs_import = spell(target.name, imports)
    opening = lines.text.index("(", lines.offset(reference.span.end))
    open_end = _position_at(lines, opening + 1)
    separator = ", " if call.arguments else ""
    edits = [
        TextEdit(
            Span(receiver.start, open_end), f"{function}({lines.text_of(receiver)}{separator}"
        ),
    ]
    if needs_import:
        edits.append(add_import_edit(target.name.split(".", 1)[0], imports, lines))
    return edits


def _position_at(lines: SourceLines, offset: int) -> Position:
    return lines.position(offset)  # lines end at \n, \r\n and \r alike


def call_still_parses(edits: list[TextEdit], call: CallSite | None, lines: SourceLines) -> bool:
    """Cheap safety net: the rewritten call, parsed on its own, is still an expression."""
    if call is None:
        return True
    start, end = lines.offset(call.span.start), lines.offset(call.span.end)
    pieces = sorted(
        (lines.offset(e.span.start), lines.offset(e.span.end), e.new_text)
        for e in edits
        if call.span.start <= e.span.start and e.span.end <= call.span.end
    )
    out, cursor = [], start
    for a, b, new_text in pieces:
        out += [lines.text[cursor:a], new_text]
        cursor = b
    out.append(lines.text[cursor:end])
    try:
        ast.parse("(\n" + "".join(out) + "\n)", mode="eval")
    except SyntaxError:
        return False
    return True

"""Rewrite one torch reference into its MindSpore target, argument by argument.

The plan is computed from the knowledge entry: parameter rows say what each torch argument
is called in the target, and whether a positional argument still lands in the same slot.
Arguments are never dropped. When something cannot be carried over, there is no fix and
the blockers say why.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from mindport.analysis.binding import bind_call
from mindport.analysis.references import ArgumentKind, CallSite, Reference
from mindport.analysis.static_pass import ModuleImports
from mindport.fixes.imports import add_import_edit, spell
from mindport.kb.model import ApiSide, Entry, LocalText, Param, ParamKind, same_default
from mindport.text import SourceLines, Span, TextEdit


@dataclass
class Conversion:
    edits: list[TextEdit] = field(default_factory=list)
    blockers: list[LocalText] = field(default_factory=list)
    needs_review: bool = False  # the call spreads *args/**kwargs: a fix is offered, not preferred

    @property
    def possible(self) -> bool:
        return not self.blockers and bool(self.edits)


def _counterpart(entry: Entry, target_id: str, target: ApiSide, torch_param: Param) -> Param | None:
    row = entry.row_for_torch(torch_param.name)
    if row is not None:
        return row.target_param(target_id)
    return target.param(torch_param.name)  # no row: the generator saw the same name on both sides


def _blocker(en: str, zh: str) -> LocalText:
    return LocalText(en=en, zh=zh)


def convert_reference(
    reference: Reference,
    entry: Entry,
    target_id: str,
    target: ApiSide,
    imports: ModuleImports,
    lines: SourceLines,
) -> Conversion:
    conversion = Conversion()
    callee, needs_import = spell(target.name, imports)
    conversion.edits.append(TextEdit(reference.span, callee))
    if needs_import:
        conversion.edits.append(add_import_edit(target.name.split(".", 1)[0], imports, lines))
    call = reference.call
    if call is None:
        return conversion

    bound = bind_call(call, entry.torch)
    conversion.needs_review = bound.spread
    for argument in bound.unmatched:
        conversion.blockers.append(
            _blocker(
                f"`{argument.value_source}` does not match any parameter of {entry.torch.name}",
                f"`{argument.value_source}` 不对应 {entry.torch.name} 的任何参数",
            )
        )

    keyword_from_here = False
    positional_index = 0
    for argument in call.arguments:
        if argument.kind is ArgumentKind.STARRED:
            keyword_from_here = True  # slots after *args are unknown; stop reasoning about them
            continue
        if argument.kind is ArgumentKind.DOUBLE_STARRED:
            continue
        param_name = next((n for n, a in bound.by_param.items() if a is argument), None)
        torch_param = entry.torch.param(param_name) if param_name else None
        if torch_param is None:
            continue
        theirs = _counterpart(entry, target_id, target, torch_param)
        if theirs is None:
            conversion.blockers.append(
                _blocker(
                    f"`{torch_param.name}` has no counterpart in {target.name}",
                    f"{target.name} 没有与 `{torch_param.name}` 对应的参数",
                )
            )
            continue
        if argument.kind is ArgumentKind.POSITIONAL:
            same_slot = target.positional_index(theirs.name) == positional_index
            positional_index += 1
            if same_slot and not keyword_from_here:
                continue
            keyword_from_here = True
            if theirs.kind is ParamKind.POSITIONAL_ONLY:
                conversion.blockers.append(
                    _blocker(
                        f"`{theirs.name}` of {target.name} is positional-only"
                        " and moves to another slot",
                        f"{target.name} 的 `{theirs.name}` 只能按位置传入,且位置不同",
                    )
                )
                continue
            start = argument.span.start
            conversion.edits.append(TextEdit(Span(start, start), f"{theirs.name}="))
        elif argument.keyword_span is not None and theirs.name != argument.keyword:
            conversion.edits.append(TextEdit(argument.keyword_span, theirs.name))

    if not bound.spread:
        _carry_defaults(entry, target_id, target, bound.by_param.keys(), call, conversion)
    return conversion


def _carry_defaults(
    entry: Entry,
    target_id: str,
    target: ApiSide,
    passed_names: Collection[str],
    call: CallSite,
    conversion: Conversion,
) -> None:
    """Omitted arguments: write torch's default where MindSpore's differs; flag required ones."""
    covered: set[str] = set()
    additions: list[str] = []
    for torch_param in entry.torch.params:
        theirs = _counterpart(entry, target_id, target, torch_param)
        if theirs is not None:
            covered.add(theirs.name)
        if torch_param.name in passed_names or theirs is None:
            continue
        if torch_param.kind in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD):
            continue
        if theirs.required and not torch_param.required:
            conversion.blockers.append(
                _blocker(
                    f"{target.name} requires `{theirs.name}`, which this call leaves to"
                    f" torch's default ({torch_param.name}={torch_param.default})",
                    f"{target.name} 必须给出 `{theirs.name}`,而本次调用使用了 torch 的默认值"
                    f"({torch_param.name}={torch_param.default})",
                )
            )
        elif (
            not same_default(torch_param.default, theirs.default)
            and torch_param.default is not None
        ):
            additions.append(f"{theirs.name}={torch_param.default}")
    for theirs in target.params:
        if theirs.required and theirs.name not in covered:
            conversion.blockers.append(
                _blocker(
                    f"{target.name} requires `{theirs.name}`, which torch does not have",
                    f"{target.name} 必须给出 `{theirs.name}`,torch 没有这个参数",
                )
            )
    if additions:
        last = call.arguments[-1].span.end if call.arguments else None
        if last is None:
            position = call.close_paren.start
            conversion.edits.append(TextEdit(Span(position, position), ", ".join(additions)))
        else:
            conversion.edits.append(TextEdit(Span(last, last), ", " + ", ".join(additions)))

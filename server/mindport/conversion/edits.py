"""Write a conversion plan as text edits: the callee, the receiver moved into a function call,
renamed, keyword-ified, positionalized, dropped and packed arguments, values written out, and a
``# TODO(mindport): [MP201]`` line above the statement for each argument that cannot be carried
over (it keeps the diagnostic alive after the fix)."""

from __future__ import annotations

import ast

from mindport.analysis.references import CallSite, Reference, ReferenceKind
from mindport.analysis.static_pass import ModuleImports
from mindport.conversion.binding import bind_best
from mindport.conversion.imports import add_import_edit, spell
from mindport.conversion.plan import ArgumentAction, ArgumentDecision, CallPlan
from mindport.kb.model import ApiKind, ApiSide, Entry, LocalText
from mindport.text import Position, SourceLines, Span, TextEdit

TODO_MARKER = "TODO(mindport)"


def _text(en: str, zh: str) -> LocalText:
    return LocalText(en=en, zh=zh)


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
        if decision.action is ArgumentAction.MAP_VALUE and decision.target_param:
            name = f"{decision.target_param.name}=" if decision.as_keyword else ""
            edits.append(TextEdit(argument.span, f"{name}{decision.value}"))
        elif (
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
        elif decision.action in (
            ArgumentAction.DROP_DEFAULT,
            ArgumentAction.DROP_UNOBSERVED,
            ArgumentAction.UNSUPPORTED,
        ):
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


def _one_line(source: str) -> str:
    """An argument's text for a comment: a comment ends at the first line break, so each run
    of white space (line breaks of every kind among it) becomes one space."""
    return " ".join(source.replace("\x00", " ").split())


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

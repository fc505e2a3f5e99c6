"""Turn resolved references into findings: what to port, what the call's arguments do in
MindSpore, and what behaves differently. Every finding on a call shares that call's fix."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from mindport.analysis.comments import Comments, parse_comments
from mindport.analysis.findings import Confidence, Finding
from mindport.analysis.mindspore_members import mindspore_members
from mindport.analysis.references import CallSite, Reference, ReferenceKind
from mindport.analysis.rules import (
    BEHAVIOUR_DIFFERS,
    CHECKPOINT_PAIR,
    DEFAULT_DIFFERS,
    MODULE_SUBCLASS,
    NO_EQUIVALENT,
    NOT_ANALYSED,
    POSSIBLE_TENSOR_METHOD,
    RENAMED_ARGUMENT,
    REPLACEMENT_AVAILABLE,
    RULES,
    TRAINING_STEP,
    UNSUPPORTED_ARGUMENT,
    Rule,
    effective_severity,
)
from mindport.analysis.statements import StatementIndex
from mindport.analysis.static_pass import StaticResult, node_span
from mindport.analysis.syntax import walk
from mindport.analysis.torch_types import NAMED_TUPLE_FIELDS, TENSOR_FUNCTIONS, named_tuple_api
from mindport.conversion.binding import bind_call
from mindport.conversion.class_conversion import forward_calls, module_subclass_fix
from mindport.conversion.devices import DEFAULT_DEVICES, TargetChoice, choose_target
from mindport.conversion.edits import call_still_parses, conversion_edits, method_to_attribute
from mindport.conversion.evidence import no_kernel_for_call, values_of_call, verified_for_call
from mindport.conversion.fix import Fix
from mindport.conversion.imports import add_import_edit, spell
from mindport.conversion.inplace import InplaceReading
from mindport.conversion.plan import (
    ArgumentAction,
    ArgumentDecision,
    CallPlan,
    plan_call,
    triggered_notes,
)
from mindport.kb.loader import KnowledgeBase
from mindport.kb.model import (
    SUMMARY_NOTE_IDS,
    ApiKind,
    ApiSide,
    Entry,
    Framework,
    Locale,
)
from mindport.text import Position, Span, TextEdit
from mindport.training import release_claimed, training_findings


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    locale: Locale = "en"
    target: str = "mint"  # "mint" or "classic": the MindSpore namespace fixes write
    rules: Mapping[str, str] = field(default_factory=dict)  # severity per code (the setting)
    devices: tuple[str, ...] = DEFAULT_DEVICES  # where the ported code must run (the setting)


def _t(locale: Locale, en: str, zh: str) -> str:
    return zh if locale == "zh" else en


def _finding(
    rule: Rule, span: Span, message: str, entry: Entry, mindspore: str | None, fix: Fix | None
) -> Finding:
    return Finding(
        code=rule.code,
        severity=rule.severity,
        span=span,
        message=message,
        torch_api=entry.torch.name,
        mindspore_api=mindspore,
        confidence=Confidence.CONFIRMED,
        entry_id=entry.id,
        fix=fix,
    )


def _moved_argument(decision: ArgumentDecision, target: str) -> tuple[str, str] | None:
    """What the fix does to an argument that changes how it is passed (English, Chinese)."""
    argument, theirs = decision.argument, decision.target_param
    if theirs is None:
        return None
    passed = f"{argument.keyword}={argument.value_source}"
    if decision.action is ArgumentAction.KEYWORDIFY:
        return (
            f"`{argument.value_source}` becomes `{theirs.name}=`: the slot it fills is another"
            f" parameter in {target}.",
            f"`{argument.value_source}` 需改为 `{theirs.name}=`:它在 {target} 中的位置对应另一个参数。",
        )
    if decision.action is ArgumentAction.POSITIONALIZE:
        return (
            f"`{passed}` is passed by position: {target} takes `{theirs.name}` only by position.",
            f"`{passed}` 改为按位置传入:{target} 的 `{theirs.name}` 只能按位置传入。",
        )
    if decision.action is ArgumentAction.OMIT_DEFAULT:
        return (
            f"`{passed}` is left out: it is the default on both sides, and {target} takes"
            f" `{theirs.name}` only by position.",
            f"省略 `{passed}`:两边默认值相同,且 {target} 的 `{theirs.name}` 只能按位置传入。",
        )
    return None


@dataclass(frozen=True, slots=True)
class _ResultUse:
    """How the code uses a call's result (``_Checker._result_uses``)."""

    kind: str  # "field" (``.values``), "index" (``[1]``), "unpack" (``a, b = ...``), "cast"
    span: Span | None = None  # field: from the call's end to the end of ``.values``
    field: str | None = None
    at: Position | None = None  # index: the end of ``[1]``; unpack: the statement's end
    index: int | None = None
    indent: str = ""
    name: str | None = None  # unpack: the second name (None: not a plain name)


class _Checker:
    """The checks for one analysed document."""

    def __init__(self, static: StaticResult, kb: KnowledgeBase, options: AnalysisOptions) -> None:
        self.static = static
        self.kb = kb
        self.options = options
        self.lines = static.parsed.lines

    @property
    def locale(self) -> Locale:
        return self.options.locale

    @cached_property
    def statements(self) -> StatementIndex:
        return StatementIndex(self.static.parsed.tree, self.lines)

    # -- torch references ------------------------------------------------------------------

    def choose(self, entry: Entry, call: CallSite | None) -> TargetChoice | None:
        """The target a fix writes for this call, given the ``target`` and ``devices``
        settings and what the equivalence suite found for the arguments it passes."""
        return choose_target(
            entry,
            self.options.target,
            self.options.devices,
            self.kb.verification(entry.id),
            values_of_call(call, entry),
        )

    @cached_property
    def inplace(self) -> InplaceReading:
        """The document read for who observes a tensor changed in place."""
        by_call: dict[Span, tuple[str, str]] = {}
        for reference in self.static.references:
            if reference.call is None:
                continue
            if reference.framework is Framework.TORCH:
                by_call.setdefault(reference.call.span, (reference.name, reference.kind.value))
                continue
            # a call converted already (fix-all works in rounds): read as its torch API
            for entry in self.kb.entries_for_mindspore(reference.name):
                by_call.setdefault(reference.call.span, (entry.torch.name, reference.kind.value))

        def names(node: ast.Call) -> tuple[str, str] | None:
            return by_call.get(node_span(self.lines, node))

        return InplaceReading(self.static.parsed.tree, names)

    @cached_property
    def calls_by_span(self) -> dict[Span, ast.Call]:
        return {
            node_span(self.lines, node): node
            for node in walk(self.static.parsed.tree)
            if isinstance(node, ast.Call)
        }

    def _unobserved(self, reference: Reference, entry: Entry) -> frozenset[str]:
        """Torch parameters this call passes whose effect nobody observes (``inplace``)."""
        call = reference.call
        if call is None or reference.kind is not ReferenceKind.NAME:
            return frozenset()
        bound = bind_call(call, entry.torch)
        if bound.argument("inplace") is None:
            return frozenset()
        node = self.calls_by_span.get(call.span)
        if node is None:
            return frozenset()
        if entry.torch.kind is ApiKind.CLASS:
            unobserved = self.inplace.layer_unobserved(node)
        else:
            first = entry.torch.params[0].name if entry.torch.params else None
            argument = bound.argument(first) if first else None
            values = [*node.args, *(k.value for k in node.keywords)]
            tensor = next(
                (
                    v
                    for v in values
                    if argument is not None and node_span(self.lines, v) == argument.value_span
                ),
                None,
            )
            unobserved = self.inplace.call_unobserved(node, tensor)
        return frozenset({"inplace"}) if unobserved else frozenset()

    def torch_findings(self, reference: Reference, entry: Entry) -> list[Finding]:
        choice = self.choose(entry, reference.call)
        if choice is None:
            return [self._no_equivalent(reference, entry)]
        target_id, target = choice.target_id, choice.target
        locale = self.locale
        if (
            reference.call is not None
            and reference.kind is ReferenceKind.MEMBER
            and target.kind is ApiKind.ATTRIBUTE
        ):
            return self._attribute_findings(reference, entry, target_id, target)
        if reference.call is None:
            plan = None
            fix = self._fix(reference, CallPlan(target_id, target), target)
        else:
            receiver_first = (
                reference.kind is ReferenceKind.MEMBER and target.kind is ApiKind.FUNCTION
            )
            plan = plan_call(
                reference.call,
                entry,
                target_id,
                target,
                receiver_first=receiver_first,
                unobserved=self._unobserved(reference, entry),
            )
            if choice.missing is not None:
                plan.breaks.append(choice.missing)
            fix = self._with_result(reference, entry, plan, self._fix(reference, plan, target))
        headline = _t(
            locale,
            f"{entry.torch.name} has a MindSpore counterpart: {target.name}",
            f"{entry.torch.name} 在 MindSpore 中对应 {target.name}",
        )
        details = []
        if choice.instead_of is not None:
            details.append(
                _t(
                    locale,
                    f"Written as {target.name}: {choice.instead_of} has no CPU kernel, and"
                    " `devices` lists cpu.",
                    f"写作 {target.name}:{choice.instead_of} 没有 CPU 实现,而 `devices` 包含 cpu。",
                )
            )
        if plan is not None:
            for decision in plan.decisions:
                detail = _moved_argument(decision, target.name)
                if detail is not None:
                    details.append(_t(locale, *detail))
            for caution in plan.cautions:
                details.append(caution.get(locale) + ".")
            details.extend(self._caveats(entry, target_id, target, reference.call))
            if plan.blockers:
                reasons = "; ".join(b.get(locale) for b in plan.blockers)
                details.append(
                    _t(locale, f"No automatic fix: {reasons}.", f"无法自动修复:{reasons}。")
                )
        arguments = (
            list(self._argument_findings(reference, entry, plan, fix)) if plan is not None else []
        )
        if (
            reference.kind is ReferenceKind.MEMBER
            and fix is not None
            and not fix.edits
            and not arguments
            and not (plan and plan.blockers)
        ):
            # ``x.view(12)`` works unchanged on a MindSpore tensor: nothing to port here (the
            # hover still shows the comparison), unless the entry's notes say it behaves
            # differently (``x.argmin()`` returns int32): then that is what to report.
            notes = list(self._target_notes(entry, target_id, target))
            notes += [caution.get(locale) + "." for caution in plan.cautions] if plan else []
            if choice.missing is not None:
                notes.append(choice.missing.get(locale) + ".")
            if not notes:
                return []
            message = _t(
                locale,
                f"{entry.torch.name} runs unchanged as {target.name}, but behaves differently:",
                f"{entry.torch.name} 可原样作为 {target.name} 运行,但行为不同:",
            )
            return [
                _finding(
                    BEHAVIOUR_DIFFERS,
                    reference.span,
                    "\n".join([message, *notes]),
                    entry,
                    target.name,
                    None,
                )
            ]
        if fix is not None and not fix.edits:
            fix = None
        replacement = replace(
            _finding(
                REPLACEMENT_AVAILABLE,
                reference.span,
                "\n".join([headline, *details]),
                entry,
                target.name,
                fix,
            ),
            off_device=choice.missing is not None,
        )
        return [replacement, *(replace(f, fix=fix) for f in arguments)]

    def _target_notes(self, entry: Entry, target_id: str, target: ApiSide) -> Iterator[str]:
        """``Note: <title>`` for each behaviour note of the entry that no argument triggers."""
        # Notes are written per entry; one that names another target only concerns that one.
        others = {side.name for tid, side in entry.targets.items() if tid != target_id}
        for note in entry.notes:
            if note.trigger is not None or note.id in SUMMARY_NOTE_IDS:
                continue
            title = note.title.en
            if target.name not in title and any(name in title for name in others):
                continue
            yield _t(self.locale, "Note: ", "注意:") + note.title.get(self.locale)

    def _caveats(
        self, entry: Entry, target_id: str, target: ApiSide, call: CallSite | None
    ) -> Iterator[str]:
        """What the call's own findings do not say: behaviour notes that no argument triggers,
        and what running both frameworks found for this target and these arguments (no CPU
        kernel, say)."""
        locale = self.locale
        mentioned_cpu = False
        for note in self._target_notes(entry, target_id, target):
            mentioned_cpu = mentioned_cpu or "CPU" in note
            yield note
        if mentioned_cpu or "cpu" in self.options.devices:
            return  # the target choice already says it (another target, or an unsafe fix)
        verification = self.kb.verification(entry.id)
        values = values_of_call(call, entry)
        if verification is None or not no_kernel_for_call(entry, verification, target_id, values):
            return
        on_cpu = [
            t.api
            for tid, t in verification.targets.items()
            if tid != target_id and verified_for_call(entry, verification, tid, values)
        ]
        version = verification.versions.get("mindspore", "")
        if on_cpu:
            yield _t(
                locale,
                f"{target.name} has no CPU kernel in MindSpore {version}; {on_cpu[0]} runs on CPU (add 'cpu' to `devices` to have it written).",
                f"{target.name} 在 MindSpore {version} 中没有 CPU 实现;{on_cpu[0]} 可以在 CPU 上运行(在 `devices` 中加入 'cpu' 即会改写为它)。",
            )
        else:
            yield _t(
                locale,
                f"{target.name} has no CPU kernel in MindSpore {version}.",
                f"{target.name} 在 MindSpore {version} 中没有 CPU 实现。",
            )

    def _attribute_findings(
        self, reference: Reference, entry: Entry, target_id: str, target: ApiSide
    ) -> list[Finding]:
        """A torch method that MindSpore has as an attribute: ``x.size()`` -> ``x.shape``."""
        edits, blockers = method_to_attribute(reference, entry, target, self.lines)
        locale = self.locale
        message = _t(
            locale,
            f"{entry.torch.name} has a MindSpore counterpart: {target.name} (an attribute, not a method)",
            f"{entry.torch.name} 在 MindSpore 中对应 {target.name}(属性,不是方法)",
        )
        if blockers:
            reasons = "; ".join(b.get(locale) for b in blockers)
            message += "\n" + _t(
                locale, f"No automatic fix: {reasons}.", f"无法自动修复:{reasons}。"
            )
        fix = None
        if edits:
            title = _t(locale, f"Replace with {target.name}", f"替换为 {target.name}")
            fix = Fix(title=title, edits=tuple(edits), safe=True)
        return [_finding(REPLACEMENT_AVAILABLE, reference.span, message, entry, target.name, fix)]

    def _fix(self, reference: Reference, plan: CallPlan, target: ApiSide) -> Fix | None:
        if plan.blockers:
            return None
        moves_receiver = reference.kind is ReferenceKind.MEMBER and target.kind is ApiKind.FUNCTION
        if moves_receiver and (reference.call is None or reference.receiver is None):
            return None  # ``x.T`` cannot become a function call without a call to build on
        needs_statement = bool(plan.with_action(ArgumentAction.UNSUPPORTED))
        statement = self.statements.comment_line_start(reference.span) if needs_statement else None
        if needs_statement and statement is None:
            return None
        edits = conversion_edits(plan, reference, self.static.imports, self.lines, statement)
        if not call_still_parses(edits, reference.call, self.lines):
            return None
        locale = self.locale
        title = self._fix_title(reference, plan, target, moves_receiver)
        unsupported = plan.with_action(ArgumentAction.UNSUPPORTED)
        if unsupported:
            names = ", ".join(f"`{d.torch_param.name}`" for d in unsupported)
            title += _t(
                locale,
                f" (unsafe: removes {names}, leaves a TODO)",
                f"(不安全:删除 {names},并留下 TODO)",
            )
        elif differing := plan.with_action(ArgumentAction.MEANING_DIFFERS):
            names = ", ".join(f"`{d.torch_param.name}`" for d in differing)
            title += _t(
                locale,
                f" (unsafe: {names} means something else there)",
                f"(不安全:{names} 含义不同)",
            )
        elif plan.breaks:
            reason = plan.breaks[0].get(locale)
            title += _t(locale, f" (unsafe: {reason})", f"(不安全:{reason})")
        elif plan.cautions:
            title += _t(locale, " (unsafe: review the defaults)", "(不安全:请检查默认值)")
        elif plan.spread:
            title += _t(
                locale, " (unsafe: review *args/**kwargs)", "(不安全:请检查 *args/**kwargs)"
            )
        return Fix(title=title, edits=tuple(edits), safe=plan.safe)

    @cached_property
    def _result_uses(self) -> dict[Position, _ResultUse]:
        """How a call's result is used, keyed by where the call ends: ``("field", (span,
        name))`` for ``<call>.values`` (the span from the call's end), ``("index", (end, i))``
        for ``<call>[i]``, ``("unpack", (statement end, indent, name))`` for ``a, b = <call>``
        (the second name)."""
        uses: dict[Position, _ResultUse] = {}
        tree = self.static.parsed.tree
        cast_already: set[int] = set()  # ids of nodes followed by ``.astype(...)``
        recast: set[tuple[int, str]] = set()  # ``name = name.astype(...)``: (line, name)
        for node in walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "astype":
                cast_already.add(id(node.value))
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Attribute)
                and node.value.func.attr == "astype"
                and isinstance(node.value.func.value, ast.Name)
                and node.value.func.value.id == node.targets[0].id
            ):
                recast.add((node.lineno, node.targets[0].id))
        for node in walk(tree):
            if isinstance(node, ast.Call) and id(node) in cast_already:
                uses[node_span(self.lines, node).end] = _ResultUse("cast")
            elif (
                isinstance(node, ast.Attribute)
                and node.attr in NAMED_TUPLE_FIELDS
                and isinstance(node.value, ast.Call)
            ):
                call = node_span(self.lines, node.value)
                span = Span(call.end, node_span(self.lines, node).end)
                uses[call.end] = _ResultUse("field", span=span, field=node.attr)
            elif (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Call)
                and isinstance(node.slice, ast.Constant)
                and type(node.slice.value) is int
            ):
                call = node_span(self.lines, node.value)
                if id(node) in cast_already:
                    uses[call.end] = _ResultUse("cast")
                else:
                    at = node_span(self.lines, node).end
                    uses[call.end] = _ResultUse("index", at=at, index=node.slice.value)
            elif (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Tuple)
                and len(node.targets[0].elts) == 2
                and isinstance(node.value, ast.Call)
            ):
                second = node.targets[0].elts[1]
                statement = node_span(self.lines, node)
                line = self.lines.line(statement.start.line)
                indent = line[: len(line) - len(line.lstrip())]
                name = second.id if isinstance(second, ast.Name) else None
                call = node_span(self.lines, node.value)
                if name is not None and ((node.end_lineno or node.lineno) + 1, name) in recast:
                    uses[call.end] = _ResultUse("cast")
                else:
                    uses[call.end] = _ResultUse(
                        "unpack", at=statement.end, indent=indent, name=name
                    )
        return uses

    def _with_result(
        self, reference: Reference, entry: Entry, plan: CallPlan, fix: Fix | None
    ) -> Fix | None:
        """What the fix does to the call's result: ``x.min(dim=0).values`` ->
        ``x.min(dim=0)[0]`` (MindSpore returns a plain tuple where torch returns a named one,
        and indexing reads both the same), and the cast a note asks for
        (``.astype(mindspore.int64)`` on bucketize's result or topk's indices). A cast that
        cannot be written makes the fix unsafe."""
        if fix is None or reference.call is None:
            return fix
        pair = named_tuple_api(entry.torch.name)
        use = self._result_uses.get(reference.call.close_paren.end)
        edits = list(fix.edits)
        title, safe = fix.title, fix.safe
        locale = self.locale
        cast = ""
        needs_import = False
        if plan.cast is not None:
            dtype, needs_import = spell(f"mindspore.{plan.cast}", self.static.imports)
            cast = f".astype({dtype})"
        end = reference.call.close_paren.end
        cast_written = False
        kind = use.kind if use is not None else None
        if use is None:
            pass
        elif kind == "cast":
            cast = ""  # cast already (a fix written before)
        elif pair and kind == "field" and use.span is not None and use.field is not None:
            span, field_name = use.span, use.field
            index = NAMED_TUPLE_FIELDS[field_name]
            text = f"[{index}]" + (cast if index == 1 else "")
            cast_written = index == 1 and bool(cast)
            edits.append(TextEdit(span, text))
            title += _t(
                locale,
                f"; `.{field_name}` read as `[{index}]`",
                f";`.{field_name}` 改为 `[{index}]`",
            )
            if index == 0:
                cast = ""  # the values keep their dtype
        if cast and not cast_written and not pair:
            edits.append(TextEdit(Span(end, end), cast))
            cast_written = True
        elif cast and use is not None and use.kind == "index" and use.at is not None:
            if use.index == 1:
                edits.append(TextEdit(Span(use.at, use.at), cast))
                cast_written = True
            else:
                cast = ""  # the values keep their dtype
        elif cast and use is not None and use.kind == "unpack" and use.at is not None:
            if use.name == "_":
                cast = ""  # the indices are thrown away
            elif use.name is not None:
                newline = self.static.imports.line_ending
                text = f"{newline}{use.indent}{use.name} = {use.name}{cast}"
                edits.append(TextEdit(Span(use.at, use.at), text))
                cast_written = True
        if cast_written:
            if needs_import:
                edit = add_import_edit("mindspore", self.static.imports, self.lines)
                if edit not in edits:
                    edits.append(edit)
            title += _t(
                locale,
                f"; result cast to {plan.cast} as in torch",
                f";结果转换为 {plan.cast},与 torch 一致",
            )
        elif cast and plan.cast_note is not None:
            safe = False
            title += _t(
                locale,
                f" (unsafe: {plan.cast_note.en})",
                f"(不安全:{plan.cast_note.zh})",
            )
        if edits == list(fix.edits) and title == fix.title and safe == fix.safe:
            return fix
        return replace(fix, edits=tuple(edits), title=title, safe=safe)

    def _fix_title(
        self, reference: Reference, plan: CallPlan, target: ApiSide, moves_receiver: bool
    ) -> str:
        """Say what the edit does: a method MindSpore spells the same way (``model.to``) keeps
        its name, so the title names the argument changes instead of a replacement."""
        locale = self.locale
        same_name = (
            reference.kind is ReferenceKind.MEMBER
            and not moves_receiver
            and self.lines.text_of(reference.span) == target.name.rsplit(".", 1)[-1]
        )
        if not same_name:
            return _t(locale, f"Replace with {target.name}", f"替换为 {target.name}")
        en: list[str] = []
        zh: list[str] = []
        for decision in plan.decisions:
            name = decision.torch_param.name
            theirs = decision.target_param.name if decision.target_param else name
            if decision.action is ArgumentAction.RENAME:
                en.append(f"rename `{name}=` to `{theirs}=`")
                zh.append(f"将 `{name}=` 改名为 `{theirs}=`")
            elif decision.as_keyword or decision.action is ArgumentAction.KEYWORDIFY:
                en.append(f"pass `{theirs}=` by name")
                zh.append(f"按名称传入 `{theirs}=`")
            elif decision.action in (
                ArgumentAction.DROP_DEFAULT,
                ArgumentAction.DROP_UNOBSERVED,
                ArgumentAction.OMIT_DEFAULT,
            ):
                en.append(f"drop `{name}`")
                zh.append(f"删除 `{name}`")
        for omitted in plan.omitted:
            if omitted.unwritable is None:
                en.append(f"add `{omitted.target_param.name}={omitted.torch_param.default}`")
                zh.append(f"添加 `{omitted.target_param.name}={omitted.torch_param.default}`")
        for written in plan.written:
            en.append(f"add `{written.target_param.name}={written.value}`")
            zh.append(f"添加 `{written.target_param.name}={written.value}`")
        if not en:
            return _t(locale, f"Adapt the call to {target.name}", f"按 {target.name} 调整调用")
        return _t(
            locale,
            f"Adapt the call to {target.name}: {', '.join(en)}",
            f"按 {target.name} 调整调用:{'、'.join(zh)}",
        )

    def _argument_findings(
        self, reference: Reference, entry: Entry, plan: CallPlan, fix: Fix | None
    ) -> Iterator[Finding]:
        locale = self.locale
        target = plan.target
        triggered = {n.trigger.argument for n in entry.notes if n.trigger is not None}
        for decision in plan.decisions:
            argument = decision.argument
            if (
                decision.action is ArgumentAction.MEANING_DIFFERS
                and decision.torch_param.name not in triggered
            ):
                row = entry.row_for_torch(decision.torch_param.name)
                assert decision.target_param is not None
                message = _t(
                    locale,
                    f"`{decision.torch_param.name}` means something else in {target.name}"
                    f" (`{decision.target_param.name}` there).",
                    f"`{decision.torch_param.name}` 在 {target.name} 中含义不同"
                    f"(对应 `{decision.target_param.name}`)。",
                )
                if row is not None and row.note is not None:
                    message += "\n" + row.note.get(locale)
                yield _finding(BEHAVIOUR_DIFFERS, argument.span, message, entry, target.name, fix)
            if decision.action is ArgumentAction.MAP_VALUE:
                assert decision.target_param is not None
                was = argument.value_source
                if argument.keyword:
                    was = f"{argument.keyword}={was}"
                now = f"{decision.target_param.name}={decision.value}"
                yield _finding(
                    RENAMED_ARGUMENT,
                    argument.span,
                    _t(
                        locale,
                        f"`{was}` is `{now}` in {target.name} (the same meaning in other terms).",
                        f"`{was}` 在 {target.name} 中写作 `{now}`(含义相同,写法不同)。",
                    ),
                    entry,
                    target.name,
                    fix,
                )
            elif decision.action is ArgumentAction.RENAME and argument.keyword_span is not None:
                assert decision.target_param is not None
                yield _finding(
                    RENAMED_ARGUMENT,
                    argument.keyword_span,
                    _t(
                        locale,
                        f"`{argument.keyword}` is called `{decision.target_param.name}` in {target.name}.",
                        f"`{argument.keyword}` 在 {target.name} 中名为 `{decision.target_param.name}`。",
                    ),
                    entry,
                    target.name,
                    fix,
                )
            elif decision.action in (
                ArgumentAction.UNSUPPORTED,
                ArgumentAction.DROP_DEFAULT,
                ArgumentAction.DROP_UNOBSERVED,
            ):
                name = decision.torch_param.name
                if decision.action is ArgumentAction.DROP_UNOBSERVED:
                    message = _t(
                        locale,
                        f"{target.name} has no `{name}`; nothing reads the input this call"
                        " changes in place afterwards, so the fix drops it.",
                        f"{target.name} 没有 `{name}` 参数;此调用原地修改的输入之后不再被使用,"
                        "修复时会删除它。",
                    )
                elif decision.action is ArgumentAction.DROP_DEFAULT:
                    message = _t(
                        locale,
                        f"{target.name} has no `{name}`; this call passes torch's default, so the fix drops it.",
                        f"{target.name} 没有 `{name}` 参数;本次调用传的是 torch 的默认值,修复时会删除它。",
                    )
                else:
                    message = _t(
                        locale,
                        f"{target.name} has no `{name}`: `{argument.value_source}` cannot be carried over.",
                        f"{target.name} 没有 `{name}` 参数:`{argument.value_source}` 无法迁移。",
                    )
                yield _finding(
                    UNSUPPORTED_ARGUMENT, argument.span, message, entry, target.name, fix
                )
        for written in plan.written:
            name = written.target_param.name
            if written.torch_param is not None:
                ours = written.torch_param
                message = _t(
                    locale,
                    f"This call leaves `{ours.name}` to torch's default, which means"
                    f" {name}={written.value}; {target.name} must be told: the fix writes it.",
                    f"本次调用使用 torch 的 `{ours.name}` 默认值,其含义是 {name}={written.value};"
                    f"{target.name} 需要显式给出:修复会写入它。",
                )
                if written.note is not None:
                    message += "\n" + written.note.get(locale)
                yield _finding(DEFAULT_DIFFERS, reference.span, message, entry, target.name, fix)
                continue
            message = _t(
                locale,
                f"{target.name}'s `{name}` defaults to {written.target_param.default}, which torch does not"
                f" do; the fix writes {name}={written.value}.",
                f"{target.name} 的 `{name}` 默认为 {written.target_param.default},torch 没有这种行为;"
                f"修复会写入 {name}={written.value}。",
            )
            if written.note is not None:
                message += "\n" + written.note.get(locale)
            yield _finding(DEFAULT_DIFFERS, reference.span, message, entry, target.name, fix)
        for omitted in plan.omitted:
            ours, theirs = omitted.torch_param, omitted.target_param
            message = _t(
                locale,
                f"`{ours.name}` is left out: torch's default is {ours.default},"
                f" {target.name}'s `{theirs.name}` defaults to {theirs.default}.",
                f"省略了 `{ours.name}`:torch 默认为 {ours.default},"
                f"{target.name} 的 `{theirs.name}` 默认为 {theirs.default}。",
            )
            if omitted.unwritable is None:
                message += _t(locale, " The fix writes torch's value.", "修复会写明 torch 的取值。")
            else:
                message += _t(
                    locale,
                    f" The fix cannot write torch's value ({omitted.unwritable.en}): choose one.",
                    f"修复无法写入 torch 的取值({omitted.unwritable.zh}):请自行选择。",
                )
            yield _finding(DEFAULT_DIFFERS, reference.span, message, entry, target.name, fix)

    def possible_finding(self, reference: Reference) -> Finding:
        """A name-only guess (``POSSIBLE``): MP401, a hint that is off by default."""
        message = _t(
            self.locale,
            f"`{self.lines.text_of(reference.span)}` may be {reference.name}: MindPort could not"
            " tell the type of the value before the dot.",
            f"`{self.lines.text_of(reference.span)}` 可能是 {reference.name}:MindPort"
            "无法确定点号前面的值的类型。",
        )
        return Finding(
            code=POSSIBLE_TENSOR_METHOD.code,
            severity=POSSIBLE_TENSOR_METHOD.severity,
            span=reference.span,
            message=message,
            torch_api=reference.name,
            mindspore_api=None,
            confidence=Confidence.POSSIBLE,
        )

    def _no_equivalent(self, reference: Reference, entry: Entry) -> Finding:
        message = _t(
            self.locale,
            f"{entry.torch.name} has no MindSpore equivalent.",
            f"{entry.torch.name} 在 MindSpore 中没有对应接口。",
        )
        if entry.workaround is not None:
            message += "\n" + entry.workaround.get(self.locale)
        return _finding(NO_EQUIVALENT, reference.span, message, entry, None, None)

    # -- behaviour notes ---------------------------------------------------------------------

    def behaviour_findings(self, reference: Reference, entry: Entry) -> Iterator[Finding]:
        """Notes that hold for this call, its arguments and its target: for a torch call the
        target the fix writes, for a MindSpore call the API it calls (never its torch
        counterpart's other targets)."""
        call = reference.call
        if call is None:
            return
        if reference.framework is Framework.TORCH:
            side: ApiSide | None = entry.torch
            chosen = self.choose(entry, call)
            target_id = chosen.target_id if chosen else None
        else:
            target_id = entry.target_id_of(reference.name)
            side = entry.targets.get(target_id) if target_id else None
            if target_id is None:
                return
        if side is None:
            return
        bound = bind_call(call, side)
        for hit in triggered_notes(entry, bound, target_id, reference.framework):
            assert hit.note.trigger is not None
            trigger = hit.note.trigger
            if reference.framework is Framework.MINDSPORE and not (trigger.fails or trigger.native):
                # MindSpore code is read as MindSpore: "returns int32 where torch returns
                # int64" compares with torch; a note that the call fails, or one its authors
                # say holds for MindSpore code too, is about the call itself.
                continue
            yield _finding(
                BEHAVIOUR_DIFFERS,
                hit.argument.span if hit.argument is not None else reference.span,
                hit.note.title.get(self.locale),
                entry,
                side.name if reference.framework is Framework.MINDSPORE else None,
                None,
            )

    def kernel_findings(self, reference: Reference, entry: Entry) -> Iterator[Finding]:
        """A MindSpore call (converted or native) that has no kernel on a listed device: what
        running it found (``x.clone()`` on a mindspore.Tensor raises on CPU in 2.10)."""
        if reference.call is None or "cpu" not in self.options.devices:
            return
        verification = self.kb.verification(entry.id)
        if verification is None:
            return
        for check in verification.targets.values():
            if check.api != reference.name or check.kind != "no-cpu-kernel":
                continue
            version = verification.versions.get("mindspore", "")
            yield _finding(
                BEHAVIOUR_DIFFERS,
                reference.span,
                _t(
                    self.locale,
                    f"{reference.name} has no CPU kernel in MindSpore {version}, and `devices`"
                    " lists cpu: it raises when it runs there.",
                    f"{reference.name} 在 MindSpore {version} 中没有 CPU 实现,而 `devices`"
                    " 包含 cpu:它在 CPU 上运行时会报错。",
                ),
                entry,
                reference.name,
                None,
            )
            return

    def returns_tensor(self, name: str) -> bool:
        """A MindSpore function whose torch counterpart returns a tensor (``mint.zeros``)."""
        return any(e.torch.name in TENSOR_FUNCTIONS for e in self.kb.entries_for_mindspore(name))

    # -- classes -------------------------------------------------------------------------------

    def class_findings(self, references: list[Reference]) -> Iterator[tuple[Finding, Reference]]:
        """``class Net(nn.Module)``: one MP501 per base, replacing that base's MP101."""
        by_span = {
            r.span: r for r in references if r.framework is Framework.TORCH and not r.is_import
        }
        tree = self.static.parsed.tree
        forward: list[frozenset[Span]] = []  # the file's ``x.forward`` spans, found once

        def file_forward_calls() -> frozenset[Span]:
            if not forward:
                forward.append(frozenset(forward_calls(tree, self.static)))
            return forward[0]

        for node in walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for base in node.bases:
                reference = by_span.get(node_span(self.lines, base))
                entry = self.kb.entry_for_torch(reference.name) if reference else None
                if reference is None or entry is None or entry.torch.name != "torch.nn.Module":
                    continue
                chosen = entry.choose_target(self.options.target)
                if chosen is None:
                    continue
                target = chosen[1]
                fix = module_subclass_fix(
                    node, reference, target.name, self.static, self.locale, file_forward_calls
                )
                message = _t(
                    self.locale,
                    f"{node.name} subclasses torch.nn.Module: derive it from {target.name}"
                    " and rename forward() to construct().",
                    f"{node.name} 继承自 torch.nn.Module:请改为继承 {target.name},"
                    "并把 forward() 改名为 construct()。",
                )
                yield (
                    _finding(MODULE_SUBCLASS, reference.span, message, entry, target.name, fix),
                    reference,
                )


def _policy(
    findings: Iterable[Finding], comments: Comments, options: AnalysisOptions
) -> list[Finding]:
    """Apply the ``rules`` setting and ``# mindport: ignore`` comments."""
    kept: list[Finding] = []
    for finding in findings:
        severity = effective_severity(finding.code, dict(options.rules))
        if severity is None or comments.suppresses(finding.code, finding.span.start.line):
            continue
        kept.append(
            finding if severity is finding.severity else replace(finding, severity=severity)
        )
    return kept


def _todo_findings(comments: Comments, locale: Locale) -> Iterator[Finding]:
    for todo in comments.todos:
        rule = RULES.get(todo.code)
        if rule is None or todo.code not in _TODO_CODES:
            continue
        yield Finding(
            code=rule.code,
            severity=rule.severity,
            span=todo.span,
            message=_t(
                locale, f"Left by a MindPort fix: {todo.text}", f"MindPort 修复时留下:{todo.text}"
            ),
            torch_api=None,
            mindspore_api=None,
            confidence=Confidence.CONFIRMED,
        )


def _syntax_findings(static: StaticResult, locale: Locale) -> Iterator[Finding]:
    """One finding for the first syntax error: the file says that part of it was skipped."""
    lines = static.parsed.lines
    for problem in static.parsed.problems[:1]:
        line = min(problem.line, max(len(lines) - 1, 0))
        text = lines.line(line).rstrip("\r\n")
        start = len(text) - len(text.lstrip())
        span = Span.of(line, start, line, max(len(text), start))
        yield Finding(
            code=NOT_ANALYSED.code,
            severity=NOT_ANALYSED.severity,
            span=span,
            message=_t(
                locale,
                f"Syntax error ({problem.message}): MindPort skipped the broken statement and"
                " analysed the rest of the file.",
                f"语法错误({problem.message}):MindPort 跳过了出错的语句,文件的其余部分照常分析。",
            ),
            torch_api=None,
            mindspore_api=None,
            confidence=Confidence.CONFIRMED,
        )


_TODO_CODES = frozenset({UNSUPPORTED_ARGUMENT.code, TRAINING_STEP.code, CHECKPOINT_PAIR.code})


def _inside_calls_that_stay(
    findings: list[Finding], staying: list[Reference], locale: Locale
) -> list[Finding]:
    """Nothing is rewritten, as safe, inside the arguments of a torch call that stays torch:
    ``torch.ones(2, device=d, dtype=torch.bool)`` keeps ``torch.bool`` (``mindspore.bool_``
    there would run in neither framework). Such a fix becomes unsafe and says why."""
    regions = [(r.span.end, r.call.span.end, r.name) for r in staying if r.call is not None]
    changed: dict[int, Fix] = {}

    def outer(span: Span) -> str | None:
        for start, end, name in regions:
            if start <= span.start and span.end <= end:
                return name
        return None

    result = []
    for finding in findings:
        fix = finding.fix
        if fix is None or not fix.safe or (name := outer(finding.span)) is None:
            result.append(finding)
            continue
        if id(fix) not in changed:
            changed[id(fix)] = replace(
                fix,
                title=fix.title
                + _t(
                    locale,
                    f" (unsafe: inside {name}, which stays torch)",
                    f"(不安全:位于仍是 torch 的 {name} 调用之中)",
                ),
                safe=False,
            )
        result.append(replace(finding, fix=changed[id(fix)]))
    return result


def findings_for(
    static: StaticResult,
    references: Iterable[Reference],
    kb: KnowledgeBase,
    options: AnalysisOptions,
) -> list[Finding]:
    checker = _Checker(static, kb, options)
    references = list(references)
    findings: list[Finding] = []
    seen: set[tuple[str, Span, str]] = set()

    def add(finding: Finding) -> None:
        key = (finding.code, finding.span, finding.message)
        if key not in seen:
            seen.add(key)
            findings.append(finding)

    staying: list[Reference] = []  # torch calls that no safe fix converts
    class_bases: set[Span] = set()
    for finding, reference in checker.class_findings(references):
        add(finding)
        class_bases.add(reference.span)
    for reference in references:
        if reference.is_import or reference.span in class_bases:
            continue
        if reference.confidence is Confidence.POSSIBLE:
            add(checker.possible_finding(reference))
            continue
        if reference.framework is Framework.TORCH:
            entry = kb.entry_for_torch(reference.name)
            entries = [entry] if entry is not None else []
        else:
            entries = kb.entries_for_mindspore(reference.name)
        for entry in entries:
            if reference.framework is Framework.TORCH:
                own = checker.torch_findings(reference, entry)
                if (
                    reference.call is not None
                    and own
                    and not any(f.fix and f.fix.safe for f in own)
                ):
                    staying.append(reference)
                for finding in own:
                    add(finding)
            for finding in checker.behaviour_findings(reference, entry):
                add(finding)
            if reference.framework is Framework.MINDSPORE:
                for finding in checker.kernel_findings(reference, entry):
                    add(finding)
    member_findings, member_references = mindspore_members(
        static, options.locale, checker.returns_tensor
    )
    for finding in member_findings:
        add(finding)
    for reference in member_references:
        for entry in kb.entries_for_mindspore(reference.name):
            for finding in checker.behaviour_findings(reference, entry):
                add(finding)
            for finding in checker.kernel_findings(reference, entry):
                add(finding)
    training, claimed = training_findings(static, options.locale)  # MP601, MP602 (issue 12)
    findings = release_claimed(findings, claimed)
    for finding in training:
        add(finding)
    if staying:
        findings = _inside_calls_that_stay(findings, staying, options.locale)
    comments = parse_comments(static.parsed.lines.text)
    for finding in _todo_findings(comments, options.locale):
        add(finding)
    if references:  # a half-typed line in a file MindPort has nothing to say about stays quiet
        for finding in _syntax_findings(static, options.locale):
            add(finding)
    result = _policy(findings, comments, options)
    result.sort(key=lambda f: (f.span.start, f.code))
    return result

"""Turn resolved references into findings: what to port, and what behaves differently."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mindport.analysis.binding import bind_call
from mindport.analysis.findings import Confidence, Finding
from mindport.analysis.references import Reference
from mindport.analysis.rules import BEHAVIOUR_DIFFERS, REPLACEMENT_AVAILABLE
from mindport.analysis.static_pass import ModuleImports
from mindport.fixes.call_conversion import convert_reference
from mindport.fixes.model import Fix
from mindport.kb.loader import KnowledgeBase
from mindport.kb.model import ApiSide, Entry, Framework, Locale, RowDiff, same_default
from mindport.text import SourceLines


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    locale: Locale = "en"
    target: str = "mint"  # "mint" or "classic": the MindSpore namespace fixes write


def _t(locale: Locale, en: str, zh: str) -> str:
    return zh if locale == "zh" else en


def _replacement(
    reference: Reference,
    entry: Entry,
    kb_imports: ModuleImports,
    lines: SourceLines,
    options: AnalysisOptions,
) -> Finding | None:
    chosen = entry.choose_target(options.target)
    if chosen is None:
        return None
    target_id, target = chosen
    locale = options.locale
    message = _t(
        locale,
        f"{entry.torch.name} has a MindSpore counterpart: {target.name}",
        f"{entry.torch.name} 在 MindSpore 中对应 {target.name}",
    )
    details = list(_renamed_in_call(reference, entry, target_id, target, locale))
    conversion = convert_reference(reference, entry, target_id, target, kb_imports, lines)
    if conversion.blockers:
        reasons = "; ".join(b.get(locale) for b in conversion.blockers)
        details.append(_t(locale, f"No automatic fix: {reasons}.", f"无法自动修复:{reasons}。"))
    fix = None
    if conversion.possible:
        title = _t(locale, f"Replace with {target.name}", f"替换为 {target.name}")
        if conversion.needs_review:
            title += _t(
                locale, " (unsafe: review *args/**kwargs)", "(不安全:请检查 *args/**kwargs)"
            )
        fix = Fix(title=title, edits=tuple(conversion.edits), safe=not conversion.needs_review)
    return Finding(
        code=REPLACEMENT_AVAILABLE.code,
        severity=REPLACEMENT_AVAILABLE.severity,
        span=reference.span,
        message="\n".join([message, *details]),
        torch_api=entry.torch.name,
        mindspore_api=target.name,
        confidence=Confidence.CONFIRMED,
        entry_id=entry.id,
        fix=fix,
    )


def _renamed_in_call(
    reference: Reference, entry: Entry, target_id: str, target: ApiSide, locale: Locale
) -> Iterator[str]:
    if reference.call is None:
        return
    bound = bind_call(reference.call, entry.torch)
    for name, argument in bound.by_param.items():
        if argument.keyword is None:
            continue  # passed by position: the name does not appear in this call
        row = entry.row_for_torch(name)
        theirs = row.target_param(target_id) if row else None
        if row is not None and theirs is not None and RowDiff.RENAMED in row.diffs(target_id):
            yield _t(
                locale,
                f"`{name}` is called `{theirs.name}` in {target.name}.",
                f"`{name}` 在 {target.name} 中名为 `{theirs.name}`。",
            )


def _behaviour(reference: Reference, entry: Entry, locale: Locale) -> Iterator[Finding]:
    """Notes whose trigger matches an argument this call passes explicitly."""
    call = reference.call
    if call is None:
        return
    if reference.framework is Framework.TORCH:
        side: ApiSide | None = entry.torch
        target_id = None
    else:
        target_id = entry.target_id_of(reference.name)
        side = entry.targets.get(target_id) if target_id else None
    if side is None:
        return
    bound = bind_call(call, side)
    for note in entry.notes:
        trigger = note.trigger
        if trigger is None or reference.framework not in trigger.frameworks:
            continue
        name: str | None = trigger.argument
        if target_id is not None:
            row = entry.row_for_torch(trigger.argument)
            param = row.target_param(target_id) if row else side.param(trigger.argument)
            name = param.name if param else None
        argument = bound.argument(name) if name else None
        if argument is None:
            continue
        if trigger.equals is not None and not same_default(argument.value_source, trigger.equals):
            continue
        yield Finding(
            code=BEHAVIOUR_DIFFERS.code,
            severity=BEHAVIOUR_DIFFERS.severity,
            span=argument.span,
            message=note.title.get(locale),
            torch_api=entry.torch.name,
            mindspore_api=side.name if target_id else None,
            confidence=Confidence.CONFIRMED,
            entry_id=entry.id,
        )


def findings_for(
    references: Iterable[Reference],
    kb: KnowledgeBase,
    imports: ModuleImports,
    lines: SourceLines,
    options: AnalysisOptions,
) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[tuple[str, object, str]] = set()
    for reference in references:
        if reference.is_import:
            continue
        if reference.framework is Framework.TORCH:
            entry = kb.entry_for_torch(reference.name)
            entries = [entry] if entry is not None else []
        else:
            entries = kb.entries_for_mindspore(reference.name)
        for entry in entries:
            produced: list[Finding] = []
            if reference.framework is Framework.TORCH:
                replacement = _replacement(reference, entry, imports, lines, options)
                if replacement is not None:
                    produced.append(replacement)
            produced.extend(_behaviour(reference, entry, options.locale))
            for finding in produced:
                key = (finding.code, finding.span, finding.message)
                if key not in seen:
                    seen.add(key)
                    findings.append(finding)
    findings.sort(key=lambda f: (f.span.start, f.code))
    return findings

"""Notes written from the computed differences, in English and Simplified Chinese.

Each sentence is a template filled with names and defaults that come from the snapshots,
so it is exactly as accurate as the signatures are. Behaviour that signatures cannot show
is written by hand in ``knowledge/curated/`` and verified by running both frameworks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mindport.conversion.plan import unwritable_default
from mindport.kb.generate.compare import GENERAL_TORCH_ONLY
from mindport.kb.model import (
    UNSPECIFIED,
    ApiSide,
    Category,
    LocalText,
    Note,
    Param,
    ParamKind,
    ParamRow,
    RowDiff,
)

_VARIADIC = (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD)

KIND_WORDS = {
    "function": ("a function", "函数"),
    "method": ("a method", "方法"),
    "class": ("a class", "类"),
    "attribute": ("an attribute", "属性"),
}

_TITLES = {
    Category.BEHAVIOUR_DIFFERS: (
        "{t} works differently from {s}",
        "{t} 与 {s} 的用法不同",
    ),
    Category.TORCH_ONLY_PARAMETERS: (
        "Some arguments of {s} have no counterpart in {t}",
        "{s} 的部分参数在 {t} 中没有对应参数",
    ),
    Category.DEFAULTS_DIFFER: (
        "{t} uses other defaults than {s}",
        "{t} 的默认值与 {s} 不同",
    ),
    Category.PARAMETER_NAMES_DIFFER: (
        "{t} spells some parameters differently",
        "{t} 中部分参数的名称不同",
    ),
    Category.MINDSPORE_ONLY_PARAMETERS: (
        "{t} takes parameters that {s} does not have",
        "{t} 有 {s} 没有的参数",
    ),
}


def _value(default: str | None) -> str:
    return "no single default" if default == UNSPECIFIED else f"{default}"


def _names(names: Sequence[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _names_zh(names: Sequence[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return "、".join(quoted[:-1]) + " 和 " + quoted[-1]


def _writable(ours: Param, theirs: Param | None) -> bool:
    """Does the quick-fix write torch's default into a call that leaves the argument out?

    The same test as ``fixes.call_conversion``: only a plain value of the kind MindSpore's own
    default has (``None`` or an expression stands for something computed or torch-specific).
    """
    if ours.default is None or ours.default == UNSPECIFIED:
        return False
    return unwritable_default(ours.default, theirs.default if theirs else None) is None


def difference_sentences(
    rows: Sequence[ParamRow], target_id: str, target: ApiSide
) -> tuple[list[str], list[str]]:
    """What the parameter differences mean for a converted call, grouped by kind.

    The card's table already lists every row; these sentences say what follows from them
    (what the quick-fix does, what it cannot do), once per kind of difference, and only what
    is true for this entry: "the fix writes torch's value" only where it does.
    """
    blocked: list[str] = []
    renamed: list[tuple[str, str]] = []
    written: list[tuple[str, str, str]] = []
    unwritten: list[tuple[str, str, str]] = []
    required_written: list[tuple[str, str]] = []
    required_by_hand: list[tuple[str, str]] = []
    new_required: list[str] = []
    new_optional: list[str] = []
    by_position: list[str] = []
    for row in rows:
        diffs = row.diffs(target_id)
        ours, theirs = row.torch, row.targets.get(target_id)
        if ours is not None and theirs is None:
            if ours.name not in GENERAL_TORCH_ONLY:
                blocked.append(ours.render() if ours.kind in _VARIADIC else ours.name)
            continue
        if ours is None and theirs is not None:
            if theirs.required and theirs.kind not in _VARIADIC:
                new_required.append(theirs.name)
            elif theirs.kind is not ParamKind.VAR_KEYWORD:
                new_optional.append(theirs.render() if theirs.kind in _VARIADIC else theirs.name)
            continue
        if ours is None or theirs is None:
            continue
        if RowDiff.RENAMED in diffs:
            renamed.append((ours.name, theirs.name))
        meaning = RowDiff.MEANING_DIFFERS in diffs
        if RowDiff.DEFAULT_DIFFERS in diffs and not meaning:
            item = (ours.name, _value(ours.default), _value(theirs.default))
            (written if _writable(ours, theirs) else unwritten).append(item)
        if RowDiff.REQUIRED_IN_MINDSPORE in diffs and not meaning:
            if _writable(ours, None):
                required_written.append((theirs.name, _value(ours.default)))
            else:
                required_by_hand.append((theirs.name, _value(ours.default)))
        if ours.kind is not ParamKind.POSITIONAL_ONLY and theirs.kind is ParamKind.POSITIONAL_ONLY:
            by_position.append(theirs.name)

    en: list[str] = []
    zh: list[str] = []
    if blocked:
        en.append(
            f"MindSpore has no {_names(blocked).replace(' and ', ' or ')}: a call that passes"
            f" {'it' if len(blocked) == 1 else 'one of them'} cannot be converted as it is."
        )
        them = "它" if len(blocked) == 1 else "其中任何一个"
        zh.append(f"MindSpore 没有 {_names_zh(blocked)}:传入了{them}的调用无法原样转换。")
    if new_required:
        en.append(
            f"{target.name} requires {_names(new_required)}, which torch does not have: every"
            " converted call must supply a value."
        )
        zh.append(
            f"{target.name} 必须给出 {_names_zh(new_required)},torch 没有这样的参数:"
            "每个转换后的调用都要补上取值。"
        )
    if written:
        shown = ", ".join(f"`{n}` ({a} in torch, {b} in MindSpore)" for n, a, b in written)
        shown_zh = "、".join(f"`{n}`(torch 为 {a},MindSpore 为 {b})" for n, a, b in written)
        en.append(
            f"Defaults differ for {shown}; the quick-fix writes torch's value into a call that"
            " leaves it out."
        )
        zh.append(f"{shown_zh} 的默认值不同;调用省略它时,快速修复会写上 torch 的取值。")
    if unwritten:
        shown = ", ".join(f"`{n}` ({a} in torch, {b} in MindSpore)" for n, a, b in unwritten)
        shown_zh = "、".join(f"`{n}`(torch 为 {a},MindSpore 为 {b})" for n, a, b in unwritten)
        en.append(
            f"Defaults differ for {shown}, and torch's value cannot simply be written in"
            " MindSpore: a call that leaves it out needs a value chosen by hand."
        )
        zh.append(
            f"{shown_zh} 的默认值不同,而 torch 的取值不能直接写进 MindSpore 的调用:"
            "省略它的调用需要手动选定取值。"
        )
    if required_written:
        en.append(
            f"MindSpore requires {_names([n for n, _ in required_written])}; the quick-fix"
            " writes torch's default when a call leaves it out."
        )
        zh.append(
            f"MindSpore 必须给出 {_names_zh([n for n, _ in required_written])};"
            "调用省略它时,快速修复会写上 torch 的默认值。"
        )
    if required_by_hand:
        en.append(
            f"MindSpore requires {_names([n for n, _ in required_by_hand])}, which torch lets"
            " a call leave out: such a call needs a value chosen by hand."
        )
        zh.append(
            f"MindSpore 必须给出 {_names_zh([n for n, _ in required_by_hand])},"
            "而 torch 允许省略:省略它的调用需要手动补上取值。"
        )
    if renamed:
        en.append(
            "Spelled differently in MindSpore: "
            + ", ".join(f"`{a}` is `{b}`" for a, b in renamed)
            + "."
        )
        zh.append(
            "MindSpore 中的名称不同:" + "、".join(f"`{a}` 写作 `{b}`" for a, b in renamed) + "。"
        )
    if by_position:
        en.append(f"{_names(by_position)} can only be passed by position in MindSpore.")
        zh.append(f"{_names_zh(by_position)} 在 MindSpore 中只能按位置传入。")
    if new_optional and not en:
        en.append(f"{target.name} also takes the optional {_names(new_optional)}.")
        zh.append(f"{target.name} 还接受可以省略的 {_names_zh(new_optional)}。")
    return en, zh


@dataclass(frozen=True, slots=True)
class TargetDiff:
    """One target's differences, as the signature note needs them."""

    target_id: str
    side: ApiSide
    rows: Sequence[ParamRow]
    kind_differs: bool
    category: Category


def signature_notes(torch: ApiSide, targets: Sequence[TargetDiff], verified: str) -> list[Note]:
    """The generated notes: one per target that is not consistent, titled with its name.

    The first (preferred) target's note has the id ``signature``, the others
    ``signature-<target id>``; a title that names only another target tells readers (and the
    card) that the note does not concern the chosen one.
    """
    notes: list[Note] = []
    for index, item in enumerate(targets):
        if item.category is Category.CONSISTENT:
            continue
        target = item.side
        en: list[str] = []
        zh: list[str] = []
        if item.kind_differs:
            ours_en, ours_zh = KIND_WORDS[torch.kind.value]
            theirs_en, theirs_zh = KIND_WORDS[target.kind.value]
            en.append(f"{torch.name} is {ours_en} but {target.name} is {theirs_en}.")
            zh.append(f"{torch.name} 是{ours_zh},而 {target.name} 是{theirs_zh}。")
        more_en, more_zh = difference_sentences(item.rows, item.target_id, target)
        en.extend(more_en)
        zh.extend(more_zh)
        if not en:
            continue
        title_en, title_zh = _TITLES.get(item.category, _TITLES[Category.BEHAVIOUR_DIFFERS])
        notes.append(
            Note(
                id="signature" if index == 0 else f"signature-{item.target_id}",
                title=LocalText(
                    en=title_en.format(t=target.name, s=torch.name),
                    zh=title_zh.format(t=target.name, s=torch.name),
                ),
                text=LocalText(en=" ".join(en), zh="".join(zh)),
                verified=verified,
            )
        )
    return notes


def _note(note_id: str, title: tuple[str, str], text: tuple[str, str], verified: str) -> Note:
    return Note(
        id=note_id,
        title=LocalText(en=title[0], zh=title[1]),
        text=LocalText(en=text[0], zh=text[1]),
        verified=verified,
    )


def legacy_note(target: ApiSide, legacy: Sequence[str], verified: str) -> Note:
    """MindSpore Tensor methods that still accept an older overload (to be removed)."""
    shown = "; ".join(f"{target.name.rsplit('.', 1)[-1]}{s}" for s in legacy)
    return _note(
        "legacy-overload",
        (f"{target.name} still accepts an older form", f"{target.name} 仍接受旧的写法"),
        (
            f"Besides the torch-style form, MindSpore 2.10 also accepts {shown}. MindSpore"
            " marks that form for removal, so converted code should use the torch-style names.",
            f"除了与 torch 一致的写法,MindSpore 2.10 还接受 {shown}。MindSpore 计划移除这种"
            "写法,转换后的代码应使用与 torch 一致的参数名。",
        ),
        verified,
    )


def no_target_note(torch_name: str, claimed: Sequence[str], verified: str) -> Note:
    """A torch API that some table maps to a MindSpore name that no longer exists."""
    names = ", ".join(claimed)
    return _note(
        "no-target",
        (
            f"No MindSpore counterpart of {torch_name} exists in 2.10",
            f"MindSpore 2.10 中没有 {torch_name} 的对应接口",
        ),
        (
            f"The official mapping names {names}, which MindSpore 2.10 does not have.",
            f"官方映射表给出的 {names} 在 MindSpore 2.10 中并不存在。",
        ),
        verified,
    )


def unknown_signature_note(side_name: str, why: str, verified: str) -> Note:
    return _note(
        "signature-unknown",
        (f"The parameters of {side_name} are not recorded", f"未记录 {side_name} 的参数"),
        (
            f"MindPort could not read the signature of {side_name} ({why}), so no"
            " parameter is compared and no call is converted automatically.",
            f"MindPort 无法读取 {side_name} 的签名({why}),因此不比较参数,也不会自动转换调用。",
        ),
        verified,
    )


def no_equivalent_note(torch_name: str, verified: str) -> Note:
    """The note of a curated no-equivalent entry (its workaround says what to do instead)."""
    return _note(
        "no-equivalent",
        (
            f"MindSpore has no counterpart of {torch_name}",
            f"MindSpore 没有与 {torch_name} 对应的接口",
        ),
        (
            "No MindSpore API does the same job under the same or another name; the"
            " workaround shows how to get the effect in MindSpore.",
            "MindSpore 中没有同名或改名后完成相同工作的接口;替代方案说明了如何在 MindSpore"
            " 中达到同样的效果。",
        ),
        verified,
    )

"""Notes written from the computed differences, in English and Simplified Chinese.

Each sentence is a template filled with names and defaults that come from the snapshots,
so it is exactly as accurate as the signatures are. Behaviour that signatures cannot show
is written by hand in ``knowledge/curated/`` and verified by running both frameworks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mindport.kb.model import (
    UNSPECIFIED,
    ApiSide,
    Category,
    LocalText,
    Note,
    ParamKind,
    ParamRow,
    RowDiff,
)

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


def _value_zh(default: str | None) -> str:
    return "无固定默认值" if default == UNSPECIFIED else f"{default}"


@dataclass
class _Lines:
    en: list[str]
    zh: list[str]

    def add(self, en: str, zh: str) -> None:
        self.en.append(en)
        self.zh.append(zh)


def difference_sentences(
    rows: Sequence[ParamRow], target_id: str, target: ApiSide
) -> tuple[list[str], list[str]]:
    """One sentence per parameter difference between torch and ``target``."""
    lines = _Lines([], [])
    for row in rows:
        diffs = row.diffs(target_id)
        ours, theirs = row.torch, row.targets.get(target_id)
        if not diffs:
            continue
        if RowDiff.TORCH_ONLY in diffs and ours is not None:
            if ours.kind in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD):
                lines.add(
                    f"torch's {ours.render()} has no counterpart.",
                    f"torch 的 {ours.render()} 没有对应参数。",
                )
            else:
                lines.add(
                    f"`{ours.name}` has no counterpart, so a call that passes it cannot be"
                    " converted as it is.",
                    f"`{ours.name}` 没有对应参数,传入了它的调用无法原样转换。",
                )
        if RowDiff.MINDSPORE_ONLY in diffs and theirs is not None:
            if theirs.kind in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD):
                lines.add(
                    f"{target.name} also accepts {theirs.render()}.",
                    f"{target.name} 还接受 {theirs.render()}。",
                )
            elif theirs.required:
                lines.add(
                    f"{target.name} requires `{theirs.name}`, which torch does not have.",
                    f"{target.name} 必须给出 `{theirs.name}`,torch 没有这个参数。",
                )
            else:
                lines.add(
                    f"`{theirs.name}` exists only in MindSpore (default {_value(theirs.default)}).",
                    f"`{theirs.name}` 只有 MindSpore 有(默认值 {_value_zh(theirs.default)})。",
                )
        if RowDiff.RENAMED in diffs and ours is not None and theirs is not None:
            lines.add(
                f"`{ours.name}` is called `{theirs.name}`.",
                f"`{ours.name}` 在 MindSpore 中名为 `{theirs.name}`。",
            )
        if RowDiff.DEFAULT_DIFFERS in diffs and ours is not None and theirs is not None:
            lines.add(
                f"`{ours.name}` defaults to {_value(ours.default)} in torch and to"
                f" {_value(theirs.default)} in MindSpore; a converted call that leaves it out"
                " gets torch's value written explicitly.",
                f"`{ours.name}` 的默认值在 torch 中为 {_value_zh(ours.default)},在 MindSpore"
                f" 中为 {_value_zh(theirs.default)};转换省略了它的调用时会显式写出 torch 的取值。",
            )
        if RowDiff.REQUIRED_IN_MINDSPORE in diffs and ours is not None and theirs is not None:
            lines.add(
                f"`{ours.name}` may be left out in torch (default {_value(ours.default)}) but"
                f" MindSpore requires `{theirs.name}`.",
                f"`{ours.name}` 在 torch 中可以省略(默认值 {_value_zh(ours.default)}),"
                f"MindSpore 中必须给出 `{theirs.name}`。",
            )
        if (
            ours is not None
            and theirs is not None
            and ours.kind is not ParamKind.POSITIONAL_ONLY
            and theirs.kind is ParamKind.POSITIONAL_ONLY
        ):
            lines.add(
                f"`{theirs.name}` can only be passed by position in MindSpore.",
                f"`{theirs.name}` 在 MindSpore 中只能按位置传入。",
            )
    return lines.en, lines.zh


@dataclass(frozen=True, slots=True)
class TargetDiff:
    """One target's differences, as the signature note needs them."""

    target_id: str
    side: ApiSide
    rows: Sequence[ParamRow]
    kind_differs: bool
    category: Category


def signature_note(torch: ApiSide, targets: Sequence[TargetDiff], verified: str) -> Note | None:
    """The generated note: one paragraph per target that is not consistent."""
    targets = [t for t in targets if t.category is not Category.CONSISTENT]
    if not targets:
        return None
    paragraphs_en: list[str] = []
    paragraphs_zh: list[str] = []
    for item in targets:
        target_id, target, rows, kind_differs = (
            item.target_id,
            item.side,
            item.rows,
            item.kind_differs,
        )
        en: list[str] = []
        zh: list[str] = []
        if kind_differs:
            ours_en, ours_zh = KIND_WORDS[torch.kind.value]
            theirs_en, theirs_zh = KIND_WORDS[target.kind.value]
            en.append(f"{torch.name} is {ours_en} but {target.name} is {theirs_en}.")
            zh.append(f"{torch.name} 是{ours_zh},而 {target.name} 是{theirs_zh}。")
        more_en, more_zh = difference_sentences(rows, target_id, target)
        en.extend(more_en)
        zh.extend(more_zh)
        if en:
            paragraphs_en.append(f"Compared with {target.name}: " + " ".join(en))
            paragraphs_zh.append(f"与 {target.name} 相比:" + "".join(zh))
    if not paragraphs_en:
        return None
    primary = targets[0].side.name
    title_en, title_zh = _TITLES.get(targets[0].category, _TITLES[Category.BEHAVIOUR_DIFFERS])
    return Note(
        id="signature",
        title=LocalText(
            en=title_en.format(t=primary, s=torch.name), zh=title_zh.format(t=primary, s=torch.name)
        ),
        text=LocalText(en="\n\n".join(paragraphs_en), zh="\n\n".join(paragraphs_zh)),
        verified=verified,
    )


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

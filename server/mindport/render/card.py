"""The knowledge card of an API, as Markdown, in English or Simplified Chinese.

One renderer serves the hover and ``mindport explain``. A *forward* card is for torch code
(what to use in MindSpore); a *reverse* card is for MindSpore code (what surprises people
who come from torch).
"""

from __future__ import annotations

import re

from mindport.kb.model import ApiSide, Category, Entry, Locale, Param, ParamRow, RowDiff
from mindport.kb.verification import TargetCheck, Verification

_CATEGORY = {
    Category.CONSISTENT: ("consistent", "一致"),
    Category.PARAMETER_NAMES_DIFFER: ("parameter names differ", "参数名不同"),
    Category.TORCH_ONLY_PARAMETERS: ("torch-only parameters", "存在 torch 独有参数"),
    Category.MINDSPORE_ONLY_PARAMETERS: ("MindSpore-only parameters", "存在 MindSpore 独有参数"),
    Category.DEFAULTS_DIFFER: ("defaults differ", "默认值不同"),
    Category.BEHAVIOUR_DIFFERS: ("behaviour differs", "行为不同"),
    Category.NO_EQUIVALENT: ("no MindSpore equivalent", "MindSpore 无对应接口"),
}

_DIFF = {
    RowDiff.RENAMED: ("renamed", "名称不同"),
    RowDiff.TORCH_ONLY: ("torch only", "仅 torch 有"),
    RowDiff.MINDSPORE_ONLY: ("MindSpore only", "仅 MindSpore 有"),
    RowDiff.DEFAULT_DIFFERS: ("default differs", "默认值不同"),
    RowDiff.REQUIRED_IN_MINDSPORE: ("required in MindSpore", "MindSpore 中必填"),
    RowDiff.OPTIONAL_IN_MINDSPORE: ("optional in MindSpore", "MindSpore 中可省略"),
    RowDiff.MEANING_DIFFERS: ("meaning differs", "含义不同"),
}

_WORDS = {
    "same": ("same", "一致"),
    "required": ("required", "必填"),
    "difference": ("difference", "差异"),
    "notes": ("Behaviour differences", "行为差异"),
    "parameters": ("Parameters", "参数"),
    "example": ("Example", "示例"),
    "mapping": ("Official mapping page", "官方映射页面"),
    "from_torch": ("Coming from PyTorch", "从 PyTorch 迁移过来时"),
    "also": ("Alternative target", "备选目标"),
    "workaround": ("Workaround", "替代方案"),
}


def _w(key: str, locale: Locale) -> str:
    en, zh = _WORDS[key]
    return zh if locale == "zh" else en


def _pick(pair: tuple[str, str], locale: Locale) -> str:
    return pair[1] if locale == "zh" else pair[0]


def localise_url(url: str, locale: Locale) -> str:
    """mindspore.cn serves the same page in Chinese under ``/docs/zh-CN/``."""
    if locale == "zh" and "mindspore.cn/docs/en/" in url:
        return url.replace("/docs/en/", "/docs/zh-CN/")
    return url


def _cell(param: Param | None, locale: Locale) -> str:
    if param is None:
        return "—"
    if param.default is None and param.required:
        return f"`{param.render()}` ({_w('required', locale)})"
    return f"`{param.render()}`"


def _diff_text(row: ParamRow, target_id: str, locale: Locale) -> str:
    diffs = row.diffs(target_id)
    if not diffs:
        return _w("same", locale)
    return "; ".join(_pick(_DIFF[d], locale) for d in diffs)


def _row_name(row: ParamRow, target_id: str, reverse: bool) -> str:
    theirs = row.target_param(target_id)
    first, second = (theirs, row.torch) if reverse else (row.torch, theirs)
    param = first or second
    return param.name if param is not None else "?"


def _parameter_table(
    entry: Entry, target_id: str, target: ApiSide, locale: Locale, reverse: bool
) -> list[str]:
    # Rows that only the other target has say nothing here; differing rows come first (stable).
    shown = [r for r in entry.rows if r.torch is not None or r.target_param(target_id) is not None]
    rows = sorted(shown, key=lambda r: not r.diffs(target_id))
    left, right = (target.name, entry.torch.name) if reverse else (entry.torch.name, target.name)
    out = [f"| {left} | {right} | {_w('difference', locale)} |", "|---|---|---|"]
    for row in rows:
        ours, theirs = _cell(row.torch, locale), _cell(row.target_param(target_id), locale)
        cells = (theirs, ours) if reverse else (ours, theirs)
        out.append(f"| {cells[0]} | {cells[1]} | {_diff_text(row, target_id, locale)} |")
    notes = [
        f"- `{_row_name(row, target_id, reverse)}`: {row.note.get(locale)}"
        for row in rows
        if row.note is not None and row.diffs(target_id)
    ]
    if notes:
        out.extend(["", *notes])
    return out


# Why a target was not verified (``TargetCheck.kind``), in both languages.
_NOT_VERIFIED = {
    "no-cpu-kernel": (
        "the CPU build of MindSpore has no kernel for it",
        "MindSpore 的 CPU 版本没有对应的算子实现",
    ),
    "convert": (
        "MindPort cannot convert the tested calls automatically yet",
        "MindPort 暂时无法自动转换所测试的调用",
    ),
    "unsafe-fix": (
        "the tested calls pass arguments MindSpore lacks",
        "所测试的调用传入了 MindSpore 没有的参数",
    ),
    "random": (
        "its values are random; shapes and dtypes agree",
        "其结果为随机值;形状和数据类型一致",
    ),
    "case-error": ("the test case itself is wrong", "测试用例本身有误"),
    "bad-conversion": (
        "MindSpore rejects the converted call (a conversion bug)",
        "MindSpore 不接受转换后的调用(转换有误)",
    ),
    "crash": ("MindSpore crashed or hung", "MindSpore 崩溃或无响应"),
    "not-comparable": ("the results cannot be compared", "结果无法比较"),
    "mindspore-error": ("MindSpore raised an error", "MindSpore 报错"),
}
_COMPARED = {
    "values": ("values", "数值"),
    "shapes": ("shapes", "形状"),
    "dtypes": ("dtypes", "数据类型"),
    "gradients": ("gradients", "梯度"),
    "weights copied": ("with the same weights", "使用相同权重"),
    "buffers": ("running statistics", "滑动统计量"),
}


def _versions(verification: Verification) -> str:
    return ", ".join(
        f"{name} {verification.versions[name]}"
        for name in ("torch", "mindspore")
        if name in verification.versions
    )


def _compared(check: TargetCheck, locale: Locale) -> str:
    words = [_pick(_COMPARED[c], locale) for c in check.compared if c in _COMPARED]
    return ("、" if locale == "zh" else ", ").join(words)


def verification_line(
    verification: Verification | None, target_id: str | None, locale: Locale
) -> str | None:
    """One line: was this mapping verified by running both frameworks, and if not, why."""
    if verification is None:
        return None
    zh = locale == "zh"
    versions = _versions(verification)
    check = verification.targets.get(target_id or "")
    if check is None:
        reason = verification.reason or ""
        if zh:
            return f"**未经运行验证**:等价性测试未运行此接口({reason or '没有测试用例'})。"
        return f"**Not verified by execution**: the equivalence suite does not run it ({reason or 'no case'})."
    api = f"`{check.api}`"
    if check.status == "verified":
        if zh:
            return (
                f"**已通过运行验证**({versions}):{api} 在 {check.cases} 个用例中的"
                f"{_compared(check, locale)}均与 torch 一致。"
            )
        return (
            f"**Verified by execution** ({versions}): {api} gives the same"
            f" {_compared(check, locale)} as torch in {check.cases} case(s)."
        )
    if check.status == "differs":
        failed = check.cases - check.passed
        summary = f" (`{check.summary}`)" if check.summary else ""
        if zh:
            return (
                f"**运行对比发现差异**({versions}):{api} 在 {check.cases} 个用例中有 {failed}"
                f" 个结果与 torch 不同{summary};请参阅行为差异。"
            )
        return (
            f"**Checked by execution: results differ** ({versions}): {api} differs from torch"
            f" in {failed} of {check.cases} case(s){summary}; see the behaviour differences."
        )
    why = _pick(_NOT_VERIFIED.get(check.kind or "", _NOT_VERIFIED["mindspore-error"]), locale)
    if check.summary and check.kind in (
        "no-cpu-kernel",
        "mindspore-error",
        "crash",
        "bad-conversion",
    ):
        why += f" (`{check.summary}`)"
    others = [
        t
        for tid, t in verification.targets.items()
        if tid != check.target and t.status == "verified"
    ]
    if zh:
        line = f"**未能运行验证**({versions}):对于 {api},{why}。"
        if others:
            line += f"{'、'.join(f'`{t.api}`' for t in others)} 已通过运行验证。"
        return line
    line = f"**Not verified by execution** ({versions}): for {api}, {why}."
    if others:
        line += f" {', '.join(f'`{t.api}`' for t in others)} was verified instead."
    return line


def render_card(
    entry: Entry,
    locale: Locale,
    *,
    target_preference: str = "mint",
    mindspore_name: str | None = None,
    verification: Verification | None = None,
) -> str:
    """The Markdown card. ``mindspore_name`` makes it a reverse card for that MindSpore API.

    ``verification`` (``KnowledgeBase.verification``) adds a line saying whether the mapping
    was verified by running both frameworks.
    """
    reverse = mindspore_name is not None
    lines: list[str] = []
    chosen = None
    if reverse:
        target_id = entry.target_id_of(mindspore_name or "")
        if target_id is not None:
            chosen = (target_id, entry.targets[target_id])
    else:
        chosen = entry.choose_target(target_preference)
    category = _pick(_CATEGORY[entry.category], locale)

    if chosen is None:
        lines += [
            "```python",
            entry.torch.signature(),
            "```",
            "",
            f"**{entry.torch.name}**: {category}",
        ]
        if entry.workaround is not None:
            lines += ["", f"**{_w('workaround', locale)}**: {entry.workaround.get(locale)}"]
    else:
        target_id, target = chosen
        first, second = (target, entry.torch) if reverse else (entry.torch, target)
        arrow = "←" if reverse else "→"
        lines += ["```python", first.signature(), second.signature(), "```", ""]
        lines.append(f"**{first.name}** {arrow} **{second.name}** · {category}")
        others = [side.name for tid, side in entry.targets.items() if tid != target_id]
        if others and not reverse:
            lines.append(f"{_w('also', locale)}: `{'`, `'.join(others)}`")
        checked = verification_line(verification, target_id, locale)
        if checked is not None:
            lines += ["", checked]
        if target.params or entry.torch.params:
            lines += ["", f"**{_w('parameters', locale)}**", ""]
            lines += _parameter_table(entry, target_id, target, locale, reverse)

    if entry.notes:
        heading = _w("from_torch", locale) if reverse else _w("notes", locale)
        lines += ["", f"**{heading}**", ""]
        for note in entry.notes:
            lines.append(f"- **{note.title.get(locale)}**")
            for paragraph in note.text.get(locale).split("\n\n"):
                lines.append(f"  {paragraph.strip()}")
                lines.append("")
        while lines and not lines[-1]:
            lines.pop()

    if entry.example is not None:
        lines += [
            "",
            f"**{_w('example', locale)}**",
            "",
            "```python",
            "# PyTorch",
            entry.example.torch,
            "",
            "# MindSpore",
            entry.example.mindspore,
            "```",
        ]

    links = []
    if entry.official_doc:
        links.append(f"[{_w('mapping', locale)}]({localise_url(entry.official_doc, locale)})")
    for side in (entry.torch, *entry.targets.values()):
        if side.doc:
            links.append(f"[{side.name}]({localise_url(side.doc, locale)})")
    if links:
        lines += ["", " · ".join(links)]
    return "\n".join(lines) + "\n"


_FENCE = re.compile(r"^```\w*\s*$", re.MULTILINE)
# Neither part may hold its own brackets: a failed attempt then stops where the next one can
# start, which keeps the substitution linear (``[`` repeated 20,000 times took 13 s before).
_LINK = re.compile(r"\[([^\[\]]+)\]\(([^()\s]+)\)")


def markdown_to_plaintext(markdown: str) -> str:
    """For clients that cannot show Markdown: drop fences and emphasis, keep link targets."""
    text = _FENCE.sub("", markdown)
    text = _LINK.sub(r"\1 <\2>", text)
    return text.replace("**", "").replace("`", "")

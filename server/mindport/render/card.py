"""The knowledge card of an API, as Markdown, in English or Simplified Chinese.

One renderer serves the hover and ``mindport explain``. A *forward* card is for torch code
(what to use in MindSpore); a *reverse* card is for MindSpore code (what surprises people
who come from torch).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mindport.kb.generate.compare import GENERAL_TORCH_ONLY, category_of, kinds_differ
from mindport.kb.model import (
    SUMMARY_NOTE_IDS,
    ApiKind,
    ApiSide,
    Category,
    Entry,
    Locale,
    Note,
    Param,
    ParamRow,
    RowDiff,
)
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


_TO_ESCAPE = frozenset("\\*<`")


def _escape_plain(text: str) -> str:
    out: list[str] = []
    for index, ch in enumerate(text):
        if ch == "_":
            before = text[index - 1] if index else " "
            after = text[index + 1] if index + 1 < len(text) else " "
            # `requires_grad` never turns into emphasis; `_x`, `add_ ` and `__init__` can
            if not (before.isalnum() and after.isalnum()):
                out.append("\\")
        elif ch in _TO_ESCAPE:
            out.append("\\")
        out.append(ch)
    return "".join(out)


def escape(text: str) -> str:
    """Markdown-escape ``text`` outside its `code spans` (which stay literal everywhere).

    Only what could turn into emphasis or HTML in VS Code or in Neovim's markdown
    highlighting: ``*`` (``*args``), ``_`` that is not inside a word (``add_``,
    ``__init__``), ``<``, backslashes and stray backticks. Tables escape their own ``|``.
    """
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unmatched backtick: no code spans, escape it too
        return _escape_plain(text)
    return "".join(
        f"`{part}`" if index % 2 else _escape_plain(part) for index, part in enumerate(parts)
    )


def _code(text: str, *, in_table: bool = False) -> str:
    """A code span; inside a table a ``|`` must still be escaped (GFM splits cells first)."""
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    body = text.replace("|", "\\|") if in_table else text
    return f"{fence}{pad}{body}{pad}{fence}"


_OTHER_SIGNATURE_NOTES = frozenset({"signature-mint", "signature-classic"})


def notes_for(entry: Entry, target_id: str | None) -> list[Note]:
    """The entry's notes that concern ``target_id``.

    Notes are written per entry; one whose title names another target and not this one
    concerns only that other target (the generator titles its per-target notes so).
    """
    if target_id is None or target_id not in entry.targets:
        return list(entry.notes)
    mine = entry.targets[target_id].name
    others = [side.name for tid, side in entry.targets.items() if tid != target_id]
    chosen: list[Note] = []
    for note in entry.notes:
        title = note.title.en
        if note.id in _OTHER_SIGNATURE_NOTES and note.id != f"signature-{target_id}":
            continue
        if mine not in title and any(name in title for name in others):
            continue
        chosen.append(note)
    return chosen


def target_category(entry: Entry, target_id: str) -> Category:
    """The headline for one target: what differs against *it*, not against the other one."""
    target = entry.targets[target_id]
    if any(note.id not in SUMMARY_NOTE_IDS for note in notes_for(entry, target_id)):
        return Category.BEHAVIOUR_DIFFERS
    computed = category_of(
        entry.rows, target_id, behaviour=kinds_differ(entry.torch.kind.value, target.kind.value)
    )
    curated = not any(n.id not in SUMMARY_NOTE_IDS for n in entry.notes)
    if computed is Category.CONSISTENT and entry.category is Category.BEHAVIOUR_DIFFERS and curated:
        return entry.category  # a curated category with no note for any target: the curator's word
    return computed


def _cell(param: Param | None, locale: Locale) -> str:
    if param is None:
        return "—"
    if param.default is None and param.required:
        return f"{_code(param.render(), in_table=True)} ({_w('required', locale)})"
    return _code(param.render(), in_table=True)


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


def _shown_rows(entry: Entry, target_id: str) -> list[ParamRow]:
    # Rows that only the other target has say nothing here; differing rows come first (stable).
    shown = [r for r in entry.rows if r.torch is not None or r.target_param(target_id) is not None]
    return sorted(shown, key=lambda r: not r.diffs(target_id))


def _parameter_table(
    entry: Entry, target_id: str, target: ApiSide, locale: Locale, reverse: bool, tables: bool
) -> list[str]:
    rows = _shown_rows(entry, target_id)
    if tables:
        left, right = (
            (target.name, entry.torch.name) if reverse else (entry.torch.name, target.name)
        )
        out = [f"| {left} | {right} | {_w('difference', locale)} |", "|---|---|---|"]
        for row in rows:
            ours, theirs = _cell(row.torch, locale), _cell(row.target_param(target_id), locale)
            cells = (theirs, ours) if reverse else (ours, theirs)
            out.append(f"| {cells[0]} | {cells[1]} | {_diff_text(row, target_id, locale)} |")
    else:
        out = [_row_bullet(row, target_id, locale, reverse) for row in rows]
    notes = [
        f"- `{_row_name(row, target_id, reverse)}`: {escape(row.note.get(locale))}"
        for row in rows
        if row.note is not None and row.diffs(target_id)
    ]
    if notes:
        out.extend(["", *notes])
    return out


def _row_bullet(row: ParamRow, target_id: str, locale: Locale, reverse: bool) -> str:
    """One parameter row as a list item (for clients that show tables as raw pipes)."""
    ours, theirs = row.torch, row.target_param(target_id)
    diff = _diff_text(row, target_id, locale)
    if ours is None or theirs is None:
        only = ours or theirs
        return f"- {_code(only.render()) if only is not None else '?'}: {diff}"
    left, right = _code(ours.render()), _code(theirs.render())
    if left == right:  # same spelling, other meaning
        return f"- {left}: {diff}"
    if reverse:
        return f"- {right} ← {left}: {diff}"
    return f"- {left} → {right}: {diff}"


# What a short card lists first: the differences that break or change a converted call.
_ROW_ORDER = (
    RowDiff.MEANING_DIFFERS,
    RowDiff.REQUIRED_IN_MINDSPORE,
    RowDiff.TORCH_ONLY,
    RowDiff.DEFAULT_DIFFERS,
    RowDiff.RENAMED,
    RowDiff.MINDSPORE_ONLY,
    RowDiff.OPTIONAL_IN_MINDSPORE,
)


def _row_rank(row: ParamRow, target_id: str) -> int:
    diffs = row.diffs(target_id)
    rank = min((_ROW_ORDER.index(d) for d in diffs), default=len(_ROW_ORDER))
    return rank


def _short_rows(entry: Entry, target_id: str) -> list[ParamRow]:
    """The rows worth a line in the short card: they differ, and a call can notice it."""
    rows = []
    for row in entry.rows:
        diffs = row.diffs(target_id)
        if not diffs:
            continue
        theirs = row.target_param(target_id)
        if row.torch is None and (theirs is None or not theirs.required):
            continue  # an optional MindSpore-only parameter changes nothing for a port
        general = row.torch is not None and (
            row.torch.name in GENERAL_TORCH_ONLY or row.torch.name.startswith("_")
        )
        if general and theirs is None:
            continue  # device=, out=, private switches: the full card lists them
        rows.append(row)
    return sorted(rows, key=lambda r: _row_rank(r, target_id))


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


def _verified_words(
    verification: Verification | None, target_id: str, locale: Locale
) -> tuple[str | None, str | None]:
    """(headline suffix, warning line) for the short card: good news is a word, bad news a line."""
    check = verification.targets.get(target_id) if verification else None
    if check is None:
        return None, None
    if check.status == "verified":
        return _pick(("verified", "已验证"), locale), None  # the full card says how
    if check.status == "differs":
        failed = check.cases - check.passed
        summary = f" ({_code(check.summary)})" if check.summary else ""
        return None, _pick(
            (
                f"Running both frameworks gave different results in {failed} of {check.cases}"
                f" case(s){summary}.",
                f"运行两个框架时,{check.cases} 个用例中有 {failed} 个结果不同{summary}。",
            ),
            locale,
        )
    if check.kind == "no-cpu-kernel":
        return None, _pick(
            (
                f"The CPU build of MindSpore has no kernel for {_code(check.api)}.",
                f"MindSpore 的 CPU 版本没有 {_code(check.api)} 的算子实现。",
            ),
            locale,
        )
    return None, None


MAX_SHORT_LINES = 15


def render_card(
    entry: Entry,
    locale: Locale,
    *,
    target_preference: str = "mint",
    mindspore_name: str | None = None,
    verification: Verification | None = None,
    full: bool = True,
    tables: bool = True,
    call_details: Sequence[str] = (),
    full_card: str | None = None,
    max_lines: int = MAX_SHORT_LINES,
) -> str:
    """The Markdown card. ``mindspore_name`` makes it a reverse card for that MindSpore API.

    ``full`` gives every row, note, verification and both targets (``mindport explain``, the
    card opened beside the editor); otherwise a card of at most ``max_lines`` lines for the
    hover: the mapping, then what breaks or differs first (``call_details``: what this call's
    findings say, already localised), then only the rows that differ, then ``full_card`` (a
    Markdown link or hint to the full card). ``tables=False`` writes rows as list items, for
    clients that show tables as raw pipes. ``verification`` (``KnowledgeBase.verification``)
    says whether the mapping was verified by running both frameworks.
    """
    reverse = mindspore_name is not None
    chosen = None
    if reverse:
        target_id = entry.target_id_of(mindspore_name or "")
        if target_id is not None:
            chosen = (target_id, entry.targets[target_id])
    else:
        chosen = entry.choose_target(target_preference)
    if not full:
        return _short_card(
            entry, locale, chosen, reverse, verification, call_details, full_card, max_lines
        )
    return _full_card(entry, locale, chosen, reverse, verification, tables)


def signatures(side: ApiSide) -> list[str]:
    """One line per overload: the union of their parameters is a signature nobody has."""
    if side.kind is ApiKind.ATTRIBUTE or not side.overloads:
        return [side.signature()]
    return [f"{side.name}{overload}" for overload in side.overloads]


def _short_signatures(side: ApiSide, locale: Locale) -> list[str]:
    lines = signatures(side)
    if len(lines) <= 3:
        return lines
    more = len(lines) - 2
    return [*lines[:2], _pick((f"# … {more} more overloads", f"# … 另有 {more} 种重载"), locale)]


def _headline(entry: Entry, chosen: tuple[str, ApiSide], reverse: bool, locale: Locale) -> str:
    target_id, target = chosen
    first, second = (target, entry.torch) if reverse else (entry.torch, target)
    arrow = "←" if reverse else "→"
    category = _pick(_CATEGORY[target_category(entry, target_id)], locale)
    return f"**{escape(first.name)}** {arrow} **{escape(second.name)}** · {category}"


def _alternatives(entry: Entry, target_id: str, locale: Locale) -> str | None:
    others = [side.name for tid, side in entry.targets.items() if tid != target_id]
    if not others:
        return None
    return f"{_w('also', locale)}: " + ", ".join(_code(name) for name in others)


# List items in the hover. VS Code's hover is at most 250 px tall (about 10 lines under the
# diagnostic's own line): the signature, the headline and 3 items (some wrap) fit unscrolled.
MAX_SHORT_ITEMS = 3


def _mentions(text: str, name: str) -> bool:
    """``name`` occurs in ``text`` as a whole identifier (``x`` is not in ``max``)."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def _note_title(detail: str) -> str:
    for prefix in ("Note: ", "注意:"):
        if detail.startswith(prefix):
            return detail[len(prefix) :]
    return detail


def _short_card(
    entry: Entry,
    locale: Locale,
    chosen: tuple[str, ApiSide] | None,
    reverse: bool,
    verification: Verification | None,
    call_details: Sequence[str],
    full_card: str | None,
    max_lines: int,
) -> str:
    # Blocks in order of importance; each is a list of lines, joined by blank lines. Whatever
    # does not fit in ``max_lines`` is left to the full card.
    signature: list[str] = []
    head: list[str] = []
    # A call's finding repeats the titles of the notes it carries ("Note: <title>"): the
    # note's own line below says it once.
    titles = {n.title.get(locale) for n in entry.notes}
    details = [d for d in call_details if _note_title(d) not in titles]
    items: list[str] = [f"- {escape(detail)}" for detail in details]
    rows: list[str] = []
    alternative: str | None = None
    if chosen is None:
        category = _pick(_CATEGORY[entry.category], locale)
        head.append(f"**{escape(entry.torch.name)}**: {category}")
        if entry.workaround is not None:
            items.insert(
                0, f"- **{_w('workaround', locale)}**: {escape(entry.workaround.get(locale))}"
            )
        signature = ["```python", *signatures(entry.torch), "```"]
    else:
        target_id, target = chosen
        headline = _headline(entry, chosen, reverse, locale)
        good, bad = _verified_words(verification, target_id, locale)
        head.append(headline + (f" · {good}" if good else ""))
        if full_card:  # at the top, where a hover that scrolls still shows it
            head[-1] += f" · {full_card}"
            full_card = None
        signature = [
            "```python",
            *_short_signatures(target, locale),
            "```",
        ]  # what ported code calls
        shown_titles: list[str] = []
        for note in notes_for(entry, target_id):
            if note.id in SUMMARY_NOTE_IDS:
                continue
            title = note.title.get(locale)
            shown_titles.append(title)
            # The first note is the trap: bold; the rest plain, so that it stands out.
            first = len(shown_titles) == 1
            items.append(f"- **{escape(title)}**" if first else f"- {escape(title)}")
        for row in _short_rows(entry, target_id):
            # A row whose parameter a note (or this call's finding) already names is said there.
            name = row.torch.name if row.torch is not None else None
            if name and any(_mentions(text, name) for text in [*shown_titles, *details]):
                continue
            rows.append(_row_bullet(row, target_id, locale, reverse))
        if bad:
            rows.append(f"- {bad}")
        if not reverse:
            alternative = _alternatives(entry, target_id, locale)

    def assemble(n_items: int, n_rows: int, with_signature: bool, with_alt: bool) -> list[str]:
        blocks: list[list[str]] = []
        if with_signature:
            blocks.append(signature)
        blocks.append(head)
        shown = items[:n_items] + rows[:n_rows]
        hidden = len(items) - n_items + len(rows) - n_rows
        if hidden > 0:
            shown.append(
                _pick(
                    (f"- … {hidden} more in the full card", f"- … 另有 {hidden} 项,见完整卡片"),
                    locale,
                )
            )
        if shown:
            blocks.append(shown)
        if with_alt and alternative:
            blocks.append([alternative])
        if full_card:
            blocks.append([full_card])
        lines: list[str] = []
        for block in blocks:
            if lines:
                lines.append("")
            lines.extend(block)
        return lines

    # Drop from the end of the list first, then the alternative, then the signature.
    n_items = min(len(items), MAX_SHORT_ITEMS)
    n_rows = max(0, min(len(rows), MAX_SHORT_ITEMS - n_items))
    with_signature, with_alt = True, True
    lines = assemble(n_items, n_rows, with_signature, with_alt)
    while len(lines) > max_lines:
        if n_rows + n_items > 1:
            if n_rows > 0:
                n_rows -= 1
            else:
                n_items -= 1
        elif with_signature:
            with_signature = False
        elif with_alt and alternative:
            with_alt = False
        else:
            break
        lines = assemble(n_items, n_rows, with_signature, with_alt)
    return "\n".join(lines) + "\n"


def _full_card(
    entry: Entry,
    locale: Locale,
    chosen: tuple[str, ApiSide] | None,
    reverse: bool,
    verification: Verification | None,
    tables: bool,
) -> str:
    lines: list[str] = []
    if chosen is None:
        category = _pick(_CATEGORY[entry.category], locale)
        lines += ["```python", *signatures(entry.torch), "```", ""]
        lines.append(f"**{escape(entry.torch.name)}**: {category}")
        if entry.workaround is not None:
            lines += ["", f"**{_w('workaround', locale)}**: {escape(entry.workaround.get(locale))}"]
        notes = list(entry.notes)
    else:
        target_id, target = chosen
        first, second = (target, entry.torch) if reverse else (entry.torch, target)
        lines += ["```python", *signatures(first), *signatures(second), "```", ""]
        lines.append(_headline(entry, chosen, reverse, locale))
        checked = verification_line(verification, target_id, locale)
        if checked is not None:
            lines += ["", checked]
        if target.params or entry.torch.params:
            lines += ["", f"**{_w('parameters', locale)}**", ""]
            lines += _parameter_table(entry, target_id, target, locale, reverse, tables)
        notes = notes_for(entry, target_id)

    _add_notes(lines, notes, _w("from_torch", locale) if reverse else _w("notes", locale), locale)

    if chosen is not None and not reverse:
        target_id = chosen[0]
        for other_id, other in entry.targets.items():
            if other_id == target_id:
                continue
            category = _pick(_CATEGORY[target_category(entry, other_id)], locale)
            lines += [
                "",
                "---",
                "",
                f"**{_w('also', locale)}: {escape(other.name)}** · {category}",
                "",
                "```python",
                *signatures(other),
                "```",
            ]
            checked = verification_line(verification, other_id, locale)
            if checked is not None:
                lines += ["", checked]
            if other.params or entry.torch.params:
                lines += [""]
                lines += _parameter_table(entry, other_id, other, locale, reverse, tables)
            mine = {n.id for n in notes_for(entry, target_id)}
            extra = [n for n in notes_for(entry, other_id) if n.id not in mine]
            _add_notes(lines, extra, _w("notes", locale), locale)

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

    links = doc_links(entry, locale)
    if links:
        lines += ["", " · ".join(links)]
    return "\n".join(lines) + "\n"


def _add_notes(lines: list[str], notes: Sequence[Note], heading: str, locale: Locale) -> None:
    if not notes:
        return
    lines += ["", f"**{heading}**", ""]
    for note in notes:
        lines.append(f"- **{escape(note.title.get(locale))}**")
        for paragraph in note.text.get(locale).split("\n\n"):
            lines.append(f"  {escape(paragraph.strip())}")
            lines.append("")
    while lines and not lines[-1]:
        lines.pop()


def doc_links(entry: Entry, locale: Locale) -> list[str]:
    links = []
    if entry.official_doc:
        links.append(f"[{_w('mapping', locale)}]({localise_url(entry.official_doc, locale)})")
    for side in (entry.torch, *entry.targets.values()):
        if side.doc:
            links.append(f"[{escape(side.name)}]({localise_url(side.doc, locale)})")
    return links


_FENCE = re.compile(r"^```\w*\s*$", re.MULTILINE)
# Neither part may hold its own brackets: a failed attempt then stops where the next one can
# start, which keeps the substitution linear (``[`` repeated 20,000 times took 13 s before).
_LINK = re.compile(r"\[([^\[\]]+)\]\(([^()\s]+)\)")


def markdown_to_plaintext(markdown: str) -> str:
    """For clients that cannot show Markdown: drop fences and emphasis, keep link targets."""
    text = _FENCE.sub("", markdown)
    text = _LINK.sub(r"\1 <\2>", text)
    return text.replace("**", "").replace("`", "")

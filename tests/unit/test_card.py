from __future__ import annotations

from mindport.kb.loader import KnowledgeBase
from mindport.render.card import MAX_SHORT_LINES, escape, markdown_to_plaintext, render_card


def test_forward_card_has_signatures_table_notes_example_and_links(kb: KnowledgeBase) -> None:
    entry = kb.entry_for_torch("torch.nn.Parameter")
    assert entry is not None
    card = render_card(entry, "en")
    assert "torch.nn.Parameter(data=None, requires_grad=True)" in card
    assert "mindspore.Parameter(default_input, name=None, requires_grad=True" in card
    assert "| `data=None` | `default_input` (required) | renamed; required in MindSpore |" in card
    table = [line for line in card.splitlines() if line.startswith("| ")]
    # differing rows first: every row differs for Parameter, so the order is the entry's
    assert table[1].startswith("| `data=None`")
    assert "**Behaviour differences**" in card and "```python" in card and "# MindSpore" in card
    assert (
        "https://www.mindspore.cn/docs/en/r2.4.10/note/api_mapping/pytorch_diff/Parameter.html"
        in card
    )


def test_chinese_card_uses_chinese_words_and_pages(kb: KnowledgeBase) -> None:
    entry = kb.entry_for_torch("torch.nn.Parameter")
    assert entry is not None
    card = render_card(entry, "zh")
    assert "行为不同" in card and "名称不同" in card and "必填" in card
    assert "https://www.mindspore.cn/docs/zh-CN/r2.4.10/" in card
    assert "trainable_params()" in card and "冻结" in card


def test_reverse_card_puts_mindspore_first(kb: KnowledgeBase) -> None:
    entry = kb.entry_for_torch("torch.nn.Parameter")
    assert entry is not None
    card = render_card(entry, "en", mindspore_name="mindspore.Parameter")
    assert "**mindspore.Parameter** ← **torch.nn.Parameter**" in card
    assert "| `default_input` (required) | `data=None` |" in card
    assert "**Coming from PyTorch**" in card
    assert "- `default_input`:" in card


def test_plaintext_rendering_drops_markdown() -> None:
    text = markdown_to_plaintext("```python\nx\n```\n**bold** `code` [page](https://x)")
    assert text == "\nx\n\nbold code page <https://x>"


# -- the short card (the hover) ------------------------------------------------------------

LONG_DETAIL = "`bias` is called `has_bias` in mindspore.nn.Dense; " + "x" * 200
LEAD_LINES = 2  # the hover's "Possible ..." line and its blank line


def _all_entries(kb: KnowledgeBase) -> list:
    return [e for e in (kb.entry(i) for i in kb.ids) if e is not None]


def test_every_short_card_fits_in_fifteen_lines(kb: KnowledgeBase) -> None:
    """The hover's default card, for every entry, both languages, both directions, with a
    busy call (three findings), the full-card link and the hover's lead line."""
    checked = 0
    for entry in _all_entries(kb):
        for locale in ("en", "zh"):
            directions: list[str | None] = [None, *(s.name for s in entry.targets.values())]
            for reverse in directions:
                card = render_card(
                    entry,
                    locale,
                    mindspore_name=reverse,
                    verification=kb.verification(entry.id),
                    full=False,
                    call_details=[LONG_DETAIL] * 3,
                    full_card="[Full card](command:mindport.showCard)",
                    max_lines=MAX_SHORT_LINES - LEAD_LINES,
                )
                lines = card.rstrip("\n").split("\n")
                assert len(lines) + LEAD_LINES <= 15, (entry.id, locale, reverse, card)
                assert "|---" not in card  # no tables in the hover: Neovim shows raw pipes
                assert "[Full card]" in card and escape(entry.torch.name) in card
                checked += 1
    assert checked > 2500


def test_short_card_leads_with_the_call_and_the_trap(kb: KnowledgeBase) -> None:
    entry = kb.entry_for_torch("torch.save")
    assert entry is not None
    card = render_card(entry, "en", full=False, call_details=["This call passes `f=buf`."])
    body = card.split("\n")
    first_item = next(i for i, line in enumerate(body) if line.startswith("- "))
    assert body[first_item] == "- This call passes `f=buf`."
    assert body[first_item + 1].startswith("- **save_checkpoint stores parameters")
    assert "| " not in card and "`obj` → `save_obj`: renamed" in card


def test_headline_speaks_about_the_chosen_target_only(kb: KnowledgeBase) -> None:
    entry = kb.entry_for_torch("torch.nn.Conv2d")
    assert entry is not None
    mint = render_card(entry, "en", full=False)
    # the pad_mode trap belongs to the classic target: the mint card does not claim it
    assert "**torch.nn.Conv2d** → **mindspore.mint.nn.Conv2d** · consistent" in mint
    assert "pads 'same'" not in mint
    assert "\nAlternative target: `mindspore.nn.Conv2d`\n" in mint
    classic = render_card(entry, "en", full=False, target_preference="classic")
    assert "· behaviour differs" in classic and "pads 'same'" in classic


def test_full_card_shows_both_targets_and_all_rows(kb: KnowledgeBase) -> None:
    entry = kb.entry_for_torch("torch.nn.Conv2d")
    assert entry is not None
    card = render_card(entry, "en")
    assert "**Alternative target: mindspore.nn.Conv2d** · behaviour differs" in card
    assert card.count("|---|---|---|") == 2 and "| `stride=1` | `stride=1` | same |" in card
    bullets = render_card(entry, "en", tables=False)
    assert "|" not in bullets.replace("](", "") and "- `groups=1` → `group=1`: renamed" in bullets


def test_escape_keeps_code_spans_and_escapes_the_rest() -> None:
    assert escape("use `a_b*c|d` or *args, requires_grad") == (
        "use `a_b*c|d` or \\*args, requires_grad"
    )
    assert escape("one ` tick_ and __init__") == "one \\` tick\\_ and \\_\\_init\\_\\_"


def test_generated_notes_promise_a_written_default_only_where_the_fix_writes_it(
    kb: KnowledgeBase,
) -> None:
    conv = kb.entry_for_torch("torch.nn.Conv2d")
    assert conv is not None
    classic = next(n for n in conv.notes if n.id == "signature-classic")
    assert "the quick-fix writes torch's value" in classic.text.en and "`bias`" in classic.text.en
    writes = 0
    for entry in _all_entries(kb):
        for note in entry.notes:
            assert "written explicitly" not in note.text.en
            assert "显式写出" not in note.text.zh
            if note.id.startswith("signature") and "quick-fix writes torch's value" in note.text.en:
                writes += 1
                target_id = "mint" if note.id == "signature" else note.id.split("-", 1)[1]
                if target_id not in entry.targets:
                    target_id = next(iter(entry.targets))
                recipe = entry.recipe(target_id)
                assert recipe.write_defaults or recipe.required, entry.id
    assert writes > 10


def test_short_card_bolds_the_trap_only_and_says_each_thing_once(kb: KnowledgeBase) -> None:
    entry = kb.entry_for_torch("torch.nn.Parameter")
    assert entry is not None
    card = render_card(entry, "en", full=False)
    items = [line for line in card.split("\n") if line.startswith("- ")]
    assert items[0].startswith("- **requires_grad=False freezes")  # the trap, bold
    assert all("**" not in item for item in items[1:])  # the rest plain
    # the requires_grad row is what the trap says: not repeated below it
    assert sum("requires_grad" in item for item in items) == 1
    assert len(items) <= 4  # 3 items and "… N more in the full card"
    assert "more in the full card" in items[-1]

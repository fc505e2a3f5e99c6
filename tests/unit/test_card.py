from __future__ import annotations

from mindport.kb.loader import KnowledgeBase
from mindport.render.card import markdown_to_plaintext, render_card


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

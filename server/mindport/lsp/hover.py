"""Hover: the knowledge card of the API under the cursor (reverse card in MindSpore code)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from mindport.analysis.comments import parse_comments
from mindport.analysis.findings import Confidence
from mindport.analysis.references import Reference, ReferenceKind
from mindport.kb.model import Framework
from mindport.lsp.convert import from_client_position, to_range
from mindport.render.card import markdown_to_plaintext, render_card
from mindport.render.rules import render_rules

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

    from mindport.analysis.engine import Analysis
    from mindport.lsp.server import MindPortServer
    from mindport.text import Position


def _wants_markdown(ls: MindPortServer) -> bool:
    text = ls.client_capabilities.text_document
    formats = text.hover.content_format if text and text.hover else None
    return not formats or types.MarkupKind.Markdown in formats


async def hover(ls: MindPortServer, params: types.HoverParams) -> types.Hover | None:
    got = await ls.snapshot(params.text_document.uri)
    if got is None:
        return None
    document, analysis = got
    lines = document.lines
    position = from_client_position(params.position, lines, document.position_codec)
    ls.note_focus(params.text_document.uri, position.line)
    reference = analysis.reference_at(position)
    if reference is None:
        return _directive_hover(ls, document, analysis, position)
    options = ls.options
    if reference.framework is Framework.TORCH:
        entry = ls.kb.entry_for_torch(reference.name)
        reverse = None
    else:
        entries = ls.kb.entries_for_mindspore(reference.name)
        entry = entries[0] if entries else None
        reverse = reference.name
    if entry is None:
        return None
    markdown = render_card(
        entry,
        options.locale,
        target_preference=options.target,
        mindspore_name=reverse,
        verification=ls.kb.verification(entry.id),
    )
    text = analysis.static.parsed.lines.text_of(reference.span)
    markdown = _how_sure(reference, text, options.locale) + markdown
    if _wants_markdown(ls):
        contents = types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown)
    else:
        contents = types.MarkupContent(
            kind=types.MarkupKind.PlainText, value=markdown_to_plaintext(markdown)
        )
    return types.Hover(
        contents=contents, range=to_range(reference.span, lines, document.position_codec)
    )


def _how_sure(reference: Reference, text: str, locale: str) -> str:
    """A first line for references that are not the API named outright."""
    if reference.confidence is Confidence.POSSIBLE:
        if locale == "zh":
            return (
                f"**可能**是 `{reference.name}`:无法确定 `{text}` 前面的值的类型,"
                "这只是根据名字的猜测。\n\n"
            )
        return (
            f"**Possible** `{reference.name}`: the type of the value before `{text}` is "
            "unknown, so this is a guess from the name.\n\n"
        )
    if reference.kind is ReferenceKind.INSTANCE:
        if locale == "zh":
            return f"`{text}` 是一个 `{reference.name}`。\n\n"
        return f"`{text}` is a `{reference.name}`.\n\n"
    return ""


def _contents(ls: MindPortServer, markdown: str) -> types.MarkupContent:
    if _wants_markdown(ls):
        return types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown)
    return types.MarkupContent(
        kind=types.MarkupKind.PlainText, value=markdown_to_plaintext(markdown)
    )


def _directive_hover(
    ls: MindPortServer, document: TextDocument, analysis: Analysis, position: Position
) -> types.Hover | None:
    """Over ``# mindport: ignore[...]``: what it silences, with links to the rules."""
    directive = parse_comments(analysis.static.parsed.lines.text).directive_at(position)
    if directive is None:
        return None
    codes = sorted(directive.codes) if directive.codes is not None else None
    markdown = render_rules(codes, ls.options.locale, file_level=directive.file_level)
    return types.Hover(
        contents=_contents(ls, markdown),
        range=to_range(directive.span, document.lines, document.position_codec),
    )


def register(server: MindPortServer) -> None:
    server.feature(types.TEXT_DOCUMENT_HOVER)(hover)

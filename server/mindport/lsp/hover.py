"""Hover: the knowledge card of the API under the cursor (reverse card in MindSpore code)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote

from lsprotocol import types

from mindport.analysis.comments import parse_comments
from mindport.analysis.findings import Confidence
from mindport.analysis.references import Reference, ReferenceKind
from mindport.analysis.rules import REPLACEMENT_AVAILABLE
from mindport.kb.model import Framework
from mindport.lsp.convert import from_client_position, to_range
from mindport.lsp.notebooks import cell_view, shift_range
from mindport.render.card import MAX_SHORT_LINES, markdown_to_plaintext, render_card
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
    cell = cell_view(ls, params.text_document.uri)
    if cell is not None:  # a notebook cell: asked of the notebook's text
        view, first = cell
        moved = types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=view.uri),
            position=types.Position(
                line=params.position.line + first, character=params.position.character
            ),
        )
        found = await hover(ls, moved)
        if found is not None and found.range is not None:
            found.range = shift_range(found.range, -first)
        return found
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
    text = analysis.static.parsed.lines.text_of(reference.span)
    lead = _how_sure(reference, text, options.locale)
    markdown = lead + render_card(
        entry,
        options.locale,
        target_preference=options.target,
        mindspore_name=reverse,
        verification=ls.kb.verification(entry.id),
        full=False,
        call_details=call_details(analysis, reference, entry.id),
        full_card=_full_card_link(ls, reference.name, options.locale),
        max_lines=MAX_SHORT_LINES - lead.count("\n"),
    )
    if _wants_markdown(ls):
        contents = types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown)
    else:
        contents = types.MarkupContent(
            kind=types.MarkupKind.PlainText, value=markdown_to_plaintext(markdown)
        )
    return types.Hover(
        contents=contents, range=to_range(reference.span, lines, document.position_codec)
    )


def call_details(analysis: Analysis, reference: Reference, entry_id: str) -> list[str]:
    """What this call's findings say, one line each, without the generic headline."""
    extent = reference.call.span if reference.call is not None else reference.span
    lines: list[str] = []
    for finding in analysis.findings:
        if finding.entry_id != entry_id:
            continue
        if not (extent.start <= finding.span.start and finding.span.end <= extent.end):
            continue
        message = finding.message.splitlines()
        for line in message[1:] if finding.code == REPLACEMENT_AVAILABLE.code else message:
            if line.strip() and line not in lines:
                lines.append(line)
    return lines


# Clients that can run our "open the full card" command say so in their capabilities
# (`experimental.mindport.showCard`); others are told how to get it.
SHOW_CARD = "mindport.showCard"


def _full_card_link(ls: MindPortServer, name: str, locale: str) -> str:
    experimental = ls.client_capabilities.experimental
    supported = (
        isinstance(experimental, dict)
        and isinstance(experimental.get("mindport"), dict)
        and experimental["mindport"].get("showCard") is True
    )
    if supported:
        argument = quote(json.dumps([name]))
        label = "完整卡片" if locale == "zh" else "Full card"
        return f"[{label}](command:{SHOW_CARD}?{argument})"
    if locale == "zh":
        return f"完整卡片:`mindport explain {name}`"
    return f"Full card: `mindport explain {name}`"


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

"""Helpers for end-to-end tests: positions in client units, applying edits like an editor."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from lsprotocol import types
from pytest_lsp import LanguageClient


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def position_of(
    text: str, needle: str, encoding: str = "utf-16", occurrence: int = 0
) -> types.Position:
    """Client position of the start of the ``occurrence``-th ``needle`` in ``text``."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index)
    line_start = text.rfind("\n", 0, index) + 1
    return types.Position(line=line, character=units(text[line_start:index], encoding))


def range_of(text: str, needle: str, encoding: str = "utf-16", occurrence: int = 0) -> types.Range:
    start = position_of(text, needle, encoding, occurrence)
    return types.Range(
        start=start, end=types.Position(start.line, start.character + units(needle, encoding))
    )


def _offset(text: str, position: types.Position, encoding: str) -> int:
    lines = text.splitlines(keepends=True)
    if position.line >= len(lines):
        return len(text)
    start = sum(len(line) for line in lines[: position.line])
    line = lines[position.line]
    column = 0
    counted = 0
    while column < len(line) and counted < position.character:
        counted += units(line[column], encoding)
        column += 1
    return start + column


def apply_text_edits(text: str, edits: Sequence[types.TextEdit], encoding: str = "utf-16") -> str:
    """Apply LSP text edits the way an editor does (all ranges refer to the original text).

    Inserts at one position appear in the order of the array (LSP 3.17, TextEdit[]): applying
    from the end, a later insert goes in first and an earlier one lands before it.
    """
    placed = sorted(
        (
            (
                _offset(text, e.range.start, encoding),
                _offset(text, e.range.end, encoding),
                index,
                e.new_text,
            )
            for index, e in enumerate(edits)
        ),
        reverse=True,
    )
    for start, end, _, new_text in placed:
        text = text[:start] + new_text + text[end:]
    return text


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None
    if action.edit.document_changes:
        edits: list[types.TextEdit] = []
        for change in action.edit.document_changes:
            assert isinstance(change, types.TextDocumentEdit)
            assert change.text_document.uri == uri
            edits.extend(e for e in change.edits if isinstance(e, types.TextEdit))
        return edits
    assert action.edit.changes is not None
    return list(action.edit.changes[uri])


async def diagnostics_for(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    """Wait until the server has published diagnostics for ``uri`` (push mode)."""
    while uri not in client.diagnostics:
        # A publish that never comes must fail the test, not hang the run.
        await asyncio.wait_for(
            client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=60
        )
    return list(client.diagnostics[uri])


async def pulled(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    return list(report.items)


async def hover_at(
    client: LanguageClient, uri: str, position: types.Position
) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )

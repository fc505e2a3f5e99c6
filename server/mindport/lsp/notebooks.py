"""Jupyter notebooks in the editor: LSP notebook document sync.

A notebook is analysed as one text, its code cells one after another, exactly as the command
line reads an ``.ipynb`` file (``mindport.notebooks.cells_text``: IPython magics masked, each
cell after a marker line), so a cell that uses ``torch`` imported in an earlier cell is
understood as the kernel would. The analysis is kept under the notebook's URI; what the
client sees is per cell: diagnostics are published (or pulled) for each cell's URI with
lines counted in the cell, and hovers and code actions asked in a cell are answered from
the notebook's analysis with their positions moved into and out of the cell. A quick fix
whose edits reach another cell (the ``import mindspore`` line above the first cell, say)
edits both cells in one workspace edit. Columns need no conversion between the two: a
cell's line and the same line of the notebook's text are the same text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from mindport.lsp.protocol import MindPortDocument
from mindport.notebooks import NotebookText, cells_text

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

    from mindport.lsp.server import MindPortServer

SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[
        types.NotebookDocumentFilterWithCells(
            notebook="jupyter-notebook", cells=[types.NotebookCellLanguage(language="python")]
        )
    ]
)


@dataclass(frozen=True)
class NotebookView:
    """One version of an open notebook as one text, and where each cell went."""

    uri: str
    version: int
    text: NotebookText
    cell_uris: tuple[str, ...]  # every cell's URI, in the notebook's order
    document: TextDocument  # the text, as a document of the notebook's URI

    def first_line(self, cell_uri: str) -> int | None:
        """The notebook text's line where the cell's first line is; None: not a code cell."""
        if cell_uri not in self.cell_uris:
            return None
        cell = self.text.cell(self.cell_uris.index(cell_uri))
        return cell.first if cell is not None else None

    def cell_at(self, line: int) -> tuple[str, int] | None:
        """(cell URI, line in the cell) of a line of the text; lines above the first cell
        (where a fix puts an import) are the first cell's first line."""
        if not self.text.cells:
            return None
        first = self.text.cells[0]
        if line < first.first:
            return self.cell_uris[first.index], 0
        for cell in self.text.cells:
            # the line after the cell's last (the next cell's marker): the end of the cell
            if cell.first <= line <= cell.first + cell.count:
                return self.cell_uris[cell.index], line - cell.first
        return None


def view_of(ls: MindPortServer, uri: str) -> NotebookView | None:
    """The open notebook ``uri`` as one text (built once per notebook version)."""
    notebook = ls.workspace.get_notebook_document(notebook_uri=uri)
    if notebook is None:
        return None
    known = ls.notebook_views.get(uri)
    if known is not None and known.version == notebook.version:
        return known
    sources: list[str | None] = []
    for cell in notebook.cells:
        if cell.kind == types.NotebookCellKind.Code:
            document = ls.workspace.text_documents.get(cell.document)
            language = document.language_id if document is not None else "python"
            if document is not None and language in (None, "python"):
                sources.append(document.source)
                continue
        sources.append(None)
    text = cells_text(sources)
    document = MindPortDocument(
        uri,
        source=text.text,
        version=notebook.version,
        language_id="python",
        position_codec=ls.workspace.position_codec,
    )
    view = NotebookView(
        uri, notebook.version, text, tuple(c.document for c in notebook.cells), document
    )
    ls.notebook_views[uri] = view
    return view


def notebook_of_cell(ls: MindPortServer, cell_uri: str) -> str | None:
    notebook = ls.workspace.get_notebook_document(cell_uri=cell_uri)
    return notebook.uri if notebook is not None else None


# -- document sync ----------------------------------------------------------------------------


def did_open(ls: MindPortServer, params: types.DidOpenNotebookDocumentParams) -> None:
    uri = params.notebook_document.uri
    ls.open_uris.add(uri)
    ls.schedule_analysis(uri, delay=0)


def did_change(ls: MindPortServer, params: types.DidChangeNotebookDocumentParams) -> None:
    uri = params.notebook_document.uri
    view = ls.notebook_views.get(uri)
    if view is not None and not ls.uses_pull_diagnostics:
        notebook = ls.workspace.get_notebook_document(notebook_uri=uri)
        now = {c.document for c in notebook.cells} if notebook is not None else set()
        for gone in set(view.cell_uris) - now:  # deleted cells: their squiggles go too
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=gone, diagnostics=[])
            )
    ls.schedule_analysis(uri, delay=ls.settings.diagnostics_debounce_ms / 1000)


def did_close(ls: MindPortServer, params: types.DidCloseNotebookDocumentParams) -> None:
    uri = params.notebook_document.uri
    ls.open_uris.discard(uri)
    ls.forget(uri)
    view = ls.notebook_views.pop(uri, None)
    if view is not None and not ls.uses_pull_diagnostics:
        for cell_uri in view.cell_uris:
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=cell_uri, diagnostics=[])
            )


# -- moving positions into and out of a cell ----------------------------------------------------


def _shift_position(position: types.Position, lines: int) -> types.Position:
    return types.Position(line=position.line + lines, character=position.character)


def shift_range(value: types.Range, lines: int) -> types.Range:
    return types.Range(
        start=_shift_position(value.start, lines), end=_shift_position(value.end, lines)
    )


def shift_diagnostic(diagnostic: types.Diagnostic, lines: int) -> types.Diagnostic:
    return types.Diagnostic(
        range=shift_range(diagnostic.range, lines),
        message=diagnostic.message,
        severity=diagnostic.severity,
        code=diagnostic.code,
        code_description=diagnostic.code_description,
        source=diagnostic.source,
        tags=diagnostic.tags,
        related_information=diagnostic.related_information,
        data=diagnostic.data,
    )


def per_cell(
    view: NotebookView, diagnostics: list[types.Diagnostic]
) -> dict[str, list[types.Diagnostic]]:
    """The notebook's diagnostics by cell URI, lines counted in the cell (every code cell
    has an entry, so that a cell whose last finding went is cleared)."""
    cells: dict[str, list[types.Diagnostic]] = {
        view.cell_uris[c.index]: [] for c in view.text.cells
    }
    for diagnostic in diagnostics:
        where = view.text.locate(diagnostic.range.start.line)
        if where is None:
            continue
        cell_uri = view.cell_uris[where[0]]
        first = view.first_line(cell_uri)
        assert first is not None
        cells[cell_uri].append(shift_diagnostic(diagnostic, -first))
    return cells


def publish(ls: MindPortServer, view: NotebookView, diagnostics: list[types.Diagnostic]) -> None:
    for cell_uri, items in per_cell(view, diagnostics).items():
        document = ls.workspace.text_documents.get(cell_uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=cell_uri,
                version=document.version if document is not None else None,
                diagnostics=items,
            )
        )


def _end_of(lines: list[str], encoding: object) -> types.Position:
    """The position after the last character of a cell, in the client's units."""
    last = lines[-1].rstrip("\r\n")
    if encoding == types.PositionEncodingKind.Utf8:
        column = len(last.encode("utf-8"))
    elif encoding == types.PositionEncodingKind.Utf32:
        column = len(last)
    else:
        column = len(last.encode("utf-16-le")) // 2
    return types.Position(line=len(lines) - 1, character=column)


def _cell_edits(
    ls: MindPortServer, view: NotebookView, edits: list[Any]
) -> dict[str, list[types.TextEdit]] | None:
    """Edits of the notebook's text as edits of its cells; None when one spans two cells."""
    by_cell: dict[str, list[types.TextEdit]] = {}
    for edit in edits:
        start = view.cell_at(edit.range.start.line)
        end = view.cell_at(edit.range.end.line)
        if start is None or end is None or start[0] != end[0]:
            return None
        first = view.first_line(start[0])
        assert first is not None
        new_text = edit.new_text
        if edit.range.start.line < first:  # above the first cell: at its very start
            origin = types.Position(line=0, character=0)
            moved = types.Range(start=origin, end=origin)
        else:
            moved = shift_range(edit.range, -first)
            document = ls.workspace.text_documents.get(start[0])
            lines = list(document.lines) if document is not None else []
            ends_open = bool(lines) and not lines[-1].endswith(("\n", "\r"))
            if moved.start.line >= len(lines) and (ends_open or moved.start.line > len(lines)):
                # At the end of a cell (an import after the cell's last import) whose last
                # line has no line break, as editors keep cells: after its last character,
                # with the line break first.
                if moved.start != moved.end or not ends_open:
                    return None
                end_of_cell = _end_of(lines, ls.workspace.position_encoding)
                moved = types.Range(start=end_of_cell, end=end_of_cell)
                new_text = "\n" + new_text.removesuffix("\n")
        by_cell.setdefault(start[0], []).append(types.TextEdit(range=moved, new_text=new_text))
    return by_cell


def to_cells(
    ls: MindPortServer, view: NotebookView, edit: types.WorkspaceEdit
) -> types.WorkspaceEdit | None:
    """A workspace edit of the notebook's text as one of its cells (versioned when the
    client takes document changes)."""
    edits: list[Any] = []
    if edit.document_changes:
        for change in edit.document_changes:
            if isinstance(change, types.TextDocumentEdit):
                edits.extend(change.edits)
    elif edit.changes:
        for items in edit.changes.values():
            edits.extend(items)
    by_cell = _cell_edits(ls, view, edits)
    if by_cell is None:
        return None
    if edit.document_changes is not None:
        changes: list[Any] = []
        for cell_uri, items in by_cell.items():
            document = ls.workspace.text_documents.get(cell_uri)
            identifier = types.OptionalVersionedTextDocumentIdentifier(
                uri=cell_uri, version=document.version if document is not None else None
            )
            changes.append(types.TextDocumentEdit(text_document=identifier, edits=items))
        return types.WorkspaceEdit(document_changes=changes)
    return types.WorkspaceEdit(changes=dict(by_cell))


def register(server: MindPortServer) -> None:
    server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)(did_open)
    server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)(did_change)
    server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)(did_close)


def cell_view(ls: MindPortServer, uri: str) -> tuple[NotebookView, int] | None:
    """For a code cell of an open notebook: the notebook's view and the line of the
    notebook's text where the cell starts (None for any other document)."""
    if not ls.workspace.notebook_documents:
        return None
    notebook = notebook_of_cell(ls, uri)
    if notebook is None:
        return None
    view = view_of(ls, notebook)
    first = view.first_line(uri) if view is not None else None
    if view is None or first is None:
        return None
    return view, first

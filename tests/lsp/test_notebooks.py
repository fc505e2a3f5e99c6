"""Notebooks over real JSON-RPC: LSP notebook document sync, per-cell diagnostics, hovers and
quick fixes, and names imported in one cell used in another."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.lsp.conftest import DATA, SERVER, accept_registrations
from tests.lsp.helpers import apply_text_edits, hover_at, position_of, pulled, range_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

IMPORTS = "import torch\nimport torch.nn as nn"  # no final line break, as editors keep cells
MARKDOWN = "# A model\nSome words about `torch.nn.Parameter(w)`.\n"
MODEL = "%matplotlib inline\nw = torch.zeros(3)\np = nn.Parameter(w)\n"


def _capabilities(profile: str) -> types.ClientCapabilities:
    capabilities = client_capabilities(profile)
    capabilities.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities()
    )
    return capabilities


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    """VS Code's capabilities (push diagnostics) with notebook synchronisation."""
    accept_registrations(lsp_client)
    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=_capabilities("visual-studio-code"), locale="en-us")
    )
    sync = result.capabilities.notebook_document_sync
    assert isinstance(sync, types.NotebookDocumentSyncOptions)  # advertised
    yield
    await lsp_client.shutdown_session()


def _notebook(name: str) -> tuple[str, list[str]]:
    uri = (DATA / "lsp" / f"{name}.ipynb").as_uri()
    cells = [f"vscode-notebook-cell:{uri[len('file:') :]}#cell{n}" for n in range(3)]
    return uri, cells


def _open(client: LanguageClient, name: str, sources: list[str]) -> tuple[str, list[str]]:
    uri, cells = _notebook(name)
    kinds = [
        types.NotebookCellKind.Code,
        types.NotebookCellKind.Markup,
        types.NotebookCellKind.Code,
    ]
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=uri,
                notebook_type="jupyter-notebook",
                version=1,
                cells=[
                    types.NotebookCell(kind=k, document=c)
                    for k, c in zip(kinds, cells, strict=True)
                ],
            ),
            cell_text_documents=[
                types.TextDocumentItem(
                    uri=cell,
                    language_id="python" if kind == types.NotebookCellKind.Code else "markdown",
                    version=1,
                    text=source,
                )
                for cell, kind, source in zip(cells, kinds, sources, strict=True)
            ],
        )
    )
    return uri, cells


async def _published(
    client: LanguageClient, uri: str, count: int | None = None
) -> list[types.Diagnostic]:
    """The diagnostics last published for ``uri`` once there are (``count`` of) them."""

    async def wait() -> list[types.Diagnostic]:
        while uri not in client.diagnostics or (
            count is not None and len(client.diagnostics[uri]) != count
        ):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return list(client.diagnostics[uri])

    return await asyncio.wait_for(wait(), timeout=60)


async def test_diagnostics_are_published_per_cell_across_cells(client: LanguageClient) -> None:
    uri, cells = _open(client, "nb-diagnostics", [IMPORTS, MARKDOWN, MODEL])
    found = await _published(client, cells[2])
    # ``torch`` and ``nn`` come from the first cell; the lines are the third cell's own
    parameter = range_of(MODEL, "nn.Parameter")
    assert any(d.code == "MP101" and d.range == parameter for d in found), found
    assert all(d.range.start.line in (1, 2) for d in found)
    assert await _published(client, cells[0]) == []  # imports alone: nothing to say
    assert cells[1] not in client.diagnostics  # markdown is not analysed
    assert uri not in client.diagnostics  # nothing under the notebook's own URI


async def test_hover_in_a_cell(client: LanguageClient) -> None:
    _, cells = _open(client, "nb-hover", [IMPORTS, MARKDOWN, MODEL])
    await _published(client, cells[2])
    hover = await hover_at(client, cells[2], position_of(MODEL, "Parameter"))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "torch.nn.Parameter" in hover.contents.value
    assert hover.range == range_of(MODEL, "nn.Parameter")
    assert await hover_at(client, cells[2], types.Position(0, 2)) is None  # the magic line


async def test_quick_fix_in_a_cell_edits_the_cells(client: LanguageClient) -> None:
    _, cells = _open(client, "nb-fix", [IMPORTS, MARKDOWN, MODEL])
    found = await _published(client, cells[2])
    parameter = range_of(MODEL, "nn.Parameter")
    diagnostic = next(d for d in found if d.code == "MP101" and d.range == parameter)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=cells[2]),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert actions, found
    fix = next(a for a in actions if isinstance(a, types.CodeAction) and "Parameter" in a.title)
    assert fix.edit is not None
    assert fix.diagnostics and fix.diagnostics[0].range == diagnostic.range
    changes: dict[str, list[types.TextEdit]] = {}
    for change in fix.edit.document_changes or []:  # this client takes versioned edits
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.version == 1  # the cell's own version
        changes[change.text_document.uri] = [
            e for e in change.edits if isinstance(e, types.TextEdit)
        ]
    assert set(changes) <= set(cells) and cells[2] in changes
    sources = {cells[0]: IMPORTS, cells[2]: MODEL}
    fixed = {cell: apply_text_edits(sources[cell], edits) for cell, edits in changes.items()}
    assert "mindspore.Parameter(w)" in fixed[cells[2]]
    assert fixed[cells[2]].startswith("%matplotlib inline\n")  # the magic stays
    # the import the fix needs goes at the end of the cell with the imports, on a line of
    # its own (the cell's last line had no line break), not above the magic
    assert fixed[cells[0]] == IMPORTS + "\nimport mindspore"


async def test_an_edited_cell_is_analysed_again_and_a_closed_notebook_cleared(
    client: LanguageClient,
) -> None:
    uri, cells = _open(client, "nb-change", [IMPORTS, MARKDOWN, MODEL])
    assert await _published(client, cells[2])
    # the import cell no longer imports torch.nn: the third cell's nn.Parameter is unknown
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(uri=uri, version=2),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            document=types.VersionedTextDocumentIdentifier(uri=cells[0], version=2),
                            changes=[types.TextDocumentContentChangeWholeDocument(text="x = 1\n")],
                        )
                    ]
                )
            ),
        )
    )
    remaining = await _published(client, cells[2], count=0)
    assert remaining == []
    client.notebook_document_did_close(
        types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=uri),
            cell_text_documents=[types.TextDocumentIdentifier(uri=c) for c in cells],
        )
    )


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def puller(lsp_client: LanguageClient) -> AsyncIterator[None]:
    """Neovim 0.11's capabilities (pull diagnostics, UTF-8) with notebook synchronisation."""
    accept_registrations(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=_capabilities("neovim@v0.11.0"))
    )
    yield
    await lsp_client.shutdown_session()


async def test_pulled_diagnostics_of_a_cell(puller: LanguageClient) -> None:
    _, cells = _open(puller, "nb-pull", [IMPORTS, MARKDOWN, MODEL])
    items = await pulled(puller, cells[2])
    parameter = range_of(MODEL, "nn.Parameter", "utf-8")
    assert any(d.code == "MP101" and d.range == parameter for d in items), items
    assert await pulled(puller, cells[0]) == []

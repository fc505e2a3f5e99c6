"""workspace/executeCommand: ``mindport.migrationSummary``, the migration summary of the
workspace (what the VS Code command "MindPort: Show Migration Summary of the Workspace" shows).

Every ``*.py`` file under the workspace folders that ``include``/``exclude`` admit is analysed
with the static pass (imports and names; fast, no jedi), using the editor's text for open
documents. The result is ``mindport.analysis.summary.to_json`` plus ``markdown``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from pathlib import Path
from typing import Any

from pygls import uris

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.findings import Finding
from mindport.analysis.summary import MigrationSummary, summarise, to_json, to_markdown
from mindport.lsp.server import MindPortServer  # a real import: pygls reads the annotations
from mindport.project_config import is_included
from mindport.sources import SourceError, python_files, read_source

log = logging.getLogger("mindport")

MIGRATION_SUMMARY = "mindport.migrationSummary"
MAX_FILES = 5000


def _workspace_roots(ls: MindPortServer) -> list[Path]:
    roots = [
        Path(path)
        for folder in ls.workspace.folders.values()
        if (path := uris.to_fs_path(folder.uri))
    ]
    if not roots and ls.workspace.root_path:
        roots = [Path(ls.workspace.root_path)]
    return roots


def _open_documents(ls: MindPortServer) -> dict[Path, str]:
    """The editor's current text of open files (it may be unsaved)."""
    texts: dict[Path, str] = {}
    for uri in list(ls.open_uris):
        path = uris.to_fs_path(uri)
        if path:
            texts[Path(path).resolve()] = ls.workspace.get_text_document(uri).source
    return texts


def collect(
    ls: MindPortServer,
    roots: list[Path],
    open_texts: dict[Path, str],
    options: AnalysisOptions,
    max_files: int = MAX_FILES,
) -> MigrationSummary:
    """Analyse the workspace's Python files (runs in a worker thread)."""
    results: list[tuple[str, tuple[Finding, ...]]] = []
    problems: list[str] = []
    seen: set[Path] = set()
    truncated = False
    for root in roots:
        for path in python_files(root):
            resolved = path.resolve()
            if resolved in seen or path.suffix != ".py":
                continue
            if not is_included(path, root, ls.settings):
                continue
            if len(seen) >= max_files:
                truncated = True
                break
            seen.add(resolved)
            shown = path.relative_to(root).as_posix() if len(roots) == 1 else str(path)
            try:
                text = open_texts.get(resolved)
                if text is None:
                    text = read_source(path)
            except SourceError as error:
                problems.append(f"{shown}: {error}")
                continue
            try:
                analysis = ls.analyzer.analyze_static(text, options)
            except Exception as error:  # one bad file must not spoil the summary
                log.exception("summary: analysing %s failed", path)
                problems.append(f"{shown}: analysis failed ({error})")
                continue
            results.append((shown, analysis.findings))
    return summarise(results, problems=problems, truncated=truncated)


async def migration_summary(ls: MindPortServer) -> dict[str, Any]:
    options = ls.options
    roots = _workspace_roots(ls)
    open_texts = _open_documents(ls)
    loop = asyncio.get_running_loop()
    summary = await loop.run_in_executor(None, collect, ls, roots, open_texts, options)
    return {**to_json(summary), "markdown": to_markdown(summary, options.locale)}


DOCUMENT_STATE = "mindport.documentState"


def document_state(ls: MindPortServer, uri: str) -> dict[str, Any] | None:
    """The server's copy of an open document: version, length and SHA-256 of its text.

    A debugging aid (and what the LSP edit fuzz compares with the client's text); ``None``
    for a document that is not open.
    """
    if uri not in ls.open_uris:
        return None
    document = ls.workspace.get_text_document(uri)
    text = document.source
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return {"version": document.version, "length": len(text), "sha256": digest}


def register(server: MindPortServer) -> None:
    server.command(MIGRATION_SUMMARY)(migration_summary)
    server.command(DOCUMENT_STATE)(document_state)

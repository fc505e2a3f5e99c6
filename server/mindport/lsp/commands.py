"""workspace/executeCommand: ``mindport.migrationSummary``, the migration summary of the
workspace (what the VS Code command "MindPort: Show Migration Summary of the Workspace" shows).

The files are listed, analysed and counted as ``mindport check`` and ``mindport report`` do
(``mindport.batch`` for the list and each project's settings, ``mindport.parallel`` for worker
processes with jedi and the shared result cache, ``mindport.analysis.summary`` for the
counts), so the editor and the command line count alike on the same files and settings. The
editor's settings are the base each project's ``[tool.mindport]`` overlays, as for open
documents; open documents count with their current (possibly unsaved) text. The result is
``mindport.analysis.summary.to_json`` plus ``markdown`` and the report page as ``html``.
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
    from mindport import parallel
    from mindport.batch import Batch, FileResult, Overrides
    from mindport.cache import default_cache_dir

    batch = Batch(ls.analyzer, Overrides(locale=options.locale), options.locale, ls.settings)
    results: list[tuple[str, tuple[Finding, ...]]] = []
    problems: list[str] = []
    seen: set[Path] = set()
    on_disk: list[tuple[str, Path]] = []
    truncated = False

    def shown(path: Path, root: Path) -> str:
        return path.relative_to(root).as_posix() if len(roots) == 1 else str(path)

    for root in roots:
        for item in batch.files([root]):
            if isinstance(item, FileResult):
                problems.append(f"{item.path}: {item.error}")
                continue
            resolved = item.resolve()
            if resolved in seen:
                continue
            if len(seen) >= max_files:
                truncated = True
                break
            seen.add(resolved)
            text = open_texts.get(resolved)
            if text is None:
                on_disk.append((shown(item, root), item))
                continue
            try:
                uri = resolved.as_uri()
                analysis = ls.analyzer.analyze(text, resolved, ls.options_for(uri))
            except Exception as error:  # one bad file must not spoil the summary
                log.exception("summary: analysing %s failed", item)
                problems.append(f"{shown(item, root)}: analysis failed ({error})")
                continue
            results.append((shown(item, root), analysis.findings))
    problems.extend(batch.problems)
    resolver = ls.analyzer.resolver
    spec = parallel.RunSpec(
        no_jedi=resolver is None,
        locale=options.locale,
        system_locale=options.locale,
        project_root=roots[0] if roots else Path.cwd(),
        cache_dir=default_cache_dir(),
        knowledge=ls.kb.root,
        base=ls.settings,
        site_paths=tuple(resolver.site_paths) if resolver is not None else None,
    )
    names = dict((path, name) for name, path in on_disk)
    paths = [path for _, path in on_disk]
    jobs = min(parallel.default_jobs(), max(len(paths), 1))
    for outcome in parallel.run(spec, paths, jobs):
        name = names[outcome.path]
        if outcome.error:
            problems.append(f"{name}: {outcome.error}")
        else:
            results.append((name, outcome.findings))
    results.sort(key=lambda item: item[0])
    return summarise(results, problems=problems, truncated=truncated, kb=ls.kb)


async def migration_summary(ls: MindPortServer) -> dict[str, Any]:
    options = ls.options
    roots = _workspace_roots(ls)
    open_texts = _open_documents(ls)
    loop = asyncio.get_running_loop()
    summary = await loop.run_in_executor(None, collect, ls, roots, open_texts, options)
    from mindport.render.report_html import to_html

    return {
        **to_json(summary),
        "markdown": to_markdown(summary, options.locale),
        "html": to_html(summary, options.locale),
    }


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

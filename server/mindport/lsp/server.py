"""MindPort's language server: state, analysis scheduling and feature registration."""

from __future__ import annotations

import asyncio
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from mindport import __version__
from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analysis, Analyzer
from mindport.analysis.jedi_resolver import JediResolver, site_paths_of
from mindport.kb.loader import KnowledgeBase, load_knowledge
from mindport.kb.model import normalise_locale
from mindport.lsp.diagnostics import publish
from mindport.settings import Settings

log = logging.getLogger("mindport")


@dataclass
class DocumentState:
    """The analysis of one version of one open document, under one settings generation."""

    version: int | None
    generation: int
    analysis: Analysis
    refining: bool = False


class MindPortServer(LanguageServer):
    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        super().__init__("mindport", __version__)
        self.kb = kb if kb is not None else load_knowledge()
        self.settings = Settings()
        self.initialization_settings = Settings()
        self.pending_problems: list[str] = []  # settings problems found before the client was ready
        self.client_locale: str | None = None
        self.open_uris: set[str] = set()
        # Documents opened before the settings are known wait here, so that the first
        # diagnostics already speak the configured language and target.
        self.configured = False
        self._waiting: set[str] = set()
        self.generation = 0  # bumped whenever settings change: cached analyses become stale
        self.states: dict[str, DocumentState] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        # jedi is not thread-safe: one worker thread runs every jedi request in turn.
        self.jedi_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mindport-jedi")
        self.analyzer = Analyzer(self.kb, None)
        self._reported: set[str] = set()

    # -- configuration ---------------------------------------------------------------------

    @property
    def options(self) -> AnalysisOptions:
        locale = self.settings.locale
        return AnalysisOptions(
            locale=normalise_locale(self.client_locale if locale == "auto" else locale),
            target=self.settings.target,
        )

    @property
    def uses_pull_diagnostics(self) -> bool:
        capabilities = self.client_capabilities.text_document
        return capabilities is not None and capabilities.diagnostic is not None

    def apply_settings(self, settings: Settings) -> None:
        """Adopt new settings: rebuild the resolver if needed and re-analyse open documents."""
        resolver_changed = (
            settings.interpreter != self.settings.interpreter
            or settings.jedi_enabled != self.settings.jedi_enabled
            or (settings.jedi_enabled and self.analyzer.resolver is None)
        )
        self.settings = settings
        if resolver_changed:
            self.analyzer = Analyzer(self.kb, self._make_resolver())
        self.generation += 1
        self.states.clear()

    def _make_resolver(self) -> JediResolver | None:
        if not self.settings.jedi_enabled:
            return None
        root = Path(self.workspace.root_path) if self.workspace.root_path else None
        try:
            site_paths = site_paths_of(self.settings.interpreter or None)
        except Exception as error:  # a missing or broken interpreter must not stop the server
            self.report_once(
                f"interpreter:{self.settings.interpreter}",
                f"MindPort could not use the interpreter {self.settings.interpreter!r} ({error}); "
                "names are resolved with the language server's own environment instead.",
            )
            site_paths = site_paths_of(None)
        return JediResolver(self.kb, project_root=root, site_paths=site_paths)

    def report_once(
        self, key: str, message: str, kind: types.MessageType = types.MessageType.Warning
    ) -> None:
        """Tell the user about a problem once per session; details also go to the log."""
        log.warning(message)
        if key in self._reported:
            return
        self._reported.add(key)
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    # -- analysis ----------------------------------------------------------------------------

    def analysis_for(self, uri: str) -> tuple[TextDocument, Analysis]:
        """The current analysis of ``uri``; the static pass runs now if the cache is stale."""
        document = self.workspace.get_text_document(uri)
        state = self.states.get(uri)
        if (
            state is None
            or state.version != document.version
            or state.generation != self.generation
        ):
            analysis = self.analyzer.analyze_static(document.source, self.options)
            state = DocumentState(document.version, self.generation, analysis)
            self.states[uri] = state
        self._refine_later(uri, state, document)
        return document, state.analysis

    def _refine_later(self, uri: str, state: DocumentState, document: TextDocument) -> None:
        if state.analysis.refined or state.refining:
            return
        state.refining = True
        loop = asyncio.get_running_loop()
        path = Path(document.path) if document.path else None
        options = self.options
        future = loop.run_in_executor(
            self.jedi_executor, self.analyzer.refine, state.analysis, path, options
        )
        future.add_done_callback(lambda done: self._adopt_refined(uri, state, done))

    def _adopt_refined(
        self, uri: str, state: DocumentState, done: asyncio.Future[Analysis]
    ) -> None:
        if done.cancelled():
            return
        error = done.exception()
        if error is not None:
            log.error("refining %s failed: %s", uri, error)
            return
        current = self.states.get(uri)
        if current is not state:
            return  # a newer version or other settings: this answer is stale
        refined = done.result()
        changed = refined.findings != state.analysis.findings
        self.states[uri] = DocumentState(state.version, state.generation, refined)
        if changed:
            self.notify_diagnostics_changed(uri)

    def notify_diagnostics_changed(self, uri: str) -> None:
        if self.uses_pull_diagnostics:
            workspace = self.client_capabilities.workspace
            if workspace and workspace.diagnostics and workspace.diagnostics.refresh_support:
                self.workspace_diagnostic_refresh(None)
        elif uri in self.open_uris:
            publish(self, uri)

    def schedule_analysis(self, uri: str, delay: float) -> None:
        """Analyse ``uri`` after ``delay`` seconds; a newer request replaces a pending one."""
        if not self.configured:
            self._waiting.add(uri)
            return
        pending = self._timers.pop(uri, None)
        if pending is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        self._timers[uri] = loop.call_later(delay, self._analyse_now, uri)

    def _analyse_now(self, uri: str) -> None:
        self._timers.pop(uri, None)
        try:
            self.analysis_for(uri)
        except Exception:
            log.exception("analysing %s failed", uri)
            return
        if not self.uses_pull_diagnostics:
            publish(self, uri)

    def finish_configuration(self) -> None:
        """Settings are known: analyse the documents that were opened meanwhile."""
        self.configured = True
        waiting, self._waiting = self._waiting, set()
        for uri in waiting & self.open_uris:
            self.schedule_analysis(uri, delay=0)

    def refresh_all(self) -> None:
        """After a settings change: re-analyse every open document and tell the client."""
        if self.uses_pull_diagnostics:
            workspace = self.client_capabilities.workspace
            if workspace and workspace.diagnostics and workspace.diagnostics.refresh_support:
                self.workspace_diagnostic_refresh(None)
        else:
            for uri in self.open_uris:
                self.schedule_analysis(uri, delay=0)

    def forget(self, uri: str) -> None:
        pending = self._timers.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self.states.pop(uri, None)


def create_server(kb: KnowledgeBase | None = None) -> MindPortServer:
    from mindport.lsp import code_actions, configuration, diagnostics, documents, hover

    server = MindPortServer(kb)
    for feature in (configuration, documents, diagnostics, hover, code_actions):
        feature.register(server)
    return server


def run_server(
    *, tcp: tuple[str, int] | None = None, log_file: Path | None = None, verbose: bool = False
) -> None:
    # stdout carries JSON-RPC: logging goes to stderr (VS Code shows it in the output channel).
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
    )
    logging.getLogger("pygls").setLevel(logging.DEBUG if verbose else logging.WARNING)
    server = create_server()
    for problem in server.kb.problems:
        log.warning("knowledge: %s", problem)
    if tcp is not None:
        server.start_tcp(*tcp)
    else:
        server.start_io()

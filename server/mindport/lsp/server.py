"""MindPort's language server: state, analysis scheduling and feature registration."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls import uris
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from mindport import __version__
from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analysis, Analyzer, collector_paused
from mindport.analysis.jedi_resolver import JediResolver, site_paths_of
from mindport.kb.loader import KnowledgeBase, load_knowledge
from mindport.kb.model import normalise_locale
from mindport.lsp.diagnostics import publish
from mindport.project_config import ProjectConfig, find_project_config, is_included
from mindport.settings import Settings

log = logging.getLogger("mindport")

# Refinement asks jedi about this many lines around the focus first (push clients).
FOCUS_LINES = 200
ANALYSED = "mindport/analysed"  # notification: a document version's analysis is final


@dataclass
class DocumentState:
    """The analysis of one version of one open document, under one settings generation."""

    version: int | None
    generation: int
    analysis: Analysis
    refining: bool = False
    window_done: bool = False  # the lines around the focus are refined: the rest comes next


def keep_long_lived_out_of_collections() -> None:
    """Take what stays for the server's lifetime out of the garbage collector's full passes.

    After jedi's warm-up most of the heap is there for good: the knowledge base, torch's
    stubs parsed by parso (hundreds of thousands of objects) and jedi's caches. Every full
    collection walked all of them, 0.4-0.5 s on the development machine, and one could
    fall in the middle of a static analysis or a hover. ``gc.freeze`` moves them to the
    permanent generation (after a collection, so no garbage is kept): a full collection
    then took 0.05-0.2 s. Reference counting still frees frozen objects.
    """
    gc.collect()
    gc.freeze()


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
        self.focus: dict[str, int] = {}  # uri -> the line the user last looked at
        # jedi is not thread-safe: one worker thread runs every jedi request in turn.
        self.jedi_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mindport-jedi")
        self.analyzer = Analyzer(self.kb, None)
        self._reported: set[str] = set()
        self._project_configs: dict[tuple[Path, int], ProjectConfig] = {}

    # -- configuration ---------------------------------------------------------------------

    @property
    def options(self) -> AnalysisOptions:
        """Options from the editor's settings alone (documents may add their project's)."""
        return self._options(self.settings)

    def _options(self, settings: Settings) -> AnalysisOptions:
        locale = settings.locale
        return AnalysisOptions(
            locale=normalise_locale(self.client_locale if locale == "auto" else locale),
            target=settings.target,
            rules=dict(settings.rules),
            devices=tuple(settings.devices),
        )

    def project_config(self, uri: str) -> ProjectConfig:
        """The editor's settings overlaid by the document's ``[tool.mindport]`` (cached per folder)."""
        path = uris.to_fs_path(uri)
        if not path:
            return ProjectConfig(None, self.settings, ())
        folder = Path(path).parent
        key = (folder, self.generation)
        config = self._project_configs.get(key)
        if config is None:
            config = find_project_config(folder, self.settings)
            self._project_configs[key] = config
            for problem in config.problems:
                self.report_once(f"project:{problem}", f"MindPort: {problem}")
        return config

    def options_for(self, uri: str) -> AnalysisOptions:
        return self._options(self.project_config(uri).settings)

    def is_analysed(self, uri: str) -> bool:
        """False for files the project's ``include``/``exclude`` leave out."""
        path = uris.to_fs_path(uri)
        if not path:
            return True  # untitled buffers are always analysed
        config = self.project_config(uri)
        root = config.root or (Path(self.workspace.root_path) if self.workspace.root_path else None)
        return is_included(Path(path), root, config.settings)

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
        self._project_configs.clear()

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
        resolver = JediResolver(self.kb, project_root=root, site_paths=site_paths)
        resolver.after_warm_up = keep_long_lived_out_of_collections
        return resolver

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
            if self.is_analysed(uri):
                analysis = self.analyzer.analyze_static(document.source, self.options_for(uri))
            else:
                analysis = self.analyzer.analyze_static("", self.options)
            state = DocumentState(document.version, self.generation, analysis)
            self.states[uri] = state
            if analysis.refined:
                self._announce(uri, state)
        self._refine_later(uri, state, document)
        return document, state.analysis

    def _announce(self, uri: str, state: DocumentState) -> None:
        """``mindport/analysed``: this version's analysis is final (jedi included).

        Clients may ignore it; benchmarks and tests use it to know that refinement is over.
        """
        self.protocol.notify(
            ANALYSED,
            {"uri": uri, "version": state.version, "references": len(state.analysis.references)},
        )

    def note_focus(self, uri: str, line: int) -> None:
        """The user looks at ``line`` (hover, code actions): refine around it first."""
        self.focus[uri] = line

    def _refine_later(self, uri: str, state: DocumentState, document: TextDocument) -> None:
        """Ask jedi about the open candidates on the worker thread, then adopt the answer.

        Clients that take pushed diagnostics get the lines around the focus (the last hover,
        or the top of the file) first and the rest after; a version that is no longer
        current when its turn comes is skipped.
        """
        if state.analysis.refined or state.refining:
            return
        state.refining = True
        path = Path(document.path) if document.path else None
        options = self.options_for(uri)
        window: tuple[int, int] | None = None
        if not self.uses_pull_diagnostics and not state.window_done:
            start = max(0, self.focus.get(uri, 0) - FOCUS_LINES // 2)
            window = (start, start + FOCUS_LINES)

        def work() -> Analysis:
            if self.states.get(uri) is not state:
                return state.analysis  # outdated while it waited: nobody wants this answer
            return self.analyzer.refine(state.analysis, path, options, lines=window)

        def submit() -> None:
            future = asyncio.get_running_loop().run_in_executor(self.jedi_executor, work)
            future.add_done_callback(lambda done: self._adopt_refined(uri, state, document, done))

        # On the next turn of the loop: the static diagnostics go out before jedi's thread
        # starts competing for the interpreter.
        asyncio.get_running_loop().call_soon(submit)

    def _adopt_refined(
        self,
        uri: str,
        state: DocumentState,
        document: TextDocument,
        done: asyncio.Future[Analysis],
    ) -> None:
        if done.cancelled():
            return
        error = done.exception()
        if error is not None:
            key = f"refine:{type(error).__name__}"
            if key not in self._reported:  # once per cause: the log, not a pop-up
                self._reported.add(key)
                message = (
                    f"MindPort could not refine names with jedi ({type(error).__name__}: "
                    f"{error}); the findings of the static pass stay."
                )
                log.warning(message)
                self.window_log_message(
                    types.LogMessageParams(type=types.MessageType.Warning, message=message)
                )
            return
        current = self.states.get(uri)
        if current is not state:
            return  # a newer version or other settings: this answer is stale
        refined = done.result()
        changed = refined.findings != state.analysis.findings
        new_state = DocumentState(state.version, state.generation, refined, window_done=True)
        self.states[uri] = new_state
        if changed:
            self.notify_diagnostics_changed(uri)
        if refined.refined:
            self._announce(uri, new_state)
        else:
            self._refine_later(uri, new_state, document)  # the rest of the file

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
        # The collector resumes once the diagnostics are out (see ``collector_paused``).
        with collector_paused():
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
        self.focus.pop(uri, None)


def create_server(kb: KnowledgeBase | None = None) -> MindPortServer:
    from mindport.lsp import code_actions, commands, configuration, diagnostics, documents, hover

    server = MindPortServer(kb)
    for feature in (configuration, documents, diagnostics, hover, code_actions, commands):
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

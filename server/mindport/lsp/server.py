"""MindPort's language server: state, analysis scheduling and feature registration."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls import uris
from pygls.exceptions import FeatureRequestError
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from mindport import __version__
from mindport.analysis.budget import BudgetExceeded
from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analysis, Analyzer
from mindport.analysis.jedi_resolver import JediResolver, site_paths_of
from mindport.kb.loader import KnowledgeBase, load_knowledge
from mindport.kb.model import normalise_locale
from mindport.lsp.diagnostics import publish
from mindport.lsp.notebooks import NotebookView, view_of
from mindport.lsp.protocol import MindPortProtocol, read_gated
from mindport.lsp.transport import TokenError, load_token, serve_stdio, serve_tcp
from mindport.project_config import ProjectConfig, find_project_config, is_included
from mindport.settings import Settings

log = logging.getLogger("mindport")

# Refinement asks jedi about this many lines around the focus first (push clients).
FOCUS_LINES = 200
WARM_UP_DELAY = 2.0  # seconds after initialized when no document was analysed before
ANALYSED = "mindport/analysed"  # notification: a document version's analysis is final


@dataclass
class DocumentState:
    """The analysis of one version of one open document, under one settings generation."""

    version: int | None
    generation: int
    analysis: Analysis
    refining: bool = False
    window_done: bool = False  # the lines around the focus are refined: the rest comes next


def process_age() -> float:
    """Seconds since this process started (Linux: from ``/proc``), else since MindPort was
    imported. For the start-up lines in the log, which the e2e test and benchmarks read."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            fields = handle.read().rpartition(")")[2].split()
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        return max(0.0, uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic() - IMPORTED


IMPORTED = time.monotonic()


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
        from mindport.lsp.notebooks import SYNC

        super().__init__(
            "mindport",
            __version__,
            protocol_cls=MindPortProtocol,
            notebook_document_sync=SYNC,
        )
        self.kb = kb if kb is not None else load_knowledge()
        self.settings = Settings()
        self.initialization_settings = Settings()
        self.pending_problems: list[str] = []  # settings problems found before the client was ready
        self._warm_up_started = False  # jedi's warm-up runs once, after the first analysis
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
        # The static pass runs here, off the protocol loop (one at a time: it is CPU work).
        self.analysis_executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="mindport-analysis"
        )
        self._pending: dict[str, tuple[tuple[int | None, int], asyncio.Future[DocumentState]]] = {}
        self._budget_messages: list[tuple[str, BudgetExceeded]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._first_published = False  # the first publishDiagnostics is logged with its time
        self.notebook_views: dict[str, NotebookView] = {}  # open notebooks as one text

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

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Errors outside a request (in a notification handler, or while sending).

        pygls showed a pop-up for each one, so a client repeating a bad notification (a
        ``didChange`` for a document it never opened, say) got one per keystroke. Now: the
        log always, a pop-up once per kind of error.
        """
        if source is FeatureRequestError:
            return  # the request's own error response says it
        message = f"MindPort: an internal error in {source.__name__}: {error}"
        log.error("%s", message)
        self.report_once(
            f"server-error:{source.__name__}:{type(error).__name__}",
            message + " (details in the log)",
            types.MessageType.Error,
        )

    # -- analysis ----------------------------------------------------------------------------

    def _roots(self) -> list[Path]:
        roots = [
            Path(path).resolve()
            for folder in self.workspace.folders.values()
            if (path := uris.to_fs_path(folder.uri))
        ]
        if self.workspace.root_path:
            roots.append(Path(self.workspace.root_path).resolve())
        return roots

    def read_unopened(self, path: str) -> str | None:
        """An unopened file named by a request: inside the workspace, regular, under the cap."""
        return read_gated(path, self._roots(), self.settings.limits_max_file_bytes)

    def _too_big(self, uri: str, text: str) -> bool:
        limit = self.settings.limits_max_file_bytes
        if len(text) <= limit // 4 or (
            len(text) <= limit and len(text.encode("utf-8", "surrogatepass")) <= limit
        ):
            return False
        shown = uris.to_fs_path(uri) or uri
        self.report_once(
            f"too-big:{uri}",
            f"MindPort does not analyse {shown}: it is larger than limits.maxFileBytes "
            f"({limit} bytes). / MindPort 不分析 {shown}:文件超过 limits.maxFileBytes "
            f"({limit} 字节)。",
            types.MessageType.Info,
        )
        return True

    def _static_work(self, uri: str, text: str, options: AnalysisOptions) -> Analysis:
        """The static pass of one text, on the analysis thread, within the file budget."""
        name = uris.to_fs_path(uri) or uri
        try:
            return self.analyzer.analyze_static(
                text, options, budget=self.settings.limits_file_timeout_seconds, name=name
            )
        except BudgetExceeded as exceeded:
            self._budget_messages.append((uri, exceeded))
            return self.analyzer.analyze_static("", options)

    def _flush_budget_messages(self) -> None:
        while self._budget_messages:
            uri, exceeded = self._budget_messages.pop()
            self.report_once(f"budget:{uri}", exceeded.message(self.options.locale))

    def document_for(self, uri: str) -> TextDocument:
        """The open document ``uri``; an open notebook as one text (``lsp/notebooks.py``)."""
        view = view_of(self, uri) if self.workspace.notebook_documents else None
        return view.document if view is not None else self.workspace.get_text_document(uri)

    def publish_analysis(self, uri: str, document: TextDocument, analysis: Analysis) -> None:
        """Push one analysis: a notebook's to each of its cells."""
        view = self.notebook_views.get(uri)
        if view is None:
            publish(self, document, analysis)
        elif view.document is document:  # else a newer version of the notebook is coming
            from mindport.lsp import notebooks
            from mindport.lsp.diagnostics import diagnostics_of

            notebooks.publish(self, view, diagnostics_of(self, document, analysis))

    def start_analysis(
        self, uri: str, document: TextDocument
    ) -> asyncio.Future[DocumentState] | DocumentState:
        """The current state of ``uri``, or the Future of the static pass that makes it."""
        state = self.states.get(uri)
        if (
            state is not None
            and state.version == document.version
            and state.generation == self.generation
        ):
            return state
        key = (document.version, self.generation)
        pending = self._pending.get(uri)
        if pending is not None and pending[0] == key and not pending[1].done():
            return pending[1]
        text = document.source
        if not self.is_analysed(uri) or self._too_big(uri, text):
            text = ""
        options = self.options_for(uri)
        version, generation = document.version, self.generation
        loop = asyncio.get_running_loop()
        work = loop.run_in_executor(self.analysis_executor, self._static_work, uri, text, options)
        future: asyncio.Future[DocumentState] = loop.create_future()

        def adopt(done: asyncio.Future[Analysis]) -> None:
            self._flush_budget_messages()
            if self._pending.get(uri, (None, None))[1] is future:
                del self._pending[uri]
            if done.cancelled() or done.exception() is not None:
                if not future.done():
                    future.set_exception(done.exception() or asyncio.CancelledError())
                return
            new = DocumentState(version, generation, done.result())
            current = self.states.get(uri)
            if current is None or (current.version, current.generation) != key:
                self.states[uri] = new
            else:
                new = current
            if not future.done():
                future.set_result(new)
            if new.analysis.refined:
                self._announce(uri, new)
            elif uri in self.open_uris or uri in self.states:
                self._refine_later(uri, new, document)

        work.add_done_callback(adopt)
        self._pending[uri] = (key, future)
        return future

    async def snapshot(self, uri: str) -> tuple[TextDocument, Analysis] | None:
        """The document and its analysis, consistent with each other when this returns.

        Runs the static pass off the protocol loop. Waits at most
        ``limits.requestTimeoutSeconds`` in all; ``None`` when the analysis is not ready by
        then (the caller answers without it) or the document keeps changing meanwhile.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.limits_request_timeout_seconds
        while True:
            document = self.document_for(uri)
            got = self.start_analysis(uri, document)
            if isinstance(got, DocumentState):
                self._refine_later(uri, got, document)
                return document, got.analysis
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            try:
                await asyncio.wait_for(asyncio.shield(got), remaining)
            except (asyncio.TimeoutError, TimeoutError):
                log.warning("the analysis of %s is not ready: answering without it", uri)
                return None
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("analysing %s failed", uri)
                return None
            # Loop: the document may have changed while the analysis ran.

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
            return self.analyzer.refine(
                state.analysis,
                path,
                options,
                lines=window,
                budget=self.settings.limits_file_timeout_seconds,
            )

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
            state = self.states.get(uri)
            document = self.document_for(uri)
            if state is not None and state.version == document.version:
                self.publish_analysis(uri, document, state.analysis)

    def warm_up_soon(self, delay: float = WARM_UP_DELAY) -> None:
        """Start jedi's warm-up after the first document's static findings are out, or after
        ``delay`` seconds: run at once, its thread would take the GIL from the first
        analysis and delay the first squiggle."""
        if self.analyzer.resolver is None or self._warm_up_started:
            return
        asyncio.get_running_loop().call_later(delay, self.start_warm_up)

    def start_warm_up(self) -> None:
        if self.analyzer.resolver is None or self._warm_up_started:
            return
        self._warm_up_started = True
        self.jedi_executor.submit(self.analyzer.resolver.warm_up)

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
        task = asyncio.ensure_future(self._analyse_and_publish(uri))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _analyse_and_publish(self, uri: str) -> None:
        got = await self.snapshot(uri)
        if got is not None and not self.uses_pull_diagnostics and uri in self.open_uris:
            self.publish_analysis(uri, *got)
        self.warm_up_soon(0)

    def note_first_diagnostics(self, count: int) -> None:
        """Log when the first findings went out (pushed or pulled): the start-up's end."""
        if not self._first_published:
            self._first_published = True
            self.log_info(
                f"first diagnostics ({count} findings) {process_age():.2f} s after the process started"
            )

    def log_info(self, message: str) -> None:
        """An information line in the client's log (``window/logMessage``), debug on stderr."""
        log.debug("%s", message)
        self.window_log_message(
            types.LogMessageParams(type=types.MessageType.Info, message=message)
        )

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
        self._pending.pop(uri, None)


def create_server(kb: KnowledgeBase | None = None) -> MindPortServer:
    from mindport.lsp import (
        code_actions,
        commands,
        configuration,
        diagnostics,
        documents,
        hover,
        notebooks,
    )

    server = MindPortServer(kb)
    features = (configuration, documents, notebooks, diagnostics, hover, code_actions, commands)
    for feature in features:
        feature.register(server)
    return server


class ExpectedCancellations(logging.Filter):
    """Drops pygls' warning about a ``$/cancelRequest`` for a request that already finished.

    Editors cancel hovers and code actions as the mouse and cursor move; when the answer was
    faster than the cancellation, pygls logs a warning, which VS Code's output channel shows
    as an error. Nothing went wrong, so nothing is logged (``--verbose`` keeps it).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.name.startswith("pygls")
            and record.getMessage().startswith("Cancel notification for unknown message id")
        )


def run_server(
    *,
    tcp: tuple[str, int] | None = None,
    log_file: Path | None = None,
    verbose: bool = False,
    token_file: Path | None = None,
) -> int:
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
    if not verbose:
        for handler in handlers:
            handler.addFilter(ExpectedCancellations())
    token = None
    if tcp is not None:
        try:
            token = load_token(token_file)
        except TokenError as error:
            log.error("mindport serve --tcp: %s", error)
            return 2
    server = create_server()
    # What the imports and the server made lives as long as the process: out of the
    # collector's way (``mindport serve`` collected nothing until here).
    gc.freeze()
    gc.enable()
    for problem in server.kb.problems:
        log.warning("knowledge: %s", problem)
    if tcp is not None and token is not None:
        serve_tcp(server, tcp[0], tcp[1], token)
    else:
        serve_stdio(server)
    return 0

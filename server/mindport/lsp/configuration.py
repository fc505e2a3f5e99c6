"""Settings: ``initializationOptions`` at start, then ``workspace/configuration`` (section
``mindport``) when the client offers it, refreshed on ``workspace/didChangeConfiguration``.

Later sources win: defaults < initializationOptions < workspace/configuration.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from mindport import __version__
from mindport.lsp.protocol import adopt_workspace
from mindport.settings import Settings, parse_settings, schema

if TYPE_CHECKING:
    from mindport.lsp.server import MindPortServer

log = logging.getLogger("mindport")


def _adopt(ls: MindPortServer, data: Any, base: Settings, source: str) -> None:
    settings, problems = parse_settings(data, base)
    if problems:
        ls.report_once(
            f"settings:{source}:{';'.join(problems)}",
            f"MindPort ignored invalid settings from {source}: " + "; ".join(problems),
        )
    ls.apply_settings(settings)


def initialize(ls: MindPortServer, params: types.InitializeParams) -> None:
    # pygls made the workspace just now: one that splits lines as Python does and reads
    # unopened files only inside the workspace (``lsp/protocol.py``).
    ls.protocol._workspace = adopt_workspace(ls.workspace, ls.read_unopened)
    ls.client_locale = params.locale
    ls.initialization_settings, problems = parse_settings(params.initialization_options)
    ls.pending_problems = problems
    ls.settings = ls.initialization_settings


async def initialized(ls: MindPortServer, params: types.InitializedParams) -> None:
    from mindport.lsp.server import process_age

    # To the client's log (stderr lines show as errors in VS Code's output channel).
    age = process_age()
    started = datetime.fromtimestamp(time.time() - age, timezone.utc)
    ls.log_info(
        f"MindPort {__version__}: initialized {age:.2f} s after the process started"
        f" ({started.isoformat(timespec='milliseconds')})"
    )
    if ls.pending_problems:
        ls.report_once(
            "settings:init",
            "MindPort ignored invalid initializationOptions: " + "; ".join(ls.pending_problems),
        )
    ls.apply_settings(ls.initialization_settings)
    try:
        await _pull(ls)
    finally:
        ls.finish_configuration()
    await _register_change_notifications(ls)
    for problem in ls.kb.problems[:1]:
        ls.report_once(
            "knowledge",
            f"MindPort's knowledge base has {len(ls.kb.problems)} problem(s), e.g. {problem}; "
            "the rest is loaded.",
        )
    ls.warm_up_soon()


async def _pull(ls: MindPortServer) -> None:
    workspace = ls.client_capabilities.workspace
    if not (workspace and workspace.configuration):
        return
    section = schema()["section"]
    try:
        result = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section=section)])
        )
    except Exception as error:  # a client that fails this request still gets a working server
        log.warning("workspace/configuration failed: %s", error)
        return
    data = result[0] if result else None
    if data is not None:
        _adopt(ls, data, ls.initialization_settings, "workspace/configuration")


async def _register_change_notifications(ls: MindPortServer) -> None:
    workspace = ls.client_capabilities.workspace
    change = workspace.did_change_configuration if workspace else None
    if not (change and change.dynamic_registration):
        return
    registration = types.Registration(
        id="mindport-configuration",
        method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
        register_options=types.DidChangeConfigurationRegistrationOptions(
            section=schema()["section"]
        ),
    )
    try:
        await ls.client_register_capability_async(
            types.RegistrationParams(registrations=[registration])
        )
    except Exception as error:
        log.info("client/registerCapability failed: %s", error)


async def did_change_configuration(
    ls: MindPortServer, params: types.DidChangeConfigurationParams
) -> None:
    workspace = ls.client_capabilities.workspace
    if workspace and workspace.configuration:
        await _pull(ls)  # the payload is only a hint: ask for the current values
    else:
        settings = params.settings
        if isinstance(settings, dict):
            settings = settings.get(schema()["section"], settings)
        _adopt(ls, settings, ls.initialization_settings, "didChangeConfiguration")
    ls.refresh_all()


def register(server: MindPortServer) -> None:
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.INITIALIZED)(initialized)
    server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(did_change_configuration)

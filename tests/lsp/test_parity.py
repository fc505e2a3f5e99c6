"""The CLI and the language server report the same findings, on every shipped example."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from mindport.lsp.convert import one_line
from tests.conftest import ROOT
from tests.lsp.conftest import SERVER, accept_registrations, open_document
from tests.lsp.helpers import pulled

pytestmark = pytest.mark.asyncio(loop_scope="module")

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
Key = tuple[str, int, int, int, int, str]


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    accept_registrations(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=ROOT.as_uri(),
            initialization_options={"locale": "en"},
        )
    )
    yield
    await lsp_client.shutdown_session()


def cli_findings(path: Path) -> set[Key]:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "mindport",
            "check",
            str(path),
            "--format",
            "json",
            "--locale",
            "en",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=600,
    )
    assert completed.returncode in (0, 1), completed.stderr
    return {
        (
            f["code"],
            f["line"] - 1,
            f["column"] - 1,
            f["end_line"] - 1,
            f["end_column"] - 1,
            one_line(f["message"]),  # the editor shows one line, the card the rest
        )
        for f in json.loads(completed.stdout)["findings"]
    }


async def analysed(client: LanguageClient, uri: str) -> None:
    """Wait for the server's `mindport/analysed` notification: jedi's answers are in."""
    while True:
        params = await asyncio.wait_for(
            client.wait_for_notification("mindport/analysed"), timeout=120
        )
        if getattr(params, "uri", None) == uri or (
            isinstance(params, dict) and params.get("uri") == uri
        ):
            return


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
async def test_cli_and_server_agree(client: LanguageClient, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.isascii()  # so code points and UTF-16 columns coincide
    uri = path.as_uri()
    waiting = asyncio.ensure_future(analysed(client, uri))
    await open_document(client, uri, text)
    await waiting
    server = {
        (
            str(d.code),
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
            d.message,
        )
        for d in await pulled(client, uri)
    }
    expected = cli_findings(path)
    assert expected, f"{path.name} should have findings"
    assert server == expected

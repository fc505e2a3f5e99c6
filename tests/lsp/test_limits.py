"""Size cap, time budget, and analysis off the protocol loop (raw client, real server)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest

from mindport.analysis import engine
from mindport.kb.loader import load_knowledge
from mindport.lsp.server import create_server
from mindport.lsp.transport import Dispatcher, FrameParser
from tests.lsp.raw import RawServer

SMALL = "import torch\nlayer = torch.nn.Linear(2, 3)\n"


def _open(raw: RawServer, uri: str, text: str) -> None:
    raw.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
    )


def _pull(raw: RawServer, uri: str) -> dict[str, Any]:
    return raw.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})


def _messages(raw: RawServer) -> list[str]:
    return [
        str(n["params"]["message"])
        for n in raw.notifications
        if n["method"] == "window/showMessage"
    ]


def test_a_document_over_the_size_cap_gets_one_message_and_no_analysis(tmp_path: Path) -> None:
    raw = RawServer()
    try:
        raw.initialize(tmp_path, jedi={"enabled": False}, limits={"maxFileBytes": 1000})
        big = (tmp_path / "big.py").as_uri()
        _open(raw, big, SMALL * 100)
        assert _pull(raw, big)["result"]["items"] == []
        hover = raw.request(
            "textDocument/hover",
            {"textDocument": {"uri": big}, "position": {"line": 1, "character": 16}},
        )
        assert hover["result"] is None
        assert _pull(raw, big)["result"]["items"] == []
        small = (tmp_path / "small.py").as_uri()
        _open(raw, small, SMALL)
        assert _pull(raw, small)["result"]["items"]  # the cap is per document
        about = [m for m in _messages(raw) if "limits.maxFileBytes" in m]
        assert len(about) == 1 and "big.py" in about[0]
    finally:
        assert raw.close() == 0


class InProcess:
    """The server in this process, fed through the dispatcher; answers parsed back."""

    def __init__(self) -> None:
        self.server = create_server(load_knowledge())
        self.dispatcher = Dispatcher(self.server.protocol, self._direct)
        self.received: list[dict[str, Any]] = []
        self.server.protocol.set_writer(self)
        self._next = 0

    def _direct(self, message: dict[str, Any]) -> None:
        self.received.append(message)

    def write(self, data: bytes) -> None:
        self.received.extend(b.data and json.loads(b.data) for b in FrameParser().feed(data))

    def close(self) -> None:
        pass

    def send(self, method: str, params: Any, request: bool = True) -> int | None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self._next += 1
            message["id"] = self._next
        self.dispatcher.message(message)
        return self._next if request else None

    async def answer(self, request_id: int | None, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.received:
                if message.get("id") == request_id and "method" not in message:
                    return message
            await asyncio.sleep(0.01)
        raise AssertionError(f"no answer to {request_id}")

    def shown(self) -> list[str]:
        return [
            str(m["params"]["message"])
            for m in self.received
            if m.get("method") == "window/showMessage"
        ]


def _slow_static_pass(monkeypatch: pytest.MonkeyPatch, seconds: float | None) -> None:
    """Texts containing SLOW take ``seconds`` of pure-Python work (None: forever)."""
    real = engine.run_static_pass

    def run(parsed: Any, kb: Any) -> Any:
        if "SLOW" in parsed.lines.text:
            end = time.monotonic() + (seconds if seconds is not None else 1e9)
            while time.monotonic() < end:
                try:
                    sum(range(200))
                except Exception:  # analysed code that catches everything
                    continue
        return real(parsed, kb)

    monkeypatch.setattr(engine, "run_static_pass", run)


async def _started(client: InProcess, tmp_path: Path, **options: Any) -> None:
    init = {
        "processId": None,
        "rootUri": tmp_path.as_uri(),
        "capabilities": {},
        "initializationOptions": {"jedi": {"enabled": False}, **options},
    }
    await client.answer(client.send("initialize", init))
    client.send("initialized", {}, request=False)
    await asyncio.sleep(0.05)


def _did_open(client: InProcess, uri: str, text: str) -> None:
    client.send(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
        request=False,
    )


async def test_the_loop_answers_while_a_file_is_analysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _slow_static_pass(monkeypatch, 3.0)
    client = InProcess()
    await _started(client, tmp_path)
    uri = (tmp_path / "slow.py").as_uri()
    _did_open(client, uri, "# SLOW\n" + SMALL)
    started = time.monotonic()
    hover = client.send(
        "textDocument/hover",
        {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 16}},
    )
    lags = []
    while not any(m.get("id") == hover for m in client.received):
        before = time.monotonic()
        await asyncio.sleep(0.01)
        lags.append(time.monotonic() - before)
        assert time.monotonic() - started < 60
    assert time.monotonic() - started >= 2.5  # the hover waited for the analysis ...
    assert max(lags) < 0.5  # ... while the loop kept turning
    assert "mindspore" in str((await client.answer(hover))["result"]).lower()


async def test_a_file_over_the_time_budget_is_abandoned_with_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _slow_static_pass(monkeypatch, None)
    client = InProcess()
    await _started(client, tmp_path, limits={"fileTimeoutSeconds": 1})
    uri = (tmp_path / "endless.py").as_uri()
    _did_open(client, uri, "# SLOW\n" + SMALL)
    started = time.monotonic()
    report = await client.answer(
        client.send("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    )
    assert time.monotonic() - started < 8
    assert report["result"]["items"] == []
    about = [m for m in client.shown() if "limits.fileTimeoutSeconds" in m]
    assert len(about) == 1 and "endless.py" in about[0]
    other = (tmp_path / "fine.py").as_uri()
    _did_open(client, other, SMALL)
    report = await client.answer(
        client.send("textDocument/diagnostic", {"textDocument": {"uri": other}})
    )
    assert report["result"]["items"]  # the worker is free again, the server serves on


async def test_a_repeated_bad_notification_shows_one_message_not_one_per_keystroke(
    tmp_path: Path,
) -> None:
    client = InProcess()
    await _started(client, tmp_path)
    for version in range(2, 12):
        client.send(
            "textDocument/didChange",
            {
                "textDocument": {"uri": "file:///never/opened.py", "version": version},
                "contentChanges": [{"text": "x"}],
            },
            request=False,
        )
    await asyncio.sleep(0.1)
    assert len([m for m in client.shown() if "internal error" in m]) == 1
    uri = (tmp_path / "fine.py").as_uri()
    _did_open(client, uri, SMALL)
    report = await client.answer(
        client.send("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    )
    assert report["result"]["items"]

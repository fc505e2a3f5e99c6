"""`mindport serve` speaks LSP over TCP as well as stdio (stdio is covered by tests/lsp)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mindport.cli import main


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _frame(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def _read_message(connection: socket.socket) -> dict[str, object]:
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(4096)
    header, rest = data.split(b"\r\n\r\n", 1)
    headers = dict(line.split(b":", 1) for line in header.split(b"\r\n"))
    length = int(headers[b"Content-Length"])
    while len(rest) < length:
        rest += connection.recv(4096)
    message: dict[str, object] = json.loads(rest[:length])
    return message


TOKEN = "s3cret-token-for-the-tests-0123456789"


def _start(port: int, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "mindport", "serve", "--tcp", "127.0.0.1", str(port), *extra],
        env={**os.environ, "MINDPORT_TOKEN": TOKEN} if env is None else env,
        stderr=subprocess.DEVNULL,
    )


def _connect(port: int) -> socket.socket:
    deadline = time.monotonic() + 30
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=20)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _initialize(request_id: int, token: str | None) -> bytes:
    params: dict[str, object] = {"processId": None, "rootUri": None, "capabilities": {}}
    if token is not None:
        params["initializationOptions"] = {"token": token}
    return _frame({"jsonrpc": "2.0", "id": request_id, "method": "initialize", "params": params})


def _closed(connection: socket.socket) -> bool:
    try:
        return connection.recv(1) == b""
    except OSError:
        return True


def test_tcp_initialize_round_trip() -> None:
    port = _free_port()
    server = _start(port)
    try:
        with _connect(port) as connection:
            connection.sendall(_initialize(1, TOKEN))
            reply = _read_message(connection)
        assert reply["id"] == 1
        result = reply["result"]
        assert isinstance(result, dict)
        assert result["serverInfo"]["name"] == "mindport"
        assert result["capabilities"]["hoverProvider"] is True
        # The served client left: the server stops, as it does when stdio ends.
        assert server.wait(timeout=30) == 0
    finally:
        server.kill()
        server.wait(timeout=10)


def test_tcp_refuses_a_wrong_or_missing_token_and_other_clients() -> None:
    port = _free_port()
    server = _start(port)
    try:
        with _connect(port) as intruder:
            intruder.sendall(_initialize(1, "not-the-token-at-all-0000"))
            reply = _read_message(intruder)
            assert reply["error"]["code"] == -32600  # type: ignore[index]
            assert "authentication" in reply["error"]["message"]  # type: ignore[index]
            assert _closed(intruder)
        with _connect(port) as intruder:
            intruder.sendall(_initialize(2, None))
            assert _read_message(intruder)["error"]
            assert _closed(intruder)
        with _connect(port) as intruder:  # anything but initialize first
            intruder.sendall(_frame({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}))
            assert _read_message(intruder)["error"]
            assert _closed(intruder)
        with _connect(port) as editor:
            editor.sendall(_initialize(4, TOKEN))
            assert _read_message(editor)["id"] == 4
            with _connect(port) as second:  # even with the token: one client is served
                second.sendall(_initialize(5, TOKEN))
                refused = _read_message(second)
                assert "already" in refused["error"]["message"]  # type: ignore[index]
                assert _closed(second)
            # The second client's visit changed nothing for the first one.
            editor.sendall(_frame({"jsonrpc": "2.0", "id": 6, "method": "shutdown"}))
            assert _read_message(editor) == {"jsonrpc": "2.0", "id": 6, "result": None}
            editor.sendall(_frame({"jsonrpc": "2.0", "method": "exit"}))
        assert server.wait(timeout=30) == 0
    finally:
        server.kill()
        server.wait(timeout=10)


def test_tcp_needs_a_token_from_the_environment_or_a_private_file(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MINDPORT_TOKEN"}
    port = _free_port()
    assert _start(port, env=env).wait(timeout=60) == 2
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN, encoding="utf-8")
    token_file.chmod(0o644)
    assert _start(port, "--token-file", str(token_file), env=env).wait(timeout=60) == 2
    token_file.chmod(0o600)
    server = _start(port, "--token-file", str(token_file), env=env)
    try:
        with _connect(port) as connection:
            connection.sendall(_initialize(1, TOKEN))
            assert _read_message(connection)["id"] == 1
    finally:
        server.kill()
        server.wait(timeout=10)


def test_tcp_binds_loopback_unless_a_host_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    import mindport.lsp.server

    calls: list[object] = []
    monkeypatch.setattr(
        mindport.lsp.server, "run_server", lambda **kwargs: calls.append(kwargs["tcp"]) or 0
    )
    assert main(["serve", "--tcp", "2087"]) == 0
    assert main(["serve", "--tcp", "0.0.0.0", "2088"]) == 0
    assert calls == [("127.0.0.1", 2087), ("0.0.0.0", 2088)]
    assert main(["serve", "--tcp", "a", "b", "c"]) == 2


def test_tcp_port_must_be_a_number() -> None:
    assert main(["serve", "--tcp", "127.0.0.1", "eighty"]) == 2

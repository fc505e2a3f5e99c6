"""`mindport serve` speaks LSP over TCP as well as stdio (stdio is covered by tests/lsp)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

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


def test_tcp_initialize_round_trip() -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mindport", "serve", "--tcp", "127.0.0.1", str(port)]
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        with connection:
            connection.sendall(
                _frame(
                    {
                        "jsonrpc": "2.0",
                        "id": 1,
                        "method": "initialize",
                        "params": {"processId": None, "rootUri": None, "capabilities": {}},
                    }
                )
            )
            reply = _read_message(connection)
        assert reply["id"] == 1
        result = reply["result"]
        assert isinstance(result, dict)
        assert result["serverInfo"]["name"] == "mindport"
        assert result["capabilities"]["hoverProvider"] is True
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_tcp_port_must_be_a_number() -> None:
    assert main(["serve", "--tcp", "127.0.0.1", "eighty"]) == 2

"""Every request is answered, whatever arrives: raw bytes to a real server process.

Invalid params get -32602 saying what was wrong, unknown methods -32601, requests before
``initialize`` -32002, broken frames never stop or wedge the server.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.lsp.raw import RawServer, frame

TEXT = "import torch\nlayer = torch.nn.Linear(2, 3)\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RawServer]:
    root = tmp_path_factory.mktemp("workspace")
    raw = RawServer()
    reply = raw.initialize(root, jedi={"enabled": False})
    assert "result" in reply
    uri = (root / "model.py").as_uri()
    raw.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": TEXT}},
    )
    raw.uri = uri  # type: ignore[attr-defined]
    yield raw
    assert raw.close() == 0


def _hover(server: RawServer, line: object = 1, character: object = 16) -> dict[str, Any]:
    return server.request(
        "textDocument/hover",
        {
            "textDocument": {"uri": server.uri},  # type: ignore[attr-defined]
            "position": {"line": line, "character": character},
        },
    )


def _error(reply: dict[str, Any], code: int) -> str:
    assert "error" in reply, reply
    assert reply["error"]["code"] == code, reply
    message: str = reply["error"]["message"]
    return message


def test_a_valid_hover_is_answered(server: RawServer) -> None:
    reply = _hover(server)
    assert "mindspore" in reply["result"]["contents"]["value"].lower()


@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"textDocument": {"uri": "file:///x.py"}, "position": "1:2"}, "position"),
        ({"textDocument": {"uri": "file:///x.py"}}, "position"),
        (["file:///x.py", {"line": 1, "character": 2}], ""),
        (
            {"textDocument": {"uri": "file:///x.py"}, "position": {"line": "1", "character": 2}},
            "line",
        ),
        (
            {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 1, "character": True}},
            "character",
        ),
        (
            {"textDocument": {"uri": "file:///x.py"}, "position": {"line": -1, "character": 0}},
            "line",
        ),
        ({"textDocument": "file:///x.py", "position": {"line": 1, "character": 0}}, "textDocument"),
        (None, ""),
        ("hover", ""),
    ],
)
def test_hover_with_wrong_params_gets_invalid_params(
    server: RawServer, params: object, mentions: str
) -> None:
    reply = server.request("textDocument/hover", params if params is not None else None)
    message = _error(reply, -32602)
    assert mentions in message
    assert "result" in _hover(server)  # and the server serves on


@pytest.mark.parametrize(
    "range_",
    [
        {"start": {"line": "0", "character": "0"}, "end": {"line": "1", "character": "0"}},
        {"start": "0:0", "end": "1:0"},
        "all",
        None,
    ],
)
def test_code_action_with_a_wrong_range_gets_invalid_params(
    server: RawServer, range_: object
) -> None:
    params: dict[str, Any] = {
        "textDocument": {"uri": server.uri},  # type: ignore[attr-defined]
        "context": {"diagnostics": []},
    }
    if range_ is not None:
        params["range"] = range_
    reply = server.request("textDocument/codeAction", params)
    assert "range" in _error(reply, -32602)


def test_a_string_where_an_integer_belongs_is_not_converted(server: RawServer) -> None:
    reply = server.request(
        "textDocument/diagnostic",
        {"textDocument": {"uri": server.uri}, "previousResultId": 3},  # type: ignore[attr-defined]
    )
    assert "previousResultId" in _error(reply, -32602)


def test_unknown_methods_get_method_not_found(server: RawServer) -> None:
    assert "mindport/nothing" in _error(server.request("mindport/nothing", {}), -32601)
    assert "$/unknown" in _error(server.request("$/unknown", {}), -32601)
    server.notify("mindport/unknownNotification", {"a": 1})  # dropped, nothing breaks
    assert "result" in _hover(server)


def test_messages_that_are_not_requests_get_invalid_request(server: RawServer) -> None:
    server.send([{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}])  # batches: not LSP
    assert _error(server.response(None), -32600)
    server.send({"jsonrpc": "2.0", "id": {"a": 1}, "method": "textDocument/hover"})
    assert _error(server.response(None), -32600)
    server.send({"jsonrpc": "2.0", "id": 77, "method": 5})
    assert _error(server.response(77), -32600)
    server.send({"jsonrpc": "1.0", "id": 78, "method": "textDocument/hover"})
    assert _error(server.response(78), -32600)
    assert "result" in _hover(server)


def test_broken_json_gets_a_parse_error_with_the_id_when_it_shows(server: RawServer) -> None:
    body = b'{"jsonrpc": "2.0", "id": 91, "method": "textDocument/hover", "params": {'
    server.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert _error(server.response(91), -32700)
    body = b"\xff\xfe not json"
    server.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert _error(server.response(None), -32700)
    nested = b"[" * 100_000 + b"]" * 100_000
    server.send_bytes(b"Content-Length: %d\r\n\r\n" % len(nested) + nested)
    assert _error(server.response(None), -32700)
    assert "result" in _hover(server)


def test_a_frame_whose_length_is_too_short_does_not_wedge_the_server(server: RawServer) -> None:
    whole = frame({"jsonrpc": "2.0", "id": 92, "method": "textDocument/hover", "params": {}})
    _, body = whole.split(b"\r\n\r\n", 1)
    server.send_bytes(b"Content-Length: %d\r\n\r\n" % (len(body) - 10) + body)
    assert "result" in _hover(server)
    assert _error(server.response(92, timeout=5), -32700)  # its id could be read


def test_a_frame_whose_length_is_too_long_does_not_wedge_the_server(server: RawServer) -> None:
    body = b'{"jsonrpc": "2.0", "id": 93, "method": "mindport/none"}'
    server.send_bytes(b"Content-Length: %d\r\n\r\n" % (len(body) + 500) + body)
    # The next frame's header is found inside the too-long one: both are answered.
    reply = _hover(server)
    assert "result" in reply
    assert _error(server.response(93, timeout=5), -32601)


def test_a_huge_content_length_neither_crashes_nor_wedges(server: RawServer) -> None:
    server.send_bytes(b"Content-Length: 99999999999999\r\n\r\n" + b'{"jsonrpc": "2.0", "id": 94}')
    assert "result" in _hover(server)
    server.send_bytes(b"Content-Length: 123456789012345678901234567890\r\n\r\n")
    assert "result" in _hover(server)


def test_garbage_between_frames_is_skipped(server: RawServer) -> None:
    server.send_bytes(b"hello\r\n\x00\x01\x02 not a header\r\n" + b"x" * 20_000 + b"\r\n")
    server.send_bytes(b"content-length: 2\ncontent-type: whatever\n\n{}")  # lower case, bare LF
    assert "result" in _hover(server)


def test_requests_before_initialize_get_server_not_initialized(tmp_path: Path) -> None:
    raw = RawServer()
    try:
        reply = raw.request(
            "textDocument/hover",
            {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}},
        )
        assert "not initialized" in _error(reply, -32002)
        assert _error(raw.request("shutdown"), -32002)
        raw.notify("textDocument/didOpen", {"textDocument": {}})  # dropped
        assert "result" in raw.initialize(tmp_path)
        assert _error(raw.request("initialize", {"capabilities": {}}), -32600)
    finally:
        assert raw.close() == 0


def test_requests_after_shutdown_get_invalid_request(tmp_path: Path) -> None:
    raw = RawServer()
    raw.initialize(tmp_path)
    assert raw.request("shutdown") == {"jsonrpc": "2.0", "id": raw._next_id, "result": None}
    reply = raw.request(
        "textDocument/hover",
        {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}},
    )
    assert "shutting down" in _error(reply, -32600)
    raw.notify("exit")
    assert raw.process.wait(timeout=20) == 0


def test_exit_ends_the_process_at_once_even_during_an_analysis(tmp_path: Path) -> None:
    raw = RawServer()
    raw.initialize(tmp_path, jedi={"enabled": False}, limits={"maxFileBytes": 10_000_000})
    uri = (tmp_path / "big.py").as_uri()
    text = "import torch\n" + "y = torch.ones(2)\n" * 50_000
    raw.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
    )
    raw.request_later("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    time.sleep(0.5)
    raw.notify("exit")  # without shutdown: exit code 1
    started = time.monotonic()
    assert raw.process.wait(timeout=60) == 1
    # Not at once on a loaded machine: Python's parser holds the interpreter lock until it
    # is done with the file; what must not happen is waiting for the whole analysis.
    assert time.monotonic() - started < 20


def test_the_end_of_stdin_ends_the_process(tmp_path: Path) -> None:
    raw = RawServer()
    raw.initialize(tmp_path)
    assert raw.process.stdin is not None
    raw.process.stdin.close()
    assert raw.process.wait(timeout=30) == 0

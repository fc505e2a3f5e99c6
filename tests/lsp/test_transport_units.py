"""The frame parser, strict params, line splitting and the file gate, in process."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.workspace import TextDocument

from mindport.kb.loader import load_knowledge
from mindport.lsp.protocol import MindPortDocument, read_gated, split_lines
from mindport.lsp.server import create_server
from mindport.lsp.transport import Body, Dispatcher, FrameParser, Problem, guess_id
from tests.lsp.raw import frame


def _bodies(frames: list[Any]) -> list[bytes]:
    return [f.data for f in frames if isinstance(f, Body)]


def test_frames_are_the_same_whether_fed_at_once_or_byte_by_byte() -> None:
    stream = frame({"a": 1}) + b"Content-Type: x\r\n" + frame({"b": "\u00e9"}) + frame([])
    whole = _bodies(FrameParser().feed(stream))
    parser = FrameParser()
    pieces: list[Any] = []
    for index in range(len(stream)):
        pieces.extend(parser.feed(stream[index : index + 1]))
    assert whole == _bodies(pieces) == [b'{"a": 1}', b'{"b": "\\u00e9"}', b"[]"]


def test_a_body_over_the_limit_is_skipped_without_being_kept_and_its_id_reported() -> None:
    parser = FrameParser(max_message_bytes=1000)
    body = b'{"jsonrpc": "2.0", "id": 7, "method": "x", "params": "' + b"a" * 5000 + b'"}'
    frames = parser.feed(b"Content-Length: %d\r\n\r\n" % len(body))
    for start in range(0, len(body), 700):
        frames += parser.feed(body[start : start + 700])
        assert len(parser._buffer) <= 700 + 64
    frames += parser.feed(frame({"next": True}))
    problems = [f for f in frames if isinstance(f, Problem)]
    assert len(problems) == 1 and problems[0].request_id == 7
    assert _bodies(frames) == [b'{"next": true}']


def test_a_lying_length_resynchronises_on_the_next_header() -> None:
    parser = FrameParser()
    frames = parser.feed(b"Content-Length: 999999\r\n\r\n{}" + frame({"ok": 1}))
    assert _bodies(frames) == [b"{}", b'{"ok": 1}']
    # A header inside a JSON string is escaped, never raw CR LF: not a resync point.
    text = json.dumps({"text": "Content-Length: 12\r\n\r\n{}"}).encode()
    assert _bodies(FrameParser().feed(frame(json.loads(text)))) == [text]


def test_the_id_of_a_broken_request_is_read_only_before_params() -> None:
    assert guess_id(b'{"jsonrpc": "2.0", "id": "a-1", "method": "m", "params": {') == "a-1"
    assert guess_id(b'{"jsonrpc": "2.0", "method": "m", "params": {"id": 3') is None


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("a\nb", ["a\n", "b"]),
        ("a\r\nb\r\n", ["a\r\n", "b\r\n"]),
        ("a\rb", ["a\r", "b"]),
        ("a\x0cb\x1cc\x85d\u2028e\u2029f\x0bg\n", ["a\x0cb\x1cc\x85d\u2028e\u2029f\x0bg\n"]),
        ("", []),
        ("\n\n", ["\n", "\n"]),
    ],
)
def test_lines_end_only_at_newline_carriage_return_or_both(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines
    assert "".join(split_lines(text)) == text


def test_incremental_edits_after_a_form_feed_or_line_separator_land_in_place() -> None:
    text = "x = 1  # \x0c page\ny = '\u2028'\nz = 3\n"
    document = MindPortDocument("file:///t.py", source=text, version=1)
    plain = TextDocument("file:///t.py", source=text, version=1)
    change = types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(2, 0), types.Position(2, 1)), text="w"
    )
    document.apply_change(change)
    plain.apply_change(change)
    assert document.source == text.replace("z = 3", "w = 3")
    assert plain.source != document.source  # what pygls' own document did: it drifted


def test_the_file_gate_reads_only_regular_files_inside_the_roots(tmp_path: Path) -> None:
    inside = tmp_path / "ws" / "a.py"
    inside.parent.mkdir()
    inside.write_text("import torch\n", encoding="utf-8")
    outside = tmp_path / "secret.py"
    outside.write_text("password = 1\n", encoding="utf-8")
    fifo = tmp_path / "ws" / "pipe.py"
    os.mkfifo(fifo)
    link = tmp_path / "ws" / "link.py"
    link.symlink_to(outside)
    big = tmp_path / "ws" / "big.py"
    big.write_text("x = 1\n" * 1000, encoding="utf-8")
    roots = [(tmp_path / "ws").resolve()]
    assert read_gated(str(inside), roots, 1000) == "import torch\n"
    assert read_gated(str(outside), roots, 1000) is None
    assert read_gated(str(link), roots, 1000) is None
    assert read_gated(str(fifo), roots, 1000) is None  # and it returns at once
    assert read_gated(str(big), roots, 1000) is None
    assert read_gated("/dev/zero", [Path("/")], 1000) is None


async def test_notifications_leave_no_future_behind() -> None:
    server = create_server(load_knowledge())
    sent: list[dict[str, Any]] = []
    dispatcher = Dispatcher(server.protocol, sent.append)

    class Sink:
        def write(self, data: bytes) -> None:
            pass

        def close(self) -> None:
            pass

    server.protocol.set_writer(Sink())
    init = {"processId": None, "rootUri": None, "capabilities": {}}
    dispatcher.message({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init})
    dispatcher.message({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = "untitled:leak"
    dispatcher.message(
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {
                "textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": ""}
            },
        }
    )
    for version in range(2, 2002):
        dispatcher.message(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": f"x = {version}\n"}],
                },
            }
        )
    await asyncio.sleep(0.1)
    assert len(server.protocol._request_futures) < 5
    assert server.workspace.get_text_document(uri).source == "x = 2001\n"
    for handle in server._timers.values():
        handle.cancel()


async def test_a_client_answer_that_cannot_be_read_fails_our_request_instead_of_hanging() -> None:
    server = create_server(load_knowledge())
    dispatcher = Dispatcher(server.protocol, lambda message: None)
    sent: list[bytes] = []

    class Sink:
        def write(self, data: bytes) -> None:
            sent.append(data)

        def close(self) -> None:
            pass

    server.protocol.set_writer(Sink())
    future = server.protocol.send_request(
        "window/showMessageRequest",
        types.ShowMessageRequestParams(type=types.MessageType.Info, message="?"),
        msg_id="c1",
    )
    dispatcher.message({"jsonrpc": "2.0", "id": "c1", "result": ["not", "an", "action"]})
    assert future.done()
    with pytest.raises(Exception, match="result"):
        future.result()

"""The JSON-RPC transport: frames in, one answer for every request out, whatever arrives.

pygls' own reader lost requests whose params did not fit (no answer at all), answered
requests whose fields had the wrong type as if they were right (``"line": "3"``), crashed
on a huge ``Content-Length`` and, after one frame whose length was wrong, read every later
message as garbage. This module replaces it for stdio and TCP:

- ``FrameParser`` cuts a byte stream into message bodies. Header names are matched without
  regard to case, a bare ``\\n`` ends a header line as well as ``\\r\\n``, and garbage before
  a header is skipped. A body longer than ``max_message_bytes`` is skipped in chunks (never
  held in memory) and reported. It resynchronises on the next header: the bytes
  ``Content-Length: N`` followed by a raw CR LF can never occur inside a JSON text (JSON
  strings cannot hold a raw CR or LF, and outside strings the words are not JSON), so where
  they appear inside a body, the previous frame's length was wrong and a new frame starts.
- ``Dispatcher`` checks each message before pygls sees it: parse errors get -32700, anything
  that is not a request, notification or response -32600, requests before ``initialize``
  -32002, requests after ``shutdown`` -32600, unknown methods -32601, and params that do not
  match the method's type -32602 with where and what was wrong. Params are checked
  strictly: a string where LSP wants an integer is an error, not converted.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import json
import logging
import os
import re
import stat
import sys
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cattrs
from cattrs.v import format_exception
from lsprotocol import types
from lsprotocol.types import ResponseError
from pygls.exceptions import JsonRpcException
from pygls.io_ import StdoutWriter

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer
    from pygls.protocol import LanguageServerProtocol

log = logging.getLogger("mindport")

MAX_MESSAGE_BYTES = 256 * 1024 * 1024  # a 100 MB document still arrives; more is skipped
MAX_HEADER_LINE = 8192
_CHUNK_TAIL = 64  # bytes kept between chunks while skipping, so a header split in two is found

# A frame header inside the bytes: only ever the start of a new frame (see the module doc).
_HEADER_IN_BODY = re.compile(rb"Content-Length:[ \t]*[0-9]{1,15}\r\n", re.IGNORECASE)
_CONTENT_LENGTH = re.compile(rb"content-length:[ \t]*([0-9]{1,20})[ \t]*$", re.IGNORECASE)
_OTHER_HEADER = re.compile(rb"[A-Za-z][A-Za-z0-9-]{0,63}:[^\r\n]*")
# The request id, looked for only in the first bytes of a body that cannot be parsed, and
# only before "params" (clients write jsonrpc, id and method first).
_ID = re.compile(rb'"id"[ \t\r\n]*:[ \t\r\n]*(-?[0-9]{1,18}|"[^"\\]{0,200}")')

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
SERVER_NOT_INITIALIZED = -32002


@dataclass(frozen=True)
class Body:
    data: bytes


@dataclass(frozen=True)
class Problem:
    """A frame that could not be read; ``request_id`` when a request's id could be seen."""

    message: str
    request_id: int | str | None = None


Frame = Body | Problem


def guess_id(head: bytes) -> int | str | None:
    """The id of a request whose body is broken or too long, if its first bytes show it."""
    head = head[:4096]
    params = head.find(b'"params"')
    match = _ID.search(head, 0, params if params >= 0 else len(head))
    if match is None:
        return None
    value = match.group(1)
    if value.startswith(b'"'):
        return value[1:-1].decode("utf-8", "replace")
    return int(value)


class FrameParser:
    """Bytes in, bodies (and problems) out; never holds more than one message in memory."""

    def __init__(self, max_message_bytes: int = MAX_MESSAGE_BYTES) -> None:
        self.max_message_bytes = max_message_bytes
        self._buffer = bytearray()
        self._length: int | None = None  # from the current header block
        self._in_body = False
        self._scanned = 0  # how much of the current body was searched for a header
        self._skipping = 0  # bytes of an over-long body still to skip
        self._skip_head = b""
        self._skip_total = 0
        self._junk = False

    def feed(self, data: bytes) -> list[Frame]:
        self._buffer += data
        frames: list[Frame] = []
        while True:
            if self._skipping:
                if not self._skip(frames):
                    break
            elif self._in_body:
                if not self._body(frames):
                    break
            elif not self._header(frames):
                break
        return frames

    def _header(self, frames: list[Frame]) -> bool:
        end = self._buffer.find(b"\n")
        if end < 0:
            if len(self._buffer) > MAX_HEADER_LINE:
                # No line end in sight: keep only a tail that may hold the next header.
                self._note_junk(frames)
                del self._buffer[:-_CHUNK_TAIL]
            return False
        line = bytes(self._buffer[:end]).rstrip(b"\r")
        del self._buffer[: end + 1]
        if not line.strip():
            if self._length is not None:
                self._in_body = True
                self._scanned = 0
            return True
        match = _CONTENT_LENGTH.search(line)
        if match is not None:
            if match.start() > 0:
                self._note_junk(frames)  # e.g. the tail of a body whose length was too short
            self._length = int(match.group(1))
            return True
        if _OTHER_HEADER.fullmatch(line) is None:
            self._note_junk(frames)
        return True

    def _note_junk(self, frames: list[Frame]) -> None:
        if not self._junk:
            frames.append(Problem("bytes outside any frame were skipped"))
        self._junk = True

    def _end_header(self) -> int:
        length = self._length or 0
        self._length = None
        self._in_body = False
        self._junk = False
        return length

    def _body(self, frames: list[Frame]) -> bool:
        length = self._length or 0
        if length > self.max_message_bytes:
            self._end_header()
            self._skipping = length
            self._skip_total = length
            self._skip_head = b""
            return True
        # A new header inside the body means this frame's length was wrong: stop there.
        start = max(0, self._scanned - _CHUNK_TAIL)
        limit = min(len(self._buffer), length)
        found = _HEADER_IN_BODY.search(self._buffer, start, limit + _CHUNK_TAIL)
        if found is not None and found.start() < length:
            body = bytes(self._buffer[: found.start()])
            del self._buffer[: found.start()]
            self._end_header()
            frames.append(Body(body))
            return True
        if len(self._buffer) < length:
            self._scanned = len(self._buffer)
            return False
        body = bytes(self._buffer[:length])
        del self._buffer[:length]
        self._end_header()
        frames.append(Body(body))
        return True

    def _skip(self, frames: list[Frame]) -> bool:
        if len(self._skip_head) < 4096:
            self._skip_head += bytes(self._buffer[: 4096 - len(self._skip_head)])
        window = min(len(self._buffer), self._skipping)
        found = _HEADER_IN_BODY.search(self._buffer, 0, window)
        if found is not None:  # the length was a lie: a new frame starts here
            del self._buffer[: found.start()]
            self._skipping = 0
        elif window == self._skipping:
            del self._buffer[:window]
            self._skipping = 0
        else:  # keep a tail: a header may begin in it and end in the next chunk
            drop = max(0, window - _CHUNK_TAIL)
            del self._buffer[:drop]
            self._skipping -= drop
            return False
        frames.append(
            Problem(
                f"a message of {self._skip_total} bytes is longer than the limit of "
                f"{self.max_message_bytes} bytes and was skipped",
                guess_id(self._skip_head),
            )
        )
        self._skip_head = b""
        return True


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def strict_problems(raw: object, typed: object, path: str = "$") -> list[str]:
    """Where ``raw`` (the JSON as sent) has a type that cattrs converted rather than refused.

    ``typed`` is the structured message unstructured again: same shape, LSP's field names,
    and the types LSP wants. A ``"3"`` where ``typed`` has ``3`` is a problem.
    """
    problems: list[str] = []
    stack: list[tuple[object, object, str]] = [(raw, typed, path)]
    while stack and len(problems) < 5:
        sent, wanted, where = stack.pop()
        if wanted is None:
            continue
        if isinstance(wanted, bool):
            ok = isinstance(sent, bool)
            kind = "boolean"
        elif isinstance(wanted, int):
            ok = isinstance(sent, int) and not isinstance(sent, bool)
            kind = "integer"
        elif isinstance(wanted, float):
            ok = isinstance(sent, (int, float)) and not isinstance(sent, bool)
            kind = "number"
        elif isinstance(wanted, str):
            ok = isinstance(sent, str)
            kind = "string"
        elif isinstance(wanted, (list, tuple)):
            ok = isinstance(sent, list)
            kind = "array"
            if ok:
                assert isinstance(sent, list)
                stack.extend(
                    (s, w, f"{where}[{i}]")
                    for i, (s, w) in enumerate(zip(sent, wanted, strict=False))
                )
        elif isinstance(wanted, dict):
            ok = isinstance(sent, dict)
            kind = "object"
            if ok:
                assert isinstance(sent, dict)
                stack.extend(
                    (sent[key], value, f"{where}.{key}")
                    for key, value in wanted.items()
                    if key in sent
                )
        else:
            continue
        if not ok:
            problems.append(f"expected {kind} @ {where}, got {_type_name(sent)}")
    return problems


def _describe(exc: BaseException, kind: type | None) -> str:
    text = format_exception(exc, kind)
    if isinstance(exc, ValueError) and str(exc) and "invalid value" in text:
        return f"{text} ({exc})"
    return text


def _validation_text(error: BaseException) -> str:
    cause = error.__cause__ if error.__cause__ is not None else error
    if isinstance(cause, cattrs.ClassValidationError):
        return "; ".join(cattrs.transform_error(cause, format_exception=_describe)[:5])
    return f"{type(cause).__name__}: {cause}"


class Dispatcher:
    """Checks each message, answers what pygls would drop, hands the rest to pygls."""

    def __init__(
        self,
        protocol: LanguageServerProtocol,
        send: Callable[[dict[str, Any]], None],
        *,
        accept_initialize: Callable[[dict[str, Any]], str | None] | None = None,
        on_exit: Callable[[int], None] | None = None,
    ) -> None:
        self.protocol = protocol
        self.send = send
        self.initialized = False
        self.shutting_down = False
        # TCP: returns None to accept an initialize request, or why it is refused.
        self.accept_initialize = accept_initialize
        self.refused = False
        # The process's end on ``exit`` (0 after shutdown, 1 otherwise); None: pygls' own.
        self.on_exit = on_exit

    def error(self, request_id: int | str | None, code: int, message: str) -> None:
        self.send({"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}})

    def frame(self, frame: Frame) -> None:
        if isinstance(frame, Problem):
            log.warning("JSON-RPC: %s", frame.message)
            if frame.request_id is not None:
                self.error(frame.request_id, INVALID_REQUEST, frame.message)
            return
        self.body(frame.data)

    def body(self, data: bytes) -> None:
        try:
            message = json.loads(data)
        except (ValueError, RecursionError) as error:
            log.warning("JSON-RPC: a message is not valid JSON (%s)", error)
            self.error(guess_id(data), PARSE_ERROR, f"Parse error: {error}")
            return
        self.message(message)

    def _handled(self, method: str) -> bool:
        fm = self.protocol.fm
        return method in fm.features or method in fm.builtin_features

    def message(self, message: object) -> None:
        if not isinstance(message, dict):
            self.error(None, INVALID_REQUEST, "a message must be a JSON object")
            return
        has_id = "id" in message
        request_id = message.get("id")
        if has_id and (not isinstance(request_id, (int, str)) or isinstance(request_id, bool)):
            self.error(None, INVALID_REQUEST, "the id must be an integer or a string")
            return
        valid_id: int | str | None = request_id if has_id else None
        method = message.get("method")
        if message.get("jsonrpc") != "2.0":
            if has_id and method is not None:
                self.error(valid_id, INVALID_REQUEST, 'jsonrpc must be "2.0"')
            return
        if "method" not in message:
            if has_id and ("result" in message or "error" in message):
                self._to_pygls(message, None)  # a response to one of our requests
            return
        if not isinstance(method, str):
            if has_id:
                self.error(valid_id, INVALID_REQUEST, "the method must be a string")
            return
        if has_id:
            self._request(message, valid_id, method)
        else:
            self._notification(message, method)

    def _request(self, message: dict[str, Any], request_id: int | str | None, method: str) -> None:
        if self.shutting_down:
            self.error(request_id, INVALID_REQUEST, f"{method}: the server is shutting down")
            return
        if method == types.INITIALIZE:
            if self.initialized:
                self.error(request_id, INVALID_REQUEST, "initialize was already received")
                return
            if self.accept_initialize is not None:
                refused = self.accept_initialize(message)
                if refused is not None:
                    self.refused = True
                    self.error(request_id, INVALID_REQUEST, refused)
                    return
        elif not self.initialized:
            self.error(
                request_id, SERVER_NOT_INITIALIZED, f"{method}: the server is not initialized"
            )
            return
        if not self._handled(method):
            self.error(request_id, METHOD_NOT_FOUND, f"Method not found: {method}")
            return
        if method == types.INITIALIZE:
            self.initialized = self._to_pygls(message, request_id)
            return
        if method == types.SHUTDOWN:
            self.shutting_down = True
        self._to_pygls(message, request_id)

    def _notification(self, message: dict[str, Any], method: str) -> None:
        if method == types.EXIT:
            if self.on_exit is not None:
                self.on_exit(0 if self.shutting_down else 1)
            self._to_pygls(message, None)
            return
        known = method == types.CANCEL_REQUEST or self._handled(method)
        if not self.initialized or self.shutting_down or not known:
            log.debug("JSON-RPC: notification %s dropped", method)
            return
        self._to_pygls(message, None)

    def _to_pygls(self, message: dict[str, Any], request_id: int | str | None) -> bool:
        method = message.get("method")
        if method is not None and "params" in message and message["params"] is None:
            del message["params"]  # null params are absent params
        try:
            structured = self.protocol.structure_message(message)
        except (JsonRpcException, RecursionError) as error:
            what = _validation_text(error)
            log.warning("JSON-RPC: invalid params for %s: %s", method, what)
            if method is None and isinstance(message.get("id"), (int, str)):
                # A client's answer we cannot read: our request fails instead of waiting.
                self.protocol._handle_response(
                    message["id"], None, ResponseError(code=-32603, message=what)
                )
            elif request_id is not None:
                self.error(request_id, INVALID_PARAMS, f"Invalid params for {method}: {what}")
            return False
        if method is not None:
            try:
                typed = self.protocol._converter.unstructure(structured)
            except Exception:  # the check below is a help, not a condition of service
                typed = None
            problems = strict_problems(message.get("params"), (typed or {}).get("params"))
            if problems:
                log.warning("JSON-RPC: invalid params for %s: %s", method, problems)
                if request_id is not None:
                    self.error(
                        request_id,
                        INVALID_PARAMS,
                        f"Invalid params for {method}: {'; '.join(problems)}",
                    )
                return False
        try:
            self.protocol.handle_message(structured)
        except (JsonRpcException, ValueError, TypeError, AttributeError, KeyError) as error:
            log.exception("JSON-RPC: %s failed", method)
            if request_id is not None:
                self.error(request_id, -32603, f"{method} failed: {error}")
            return False
        return True


# -- serving -----------------------------------------------------------------------------------


def _send_for(protocol: LanguageServerProtocol) -> Callable[[dict[str, Any]], None]:
    def send(message: dict[str, Any]) -> None:
        protocol._send_data(message)

    return send


async def serve_stream(
    server: LanguageServer, read: Callable[[], Awaitable[bytes]], parser: FrameParser | None = None
) -> None:
    """Read frames until the stream ends; every message goes through a ``Dispatcher``."""
    parser = parser or FrameParser()
    dispatcher = Dispatcher(server.protocol, _send_for(server.protocol), on_exit=leave)
    while True:
        data = await read()
        if not data:
            return
        for frame in parser.feed(data):
            dispatcher.frame(frame)


def serve_stdio(server: LanguageServer) -> None:
    """The language server on stdin/stdout (what editors launch)."""
    stdin = sys.stdin.buffer
    stdout = sys.stdout.buffer
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mindport-stdin")
    server._stop_event = threading.Event()
    server.protocol.set_writer(StdoutWriter(stdout))
    fd = stdin.fileno()

    async def main() -> None:
        loop = asyncio.get_running_loop()

        def read() -> Awaitable[bytes]:
            return loop.run_in_executor(reader, os.read, fd, 1 << 16)

        await serve_stream(server, read)
        leave(0)  # stdin ended: the editor is gone

    code = 0
    try:
        asyncio.run(main())
    except BrokenPipeError:
        log.error("the client closed the connection: stopping")
    except KeyboardInterrupt:
        pass
    except SystemExit as exit_:  # the exit notification
        code = exit_.code if isinstance(exit_.code, int) else 0
    finally:
        reader.shutdown(wait=False)
        server.shutdown()  # type: ignore[no-untyped-call]
    leave(code)


def leave(code: int) -> None:
    """End the process now, as LSP's ``exit`` asks (and when the client is gone).

    A normal interpreter exit would wait for the analysis and jedi threads, and an analysis
    in the middle of a big file (or of Python's parser, which cannot be interrupted) kept the
    process alive for seconds after ``exit``, 20 s and more on a loaded machine.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    logging.shutdown()
    os._exit(code)


TOKEN_ENV = "MINDPORT_TOKEN"


class TokenError(Exception):
    """No usable token for the TCP mode (said why)."""


def load_token(token_file: Path | None) -> str:
    """The TCP token: ``--token-file`` (readable by its owner only) or ``$MINDPORT_TOKEN``."""
    if token_file is not None:
        try:
            info = token_file.stat()
            if stat.S_IMODE(info.st_mode) & 0o077:
                raise TokenError(
                    f"{token_file} can be read by other users: chmod 600 it "
                    "(the token must stay the editor's)"
                )
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                raise TokenError(f"{token_file} belongs to another user")
            token = token_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise TokenError(f"cannot read {token_file}: {error}") from error
    else:
        token = os.environ.get(TOKEN_ENV, "").strip()
    if len(token) < 16:
        raise TokenError(
            f"the TCP mode needs a token of at least 16 characters, in ${TOKEN_ENV} or in "
            "--token-file (a file only you can read); the editor sends it as "
            'initializationOptions.token, e.g. {"token": "..."}'
        )
    return token


def _token_check(token: str) -> Callable[[dict[str, Any]], str | None]:
    def check(message: dict[str, Any]) -> str | None:
        params = message.get("params")
        options = params.get("initializationOptions") if isinstance(params, dict) else None
        sent = options.get("token") if isinstance(options, dict) else None
        if isinstance(sent, str) and hmac.compare_digest(
            sent.encode("utf-8", "surrogatepass"), token.encode("utf-8")
        ):
            return None
        return "authentication failed: initializationOptions.token is missing or wrong"

    return check


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve_tcp(server: LanguageServer, host: str, port: int, token: str) -> None:
    """Serve one authenticated client on ``host:port`` (see docs/architecture.md, TCP mode).

    A connection must open with ``initialize`` carrying ``initializationOptions.token``; a
    wrong or missing token, or any other first message, is answered with an error and the
    connection is closed. Once a client is served, other connections are refused (answered
    with an error, then closed): they never see its answers. When the served client
    disconnects or sends ``exit``, the server stops, as with stdio.
    """
    if not is_loopback(host):
        log.warning("listening on %s, which is not a loopback address", host)
    stop = asyncio.Event()
    served = False

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal served
        parser = FrameParser()
        direct_frames: list[bytes] = []

        def send_direct(message: dict[str, Any]) -> None:
            body = json.dumps(message).encode("utf-8")
            direct_frames.append(b"Content-Length: %d\r\n\r\n" % len(body) + body)

        gate = Dispatcher(server.protocol, send_direct, accept_initialize=_token_check(token))
        try:
            while True:  # before authentication: answers go to this connection only
                data = await reader.read(1 << 16)
                if not data:
                    return
                frames = parser.feed(data)
                if not frames:
                    continue
                first = frames[0]
                message = _decoded(first)
                refusal = None
                if served:
                    refusal = "another client is already being served"
                elif message is None or message.get("method") != types.INITIALIZE:
                    refusal = "the first message must be initialize (with the token)"
                else:
                    refusal = gate.accept_initialize(message) if gate.accept_initialize else None
                if refusal is not None:
                    request_id = message.get("id") if message else None
                    gate.error(
                        request_id if isinstance(request_id, (int, str)) else None,
                        INVALID_REQUEST,
                        refusal,
                    )
                    for frame_bytes in direct_frames:
                        writer.write(frame_bytes)
                    await writer.drain()
                    log.warning("TCP: refused a connection (%s)", refusal)
                    return
                break
            served = True
            server.protocol.set_writer(writer)
            dispatcher = Dispatcher(server.protocol, _send_for(server.protocol), on_exit=leave)
            for frame in frames:
                dispatcher.frame(frame)
            while True:
                data = await reader.read(1 << 16)
                if not data:
                    break
                for frame in parser.feed(data):
                    dispatcher.frame(frame)
            log.info("TCP: the client disconnected: stopping")
            leave(0)
        except (ConnectionError, OSError):
            if served and server.protocol.writer is writer:
                leave(0)
        finally:
            if not writer.is_closing():
                writer.close()

    async def main() -> None:
        listener = await asyncio.start_server(connection, host, port)
        addresses = ", ".join(str(sock.getsockname()) for sock in listener.sockets)
        log.info("serving one authenticated client on %s", addresses)
        async with listener:
            await stop.wait()

    code = 0
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 0
    finally:
        server.shutdown()  # type: ignore[no-untyped-call]
    leave(code)


def _decoded(frame: Frame) -> dict[str, Any] | None:
    if not isinstance(frame, Body):
        return None
    try:
        message = json.loads(frame.data)
    except (ValueError, RecursionError):
        return None
    return message if isinstance(message, dict) else None

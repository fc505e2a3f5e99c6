"""A raw JSON-RPC client: bytes to a real ``mindport serve`` process, frames back from it.

pytest-lsp's client only sends well-formed messages; these tests need to send anything.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

SERVER = [sys.executable, "-m", "mindport", "serve", "--stdio"]


def frame(payload: object) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class RawServer:
    def __init__(self, env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
        self.process = subprocess.Popen(
            SERVER,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            cwd=cwd,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._next_id = 1000
        self.unclaimed: list[dict[str, Any]] = []  # responses read while waiting for others

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line.strip() == b"":
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length is None:
                continue
            body = stream.read(length)
            self.messages.put(json.loads(body))

    def send_bytes(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, payload: object) -> None:
        self.send_bytes(frame(payload))

    def notify(self, method: str, params: object = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def response(self, request_id: object, timeout: float = 60) -> dict[str, Any]:
        """The response to ``request_id``; answers the server's own requests meanwhile."""
        for index, kept in enumerate(self.unclaimed):
            if kept.get("id") == request_id:
                return self.unclaimed.pop(index)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no response to {request_id!r} within {timeout} s")
            message = self.messages.get(timeout=remaining)
            if "method" in message and "id" in message:  # a request from the server
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "method" in message:
                self.notifications.append(message)
            elif message.get("id") == request_id:
                return message
            else:
                self.unclaimed.append(message)

    def request(
        self, method: str, params: object = None, request_id: object = None, **extra: Any
    ) -> dict[str, Any]:
        if request_id is None:
            self._next_id += 1
            request_id = self._next_id
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        message.update(extra)
        self.send(message)
        return self.response(request_id)

    def request_now(self, method: str, params: object, timeout: float) -> dict[str, Any]:
        return self.response(self.request_later(method, params), timeout=timeout)

    def request_later(self, method: str, params: object = None) -> int:
        """Send a request now, collect its answer later with ``response(id)``."""
        self._next_id += 1
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": self._next_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return self._next_id

    def initialize(self, root: Path | None = None, **options: Any) -> dict[str, Any]:
        params: dict[str, Any] = {
            "processId": None,
            "rootUri": root.as_uri() if root else None,
            "capabilities": {},
        }
        if options:
            params["initializationOptions"] = options
        reply = self.request("initialize", params)
        self.notify("initialized", {})
        return reply

    def close(self) -> int:
        try:
            if self.process.poll() is None:
                self.request("shutdown")
                self.notify("exit")
            return self.process.wait(timeout=20)
        except Exception:
            self.process.kill()
            return self.process.wait(timeout=20)
        finally:
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()

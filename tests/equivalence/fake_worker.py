"""A stand-in for a framework worker (no torch, no MindSpore): answers, hangs or dies on
request, so the runner's isolation can be tested anywhere."""

from __future__ import annotations

import os
import time
from typing import Any


def serve(connection: Any, framework: str, log_path: str | None) -> None:
    connection.send({"ready": True, "versions": {framework: "0.0"}})
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        action = request.get("action")
        if action == "hang":
            time.sleep(60)
        elif action == "die":
            os._exit(3)
        connection.send(
            {"ok": True, "output": {"kind": "scalar", "type": "int", "value": os.getpid()}}
        )

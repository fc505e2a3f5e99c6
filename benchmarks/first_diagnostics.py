"""Start-up of the language server: from spawning the process to the first squiggle.

    python benchmarks/first_diagnostics.py [--runs 7] [--file examples/parameter_demo.py]
        [--bundled vscode-client/bundled] [--python /usr/bin/python3] [--cold-bytecode]

A client as VS Code behaves: ``initialize`` as soon as the process is spawned, then
``initialized`` and ``textDocument/didOpen`` at once; it answers ``workspace/configuration`` with
the defaults and ``client/registerCapability`` with ``null``. For each run it reports, in ms from
the spawn: the ``initialize`` answer, the first ``textDocument/publishDiagnostics`` with findings
(what the e2e's first squiggle waits for, minus the editor) and ``mindport/analysed`` (jedi's
refinement done).

``--bundled DIR`` runs the server as the .vsix does (``python -I DIR/tool/mindport_server.py``
with ``DIR/libs`` first on the path); otherwise ``python -m mindport serve`` from this checkout.
``--cold-bytecode`` gives each run an empty ``-X pycache_prefix``: every module is compiled
again, as on the first start after installing the extension. The budget (docs/benchmarks.md) is
the median first diagnostics within 1,000 ms on a quiet 2-core machine, which leaves the editor
500 ms of the e2e's 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parent.parent
BUDGET_MS = 1000.0


def _frame(payload: object) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read(stream: IO[bytes], out: queue.Queue[tuple[float, dict[str, Any]]]) -> None:
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
        if length is not None:
            out.put((time.perf_counter(), json.loads(stream.read(length))))


def _command(python: str, bundled: Path | None, pycache: str | None = None) -> list[str]:
    options = ["-X", f"pycache_prefix={pycache}"] if pycache else []
    if bundled is not None:
        return [python, "-I", *options, str(bundled / "tool" / "mindport_server.py"), "--stdio"]
    return [python, *options, "-m", "mindport", "serve", "--stdio"]


def one_run(
    command: list[str], file: Path, env: dict[str, str], timeout: float = 60
) -> dict[str, float]:
    """Milliseconds from the spawn to each milestone of one server start."""
    uri = file.resolve().as_uri()
    text = file.read_text(encoding="utf-8")
    errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
        env=env,
        cwd=file.parent,
    )
    assert process.stdin is not None and process.stdout is not None
    messages: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
    threading.Thread(target=_read, args=(process.stdout, messages), daemon=True).start()

    def send(payload: dict[str, Any]) -> None:
        assert process.stdin is not None
        process.stdin.write(_frame({"jsonrpc": "2.0", **payload}))
        process.stdin.flush()

    capabilities = {
        "workspace": {
            "configuration": True,
            "didChangeConfiguration": {"dynamicRegistration": True},
        },
        "textDocument": {"publishDiagnostics": {"relatedInformation": True}},
    }
    send(
        {
            "id": 1,
            "method": "initialize",
            "params": {
                "processId": os.getpid(),
                "rootUri": file.parent.resolve().as_uri(),
                "capabilities": capabilities,
                "initializationOptions": {},
            },
        }
    )
    marks: dict[str, float] = {}
    deadline = started + timeout
    try:
        while "analysed" not in marks or "diagnostics" not in marks:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no diagnostics within {timeout} s (got {sorted(marks)})")
            try:
                at, message = messages.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                if process.poll() is not None:
                    errors.seek(0)
                    tail = errors.read().decode(errors="replace")[-2000:]
                    message = f"the server exited ({process.returncode}):\n{tail}"
                    raise RuntimeError(message) from None
                continue
            elapsed = (at - started) * 1000
            method = message.get("method")
            if message.get("id") == 1 and "method" not in message:
                marks["initialize"] = elapsed
                send({"method": "initialized", "params": {}})
                document = {"uri": uri, "languageId": "python", "version": 1, "text": text}
                send({"method": "textDocument/didOpen", "params": {"textDocument": document}})
            elif method == "workspace/configuration":
                items = message["params"]["items"]
                send({"id": message["id"], "result": [{} for _ in items]})
            elif method is not None and "id" in message:
                send({"id": message["id"], "result": None})
            elif method == "textDocument/publishDiagnostics":
                if message["params"]["diagnostics"] and "diagnostics" not in marks:
                    marks["diagnostics"] = elapsed
            elif method == "mindport/analysed":
                marks["analysed"] = elapsed
        send({"id": 2, "method": "shutdown"})
        send({"method": "exit"})
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        errors.close()
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--file", type=Path, default=REPO / "examples" / "parameter_demo.py")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--bundled", type=Path, help="the extension's bundled/ folder")
    parser.add_argument("--cold-bytecode", action="store_true")
    parser.add_argument("--check", action="store_true", help=f"exit 1 over {BUDGET_MS:.0f} ms")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    if args.bundled is None:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(REPO / "server"), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
    command = _command(args.python, args.bundled)
    rows: list[dict[str, float]] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="mindport-pycache-") as cache:
            if args.cold_bytecode:  # -X, not PYTHONPYCACHEPREFIX: -I ignores the environment
                command = _command(args.python, args.bundled, cache)
            rows.append(one_run(command, args.file, env))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{' '.join(command)}  ({args.runs} runs, load {load:.2f})")
    for key, label in (
        ("initialize", "initialize answered"),
        ("diagnostics", "first diagnostics"),
        ("analysed", "jedi refinement done"),
    ):
        values = [row[key] for row in rows]
        print(
            f"  {label:<22} median {statistics.median(values):7.0f} ms"
            f"   min {min(values):7.0f}   max {max(values):7.0f}"
        )
    median = statistics.median(row["diagnostics"] for row in rows)
    if args.check and median > BUDGET_MS:
        print(f"over budget: median first diagnostics {median:.0f} ms > {BUDGET_MS:.0f} ms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

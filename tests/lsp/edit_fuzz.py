"""LSP edit fuzz: random incremental edits against a real server, with requests in between.

Edits insert and delete text with unicode (CJK, accents, astral characters that are
surrogate pairs in UTF-16), CRLF, lone CR, tabs, NUL, form feeds, U+2028 and U+0085, and
torch code that makes findings. Between edits come hovers, code actions (quick fixes and
``source.fixAll.mindport``), ``codeAction/resolve`` and pulled diagnostics. Checked:

- every request is answered, within the request budget (plus slack);
- every range in an answer lies inside the document the client has (in UTF-16 units);
- fix-all's edits do not overlap;
- the server's copy of the document equals the client's (``mindport.documentState``);
- the server's RSS grows by less than ``max_rss_growth_mb`` over the run.

``python -m tests.lsp.edit_fuzz --edits 10000 --jedi on`` is the CI run (.ci/stages/40-fuzz.sh).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from tests.lsp.raw import RawServer

REQUEST_BUDGET = 10  # limits.requestTimeoutSeconds given to the server
SLACK = 20.0  # fix-all resolve may wait twice (analysis, then the fix-all itself)

START = """import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)  # 中文 注释 😀

    def forward(self, x):
        y = torch.cat([x, x], dim=1)
        return F.relu(self.fc(y)).sum(dim=0, keepdim=True)


def helper(a, b):
\tz = torch.zeros(3, 4)
\treturn torch.matmul(a, b) + z.mean()
"""

PIECES = [
    "torch.nn.Linear(2, 3)",
    "torch.cat([a, b], dim=0)",
    "x = torch.ones(2)\n",
    "import torch\n",
    "nn.Conv2d(3, 8, 3)",
    ".view(-1)",
    "F.softmax(x, dim=-1)",
    "é",
    "中文",
    "😀",
    "𝔘",
    "\r\n",
    "\n",
    "\r",
    "\t",
    "\x00",
    "\x0c",
    "\u2028",
    "\x85",
    " ",
    "(",
    ")",
    ":",
    '"',
    "'''",
    "#",
    "def f(",
    "class C(nn.Module):\n    pass\n",
    "    ",
    "lambda: 0",
    "[k for k in range(3)]",
]

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _content(line: str) -> str:
    return line.rstrip("\r\n")


@dataclass
class Stats:
    edits: int = 0
    requests: int = 0
    slowest: float = 0.0
    latencies: list[float] = field(default_factory=list)
    rss_first_mb: float = 0.0  # after the first analysis
    rss_start_mb: float = 0.0  # after the warm-up: the baseline
    rss_end_mb: float = 0.0
    failures: list[str] = field(default_factory=list)

    def p95(self) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[int(0.95 * (len(ordered) - 1))]


class Document:
    """The client's copy: text plus conversions between offsets and UTF-16 positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.version = 1

    def position(self, offset: int) -> dict[str, int]:
        lines = _lines(self.text)
        start = 0
        for index, line in enumerate(lines):
            if offset <= start + len(_content(line)):
                return {"line": index, "character": _units(self.text[start:offset])}
            start += len(line)
        if lines and lines[-1] != _content(lines[-1]):
            return {"line": len(lines), "character": 0}
        last = lines[-1] if lines else ""
        return {"line": max(0, len(lines) - 1), "character": _units(_content(last))}

    def offset(self, position: dict[str, int]) -> int:
        lines = _lines(self.text)
        if position["line"] >= len(lines):
            return len(self.text)
        start = sum(len(line) for line in lines[: position["line"]])
        content = _content(lines[position["line"]])
        counted = 0
        for index, char in enumerate(content):
            if counted >= position["character"]:
                return start + index
            counted += _units(char)
        return start + len(content)

    def inside(self, range_: dict[str, Any]) -> bool:
        lines = _lines(self.text)
        for end in ("start", "end"):
            line, character = range_[end]["line"], range_[end]["character"]
            if line == len(lines) and character == 0:
                continue
            if line >= len(lines) or character > _units(_content(lines[line])):
                return False
        start, stop = range_["start"], range_["end"]
        return (start["line"], start["character"]) <= (stop["line"], stop["character"])

    def boundary(self, rng: random.Random) -> int:
        """A random offset that is not inside a CRLF pair (editors never put one there)."""
        offset = rng.randint(0, len(self.text))
        if 0 < offset < len(self.text) and self.text[offset - 1 : offset + 1] == "\r\n":
            offset -= 1
        return offset

    def random_range(self, rng: random.Random) -> tuple[int, int]:
        start = self.boundary(rng)
        end = min(len(self.text), start + rng.choice([0, 0, 1, 2, 5, 20, 80]))
        if 0 < end < len(self.text) and self.text[end - 1 : end + 1] == "\r\n":
            end += 1
        return start, end


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Fuzz:
    def __init__(self, jedi: bool, seed: int) -> None:
        self.rng = random.Random(seed)
        self.stats = Stats()
        self.raw = RawServer()
        self.uri = "untitled:fuzz.py"
        self.document = Document(START)
        capabilities = {
            "textDocument": {
                "diagnostic": {"dynamicRegistration": False},
                "codeAction": {
                    "dataSupport": True,
                    "resolveSupport": {"properties": ["edit"]},
                    "codeActionLiteralSupport": {
                        "codeActionKind": {"valueSet": ["quickfix", "source"]}
                    },
                },
                "hover": {"contentFormat": ["markdown"]},
            },
            "general": {"positionEncodings": ["utf-16"]},
        }
        self.raw.request(
            "initialize",
            {
                "processId": None,
                "rootUri": None,
                "capabilities": capabilities,
                "initializationOptions": {
                    "jedi": {"enabled": jedi},
                    "limits": {"requestTimeoutSeconds": REQUEST_BUDGET},
                },
            },
        )
        self.raw.notify("initialized", {})
        self.raw.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": self.uri,
                    "languageId": "python",
                    "version": 1,
                    "text": START,
                }
            },
        )

    def fail(self, message: str) -> None:
        self.stats.failures.append(f"after {self.stats.edits} edits: {message}")

    def edit(self) -> None:
        document = self.document
        start, end = document.random_range(self.rng)
        if len(document.text) > 6000 and self.rng.random() < 0.5:
            new = ""
            end = min(len(document.text), start + 400)
            if 0 < end < len(document.text) and document.text[end - 1 : end + 1] == "\r\n":
                end += 1
        else:
            new = "".join(self.rng.choice(PIECES) for _ in range(self.rng.choice([1, 1, 2, 3])))
        change = {
            "range": {"start": document.position(start), "end": document.position(end)},
            "text": new,
        }
        document.text = document.text[:start] + new + document.text[end:]
        document.version += 1
        self.raw.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": self.uri, "version": document.version},
                "contentChanges": [change],
            },
        )
        self.stats.edits += 1

    def ask(self, method: str, params: Any) -> Any:
        started = time.monotonic()
        try:
            reply = self.raw.request_now(method, params, timeout=REQUEST_BUDGET + SLACK)
        except AssertionError as error:
            self.fail(f"{method}: {error}")
            return None
        elapsed = time.monotonic() - started
        self.stats.requests += 1
        self.stats.latencies.append(elapsed)
        self.stats.slowest = max(self.stats.slowest, elapsed)
        if "error" in reply:
            self.fail(f"{method} answered an error: {reply['error']}")
            return None
        return reply.get("result")

    def check_ranges(self, what: str, ranges: list[dict[str, Any]]) -> None:
        for range_ in ranges:
            if not self.document.inside(range_):
                self.fail(f"{what}: range {range_} outside the document")

    def check_edits(self, what: str, edits: list[dict[str, Any]]) -> None:
        self.check_ranges(what, [e["range"] for e in edits])
        spans = sorted(
            (self.document.offset(e["range"]["start"]), self.document.offset(e["range"]["end"]))
            for e in edits
        )
        for (_, end), (start, _) in itertools.pairwise(spans):
            if start < end:
                self.fail(f"{what}: edits overlap")

    def request(self) -> None:
        identifier = {"uri": self.uri}
        kind = self.rng.choice(["hover", "actions", "fixall", "diagnostic", "state"])
        if kind == "hover":
            position = self.document.position(self.document.boundary(self.rng))
            result = self.ask(
                "textDocument/hover", {"textDocument": identifier, "position": position}
            )
            if result and result.get("range"):
                self.check_ranges("hover", [result["range"]])
        elif kind == "diagnostic":
            result = self.ask("textDocument/diagnostic", {"textDocument": identifier})
            if result and result.get("kind") == "full":
                self.check_ranges("diagnostic", [d["range"] for d in result["items"]])
        elif kind in ("actions", "fixall"):
            start, end = self.document.random_range(self.rng)
            range_ = {"start": self.document.position(start), "end": self.document.position(end)}
            context: dict[str, Any] = {"diagnostics": []}
            if kind == "fixall":
                context["only"] = ["source.fixAll.mindport"]
                context["triggerKind"] = 2
            result = self.ask(
                "textDocument/codeAction",
                {"textDocument": identifier, "range": range_, "context": context},
            )
            for action in result or []:
                if action.get("edit") is None and action.get("data") is not None:
                    action = self.ask("codeAction/resolve", action) or {}
                edit = action.get("edit") or {}
                for change in edit.get("documentChanges", []) or []:
                    self.check_edits(action.get("title", "?"), change["edits"])
                for edits in (edit.get("changes") or {}).values():
                    self.check_edits(action.get("title", "?"), edits)
        else:
            state = self.ask(
                "workspace/executeCommand",
                {"command": "mindport.documentState", "arguments": [self.uri]},
            )
            self.check_state(state)

    def check_state(self, state: Any) -> None:
        text = self.document.text
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        if not state or state["sha256"] != digest or state["version"] != self.document.version:
            self.fail(f"the server's text differs from the client's: {state}")

    def run(self, edits: int, seconds: float) -> Stats:
        deadline = time.monotonic() + seconds
        self.ask("textDocument/diagnostic", {"textDocument": {"uri": self.uri}})
        self.stats.rss_first_mb = _rss_mb(self.raw.process.pid)
        # The memory baseline comes after a warm-up (knowledge entries, jedi's caches of
        # torch's stubs): what must stay bounded is the growth with the number of edits.
        warm_up = min(200, edits // 10)
        while self.stats.edits < edits and time.monotonic() < deadline:
            if not self.stats.rss_start_mb and self.stats.edits >= warm_up:
                self.stats.rss_start_mb = _rss_mb(self.raw.process.pid)
            for _ in range(self.rng.choice([1, 2, 3, 5])):
                self.edit()
            self.request()
            if len(self.stats.failures) > 20:
                break
        self.check_state(
            self.ask(
                "workspace/executeCommand",
                {"command": "mindport.documentState", "arguments": [self.uri]},
            )
        )
        self.stats.rss_end_mb = _rss_mb(self.raw.process.pid)
        if self.raw.close() != 0:
            self.fail("the server did not exit cleanly")
        return self.stats


def run_fuzz(edits: int, seconds: float, jedi: bool, seed: int = 0) -> Stats:
    return Fuzz(jedi, seed).run(edits, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=1500)
    parser.add_argument("--jedi", choices=["on", "off"], default="on")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-rss-growth-mb", type=float, default=100)
    args = parser.parse_args(argv)
    started = time.monotonic()
    stats = run_fuzz(args.edits, args.seconds, args.jedi == "on", args.seed)
    growth = stats.rss_end_mb - stats.rss_start_mb
    print(
        f"edit fuzz (jedi {args.jedi}, seed {args.seed}): {stats.edits} edits, "
        f"{stats.requests} requests in {time.monotonic() - started:.0f} s; request p95 "
        f"{stats.p95() * 1000:.0f} ms, slowest {stats.slowest:.2f} s; RSS "
        f"{stats.rss_first_mb:.0f} MB after the first analysis, {stats.rss_start_mb:.0f} -> "
        f"{stats.rss_end_mb:.0f} MB after the warm-up; {len(stats.failures)} failures"
    )
    for failure in stats.failures[:20]:
        print("  " + failure)
    ok = not stats.failures and growth < args.max_rss_growth_mb and stats.edits >= args.edits
    if stats.edits < args.edits:
        print(f"  only {stats.edits} of {args.edits} edits within {args.seconds:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

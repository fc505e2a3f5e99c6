"""The persistent result cache of ``mindport check`` and ``fix``: an unchanged file costs nothing.

One small JSON file per (file, settings) answer, under the user's cache directory
(``$MINDPORT_CACHE_DIR``, else ``$XDG_CACHE_HOME/mindport``, else ``~/.cache/mindport``),
never inside the analysed project unless the command line says so (``--cache-dir``).
The key covers everything an answer depends on that MindPort can see cheaply:

- the file's resolved path and its text;
- the analysis settings (locale, target, rule severities), jedi on or off, the command
  (``check``, ``fix`` or ``fix --unsafe``);
- the knowledge base (a digest of its index, its verification results and the size and
  modification time of every entry file) and the MindPort version;
- what jedi reads besides the file: the analysed site-packages directories and the torch
  distribution installed in them.

What the key does not cover: other files of the analysed project that jedi reads to infer a
type (``from .layers import Block`` where ``Block`` is defined). When those change, a cached
answer can be stale; ``--no-cache`` recomputes everything.

Entries are JSON, never pickle: a cache directory someone else can write must not be able to
make MindPort run code. A damaged entry is a miss, a cache that cannot be written is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from mindport import __version__
from mindport.analysis.findings import Confidence, Finding, Severity
from mindport.conversion.fix import Fix
from mindport.text import Span, TextEdit

CACHE_FORMAT = 2


def default_cache_dir() -> Path:
    configured = os.environ.get("MINDPORT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "mindport"


def _digest(*parts: bytes) -> str:
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()


def knowledge_digest(root: Path) -> str:
    """What the knowledge base's answers depend on: its index, verification and entry files."""
    parts: list[bytes] = [str(root.resolve()).encode()]
    for name in ("index.json", "verification.json", "jedi-names.json"):
        try:
            parts.append((root / name).read_bytes())
        except OSError:
            parts.append(b"-")
    stats: list[str] = []
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for name in sorted(files):
            if name.endswith(".toml"):
                try:
                    stat = os.stat(os.path.join(directory, name))
                except OSError:
                    continue
                stats.append(f"{directory}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    parts.append("\n".join(stats).encode())
    return _digest(*parts)


def environment_digest(site_paths: Iterable[str]) -> str:
    """The analysed site-packages directories and the torch distributions installed there."""
    parts: list[bytes] = []
    for site in site_paths:
        parts.append(site.encode("utf-8", "surrogateescape"))
        try:
            names = sorted(
                name
                for name in os.listdir(site)
                if name.startswith(("torch-", "torch_")) and name.endswith(".dist-info")
            )
        except OSError:
            names = []
        parts.append(",".join(names).encode())
    return _digest(*parts)


# -- findings as JSON ------------------------------------------------------------------------


def _span_data(span: Span) -> list[int]:
    return [span.start.line, span.start.column, span.end.line, span.end.column]


def _span(data: Sequence[int]) -> Span:
    return Span.of(int(data[0]), int(data[1]), int(data[2]), int(data[3]))


def finding_data(finding: Finding) -> dict[str, Any]:
    fix = finding.fix
    return {
        "code": finding.code,
        "severity": int(finding.severity),
        "span": _span_data(finding.span),
        "message": finding.message,
        "torch": finding.torch_api,
        "mindspore": finding.mindspore_api,
        "confidence": finding.confidence.value,
        "entry": finding.entry_id,
        "off_device": finding.off_device,
        "fix": None
        if fix is None
        else {
            "title": fix.title,
            "safe": fix.safe,
            "edits": [[_span_data(e.span), e.new_text] for e in fix.edits],
        },
    }


def finding_from_data(data: Mapping[str, Any]) -> Finding:
    raw_fix = data.get("fix")
    fix = (
        None
        if raw_fix is None
        else Fix(
            title=str(raw_fix["title"]),
            edits=tuple(TextEdit(_span(span), str(text)) for span, text in raw_fix["edits"]),
            safe=bool(raw_fix["safe"]),
        )
    )
    return Finding(
        code=str(data["code"]),
        severity=Severity(int(data["severity"])),
        span=_span(data["span"]),
        message=str(data["message"]),
        torch_api=data.get("torch"),
        mindspore_api=data.get("mindspore"),
        confidence=Confidence(data["confidence"]),
        entry_id=data.get("entry"),
        fix=fix,
        off_device=bool(data.get("off_device", False)),
    )


# -- the store ----------------------------------------------------------------------------------


class ResultCache:
    """Answers keyed by a digest; ``salt`` is what every key of one run shares."""

    def __init__(self, directory: Path, salt: Sequence[str]) -> None:
        self.directory = directory
        self._salt = _digest(
            f"mindport {__version__} cache {CACHE_FORMAT}".encode(),
            *(part.encode("utf-8", "surrogatepass") for part in salt),
        )
        self.hits = 0
        self.misses = 0
        self.write_failed = False

    def key(self, path: Path, text: str, kind: str) -> str:
        return _digest(
            self._salt.encode(),
            kind.encode(),
            str(path).encode("utf-8", "surrogateescape"),
            text.encode("utf-8", "surrogatepass"),
        )

    def _file(self, key: str) -> Path:
        return self.directory / f"v{CACHE_FORMAT}" / key[:2] / f"{key[2:]}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            with self._file(key).open("rb") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            self.misses += 1
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            self.misses += 1
            return None
        self.hits += 1
        return data

    def put(self, key: str, data: Mapping[str, Any]) -> None:
        if self.write_failed:
            return
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump({**data, "key": key}, stream, ensure_ascii=False)
                os.replace(temporary, target)
            except BaseException:
                if os.path.exists(temporary):
                    os.unlink(temporary)
                raise
        except OSError:
            self.write_failed = True  # a read-only or full disk: run on without the cache

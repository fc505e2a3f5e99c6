"""pygls, adjusted where it lost memory, split lines differently from Python, or read any file.

- ``MindPortProtocol``: pygls kept the Future of every notification whose handler it ran
  through a generator (``didOpen``, ``didChange``, ``didClose``, ...) and of every async
  handler behind one in ``_request_futures`` for the server's lifetime, about 2.7 KB per
  ``didChange``. A Future now leaves that table when it is done.
- ``MindPortDocument``: lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only, as in Python and LSP.
  pygls used ``str.splitlines``, which also ends lines at form feeds, U+0085, U+2028 and
  others, so an incremental edit after such a character landed at the wrong place and the
  server's copy of the document drifted from the editor's. The lines are computed once per
  text, not on every access.
- A document the editor has not opened is read from disk only through a ``FileGate``: a
  regular file inside a workspace folder and under the size cap. A FIFO, ``/dev/zero`` or a
  file outside the workspace reads as empty.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from pygls.protocol import LanguageServerProtocol
from pygls.workspace import TextDocument, Workspace

log = logging.getLogger("mindport")

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list[str]:
    """Lines with their endings, ending only at ``\\n``, ``\\r\\n`` and ``\\r``."""
    return _LINE.findall(text)


class _Futures(dict[Any, "Future[Any]"]):
    """In-flight requests. ``items()`` is a snapshot: pygls iterates it at ``shutdown`` while
    cancelling, and a cancelled Future's callback removes itself (possibly from a worker
    thread)."""

    def items(self) -> list[tuple[Any, Future[Any]]]:  # type: ignore[override]
        return list(super().items())


class MindPortProtocol(LanguageServerProtocol):
    def __init__(self, server: Any, converter: Any) -> None:
        super().__init__(server, converter)
        self._request_futures = _Futures()

    def _execute_handler(
        self,
        msg_id: Any,
        handler: Any,
        callback: Callable[[Future[Any]], None],
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        futures = self._request_futures

        def forget_then(future: Future[Any]) -> None:
            if futures.get(msg_id) is future:
                futures.pop(msg_id, None)
            callback(future)

        super()._execute_handler(msg_id, handler, forget_then, args, kwargs)


# Reads an unopened file's text, or None when it must not be read.
FileGate = Callable[[str], str | None]


class MindPortDocument(TextDocument):
    gate: FileGate | None = None

    _lines_of: str | None = None
    _lines: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        if self._source is None:
            if self.path is None or self.gate is None:
                return ""
            return self.gate(self.path) or ""
        return self._source

    @property
    def lines(self) -> Sequence[str]:
        source = self.source
        if self._lines_of is not source:
            self._lines = tuple(split_lines(source))
            self._lines_of = source
        return self._lines


class MindPortWorkspace(Workspace):
    gate: FileGate | None = None

    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        document = MindPortDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self._position_codec,
        )
        document.gate = self.gate
        return document


def adopt_workspace(old: Workspace, gate: FileGate) -> MindPortWorkspace:
    """pygls' fresh workspace (made at ``initialize``) as one that makes MindPort's documents."""
    workspace = MindPortWorkspace(
        old.root_uri,
        old._sync_kind,
        list(old.folders.values()),
        old.position_encoding,
    )
    workspace.gate = gate
    return workspace


def read_gated(path: str, roots: Sequence[Path], max_bytes: int) -> str | None:
    """The text of ``path`` if it is a regular file inside one of ``roots``, at most ``max_bytes``.

    The file is opened without following a FIFO's blocking open (``O_NONBLOCK``) and checked
    on the opened descriptor, so a file swapped after the check is not read either.
    """
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError):
        return None
    if not any(resolved == root or root in resolved.parents for root in roots):
        log.info("not reading %s: outside the workspace", path)
        return None
    try:
        fd = os.open(resolved, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            log.info("not reading %s: not a regular file or over the size cap", path)
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        return None
    return data.decode("utf-8", "replace")

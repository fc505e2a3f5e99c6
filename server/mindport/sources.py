"""Read and write Python files the way Python and editors do.

Reading honours PEP 263 coding cookies and BOMs and never blocks: anything that is not a
regular file (a FIFO or a device named ``x.py``) is skipped with a message. Writing goes
into the file itself, as editors do, so symlinks keep pointing at it, hard links stay
linked, and mode, owner and inode are unchanged; a complete copy is written and synced
next to it first, so a crash in the middle leaves the new text on disk.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 10 * 1024 * 1024
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        ".venv",
        "venv",
        "node_modules",
        "site-packages",
        ".tox",
        ".mypy_cache",
    }
)


class SourceError(Exception):
    """A file that cannot be analysed; the message is meant for the user."""


def detect_encoding(data: bytes) -> str:
    """The file's encoding as Python reads it (``utf-8-sig`` when there is a BOM)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        raise SourceError(
            "cannot decode: not UTF-8, and no valid coding declaration (PEP 263)"
        ) from None
    return encoding


def decode_source(data: bytes) -> str:
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise SourceError(f"cannot decode as {encoding}: {error}") from None
    return text[1:] if text.startswith("\ufeff") else text


def file_encoding(path: Path) -> str:
    """The encoding to write ``path`` back in (its own, BOM included)."""
    return read_file(path).encoding


@dataclass(frozen=True)
class SourceFile:
    """A file as read: its bytes, its text (BOM removed) and the encoding to write it back in."""

    data: bytes
    text: str
    encoding: str


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, which must be a regular file; opening never blocks."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SourceError("skipped: not a regular file")
        if info.st_size > limit:
            raise SourceError(
                f"skipped: {info.st_size:,} bytes is over the limit of {limit:,} "
                "(limits.maxFileBytes)"
            )
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise SourceError(f"skipped: over the limit of {limit:,} bytes (limits.maxFileBytes)")
    return data


def read_file(path: Path, limit: int = MAX_FILE_BYTES) -> SourceFile:
    try:
        data = _read_regular(path, limit)
    except OSError as error:
        raise SourceError(error.strerror or str(error)) from None
    encoding = detect_encoding(data)
    return SourceFile(data, decode_source(data), encoding)


def read_source(path: Path) -> str:
    return read_file(path).text


def is_regular_file(path: Path) -> bool:
    """True for a regular file or a symlink to one; never opens it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def python_files(root: Path) -> Iterator[Path]:
    """``root`` when it is a file, else every ``*.py``, ``*.pyi`` and ``*.ipynb`` (notebook)
    below it (sorted, no vendored dirs).

    Only regular files (or symlinks to them) are yielded from a walk: a FIFO named ``x.py``
    would block the reader.
    """
    if not root.is_dir():
        yield root
        return
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".pyi", ".ipynb")) and is_regular_file(Path(directory) / name):
                yield Path(directory) / name


class WriteError(Exception):
    """A file that was not written; the message is meant for the user."""


def encode_source(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as error:
        bad = text[error.start : error.end]
        raise WriteError(
            f"not written: the fixed text has {bad!r}, which {encoding} cannot encode"
        ) from None


def write_in_place(path: Path, data: bytes, expected: bytes | None = None) -> None:
    """Write ``data`` into ``path`` the way editors save.

    The file itself is rewritten (through symlinks, to their target), so hard links, mode,
    owner and inode stay. A read-only file or anything but a regular file is refused. When
    ``expected`` is given and the file no longer holds it (someone saved it meanwhile), the
    file is left alone. A complete copy is written and synced next to the target first and
    removed afterwards: should the in-place write be cut short, that copy has the new text.
    """
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except OSError as error:
        raise WriteError(f"not written: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise WriteError("not written: not a regular file")
    writable = info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    if not writable or not os.access(target, os.W_OK):
        raise WriteError("not written: the file is read-only")
    try:
        if (
            expected is not None
            and _read_regular(target, max(MAX_FILE_BYTES, len(expected))) != expected
        ):
            raise WriteError("not written: the file changed on disk while it was being fixed")
        backup = _write_copy(target, data)
        try:
            with open(target, "r+b") as handle:
                handle.write(data)
                handle.truncate()
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            if backup is not None:
                raise WriteError(f"not written completely; the fixed text is in {backup}") from None
            raise
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()
    except SourceError as error:
        raise WriteError(f"not written: {error}") from None
    except OSError as error:
        raise WriteError(f"not written: {error.strerror or error}") from None


def _write_copy(target: Path, data: bytes) -> Path | None:
    """A synced copy of the new text next to ``target`` (None if that folder is read-only)."""
    try:
        descriptor, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".mindport", dir=target.parent
        )
    except OSError:
        return None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)

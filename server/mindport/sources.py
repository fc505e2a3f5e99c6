"""Read Python files the way Python does (PEP 263 coding cookies, BOMs), with clear errors."""

from __future__ import annotations

import io
import os
import tokenize
from collections.abc import Iterator
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
    with path.open("rb") as handle:
        return detect_encoding(handle.read(4096))


def read_source(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 1024 // 1024
            raise SourceError(f"skipped: {size / 1024 / 1024:.1f} MB is over the {limit} MB limit")
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(error.strerror or str(error)) from None
    return decode_source(data)


def python_files(root: Path) -> Iterator[Path]:
    """``root`` when it is a file, else every ``*.py``, ``*.pyi`` and ``*.ipynb`` (notebook)
    below it (sorted, no vendored dirs)."""
    if not root.is_dir():
        yield root
        return
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".pyi", ".ipynb")):
                yield Path(directory) / name

"""``--shard i/n``: the part of a run one CI job takes.

A file belongs to shard ``1 + hash(path) mod n``, with the path relative to the working
directory in POSIX form and a fixed hash (BLAKE2b), so every machine of a CI matrix that
checks the repository out and runs from its root agrees on who analyses what, whatever the
order the file system lists files in, and adding a file moves no other file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


class ShardError(ValueError):
    pass


def parse_shard(value: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)``: the second of four shards (1-based)."""
    index, slash, count = value.partition("/")
    try:
        i, n = int(index), int(count)
    except ValueError:
        raise ShardError(f"--shard wants I/N with whole numbers, e.g. 1/4, not {value!r}") from None
    if not slash or n < 1 or not 1 <= i <= n:
        raise ShardError(f"--shard {value}: I must be between 1 and N")
    return i, n


def shard_key(path: Path, base: Path | None = None) -> str:
    base = (base or Path.cwd()).resolve()
    return Path(os.path.relpath(path.resolve(), base)).as_posix()


def shard_of(path: Path, count: int, base: Path | None = None) -> int:
    """The 1-based shard ``path`` belongs to."""
    digest = hashlib.blake2b(
        shard_key(path, base).encode("utf-8", "surrogateescape"), digest_size=8
    )
    return 1 + int.from_bytes(digest.digest(), "big") % count

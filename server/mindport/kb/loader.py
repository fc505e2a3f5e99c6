"""Load the knowledge base: a small index at start, each entry's details when first needed.

A broken file or entry never stops the rest: it becomes a ``KnowledgeProblem`` naming the
file and the entry, and every other entry stays available.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mindport.kb.model import Entry
from mindport.kb.parse import FORMAT_VERSION, EntryError, parse_entry
from mindport.kb.paths import knowledge_dir
from mindport.kb.verification import (
    VERIFICATION_FILE,
    Verification,
    VerificationError,
    parse_verification,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

INDEX_FILE = "index.json"
ENTRIES_DIR = "apis"
JEDI_NAMES_FILE = "jedi-names.json"


@dataclass(frozen=True, slots=True)
class KnowledgeProblem:
    file: str
    entry: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file} [{self.entry}]" if self.entry else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class IndexRecord:
    """What the index knows about an entry without reading its file."""

    id: str
    file: str
    tier: str
    category: str
    torch_names: tuple[str, ...]
    mindspore_names: tuple[str, ...]


def read_entry_file(root: Path, relative: str) -> Entry:
    """Parse one entry file; raises ``EntryError``/``OSError``/``TOMLDecodeError``."""
    with (root / relative).open("rb") as handle:
        data = tomllib.load(handle)
    return parse_entry(data, source_file=relative)


def index_record(entry: Entry) -> dict[str, Any]:
    return {
        "file": entry.source_file,
        "tier": entry.tier.value,
        "category": entry.category.value,
        "torch_names": list(entry.torch.names),
        "mindspore_names": [name for side in entry.targets.values() for name in side.names],
    }


def build_index(root: Path) -> tuple[dict[str, Any], list[KnowledgeProblem]]:
    """Read every entry file and return the index data (what ``mindport kb index`` writes)."""
    entries: dict[str, Any] = {}
    problems: list[KnowledgeProblem] = []
    for path in sorted((root / ENTRIES_DIR).rglob("*.toml")):
        relative = path.relative_to(root).as_posix()
        try:
            entry = read_entry_file(root, relative)
        except (EntryError, OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            problems.append(KnowledgeProblem(relative, None, str(error)))
            continue
        if entry.id in entries:
            problems.append(
                KnowledgeProblem(
                    relative, entry.id, f"duplicate id, also in {entries[entry.id]['file']}"
                )
            )
            continue
        entries[entry.id] = index_record(entry)
    return {"format": FORMAT_VERSION, "entries": entries}, problems


class KnowledgeBase:
    """Lookups by torch or MindSpore name; entries are parsed on first use and cached."""

    def __init__(
        self, root: Path, records: Iterable[IndexRecord], problems: list[KnowledgeProblem]
    ):
        self.root = root
        self.problems = problems
        self._records: dict[str, IndexRecord] = {}
        self._by_torch_name: dict[str, str] = {}
        self._by_mindspore_name: dict[str, list[str]] = {}
        for record in records:
            self._add(record)
        self._short_names = frozenset(
            name.rsplit(".", 1)[-1] for name in (*self._by_torch_name, *self._by_mindspore_name)
        )
        self._entries: dict[str, Entry | None] = {}
        self._jedi_names: dict[str, str] | None = None
        self._verification: dict[str, Verification] | None = None
        self._lock = threading.Lock()

    def _add(self, record: IndexRecord) -> None:
        for name in record.torch_names:
            owner = self._by_torch_name.get(name)
            if owner is not None and owner != record.id:
                self.problems.append(
                    KnowledgeProblem(
                        record.file, record.id, f"torch name {name} is also claimed by {owner}"
                    )
                )
                continue
            self._by_torch_name[name] = record.id
        for name in record.mindspore_names:
            self._by_mindspore_name.setdefault(name, []).append(record.id)
        self._records[record.id] = record

    # -- index-level queries: no entry file is read -------------------------------------

    def __len__(self) -> int:
        return len(self._records)

    @property
    def ids(self) -> list[str]:
        return sorted(self._records)

    def record(self, entry_id: str) -> IndexRecord | None:
        return self._records.get(entry_id)

    def torch_id(self, name: str) -> str | None:
        """The entry for a torch public name or alias."""
        return self._by_torch_name.get(name)

    def mindspore_ids(self, name: str) -> list[str]:
        """The entries whose MindSpore target is ``name`` (reverse lookup)."""
        return self._by_mindspore_name.get(name, [])

    def knows(self, name: str) -> bool:
        return name in self._by_torch_name or name in self._by_mindspore_name

    def has_short_name(self, identifier: str) -> bool:
        """True when some known API's last name component is ``identifier``."""
        return identifier in self._short_names

    def jedi_public_name(self, definition: str) -> str | None:
        """The public name for a jedi definition name, from the generated table (if shipped)."""
        if self._jedi_names is None:
            self._jedi_names = self._read_jedi_names()
        return self._jedi_names.get(definition)

    def _read_jedi_names(self) -> dict[str, str]:
        path = self.root / JEDI_NAMES_FILE
        if not path.is_file():
            return {}
        try:
            with path.open("rb") as handle:
                data = json.load(handle)
            names = data["names"]
            if not isinstance(names, dict):
                raise TypeError("'names' is not an object")
            return {str(k): str(v) for k, v in names.items()}
        except (OSError, ValueError, KeyError, TypeError) as error:
            self.problems.append(KnowledgeProblem(JEDI_NAMES_FILE, None, f"ignored: {error}"))
            return {}

    def verification(self, entry_id: str) -> Verification | None:
        """What the equivalence suite found for this API (read once, on first use), or None."""
        if self._verification is None:
            with self._lock:
                if self._verification is None:
                    self._verification = self._read_verification()
        return self._verification.get(entry_id)

    def _read_verification(self) -> dict[str, Verification]:
        path = self.root / VERIFICATION_FILE
        if not path.is_file():
            return {}  # not checked yet: cards say so
        try:
            with path.open("rb") as handle:
                records, problems = parse_verification(json.load(handle))
        except (OSError, ValueError, VerificationError) as error:
            self.problems.append(KnowledgeProblem(VERIFICATION_FILE, None, f"ignored: {error}"))
            return {}
        for problem in problems:
            api, _, message = problem.partition(": ")
            self.problems.append(KnowledgeProblem(VERIFICATION_FILE, api, f"ignored: {message}"))
        return records

    # -- details ----------------------------------------------------------------------------

    def entry(self, entry_id: str) -> Entry | None:
        """The parsed entry, or None when unknown or malformed (the problem is recorded once)."""
        if entry_id in self._entries:
            return self._entries[entry_id]
        record = self._records.get(entry_id)
        if record is None:
            return None
        with self._lock:
            if entry_id in self._entries:
                return self._entries[entry_id]
            entry: Entry | None
            try:
                entry = read_entry_file(self.root, record.file)
                if entry.id != entry_id:
                    raise EntryError(
                        "id", f"index says {entry_id!r} but the file says {entry.id!r}"
                    )
            except (EntryError, OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
                self.problems.append(KnowledgeProblem(record.file, entry_id, str(error)))
                entry = None
            self._entries[entry_id] = entry
            return entry

    def entry_for_torch(self, name: str) -> Entry | None:
        entry_id = self.torch_id(name)
        return self.entry(entry_id) if entry_id else None

    def entries_for_mindspore(self, name: str) -> list[Entry]:
        return [e for e in (self.entry(i) for i in self.mindspore_ids(name)) if e is not None]

    def lookup(self, name: str) -> Entry | None:
        """Any public name, torch first (what ``mindport explain`` accepts)."""
        found = self.entry_for_torch(name)
        if found is not None:
            return found
        reverse = self.entries_for_mindspore(name)
        return reverse[0] if reverse else None


def _records_from_index(
    data: Any, index_path: str
) -> tuple[list[IndexRecord], list[KnowledgeProblem]]:
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        raise EntryError("format", f"unsupported index format; expected {FORMAT_VERSION}")
    records: list[IndexRecord] = []
    problems: list[KnowledgeProblem] = []
    for entry_id, raw in (data.get("entries") or {}).items():
        try:
            records.append(
                IndexRecord(
                    id=entry_id,
                    file=str(raw["file"]),
                    tier=str(raw["tier"]),
                    category=str(raw["category"]),
                    torch_names=tuple(raw["torch_names"]),
                    mindspore_names=tuple(raw["mindspore_names"]),
                )
            )
        except (KeyError, TypeError) as error:
            problems.append(
                KnowledgeProblem(index_path, entry_id, f"malformed index record: {error}")
            )
    return records, problems


def load_knowledge(root: Path | None = None) -> KnowledgeBase:
    """Load the index (fast path) or, when it is missing or unreadable, scan the entries."""
    root = root or knowledge_dir()
    try:
        with (root / INDEX_FILE).open("rb") as handle:
            data = json.load(handle)
        records, problems = _records_from_index(data, INDEX_FILE)
    except (OSError, ValueError) as error:
        scanned, problems = build_index(root)
        problems.insert(
            0, KnowledgeProblem(INDEX_FILE, None, f"{error}; scanned the entry files instead")
        )
        records, more = _records_from_index(scanned, INDEX_FILE)
        problems.extend(more)
    return KnowledgeBase(root, records, problems)

"""``mindport kb validate``: re-derive everything from the installed frameworks and compare.

Drift is any difference between what is stored under ``knowledge/`` and what the installed
torch and mindspore (and jedi) say today: a signature, a kind, an alias, an entry file the
generator would now write differently, a hand-written entry whose sides no longer match,
a stale index or jedi table. Nothing is written.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from mindport.kb.generate.build import (
    Sources,
    build_all,
    index_text,
    load_sources,
    snapshot_path,
)
from mindport.kb.generate.claims import CLAIMS_FILE, Claims
from mindport.kb.generate.compare import merge_overloads
from mindport.kb.generate.curated import is_generated
from mindport.kb.generate.snapshot import Snapshot
from mindport.kb.loader import ENTRIES_DIR, INDEX_FILE
from mindport.kb.model import ApiSide, Entry, same_default

MAX_DIFF_LINES = 12


@dataclass
class Validation:
    drift_lines: list[str] = field(default_factory=list)
    info_lines: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def drift(self) -> bool:
        return bool(self.drift_lines)

    def lines(self) -> list[str]:
        out = [f"checked: {', '.join(f'{k} {v}' for k, v in self.checked.items())}"]
        out += [f"DRIFT {line}" for line in self.drift_lines]
        out += [f"note  {line}" for line in self.info_lines]
        return out


def compare_snapshots(stored: Snapshot, fresh: Snapshot) -> list[str]:
    """Every difference between a stored snapshot and a fresh one."""
    found: list[str] = []
    prefix = f"snapshots/{stored.framework}.json:"
    if stored.version != fresh.version:
        found.append(f"{prefix} stored for {stored.version}, installed {fresh.version}")
    for name in sorted(set(stored.apis) | set(fresh.apis)):
        old, new = stored.apis.get(name), fresh.apis.get(name)
        if old is None:
            found.append(f"{prefix} {name} is new")
        elif new is None:
            why = fresh.missing.get(name, "gone")
            found.append(f"{prefix} {name} no longer exists ({why})")
        elif old.to_json() != new.to_json():
            changes = [
                f"{key} {getattr(old, key)!r} -> {getattr(new, key)!r}"
                for key in ("kind", "source", "signatures", "legacy", "aliases")
                if getattr(old, key) != getattr(new, key)
            ]
            found.append(f"{prefix} {name}: {'; '.join(changes) or 'remark changed'}")
    for wrong, right in sorted(set(stored.corrections.items()) ^ set(fresh.corrections.items())):
        found.append(f"{prefix} spelling correction changed: {wrong} -> {right}")
    return found


def _side_drift(where: str, side: ApiSide, snapshot: Snapshot) -> list[str]:
    api = snapshot.apis.get(side.name)
    if api is None:
        return [f"{where}: {side.name} does not exist in {snapshot.framework} {snapshot.version}"]
    if api.kind != side.kind.value:
        return [f"{where}: {side.name} is a {api.kind}, the entry says {side.kind.value}"]
    if api.kind == "attribute":
        return []
    real = {p.name: p for p in merge_overloads(api.overloads())}
    ours = {p.name: p for p in side.params}
    found = [f"{where}: {side.name} has no parameter {n}" for n in sorted(set(ours) - set(real))]
    found += [
        f"{where}: {side.name} has a parameter {n} the entry lacks"
        for n in sorted(set(real) - set(ours))
    ]
    for name in sorted(set(ours) & set(real)):
        a, b = ours[name], real[name]
        if a.kind is not b.kind:
            found.append(
                f"{where}: {side.name}({name}) is {b.kind.value}, entry says {a.kind.value}"
            )
        if not same_default(a.default, b.default):
            found.append(
                f"{where}: {side.name}({name}) default is {b.default}, entry says {a.default}"
            )
    return found


def check_hand_written(entry: Entry, sources: Sources) -> list[str]:
    where = entry.source_file
    found = _side_drift(where, entry.torch, sources.torch)
    for side in entry.targets.values():
        found += _side_drift(where, side, sources.mindspore)
    return found


def _text_diff(relative: str, old: str, new: str) -> str:
    lines = list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), "stored", "derived", n=0, lineterm=""
        )
    )[2:]
    shown = [line for line in lines if not line.startswith("@@")][:MAX_DIFF_LINES]
    more = len(lines) - len(shown)
    tail = f" (+{more} more lines)" if more > 0 else ""
    return f"{relative} would change:\n      " + "\n      ".join(shown) + tail


def compare_files(root: Path, files: dict[str, str]) -> list[str]:
    found: list[str] = []
    for relative, text in sorted(files.items()):
        path = root / relative
        if not path.is_file():
            found.append(f"{relative} is missing (the generator would write it)")
            continue
        stored = path.read_text(encoding="utf-8")
        if stored != text:
            found.append(_text_diff(relative, stored, text))
    for path in sorted((root / ENTRIES_DIR).rglob("*.toml")):
        relative = path.relative_to(root).as_posix()
        if relative not in files and is_generated(path):
            found.append(f"{relative} would be deleted (nothing generates it any more)")
    return found


def validate(
    root: Path,
    *,
    tables_dir: Path | None = None,
    jedi: bool = True,
    data_wheels: Path | None = None,
) -> Validation:
    from mindport.kb.generate.build import merge_data_snapshot
    from mindport.kb.generate.pipeline import take_snapshots

    result = Validation()
    stored = load_sources(root)
    fresh_snapshots = take_snapshots(root, data_wheels)
    for framework, fresh in fresh_snapshots.items():
        old = Snapshot.read(snapshot_path(root, framework))
        result.drift_lines += compare_snapshots(old, fresh)
        result.checked[f"{framework} APIs"] = len(fresh.apis)
    data_path = snapshot_path(root, "torch-data")
    if "torch-data" in fresh_snapshots:
        merge_data_snapshot(fresh_snapshots["torch"], fresh_snapshots.pop("torch-data"))
    elif data_path.is_file():
        merge_data_snapshot(fresh_snapshots["torch"], Snapshot.read(data_path))
        result.info_lines.append(
            "snapshots/torch-data.json was not re-read (pass --data-wheels to check it)"
        )
    fresh_sources = Sources(
        torch=fresh_snapshots["torch"],
        mindspore=fresh_snapshots["mindspore"],
        claims=stored.claims,
        curated=stored.curated,
        hand_written=stored.hand_written,
    )
    built = build_all(fresh_sources)
    result.drift_lines += compare_files(root, built.files)
    result.checked["generated entries"] = len(built.files)
    for entry in stored.hand_written.values():
        result.drift_lines += check_hand_written(entry, fresh_sources)
    result.checked["hand-written entries"] = len(stored.hand_written)
    for name, known in stored.curated.signatures.items():
        api = fresh_sources.mindspore.apis.get(name) or fresh_sources.torch.apis.get(name)
        if api is None:
            result.drift_lines.append(f"curated/signatures.toml: {name} no longer exists")
        elif (
            api.remark
            and "automatic" in api.remark
            and api.remark.endswith(": " + " | ".join(known.signatures))
        ):
            result.info_lines.append(
                f"curated/signatures.toml: {name} is now read correctly without it"
            )
    index, problems = index_text(root)
    result.drift_lines += [f"{INDEX_FILE}: {p}" for p in problems]
    if (root / INDEX_FILE).read_text(encoding="utf-8") != index:
        result.drift_lines.append(f"{INDEX_FILE} is stale: run `mindport kb index`")
    if tables_dir is not None:
        from mindport.kb.generate.claims import import_tables

        if import_tables(tables_dir).dumps() != (root / CLAIMS_FILE).read_text(encoding="utf-8"):
            result.drift_lines.append(f"{CLAIMS_FILE} differs from the tables in {tables_dir}")
    if jedi:
        result.drift_lines += _jedi_drift(root)
    claims = Claims.read(root / CLAIMS_FILE)
    result.checked["official claims"] = len(claims.claims)
    return result


def _jedi_drift(root: Path) -> list[str]:
    import json

    from mindport.kb.generate.jedi_table import build_jedi_table, table_path
    from mindport.kb.generate.stubs import Locator
    from mindport.kb.loader import load_knowledge

    fresh = build_jedi_table(load_knowledge(root), Locator(root))
    path = table_path(root)
    stored = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"names": {}}
    old: dict[str, str] = stored.get("names", {})
    found = []
    for name in sorted(set(old) | set(fresh.names)):
        if old.get(name) != fresh.names.get(name):
            found.append(
                f"jedi-names.json: {name}: stored {old.get(name)!r}, jedi now {fresh.names.get(name)!r}"
            )
    return found

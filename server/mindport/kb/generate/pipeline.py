"""``mindport kb generate``: the steps in order, each writing its files under ``knowledge/``."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mindport.kb.generate.build import (
    build_all,
    load_sources,
    read_hand_written,
    snapshot_path,
    write_knowledge,
)
from mindport.kb.generate.claims import CLAIMS_FILE, Claims, import_tables
from mindport.kb.generate.curated import Curated, read_curated
from mindport.kb.generate.snapshot import ApiSnapshot, Snapshot

STEPS = ("claims", "snapshots", "entries", "jedi")
TABLES_ENV = "MINDPORT_REFERENCE_TABLES"


def default_tables_dir(root: Path) -> Path:
    """``$MINDPORT_REFERENCE_TABLES`` or ``../shared/reference/tables`` beside the checkout."""
    override = os.environ.get(TABLES_ENV)
    if override:
        return Path(override)
    return root.resolve().parent.parent / "shared" / "reference" / "tables"


@dataclass
class Report:
    lines: list[str]

    def say(self, line: str) -> None:
        self.lines.append(line)


def refresh_claims(root: Path, tables_dir: Path, report: Report) -> None:
    claims = import_tables(tables_dir)
    path = root / CLAIMS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(claims.dumps(), encoding="utf-8")
    report.say(f"{path}: {len(claims.claims)} table rows, {len(claims.pairs)} parameter rows")


DATA_PACKAGES = ("torchvision", "torchaudio", "torchtext")


def take_snapshots(root: Path, data_wheels: Path | None = None) -> dict[str, Snapshot]:
    """Read both frameworks (imports torch and mindspore); nothing is written.

    With ``data_wheels`` (a folder of torchvision/torchaudio/torchtext wheels) the data
    pipeline's signatures are read statically from them too (snapshot ``torch-data``).
    """
    from mindport.kb.generate.introspect import discover, take_snapshot
    from mindport.kb.generate.stubs import Locator

    claims = Claims.read(root / CLAIMS_FILE)
    curated = read_curated(root)
    hand_written = read_hand_written(root)
    pairs = [(c.torch, c.mindspore) for c in claims.claims]
    for entry in hand_written.values():
        pairs.extend((entry.torch.name, side.name) for side in entry.targets.values())
    pairs.extend(curated.target_names())
    scope = discover(pairs, [])
    locator = Locator(root)
    snapshots = {
        "torch": take_snapshot("torch", scope.torch, locator),
        "mindspore": take_snapshot("mindspore", scope.mindspore, locator),
    }
    for snapshot in snapshots.values():
        prefix = snapshot.framework + "."
        snapshot.corrections.update(
            {k: v for k, v in scope.corrections.items() if k.startswith(prefix)}
        )
        snapshot.missing.update({k: v for k, v in scope.missing.items() if k.startswith(prefix)})
        apply_curated_signatures(snapshot, curated)
    if data_wheels is not None:
        names = [c.torch for c in claims.claims if c.torch.split(".")[0] in DATA_PACKAGES]
        snapshots["torch-data"] = read_data_wheels(data_wheels, names)
    return snapshots


def read_data_wheels(folder: Path, names: list[str]) -> Snapshot:
    """Unpack the wheels in ``folder`` into a temporary directory and read ``names`` there."""
    import tempfile
    import zipfile

    from mindport.kb.generate.introspect import take_static_snapshot

    wheels = sorted(folder.glob("*.whl"))
    if not wheels:
        raise OSError(f"{folder}: no .whl files (pip download --no-deps torchvision ... -d DIR)")
    with tempfile.TemporaryDirectory(prefix="mindport-data-") as temporary:
        site = Path(temporary)
        versions = []
        for wheel in wheels:
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(site)
            name, version = wheel.name.split("-")[:2]
            versions.append(f"{name} {version}")
        return take_static_snapshot(names, site, ", ".join(versions))


def apply_curated_signatures(snapshot: Snapshot, curated: Curated) -> None:
    """Put in the signatures that no automatic source reads correctly (they win)."""
    for name, known in curated.signatures.items():
        api = snapshot.apis.get(name)
        if api is None:
            continue
        snapshot.apis[name] = ApiSnapshot(
            name=name,
            kind=known.kind,
            source="curated",
            signatures=known.signatures,
            legacy=api.legacy,
            aliases=api.aliases,
            remark=f"automatic ({api.source}): {' | '.join(api.signatures) or 'nothing'}",
        )


def refresh_snapshots(root: Path, report: Report, data_wheels: Path | None = None) -> None:
    for framework, snapshot in take_snapshots(root, data_wheels).items():
        path = snapshot_path(root, framework)
        snapshot.write(path)
        report.say(f"{path}: {framework} {snapshot.version}, {len(snapshot.apis)} APIs")


def refresh_entries(root: Path, report: Report) -> None:
    result = build_all(load_sources(root))
    written, unchanged, deleted = write_knowledge(root, result)
    report.say(
        f"{root / 'apis'}: {len(result.files)} generated entries"
        f" ({written} written, {unchanged} unchanged, {deleted} deleted)"
    )


def refresh_jedi_table(root: Path, report: Report) -> None:
    from mindport.kb.generate.jedi_table import build_jedi_table, table_path
    from mindport.kb.generate.stubs import Locator
    from mindport.kb.loader import load_knowledge

    table = build_jedi_table(load_knowledge(root), Locator(root))
    table_path(root).write_text(table.dumps(), encoding="utf-8")
    report.say(
        f"{table_path(root)}: {len(table.names)} definition names,"
        f" {len(table.unresolved)} names jedi does not resolve"
    )


def generate(
    root: Path, steps: list[str], tables_dir: Path | None, data_wheels: Path | None = None
) -> Report:
    report = Report([])
    actions: dict[str, Callable[[], None]] = {
        "claims": lambda: refresh_claims(root, tables_dir or default_tables_dir(root), report),
        "snapshots": lambda: refresh_snapshots(root, report, data_wheels),
        "entries": lambda: refresh_entries(root, report),
        "jedi": lambda: refresh_jedi_table(root, report),
    }
    for step in STEPS:
        if step in steps:
            actions[step]()
    return report

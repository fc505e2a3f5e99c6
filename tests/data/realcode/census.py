"""Labelled real-code references: torch names used by third-party projects at pinned versions.

    python tests/data/realcode/census.py fetch   # download the pinned wheels (no torch needed)
    python tests/data/realcode/census.py label   # write labels.json (needs torch 2.13.0)

Labels are made without MindPort: each file's imports are read with ``ast`` and every dotted
name whose root is bound to an import of torch is looked up by running Python against the
installed torch (``importlib`` and ``getattr``, nothing of the project is imported or run).
A label is the public API the name reaches (``torch.nn.functional.relu``, ``torch.float32``,
``torch.Tensor.view`` for a class member), ``private`` for torch internals (``torch._C``...),
``module`` for a module passed along as a value (``torch``, ``torch.nn``) and ``not torch``
where torch has no such attribute. Only the code's names are labelled this
way; tensor methods on values (``x.view``) need the program to run and are not in this set.

The wheels live in ``$MINDPORT_REALCODE_CACHE`` (default ``~/.cache/mindport-realcode``), never
in the repository.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
PROJECTS = HERE / "projects.toml"
LABELS = HERE / "labels.json"
FILES_PER_PROJECT = 30  # files labelled per project, in sorted order, skipping tests
LABELS_PER_PROJECT = 400


def cache_dir() -> Path:
    default = Path.home() / ".cache" / "mindport-realcode"
    return Path(os.environ.get("MINDPORT_REALCODE_CACHE", default))


def projects() -> list[dict[str, str]]:
    return list(tomllib.loads(PROJECTS.read_text(encoding="utf-8"))["project"])


def wheel_path(spec: str, cache: Path) -> Path | None:
    name, _, version = spec.partition("==")
    stem = name.replace("-", "_")
    found = sorted(cache.glob(f"{stem}-{version}-*.whl"))
    return found[0] if found else None


def fetch(cache: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    missing = [p["wheel"] for p in projects() if wheel_path(p["wheel"], cache) is None]
    if missing:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(cache), *missing],
            check=True,
        )


def unpack(spec: str, cache: Path) -> Path:
    """The wheel of ``spec`` unpacked into the cache (jedi and the member labeller read it)."""
    wheel = wheel_path(spec, cache)
    assert wheel is not None, f"run `census.py fetch` first: {spec}"
    target = cache / "unpacked" / wheel.stem
    if not target.is_dir():
        tmp = target.parent / (target.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(tmp)
        tmp.rename(target)
    return target


def source_files(wheel: Path) -> Iterator[tuple[str, str]]:
    """(path inside the wheel, text) of the project's modules, tests left out."""
    with zipfile.ZipFile(wheel) as archive:
        names = sorted(
            n
            for n in archive.namelist()
            if n.endswith(".py") and "/tests/" not in n and not n.startswith("tests/")
        )
        for name in names:
            yield name, archive.read(name).decode("utf-8", errors="replace")


# -- labelling (runs torch) ---------------------------------------------------------------------


def _imports(tree: ast.AST) -> dict[str, str]:
    """Name -> dotted torch path for every import of torch anywhere in the file."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "torch":
                    continue
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    bound["torch"] = "torch"
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            if node.module.split(".")[0] != "torch":
                continue
            for alias in node.names:
                if alias.name != "*":
                    bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return bound


def _dotted(node: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def _outermost_chains(tree: ast.AST) -> Iterator[ast.expr]:
    inner: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            inner.add(id(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name) and id(node) not in inner:
            if isinstance(getattr(node, "ctx", None), ast.Load):
                yield node


def label_of(full: list[str]) -> str:
    """What ``full`` (``["torch", "nn", "functional", "relu"]``) reaches in the real torch."""
    try:
        obj: object = importlib.import_module(full[0])
    except ImportError:
        return "not torch"
    name = [full[0]]
    for part in full[1:]:
        if part.startswith("_") and not part.startswith("__"):
            return "private"
        if isinstance(obj, ModuleType):
            try:
                obj = getattr(obj, part)
            except AttributeError:
                try:
                    obj = importlib.import_module(".".join([*name, part]))
                except ImportError:
                    return "not torch"
            name.append(part)
            continue
        if isinstance(obj, type) and hasattr(obj, part):  # a class member: Tensor.view
            return ".".join([*name, part])
        break
    if isinstance(obj, ModuleType):
        return "module"  # ``torch`` or ``torch.nn`` itself, passed along: no API
    return ".".join(name)


@dataclass(frozen=True)
class Label:
    project: str
    path: str
    line: int  # 1-based, as ast gives
    column: int  # code points, 0-based
    text: str
    api: str


def label_file(project: str, path: str, text: str) -> list[Label]:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    bound = _imports(tree)
    if not bound:
        return []
    lines = text.splitlines()
    found = []
    for node in _outermost_chains(tree):
        parts = _dotted(node)
        if parts is None or parts[0] not in bound:
            continue
        full = [*bound[parts[0]].split("."), *parts[1:]]
        line = lines[node.lineno - 1]
        column = len(line.encode("utf-8")[: node.col_offset].decode("utf-8", errors="replace"))
        found.append(Label(project, path, node.lineno, column, ".".join(parts), label_of(full)))
    return found


def label(cache: Path) -> list[Label]:
    import torch

    assert torch.__version__.startswith("2.13.0"), torch.__version__
    labels: list[Label] = []
    for project in projects():
        wheel = wheel_path(project["wheel"], cache)
        assert wheel is not None, f"run `census.py fetch` first: {project['wheel']}"
        mine: list[Label] = []
        files = 0
        for path, text in source_files(wheel):
            found = label_file(project["wheel"], path, text)
            if not found:
                continue
            mine.extend(found)
            files += 1
            if files >= FILES_PER_PROJECT or len(mine) >= LABELS_PER_PROJECT:
                break
        labels.extend(mine)
    return labels


def main(argv: list[str]) -> int:
    cache = cache_dir()
    if argv[:1] == ["fetch"]:
        fetch(cache)
        return 0
    if argv[:1] == ["label"]:
        fetch(cache)
        labels = label(cache)
        rows = [label.__dict__ for label in labels]
        LABELS.write_text(json.dumps(rows, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{LABELS}: {len(rows)} labelled references")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

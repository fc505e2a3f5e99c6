"""``[tool.mindport]`` in pyproject.toml: the project's settings, shared by the team.

Precedence, lowest first: built-in defaults, the editor's settings (initializationOptions,
then workspace/configuration), then the nearest pyproject.toml with a ``[tool.mindport]``
table. The project file wins because everyone on the team reads the same one; editors that
send every setting (VS Code does) would otherwise always override it with defaults.
"""

from __future__ import annotations

import fnmatch
import json
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from mindport.settings import Settings, parse_settings, unknown_keys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

ALWAYS_SKIPPED = (
    "**/.git/**",
    "**/.venv/**",
    "**/venv/**",
    "**/node_modules/**",
    "**/site-packages/**",
)


@dataclass(frozen=True)
class ProjectConfig:
    path: Path | None  # the pyproject.toml that supplied settings, if any
    settings: Settings
    problems: tuple[str, ...]

    @property
    def root(self) -> Path | None:
        return self.path.parent if self.path is not None else None


# A pyproject.toml larger than this is not read (it is not a project file anyone wrote).
MAX_PYPROJECT_BYTES = 1_000_000


def _tool_table(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """``[tool.mindport]`` of one pyproject.toml; a file that cannot be read is a problem,
    reported once, never an exception: deep nesting (RecursionError in tomllib), bytes that
    are not UTF-8, a huge file or a FIFO named pyproject.toml included."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_PYPROJECT_BYTES + 1)
        if len(raw) > MAX_PYPROJECT_BYTES:
            return None, f"{path}: cannot read: larger than {MAX_PYPROJECT_BYTES} bytes"
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError, MemoryError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        return None, f"{path}: cannot read: {reason}"
    table = data.get("tool", {}).get("mindport") if isinstance(data.get("tool"), dict) else None
    if table is None:
        return None, None
    if not isinstance(table, dict):
        return None, f"{path}: [tool.mindport] should be a table"
    return table, None


def find_project_config(start: Path, editor: Settings) -> ProjectConfig:
    """Settings for a file in ``start`` (a file or directory): the editor's, overlaid by the project's."""
    directory = start if start.is_dir() else start.parent
    problems: list[str] = []
    for folder in (directory, *directory.parents):
        candidate = folder / "pyproject.toml"
        if not candidate.is_file():
            continue
        table, problem = _tool_table(candidate)
        if problem:
            problems.append(problem)
        if table is None:
            continue
        settings, found = parse_settings(table, editor)
        problems.extend(f"{candidate}: {p}" for p in found)
        problems.extend(
            f"{candidate}: [tool.mindport] has an unknown key {json.dumps(key)}; ignored"
            for key in unknown_keys(table)
        )
        return ProjectConfig(candidate, settings, tuple(problems))
    return ProjectConfig(None, editor, tuple(problems))


def _matches(relative: str, pattern: str) -> bool:
    path = PurePosixPath(relative)
    if path.match(pattern) or fnmatch.fnmatch(relative, pattern):
        return True
    # ``**/`` also matches at the top level, as in gitignore-style globs.
    return pattern.startswith("**/") and _matches(relative, pattern[3:])


def is_included(path: Path, root: Path | None, settings: Settings) -> bool:
    """Whether ``path`` is analysed under ``include`` / ``exclude`` (relative to ``root``)."""
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix() if root else path.name
    except ValueError:
        relative = path.as_posix().lstrip("/")
    if any(_matches(relative, p) for p in (*ALWAYS_SKIPPED, *settings.exclude)):
        return False
    return any(_matches(relative, p) for p in settings.include)

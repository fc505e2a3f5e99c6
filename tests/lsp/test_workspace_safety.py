"""What a repository can make MindPort do: nothing it should not.

- ``[tool.mindport]`` settings that name a path or a command never make MindPort run a
  program (language server and CLI);
- a pyproject.toml that cannot be read (nested too deeply) is reported, and requests under
  it are still answered;
- unopened ``file:`` URIs are read only inside the workspace, only regular files, only under
  the size cap: a FIFO, ``/dev/zero`` or a file outside the workspace is never read.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from mindport.project_config import find_project_config
from mindport.settings import Settings
from tests.lsp.raw import RawServer

SOURCE = "import torch\nlayer = torch.nn.Linear(2, 3)\nx = torch.ones(2)\n"

# Every setting that names a path or a command, pointed at the trap.
PATH_SETTINGS = ["interpreter"]


def _trap(root: Path) -> Path:
    marker = root / "ran.txt"
    script = root / "evil.sh"
    script.write_text(f"#!/bin/sh\necho ran >> {marker}\n", encoding="utf-8")
    script.chmod(0o755)
    (root / "python").symlink_to(script)
    return marker


def _project(root: Path, settings: dict[str, str]) -> Path:
    lines = ["[tool.mindport]", *(f'{key} = "{value}"' for key, value in settings.items())]
    (root / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = root / "model.py"
    model.write_text(SOURCE, encoding="utf-8")
    return model


@pytest.mark.parametrize("value", ["./evil.sh", "evil.sh", "./python", "{root}/evil.sh"])
def test_project_settings_naming_a_program_never_run_it(tmp_path: Path, value: str) -> None:
    marker = _trap(tmp_path)
    settings = {key: value.format(root=tmp_path) for key in PATH_SETTINGS}
    model = _project(tmp_path, settings)
    # The CLI, from inside the repository.
    subprocess.run(
        [sys.executable, "-m", "mindport", "check", str(model)],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
        check=False,
    )
    subprocess.run(
        [sys.executable, "-m", "mindport", "fix", str(model)],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
        check=False,
    )
    # The language server, with jedi on, asked everything.
    raw = RawServer(cwd=tmp_path)
    try:
        raw.initialize(tmp_path)
        uri = model.as_uri()
        raw.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": SOURCE}},
        )
        assert "result" in raw.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 16}},
        )
        assert "result" in raw.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        raw.request(
            "workspace/executeCommand", {"command": "mindport.migrationSummary", "arguments": []}
        )
        time.sleep(1.0)
    finally:
        raw.close()
    assert not marker.exists(), "a setting from the repository ran a program"


def _nested_pyproject(root: Path) -> None:
    depth = 50_000
    (root / "pyproject.toml").write_text(
        "[tool.mindport]\ntarget = " + "[" * depth + "]" * depth + "\n", encoding="utf-8"
    )


def test_a_deeply_nested_pyproject_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    _nested_pyproject(tmp_path)
    config = find_project_config(tmp_path, Settings())
    assert config.settings == Settings()
    assert any("nested too deeply" in problem for problem in config.problems)


def test_requests_under_a_deeply_nested_pyproject_are_answered(tmp_path: Path) -> None:
    _nested_pyproject(tmp_path)
    model = tmp_path / "sub" / "model.py"
    model.parent.mkdir()
    raw = RawServer()
    try:
        raw.initialize(tmp_path, jedi={"enabled": False})
        uri = model.as_uri()
        raw.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": SOURCE}},
        )
        hover = raw.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 16}},
        )
        assert "mindspore" in hover["result"]["contents"]["value"].lower()
        report = raw.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        assert report["result"]["items"]
    finally:
        assert raw.close() == 0


def _ask(raw: RawServer, uri: str) -> list[dict[str, Any]]:
    position = {"line": 0, "character": 0}
    whole = {"start": position, "end": {"line": 10, "character": 0}}
    return [
        raw.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position}),
        raw.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}),
        raw.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": whole,
                "context": {"diagnostics": [], "only": ["source.fixAll.mindport"]},
            },
        ),
    ]


def test_unopened_files_are_read_only_inside_the_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    inside = workspace / "inside.py"
    inside.write_text(SOURCE, encoding="utf-8")
    outside = tmp_path / "outside.py"
    outside.write_text(SOURCE, encoding="utf-8")
    fifo = workspace / "pipe.py"
    os.mkfifo(fifo)
    raw = RawServer()
    try:
        raw.initialize(workspace, jedi={"enabled": False})
        answered = _ask(raw, inside.as_uri())
        assert answered[1]["result"]["items"], "a file inside the workspace is analysed"
        assert answered[2]["result"], "and fixed"
        for uri in (outside.as_uri(), fifo.as_uri(), "file:///dev/zero", "file:///etc/passwd"):
            started = time.monotonic()
            hover, report, actions = _ask(raw, uri)
            assert time.monotonic() - started < 30
            assert hover["result"] is None
            assert report["result"]["items"] == []
            assert actions["result"] is None
    finally:
        assert raw.close() == 0

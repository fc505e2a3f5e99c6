"""Analysis never runs the analysed code, however a package reaches ``sys.path``.

The trap package writes a marker file when its ``__init__`` runs and has a compiled
submodule (a copy of the standard library's ``_json``): jedi imports compiled modules for
real to inspect them, which runs the package's ``__init__`` first. Each route is tried
through the CLI (a child process, as users run it) and through the resolver set up the way
the language server sets it up (its own environment, or the ``interpreter`` setting):

- ``PYTHONPATH``;
- a ``.pth`` path line (what ``pip install -e .`` writes in compatibility mode);
- an editable-install finder (what ``pip install -e .`` writes with setuptools >= 64: a
  ``.pth`` import line that installs an import hook mapping the package to its folder);
- the workspace itself, and the analysed environment's site-packages.

Each case also checks that jedi still *reads* the package (the star import's
``Parameter`` resolves to ``torch.nn.Parameter``), so the test cannot pass by seeing nothing.
The controls show the trap springs when the package is imported normally.
"""

from __future__ import annotations

import _json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.analysis.jedi_resolver import JediResolver, site_paths_of
from mindport.kb.loader import KnowledgeBase
from tests.conftest import DATA

pytestmark = pytest.mark.usefixtures("seed_env")

SERVER = Path(__file__).resolve().parents[2] / "server"
CODE = (
    "from trap_pkg._json import *\nfrom trap_pkg import *\n\n"
    "scanner = make_scanner.Parameter\np = Parameter(w)\n"
)


def _trap(folder: Path, marker: Path) -> Path:
    package = folder / "trap_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('imported')\n"
        "from torch.nn import Parameter\n",
        encoding="utf-8",
    )
    shutil.copy(_json.__file__, package / Path(_json.__file__).name)
    return package


FINDER = """
import importlib.util
import sys
from importlib.abc import MetaPathFinder

MAPPING: dict[str, str] = {MAPPING_LITERAL}


class _Finder(MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname in MAPPING:
            init = MAPPING[fullname] + "/__init__.py"
            return importlib.util.spec_from_file_location(
                fullname, init, submodule_search_locations=[MAPPING[fullname]]
            )
        return None


def install():
    sys.meta_path.append(_Finder())
"""


def _site_of(root: Path) -> Path:
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site = root / "lib" / version / "site-packages"
    assert site.resolve().is_relative_to(root.resolve())  # never write into a real environment
    site.mkdir(parents=True, exist_ok=True)
    return site


def _environment(root: Path, marker: Path, route: str) -> tuple[Path, Path]:
    """A virtual environment (no pip) that can run MindPort, with the trap package reachable
    by ``route``; returns (its python, the workspace to analyse)."""
    venv.EnvBuilder(with_pip=False, symlinks=True).create(root / "venv")
    python = root / "venv" / "bin" / "python"
    site = _site_of(root / "venv")
    # MindPort and its dependencies, as plain path lines (nothing runs).
    host = [str(SERVER), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    (site / "host.pth").write_text("\n".join(dict.fromkeys(host)) + "\n", encoding="utf-8")
    workspace = root / "ws"
    workspace.mkdir()
    src = root / "project" / "src"
    if route == "pth":
        _trap(src, marker)
        (site / "project.pth").write_text(f"{src}\n", encoding="utf-8")
    elif route == "editable-finder":
        package = _trap(src, marker)
        finder = FINDER.replace("{MAPPING_LITERAL}", repr({"trap_pkg": str(package)}))
        (site / "__editable___trap_0_1_finder.py").write_text(finder, encoding="utf-8")
        (site / "__editable__.trap-0.1.pth").write_text(
            "import __editable___trap_0_1_finder; __editable___trap_0_1_finder.install()\n",
            encoding="utf-8",
        )
    elif route == "site-packages":
        _trap(site, marker)
    elif route == "workspace":
        _trap(workspace, marker)
    elif route == "pythonpath":
        _trap(src, marker)
    (workspace / "main.py").write_text(CODE, encoding="utf-8")
    return python, workspace


def _env(route: str, root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if route == "pythonpath":
        env["PYTHONPATH"] = str(root / "project" / "src")
    return env


ROUTES = ["pythonpath", "pth", "editable-finder", "site-packages", "workspace"]


@pytest.mark.parametrize("route", ["pythonpath", "pth", "editable-finder"])
def test_control_the_trap_springs_when_imported(tmp_path: Path, route: str) -> None:
    marker = tmp_path / "marker"
    python, _ = _environment(tmp_path, marker, route)
    # The package writes the marker first; its ``from torch.nn import Parameter`` after that
    # fails where torch is not installed (README's test run), which does not matter here.
    done = subprocess.run(
        [str(python), "-c", "import trap_pkg"],
        env=_env(route, tmp_path),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert marker.exists(), done.stderr


@pytest.mark.parametrize("route", ROUTES)
def test_the_cli_never_runs_the_package(tmp_path: Path, route: str) -> None:
    marker = tmp_path / "marker"
    python, workspace = _environment(tmp_path, marker, route)
    done = subprocess.run(
        [str(python), "-m", "mindport", "check", "main.py", "--locale", "en"],
        cwd=workspace,
        env=_env(route, tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert not marker.exists(), done.stderr
    # jedi read the package: the star-imported Parameter is torch.nn.Parameter
    assert "main.py:5:5: MP101 torch.nn.Parameter" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize("route", ["pth", "editable-finder", "site-packages"])
def test_the_interpreter_setting_never_runs_the_package(
    kb: KnowledgeBase, tmp_path: Path, route: str
) -> None:
    """The language server with ``interpreter`` set to that environment's python."""
    marker = tmp_path / "marker"
    python, workspace = _environment(tmp_path, marker, route)
    resolver = JediResolver(kb, project_root=workspace, site_paths=site_paths_of(str(python)))
    analysis = Analyzer(kb, resolver).analyze(CODE, workspace / "main.py", AnalysisOptions())
    assert not marker.exists()
    assert "torch.nn.Parameter" in [kb.torch_id(r.name) for r in analysis.references]


def test_the_server_environment_never_runs_pythonpath_packages(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The language server without ``interpreter``: its own environment, with PYTHONPATH."""
    marker = tmp_path / "marker"
    _trap(tmp_path / "src", marker)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "src"))
    paths = site_paths_of(None)
    assert str(tmp_path / "src") in paths  # read...
    resolver = JediResolver(kb, project_root=workspace, site_paths=[*paths, str(DATA / "site")])
    analysis = Analyzer(kb, resolver).analyze(CODE, workspace / "main.py", AnalysisOptions())
    assert not marker.exists()  # ...never run
    assert "torch.nn.Parameter" in [kb.torch_id(r.name) for r in analysis.references]


def _evil(folder: Path, marker: Path) -> Path:
    script = folder / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\necho /tmp\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def _project_table(script: Path) -> str:
    """Every setting of the schema, given the script wherever a string or a list fits."""
    from mindport.settings import schema

    tables: dict[str, list[str]] = {"": []}
    for key, spec in schema()["properties"].items():
        *section, name = key.split(".")
        value = f'"{script}"' if spec["type"] == "string" else f'["{script}", "./evil.sh"]'
        if spec["type"] in ("string", "array"):
            tables.setdefault(".".join(section), []).append(f"{name} = {value}")
    return "\n".join(
        f"[tool.mindport{'.' + section if section else ''}]\n" + "\n".join(lines)
        for section, lines in tables.items()
    )


@pytest.mark.parametrize("interpreter", ["absolute", "relative"])
def test_no_project_setting_makes_the_cli_run_a_program(tmp_path: Path, interpreter: str) -> None:
    """A repository's own ``[tool.mindport]`` names a script wherever a setting takes a path
    or a word (interpreter, include/exclude, locale...): check and fix run nothing. jedi's
    own project file (``.jedi/project.json``) naming an environment is not read either."""
    marker = tmp_path / "marker"
    script = _evil(tmp_path, marker)
    (tmp_path / ".jedi").mkdir()
    (tmp_path / ".jedi" / "project.json").write_text(
        f'{{"environment_path": "{tmp_path}", "sys_path": ["{tmp_path}"]}}', encoding="utf-8"
    )
    (tmp_path / "m.py").write_text(
        "import torch\np = torch.nn.Parameter(w.view(1))\n", encoding="utf-8"
    )
    table = _project_table(script if interpreter == "absolute" else Path("./evil.sh"))
    assert "interpreter = " in table and "include = " in table
    (tmp_path / "pyproject.toml").write_text(table + "\n", encoding="utf-8")
    for command in (["check", "m.py"], ["fix", "--write", "m.py"]):
        done = subprocess.run(
            [sys.executable, "-m", "mindport", *command],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert "MP101" in done.stdout + done.stderr or "Applied" in done.stderr
        assert not marker.exists()
    subprocess.run([str(script)], check=True, capture_output=True)  # control: it would run
    assert marker.exists()

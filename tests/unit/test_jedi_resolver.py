"""jedi finds what imports alone cannot (star imports), and never runs the analysed code."""

from __future__ import annotations

import _json
import shutil
import sys
from pathlib import Path

import jedi
import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.analysis.jedi_resolver import JediResolver, site_paths_of
from mindport.analysis.references import Resolution
from mindport.kb.loader import KnowledgeBase
from tests.conftest import DATA

SITE = DATA / "site"


def analyzer(kb: KnowledgeBase, root: Path) -> Analyzer:
    return Analyzer(kb, JediResolver(kb, project_root=root, site_paths=[str(SITE)]))


def test_star_import_is_resolved_by_jedi(kb: KnowledgeBase, tmp_path: Path) -> None:
    text = "from torch.nn import *\n\np = Parameter(w, requires_grad=False)\n"
    analysis = analyzer(kb, tmp_path).analyze(text, tmp_path / "model.py", AnalysisOptions())
    assert [(kb.torch_id(r.name), r.resolution) for r in analysis.references] == [
        ("torch.nn.Parameter", Resolution.JEDI)
    ]
    assert [f.code for f in analysis.findings] == ["MP101", "MP301"]


def test_static_pass_leaves_star_imports_to_jedi(kb: KnowledgeBase) -> None:
    analysis = Analyzer(kb).analyze_static(
        "from torch.nn import *\np = Parameter(w)\n", AnalysisOptions()
    )
    assert analysis.findings == ()
    assert [c.position.column for c in analysis.static.candidates] == [4]


def test_unrelated_names_stay_unresolved(kb: KnowledgeBase, tmp_path: Path) -> None:
    text = "class Parameter:\n    pass\n\n\ndef f():\n    return Parameter()\n"
    analysis = analyzer(kb, tmp_path).analyze(text, tmp_path / "m.py", AnalysisOptions())
    assert analysis.findings == ()


def _trap(root: Path, marker: Path) -> Path:
    """A package whose ``__init__`` writes ``marker``, with a compiled submodule.

    jedi imports compiled modules for real to inspect them, and importing ``trap_pkg._json``
    runs ``trap_pkg/__init__.py`` first: exactly what must never happen to user code.
    """
    package = root / "trap_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('imported')\n"
        "from torch.nn import Parameter\n",
        encoding="utf-8",
    )
    shutil.copy(_json.__file__, package / Path(_json.__file__).name)
    return package


TRAP_CODE = "from trap_pkg._json import *\nfrom trap_pkg import *\n\nscanner = make_scanner\np = Parameter(w)\n"


def test_the_trap_springs_when_jedi_is_set_up_unsafely(tmp_path: Path) -> None:
    """Control: proves the trap below can fail."""
    marker = tmp_path / "marker"
    site = tmp_path / "site"
    _trap(site, marker)
    project = jedi.Project(tmp_path, sys_path=[str(site), *sys.path], load_unsafe_extensions=True)
    jedi.Script(TRAP_CODE, path=tmp_path / "m.py", project=project).goto(4, 12)
    assert marker.exists()


@pytest.mark.parametrize("where", ["workspace", "site-packages"])
def test_analysis_never_imports_the_analysed_packages(
    kb: KnowledgeBase, tmp_path: Path, where: str
) -> None:
    marker = tmp_path / "marker"
    workspace = tmp_path / "ws"
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    workspace.mkdir()
    _trap(workspace if where == "workspace" else site, marker)
    text = TRAP_CODE.replace("scanner = make_scanner", "scanner = make_scanner.Parameter")
    resolver = JediResolver(kb, project_root=workspace, site_paths=[str(site)])
    analysis = Analyzer(kb, resolver).analyze(text, workspace / "main.py", AnalysisOptions())
    assert [kb.torch_id(r.name) for r in analysis.references] == ["torch.nn.Parameter"]
    assert not marker.exists()


def test_site_paths_of_an_interpreter_do_not_run_site_customisation() -> None:
    import sys

    paths = site_paths_of(sys.executable)
    assert paths and all(Path(p).is_dir() for p in paths)


def test_a_broken_interpreter_is_an_error_not_a_hang() -> None:
    with pytest.raises(OSError):
        site_paths_of("/nonexistent/python")


def _venv_with_trap(root: Path, marker: Path) -> Path:
    """A virtual environment (no pip) whose site-packages holds the trap package and a
    ``.pth`` file that writes ``marker`` whenever that environment's ``site`` runs."""
    import venv

    venv.EnvBuilder(with_pip=False, symlinks=True).create(root)
    python = root / "bin" / "python"
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site = root / "lib" / version / "site-packages"
    assert site.resolve().is_relative_to(root.resolve())  # never write into a real environment
    site.mkdir(parents=True, exist_ok=True)
    _trap(site, marker)
    shutil.copytree(SITE / "torch", site / "torch")
    (site / "trap.pth").write_text(
        f"import pathlib; pathlib.Path({str(marker)!r}).write_text('pth')\n", encoding="utf-8"
    )
    return python


def test_the_pth_trap_springs_when_the_interpreter_starts_normally(tmp_path: Path) -> None:
    """Control: proves the .pth file below would run if the interpreter ran ``site``."""
    import subprocess

    marker = tmp_path / "marker"
    python = _venv_with_trap(tmp_path / "venv", marker)
    subprocess.run([str(python), "-c", "pass"], check=True)
    assert marker.read_text(encoding="utf-8") == "pth"


def test_the_interpreter_setting_never_runs_the_analysed_environment(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """The `interpreter` setting: its site-packages are read (torch, the trap package), but
    neither the ``.pth`` file nor the package's ``__init__`` ever runs."""
    marker = tmp_path / "marker"
    python = _venv_with_trap(tmp_path / "venv", marker)
    site_paths = site_paths_of(str(python))
    assert any((Path(p) / "trap_pkg").is_dir() for p in site_paths)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    text = TRAP_CODE.replace("scanner = make_scanner", "scanner = make_scanner.Parameter")
    resolver = JediResolver(kb, project_root=workspace, site_paths=site_paths)
    assert not resolver.use_stubs  # torch is in that environment
    analysis = Analyzer(kb, resolver).analyze(text, workspace / "main.py", AnalysisOptions())
    assert [kb.torch_id(r.name) for r in analysis.references] == ["torch.nn.Parameter"]
    assert not marker.exists()

"""Batch runs do not depend on the folder they run from, and jedi failures are counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mindport.cli import main

pytestmark = pytest.mark.usefixtures("seed_env")


def _project(root: Path) -> Path:
    """A project whose findings need jedi to read another module of the project."""
    project = root / "proj"
    package = project / "mylib"
    package.mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'mylib'\n", encoding="utf-8")
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "blocks.py").write_text("from torch.nn import Parameter\n", encoding="utf-8")
    (package / "model.py").write_text(
        "from mylib.blocks import *\n\np = Parameter(w)\n", encoding="utf-8"
    )
    return project


def _findings(capsys: pytest.CaptureFixture[str], *args: str) -> set[tuple[str, int, str]]:
    main(["check", *args, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    return {(str(Path(f["path"]).resolve()), f["line"], f["code"]) for f in data["findings"]}


def test_the_same_findings_from_any_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    model = str((project / "mylib" / "model.py").resolve())
    expected = {(model, 3, "MP101")}  # only jedi, reading mylib/blocks.py, finds it
    for folder in (project, tmp_path, project / "mylib", Path("/")):
        monkeypatch.chdir(folder)
        target = project if folder == Path("/") else Path(".")
        assert _findings(capsys, str(target)) == expected, folder


def test_every_jedi_failure_is_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mindport.analysis.jedi_resolver import JediResolver

    def broken(self: JediResolver, *args: object, **kwargs: object) -> list[str]:
        raise ValueError("jedi broke")

    monkeypatch.setattr(JediResolver, "_definitions", broken)
    for i in range(3):
        (tmp_path / f"m{i}.py").write_text(
            "from torch.nn import *\na = Parameter(w)\nb = Parameter(w)\n", encoding="utf-8"
        )
    # in this process (workers would not see the monkeypatch)
    assert main(["check", str(tmp_path), "-j1", "--no-cache"]) == 0  # nothing resolved
    err = capsys.readouterr().err
    assert "jedi failed 6 times in 3 files" in err


def test_a_file_result_is_small_and_picklable(tmp_path: Path) -> None:
    """The per-file result crosses process boundaries (parallel workers) and goes to caches:
    it must pickle, and carry findings, not the syntax tree or the text."""
    import pickle

    from mindport.analysis.engine import Analyzer
    from mindport.batch import Batch, Overrides
    from mindport.kb.loader import load_knowledge

    source = tmp_path / "m.py"
    source.write_text("import torch\np = torch.nn.Parameter(w)\n" * 50, encoding="utf-8")
    result = Batch(Analyzer(load_knowledge()), Overrides(), "en").check(source)
    assert len(result.findings) == 50
    data = pickle.dumps(result)
    assert pickle.loads(data) == result
    assert not hasattr(result, "analysis") and not hasattr(result, "text")

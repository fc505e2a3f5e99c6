"""Jupyter notebooks: checked and fixed cell by cell; outputs, metadata and magics kept."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from mindport.cli import main
from mindport.notebooks import NotebookError, load, notebook_text, write_back

pytestmark = pytest.mark.usefixtures("seed_env")  # exact outputs: the seed entry alone

OUTPUT = {"output_type": "stream", "name": "stdout", "text": ["tensor([0.])\n"]}


def _notebook(tmp_path: Path, *, as_lists: bool = True) -> Path:
    def source(text: str) -> list[str] | str:
        return text.splitlines(keepends=True) if as_lists else text

    cells: list[dict[str, Any]] = [
        {"cell_type": "markdown", "metadata": {}, "source": source("# torch.nn.Parameter(w)\n")},
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {"tags": ["setup"]},
            "outputs": [OUTPUT],
            "source": source("%matplotlib inline\n!pip install torch\nimport torch"),
        },
        {
            "cell_type": "code",
            "execution_count": 2,
            "metadata": {"collapsed": True},
            "outputs": [],
            "source": source("x = 1\n\nw = torch.nn.Parameter(data=x)\n"),
        },
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": source("%%bash\necho torch.nn.Parameter\n"),
        },
    ]
    data = {"cells": cells, "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4}
    path = tmp_path / "demo.ipynb"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_findings_are_reported_by_cell_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _notebook(tmp_path)
    assert main(["check", str(path), "--no-jedi", "--jobs", "1"]) == 1
    out = capsys.readouterr().out.splitlines()[:-1]  # the summary line ends the output
    assert [line.split(": ")[0] for line in out] == [f"{path}:cell 3:3:5", f"{path}:cell 3:3:24"]
    assert main(["check", str(path), "--no-jedi", "--jobs", "1", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert {(f["cell"], f["line"], f["column"], f["code"]) for f in findings} == {
        (3, 3, 5, "MP101"),
        (3, 3, 24, "MP202"),
    }


def test_a_directory_walk_includes_notebooks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _notebook(tmp_path)
    assert main(["check", str(tmp_path), "--no-jedi", "--jobs", "1"]) == 1
    assert "demo.ipynb:cell 3:3:5: MP101" in capsys.readouterr().out


@pytest.mark.parametrize("as_lists", [True, False])
def test_fixes_rewrite_code_cells_and_keep_everything_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], as_lists: bool
) -> None:
    path = _notebook(tmp_path, as_lists=as_lists)
    before = json.loads(path.read_text(encoding="utf-8"))
    assert main(["fix", str(path), "--no-jedi", "--jobs", "1", "--write"]) == 0
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["metadata"] == before["metadata"] and after["nbformat"] == 4
    for old, new in zip(before["cells"], after["cells"], strict=True):
        assert {k: v for k, v in old.items() if k != "source"} == {
            k: v for k, v in new.items() if k != "source"
        }
    sources = ["".join(c["source"]) for c in after["cells"]]
    assert sources[0] == "# torch.nn.Parameter(w)\n"  # markdown untouched
    assert sources[1].startswith("%matplotlib inline\n!pip install torch\nimport torch")
    assert "import mindspore" in sources[1]
    assert "w = mindspore.Parameter(default_input=x)" in sources[2]
    assert sources[3] == "%%bash\necho torch.nn.Parameter\n"
    assert isinstance(after["cells"][2]["source"], list) is as_lists
    ast.parse(notebook_text(after).text)  # the code cells still parse (magics masked)
    capsys.readouterr()
    assert main(["check", str(path), "--no-jedi", "--jobs", "1"]) == 0  # nothing left
    assert main(["fix", str(path), "--no-jedi", "--jobs", "1"]) == 0  # idempotent


def test_magics_are_masked_for_the_analysis_and_restored() -> None:
    notebook = {
        "cells": [
            {"cell_type": "code", "source": "  %time y = 1\nx = 2\n!ls\n"},
            {"cell_type": "code", "source": "%%timeit\nsum(range(9))\n"},
        ]
    }
    virtual = notebook_text(notebook)
    ast.parse(virtual.text)
    assert "%" not in virtual.text.replace("#", "")[:0]  # nothing but comments hide them
    raw = json.dumps(notebook)
    edited = virtual.text.replace("x = 2", "x = 3")
    written = json.loads(write_back(raw, json.loads(raw), virtual, edited))
    assert written["cells"][0]["source"] == "  %time y = 1\nx = 3\n!ls\n"
    assert written["cells"][1]["source"] == "%%timeit\nsum(range(9))\n"


@pytest.mark.parametrize("raw", ["", "[]", '{"cells": 3}', "{not json"])
def test_what_is_not_a_notebook_is_a_clear_error(
    raw: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(NotebookError):
        load(raw)
    path = tmp_path / "bad.ipynb"
    path.write_text(raw, encoding="utf-8")
    assert main(["check", str(path), "--jobs", "1", "--no-cache"]) == 2
    assert "not a notebook" in capsys.readouterr().err


def test_a_fix_that_breaks_a_cell_marker_leaves_the_notebook_alone() -> None:
    notebook = {"cells": [{"cell_type": "code", "source": "import torch\n"}]}
    virtual = notebook_text(notebook)
    with pytest.raises(NotebookError):
        write_back("{}", notebook, virtual, virtual.text.replace("notebook cell", "cell"))

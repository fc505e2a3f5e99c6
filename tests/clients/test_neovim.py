"""Neovim 0.7 (Debian's) as a second real LSP client, set up with the module users install
(editors/neovim/mindport.lua): diagnostics, hover, a quick-fix, and its commands
(:MindPortCard, :MindPortFixAll, :MindPortSummary).

Skipped, with the reason, where ``nvim`` is not installed; the CI stage
.ci/stages/35-neovim.sh installs it and runs this test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
NVIM = shutil.which("nvim")

pytestmark = pytest.mark.skipif(
    NVIM is None, reason="Neovim is not installed (apt-get install neovim)"
)

ROOT = HERE.parents[1]
SETUP = ROOT / "editors" / "neovim" / "mindport.lua"

SOURCE = """import torch.nn as nn

label = "权重😀"; p = nn.Parameter(w, requires_grad=False)
import torch
x = torch.zeros(3)
"""


def test_neovim_sees_diagnostics_hover_and_applies_the_quick_fix(tmp_path: Path) -> None:
    file = tmp_path / "model.py"
    file.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "result.json"
    line = SOURCE.splitlines()[2]
    column_utf16 = len(line[: line.index("nn.Parameter")].encode("utf-16-le")) // 2
    env = {
        **os.environ,
        "MINDPORT_CMD": json.dumps([sys.executable, "-m", "mindport", "serve"]),
        "MINDPORT_FILE": str(file),
        "MINDPORT_SETUP": str(SETUP),
        "MINDPORT_OUT": str(out),
        "MINDPORT_HOVER_LINE": "2",
        "MINDPORT_HOVER_COL": str(column_utf16 + 3),
    }
    assert NVIM is not None
    completed = subprocess.run(
        [NVIM, "--headless", "--clean", "-c", f"luafile {HERE / 'neovim_probe.lua'}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert out.exists(), completed.stderr[-2000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in result, result
    seed = [d for d in result["diagnostics"] if d["source"] == "mindport"]
    codes = sorted((d["line"], d["code"]) for d in seed)
    assert codes == [(2, "MP101"), (2, "MP301"), (4, "MP101")], seed
    replacement = next(d for d in seed if d["code"] == "MP101")
    # Neovim reports columns in bytes of UTF-8 (0.7 converts from the UTF-16 it negotiates)
    assert (replacement["line"], replacement["col"]) == (
        2,
        len(line[: line.index("nn.Parameter")].encode()),
    )
    hover = result["hover"]["contents"]["value"]
    assert "mindspore.Parameter(default_input" in hover
    # the short card: no table (0.7 shows raw pipes), no more than 15 lines, the way to the rest
    assert "|---" not in hover and len(hover.rstrip().split("\n")) <= 15
    assert "Full card: `mindport explain torch.nn.Parameter`" in hover
    assert result["clients"] == 1
    assert "MindPort (MP101): Replace with mindspore.Parameter" in result["actions"]
    assert "p = mindspore.Parameter(w, requires_grad=False)" in result["text"]
    assert "import mindspore" in result["text"]

    # :MindPortCard on `torch.zeros` opens its full card (tables are fine in a markdown buffer)
    assert result["card"].startswith("```python\ntorch.zeros("), result["card"][:300]
    assert "|---|---|---|" in result["card"]
    # :MindPortFixAll applies the safe fixes and says so; :MindPortSummary opens the summary
    assert "x = mindspore.mint.zeros((3,))" in result["fixed"], result["fixed"]
    assert any("applied the safe fixes" in note for note in result["notes"]), result["notes"]
    assert result["summary"].startswith("# MindPort migration summary"), result["summary"][:300]
    assert "| MP301 | behaviour-differs | 1 |" in result["summary"]  # what the fixes left

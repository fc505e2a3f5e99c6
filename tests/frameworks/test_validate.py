"""`mindport kb validate` against the installed frameworks: clean now, loud on drift."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.frameworks.conftest import require_frameworks

require_frameworks()

from mindport.cli import main  # noqa: E402
from mindport.kb.generate.validate import validate  # noqa: E402

KNOWLEDGE = ROOT / "knowledge"
TABLES = ROOT.parent / "shared" / "reference" / "tables"


_VALIDATE_IN_A_FRESH_INTERPRETER = """
import json, sys
from pathlib import Path
from mindport.kb.generate.validate import validate
tables = Path(sys.argv[2]) if sys.argv[2] else None
result = validate(Path(sys.argv[1]), tables_dir=tables, jedi=True)
print(json.dumps({"drift": result.drift_lines, "checked": result.checked}))
"""


def test_the_knowledge_base_matches_the_installed_frameworks() -> None:
    # A fresh interpreter: validation reads the frameworks' live objects, and tests that ran
    # earlier in this process (training, weights, programs) may have imported or patched
    # parts of them, which reads as drift only in a full run.
    tables = str(TABLES) if TABLES.is_dir() else ""
    done = subprocess.run(
        [sys.executable, "-c", _VALIDATE_IN_A_FRESH_INTERPRETER, str(KNOWLEDGE), tables],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["drift"] == []
    assert result["checked"]["generated entries"] >= 1200


@pytest.fixture
def tampered(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    snapshot = root / "snapshots" / "torch.json"
    snapshot.write_text(
        snapshot.read_text(encoding="utf-8").replace(
            '"torch.abs": {"kind": "function", "signatures": ["(input, *, out=None)"]',
            '"torch.abs": {"kind": "function", "signatures": ["(input, *, out=None, extra=1)"]',
        ),
        encoding="utf-8",
    )
    entry = root / "apis" / "torch" / "sum.toml"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace(
            'category = "consistent"', 'category = "defaults-differ"'
        ),
        encoding="utf-8",
    )
    seed = root / "apis" / "torch.nn" / "Parameter.toml"
    seed.write_text(
        seed.read_text(encoding="utf-8").replace(
            '{ name = "parallel_optimizer", default = "True" }',
            '{ name = "parallel_optimizer", default = "False" }',
        ),
        encoding="utf-8",
    )
    return root


def test_every_kind_of_drift_is_reported(tampered: Path) -> None:
    result = validate(tampered, jedi=False)
    text = "\n".join(result.drift_lines)
    assert "snapshots/torch.json: torch.abs: signatures" in text
    assert "apis/torch/sum.toml would change" in text
    assert (
        "apis/torch.nn/Parameter.toml: mindspore.Parameter(parallel_optimizer) default is True"
        in text
    )
    assert "index.json is stale" not in text or "Parameter" in text


def test_the_command_exits_1_on_drift(tampered: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "validate", "--knowledge", str(tampered), "--no-jedi"]) == 1
    out = capsys.readouterr().out
    assert "DRIFT" in out and out.rstrip().splitlines()[-1].startswith("drift found")


def test_the_jedi_table_is_regenerated_identically() -> None:
    from mindport.kb.generate.jedi_table import build_jedi_table
    from mindport.kb.generate.stubs import Locator
    from mindport.kb.loader import load_knowledge

    stored = json.loads((KNOWLEDGE / "jedi-names.json").read_text(encoding="utf-8"))
    sample = ["torch.abs", "torch.Tensor.view", "torch.nn.Linear", "mindspore.mint.abs"]
    fresh = build_jedi_table(load_knowledge(KNOWLEDGE), Locator(KNOWLEDGE), sample)
    for definition, public in fresh.names.items():
        assert stored["names"].get(definition) == public

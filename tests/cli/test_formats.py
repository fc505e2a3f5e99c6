"""`mindport check --format json|sarif|github`, `--select/--ignore`, and [tool.mindport]."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mindport.cli import main
from tests.cli.output import finding_lines
from tests.conftest import DATA, ROOT

# Exact outputs: the seed entry alone, however the real knowledge base grows.
pytestmark = pytest.mark.usefixtures("seed_env")

DEMO = ROOT / "examples" / "parameter_demo.py"
RULES_KB = DATA / "knowledge" / "rules"


@pytest.fixture
def rules_kb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINDPORT_KNOWLEDGE", str(RULES_KB))


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DEMO), "--format", "json", "--locale", "en"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["tool"] == "mindport" and data["errors"] == []
    first = data["findings"][0]
    assert first["path"] == str(DEMO)
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (
        16,
        23,
        16,
        35,
    )
    assert first["code"] == "MP101" and first["severity"] == "warning"
    assert (
        first["torch_api"] == "torch.nn.Parameter"
        and first["mindspore_api"] == "mindspore.Parameter"
    )
    assert (
        first["fix"]["safe"] is True
        and first["fix"]["edits"][0]["new_text"] == "mindspore.Parameter"
    )


def test_sarif(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.py"
    assert main(["check", str(DEMO), str(missing), "--format", "sarif"]) == 2
    document = json.loads(capsys.readouterr().out)
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["MP101"]["helpUri"].endswith("docs/rules/MP101.md")
    result = run["results"][0]
    assert result["ruleId"] == "MP101" and result["level"] == "warning"
    assert rules[result["ruleId"]] is run["tool"]["driver"]["rules"][result["ruleIndex"]]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (16, 23)
    assert (
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "examples/parameter_demo.py"
    )
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "missing.py" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_github_annotations_escape_their_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DEMO), "--format", "github", "--locale", "en"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(
        f"::warning file={DEMO},line=16,col=23,endLine=16,endColumn=35,title=MindPort MP101"
        "::torch.nn.Parameter has a MindSpore counterpart: mindspore.Parameter%0ANote: "
    )  # a newline in the message is written %0A, so the annotation stays on one line
    assert all(line.startswith(("::warning ", "::notice ", "::error ")) for line in lines)


def test_select_and_ignore(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(DEMO), "--select", "MP3"])
    assert {line.split()[1] for line in finding_lines(capsys.readouterr().out)} == {"MP301"}
    main(["check", str(DEMO), "--ignore", "MP101,MP202"])
    assert {line.split()[1] for line in finding_lines(capsys.readouterr().out)} == {"MP301"}
    assert main(["check", str(DEMO), "--select", "MP102"]) == 0


def test_pyproject_settings_apply_and_the_command_line_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rules_kb: None
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mindport]\ntarget = "classic"\nlocale = "zh-cn"\nrules = { MP203 = "off" }\nexclude = ["gen/**"]\n',
        encoding="utf-8",
    )
    (tmp_path / "gen").mkdir()
    source = "import torch\ns = torch.std(x, dim=1)\n"
    (tmp_path / "gen" / "skip.py").write_text(source, encoding="utf-8")
    (tmp_path / "m.py").write_text(source, encoding="utf-8")
    main(["check", str(tmp_path)])
    out = capsys.readouterr().out
    assert "mindspore.ops.std" in out and "在 MindSpore 中对应" in out  # classic target, Chinese
    assert "MP203" not in out and "skip.py" not in out
    main(["check", str(tmp_path), "--target", "mint", "--locale", "en"])
    out = capsys.readouterr().out
    assert "mindspore.mint.std" in out and "has a MindSpore counterpart" in out


def test_a_broken_pyproject_is_reported_and_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file is still checked (with the defaults); the exit code says the setup is wrong."""
    (tmp_path / "pyproject.toml").write_text("[tool.mindport\n", encoding="utf-8")
    (tmp_path / "m.py").write_text("import torch\ntorch.nn.Parameter(w)\n", encoding="utf-8")
    assert main(["check", str(tmp_path / "m.py")]) == 2
    captured = capsys.readouterr()
    assert "pyproject.toml: cannot read" in captured.err and "MP101" in captured.out

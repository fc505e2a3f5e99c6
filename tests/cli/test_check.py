"""`mindport check`: findings as path:line:col: CODE message, exit 0/1/2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mindport.cli import main
from tests.cli.output import finding_lines
from tests.conftest import DATA, ROOT, expected_labels

# Exact outputs: the seed entry alone, however the real knowledge base grows.
pytestmark = pytest.mark.usefixtures("seed_env")

DEMO = ROOT / "examples" / "parameter_demo.py"


def test_demo_findings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DEMO), "--locale", "en"]) == 1
    out = finding_lines(capsys.readouterr().out)
    first = (
        f"{DEMO}:16:23: MP101 torch.nn.Parameter has a MindSpore counterpart: mindspore.Parameter"
    )
    # the message's later lines (the seed's notes) follow on the same output line
    assert (
        f"{first} Note: Every MindSpore Parameter has a name, and checkpoints are keyed by it"
        in " ".join(out)
    )
    assert any(line.startswith(first) for line in out)
    assert any(line.startswith(f"{DEMO}:19:56: MP301 requires_grad=False") for line in out)
    assert f"{DEMO}:20:24: MP202 `data` is called `default_input` in mindspore.Parameter." in out
    assert len(out) == 8


def test_labelled_data_through_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    path = DATA / "parameter" / "import_forms.py"
    main(["check", str(path), "--no-jedi"])
    reported = {
        (line.split(": ")[1].split()[0], int(line.split(":")[1]) - 1)
        for line in finding_lines(capsys.readouterr().out)
    }
    assert reported == {
        (code, line) for code, line, _ in expected_labels(path.read_text(encoding="utf-8"))
    }


def test_clean_file_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = tmp_path / "clean.py"
    clean.write_text("import mindspore\nx = 1\n", encoding="utf-8")
    assert main(["check", str(clean)]) == 0
    assert capsys.readouterr().out == "No findings in 1 file\n"


def test_missing_and_undecodable_paths_exit_two_and_the_rest_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "latin1.py"
    bad.write_bytes(b"# caf\xe9\nimport torch\n")
    assert main(["check", str(tmp_path / "missing.py"), str(bad), str(DEMO)]) == 2
    captured = capsys.readouterr()
    assert "missing.py: no such file or directory" in captured.err
    assert "latin1.py: cannot decode: not UTF-8" in captured.err
    assert "MP101" in captured.out


def test_coding_cookie_and_bom_are_honoured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = tmp_path / "latin.py"
    latin.write_bytes(
        b"# -*- coding: latin-1 -*-\n# caf\xe9\nimport torch\np = torch.nn.Parameter(w)\n"
    )
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbfimport torch\np = torch.nn.Parameter(w)\n")
    assert main(["check", str(latin), str(bom)]) == 1
    out = capsys.readouterr().out
    assert f"{latin}:4:5: MP101" in out and f"{bom}:2:5: MP101" in out


def test_syntax_errors_are_reported_and_the_rest_is_checked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = DATA / "parameter" / "syntax_error.py"
    assert main(["check", str(path)]) == 1
    captured = capsys.readouterr()
    assert "syntax error" in captured.err
    assert len(finding_lines(captured.out)) == len(
        expected_labels(path.read_text(encoding="utf-8"))
    )


def test_directories_are_walked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(
        "import torch\ntorch.nn.Parameter(w)\n", encoding="utf-8"
    )
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "skip.py").write_text(
        "import torch\ntorch.nn.Parameter(w)\n", encoding="utf-8"
    )
    assert main(["check", str(tmp_path)]) == 1
    assert capsys.readouterr().out.count("MP101") == 1


def test_chinese_messages(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(DEMO), "--locale", "zh"])
    assert "torch.nn.Parameter 在 MindSpore 中对应 mindspore.Parameter" in capsys.readouterr().out


def test_usage_errors_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    assert main(["frobnicate"]) == 2


def test_python_dash_m_is_the_same_cli() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "mindport", "check", str(DEMO), "--locale", "en"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout.count("MP101") == 6
    assert completed.stdout.splitlines()[-1] == (
        "Found 8 findings in 1 file (7 fixable with `mindport fix`; 0 more with --unsafe)"
    )

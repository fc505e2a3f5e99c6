"""The command line's conventions (ruff's where they fit): summary, statistics, exit codes
0/1/2/3, stdin, a closed pipe, configuration problems first, files that do not parse."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mindport.cli import main
from tests.conftest import ROOT

pytestmark = pytest.mark.usefixtures("seed_env")

DEMO = ROOT / "examples" / "parameter_demo.py"
SOURCE = "import torch\np = torch.nn.Parameter(w)\n"


def _run(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mindport", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_summary_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DEMO), "--locale", "en"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Found 8 findings in 1 file (7 fixable with `mindport fix`; 0 more with --unsafe)"
    )
    main(["check", str(DEMO), "--locale", "zh"])
    assert capsys.readouterr().out.splitlines()[-1].startswith("在 1 个文件中发现 8 处问题")


def test_statistics_count_per_code_and_per_api(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DEMO), "--statistics"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["6", "MP101", "replacement-available"]
    assert ["8", "torch.nn.Parameter", "->", "mindspore.Parameter"] in [
        line.split() for line in out
    ]
    assert not any(":16:23:" in line for line in out)  # counts instead of the findings
    assert main(["check", str(DEMO), "--statistics", "--format", "json"]) == 2


def test_show_fixes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    main(["check", str(DEMO), "--show-fixes"])
    out = capsys.readouterr().out.splitlines()
    index = next(i for i, line in enumerate(out) if ":16:23: MP101" in line)
    assert out[index + 1].startswith("    safe fix: ")
    source = tmp_path / "m.py"
    source.write_text(SOURCE, encoding="utf-8")
    main(["fix", str(source), "--write", "--show-fixes"])
    assert f"{source}: fixed 1 × MP101" in capsys.readouterr().err


@pytest.mark.parametrize("selector", ["MP999", "XYZ", "MP1,NOPE"])
def test_unknown_rule_selectors_exit_two(selector: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DEMO), "--select", selector]) == 2
    assert main(["fix", str(DEMO), "--ignore", selector]) == 2
    err = capsys.readouterr().err
    assert "unknown rule selector" in err and selector.split(",")[-1] in err


def test_known_selectors_are_case_insensitive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DEMO), "--select", "mp3"]) == 1
    assert "MP301" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ('taget = "classic"', '"taget"'),
        ('target = "cuda"', "target should be one of"),
        ('rules = { MP101 = "loud" }', "rules.MP101 should be one of"),
        ("[tool.mindport.jedi]\nenabeld = false", '"jedi.enabeld"'),
    ],
)
def test_bad_project_settings_exit_two_naming_the_key(
    tmp_path: Path, table: str, named: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.mindport]\n{table}\n", encoding="utf-8")
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    done = _run("check", str(tmp_path), "--no-jedi")
    assert done.returncode == 2
    assert named in done.stderr
    assert "MP101" in done.stdout  # still checked, with the defaults for that key


def test_configuration_problems_come_before_the_findings(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.mindport]\ntaget = "x"\n', encoding="utf-8")
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mindport", "check", str(tmp_path), "--no-jedi"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stdout.splitlines()
    warning = next(i for i, line in enumerate(lines) if "taget" in line)
    finding = next(i for i, line in enumerate(lines) if "MP101" in line)
    assert warning < finding


def test_an_empty_folder_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path)]) == 0
    assert "no Python files found" in capsys.readouterr().err
    assert main(["fix", str(tmp_path)]) == 0
    assert "no Python files found" in capsys.readouterr().err


def test_stdin(tmp_path: Path) -> None:
    done = _run("check", "-", "--no-jedi", stdin=SOURCE)
    assert done.returncode == 1 and done.stdout.startswith("-:2:5: MP101")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mindport]\nlocale = "zh-cn"\n', encoding="utf-8"
    )
    name = str(tmp_path / "model.py")  # settings come from the named file's project
    done = _run("check", "-", "--stdin-filename", name, "--no-jedi", stdin=SOURCE)
    assert done.stdout.startswith(f"{name}:2:5: MP101 torch.nn.Parameter 在 MindSpore 中对应")
    done = _run("fix", "-", "--write", "--no-jedi", stdin=SOURCE)
    assert done.stdout == "import torch\nimport mindspore\np = mindspore.Parameter(w)\n"
    done = _run("fix", "-", "--no-jedi", stdin=SOURCE)
    assert done.returncode == 1 and "+p = mindspore.Parameter(w)" in done.stdout


def test_a_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    for i in range(200):
        (tmp_path / f"m{i:03}.py").write_text(SOURCE * 20, encoding="utf-8")
    command = f"{sys.executable} -m mindport check {tmp_path} --no-jedi | head -n 1"
    done = subprocess.run(
        ["sh", "-c", command], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr


def test_a_file_that_does_not_parse_is_not_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "broken.py"
    text = "import torch\np = torch.nn.Parameter(w)\ndef broken(:\n"
    source.write_text(text, encoding="utf-8")
    assert main(["fix", str(source), "--write"]) == 1
    assert source.read_text(encoding="utf-8") == text
    assert "broken.py: not fixed: it does not parse (line 3:" in capsys.readouterr().err


def test_internal_errors_exit_three_and_the_rest_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mindport.analysis.engine import Analyzer

    original = Analyzer._static_then_jedi  # the static pass of the command line

    def static_pass(self: Analyzer, text: str, *args: object, **kwargs: object) -> object:
        if kwargs.get("name", "").endswith("bad.py"):  # type: ignore[union-attr]
            raise RuntimeError("boom")
        return original(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Analyzer, "_static_then_jedi", static_pass)
    (tmp_path / "bad.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "good.py").write_text(SOURCE, encoding="utf-8")
    assert main(["check", str(tmp_path), "--no-jedi", "--jobs", "1", "--no-cache"]) == 3
    captured = capsys.readouterr()
    assert "bad.py: internal error while analysing: RuntimeError: boom" in captured.err
    assert "good.py:2:5: MP101" in captured.out
    assert main(["fix", str(tmp_path), "--no-jedi", "--write", "--jobs", "1", "--no-cache"]) == 3
    assert (tmp_path / "bad.py").read_text(encoding="utf-8") == SOURCE
    assert "mindspore.Parameter" in (tmp_path / "good.py").read_text(encoding="utf-8")


def test_json_is_streamed_and_valid_with_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mindport.batch import FileResult
    from mindport.report import JsonWriter

    stream = io.StringIO()
    writer = JsonWriter(stream)
    assert stream.getvalue()  # the document is opened before any file is done
    writer.add(FileResult(tmp_path / "a.py", error="cannot decode"))
    writer.finish()
    data = json.loads(stream.getvalue())
    assert data["findings"] == [] and data["errors"][0]["kind"] == "not-analysed"
    assert main(["check", str(DEMO), str(tmp_path / "missing.py"), "--format", "json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert len(data["findings"]) == 8 and data["errors"][0]["path"].endswith("missing.py")


def test_a_static_pass_over_budget_exits_three_and_the_rest_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mindport.analysis.budget import BudgetExceeded
    from mindport.analysis.engine import Analyzer, Budgeted

    original = Analyzer.analyze_within

    def analyze_within(
        self: Analyzer, text: str, path: Path | None, *a: object, **k: object
    ) -> Budgeted:
        if path is not None and path.name == "slow.py":
            return Budgeted(None, BudgetExceeded("static analysis", str(path), 30))
        return original(self, text, path, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Analyzer, "analyze_within", analyze_within)
    (tmp_path / "slow.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "fast.py").write_text(SOURCE, encoding="utf-8")
    assert main(["check", str(tmp_path), "--no-jedi", "--locale", "en", "-j1", "--no-cache"]) == 3
    captured = capsys.readouterr()
    assert "slow.py: MindPort abandoned the static analysis of" in captured.err
    assert "fast.py:2:5: MP101" in captured.out


def test_a_jedi_stage_over_budget_keeps_the_static_findings_and_exits_three(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from mindport.analysis.jedi_resolver import JediResolver

    def slow(self: JediResolver, *args: object, **kwargs: object) -> list[str]:
        time.sleep(1.2)
        return []

    monkeypatch.setattr(JediResolver, "_definitions", slow)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.mindport.limits]\nfileTimeoutSeconds = 1\n", encoding="utf-8"
    )
    (tmp_path / "m.py").write_text(
        "import torch\nfrom torch.nn import *\np = torch.nn.Parameter(w)\n"
        "a = Parameter(1)\nb = Parameter(2)\nc = Parameter(3)\n",
        encoding="utf-8",
    )
    assert main(["check", str(tmp_path / "m.py"), "--locale", "en", "-j1", "--no-cache"]) == 3
    captured = capsys.readouterr()
    assert "m.py: jedi's stage was abandoned after 1 s" in captured.err
    assert "m.py:3:5: MP101" in captured.out

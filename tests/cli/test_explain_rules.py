from __future__ import annotations

from pathlib import Path

import pytest

from mindport.cli import main


def test_explain_prints_the_card(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "torch.nn.parameter.Parameter", "--locale", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("```python\ntorch.nn.Parameter(data=None, requires_grad=True)\n")
    assert "requires_grad=False freezes a torch parameter" in out


def test_explain_a_mindspore_name_gives_the_reverse_card(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain", "mindspore.Parameter", "--locale", "zh"]) == 0
    out = capsys.readouterr().out
    assert (
        "**mindspore.Parameter** ← **torch.nn.Parameter**" in out and "从 PyTorch 迁移过来时" in out
    )


def test_explain_unknown_name_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "torch.nn.Parametre"]) == 2
    assert "did you mean torch.nn.Parameter" in capsys.readouterr().err


def test_rules_lists_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--locale", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("MP001  not-analysed")
    assert "MP101  replacement-available    information" in out
    assert "MP301  behaviour-differs" in out


def test_kb_validate_with_missing_tables_says_so_before_importing_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Runs without torch or mindspore: the check comes before the frameworks are imported.
    assert main(["kb", "validate", "--tables", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "--tables" in err and "mapping-newest.tsv" in err and "not found" in err

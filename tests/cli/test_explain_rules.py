from __future__ import annotations

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
    assert out.startswith("MP101  replacement-available")
    assert "MP301  behaviour-differs" in out

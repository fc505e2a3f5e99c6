"""Issue 10, "safe is a promise": each example of the issue as a test, against the real
knowledge base. A safe fix must keep what the call does; where it cannot, the fix is unsafe
or absent and a finding says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.analysis.findings import Finding
from mindport.cli import main
from mindport.fixes.fix_all import fix_all
from mindport.kb.loader import KnowledgeBase

PRELUDE = "import torch\nimport mindspore\n\n\ndef f(x: torch.Tensor, y: torch.Tensor, d):\n"


def converted(
    kb: KnowledgeBase, body: str, target: str = "mint", devices: tuple[str, ...] = ("cpu", "ascend")
) -> str:
    """The body after safe fix-all."""
    analyzer = Analyzer(kb)
    text = PRELUDE + body
    options = AnalysisOptions(target=target, devices=devices)
    result = fix_all(text, lambda t: analyzer.analyze_static(t, options).findings)
    head, _, body_after = result.text.partition("d):\n")  # the annotations are converted too
    assert head.startswith("import torch\nimport mindspore\n")
    return body_after


def findings(kb: KnowledgeBase, body: str, target: str = "mint") -> list[Finding]:
    return Analyzer(kb).analyze_static(PRELUDE + body, AnalysisOptions(target=target)).findings


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("    return x.transpose(1, 2)\n", "    return x.swapaxes(1, 2)\n"),
        ("    return x.transpose(dim0=1, dim1=2)\n", "    return x.swapaxes(axis0=1, axis1=2)\n"),
        (
            "    return torch.nn.ModuleList([torch.nn.ReLU()])\n",
            "    return mindspore.nn.CellList([mindspore.mint.nn.ReLU()])\n",
        ),
        ("    return x.copy_(y)\n", "    return x.copy_(y)\n"),
    ],
    ids=["transpose by position", "transpose by keyword", "ModuleList keeps its list", "copy_"],
)
def test_an_argument_whose_parameter_is_only_named_differently_is_carried(
    kb: KnowledgeBase, body: str, expected: str
) -> None:
    assert converted(kb, body) == expected
    assert not [f for f in findings(kb, body) if f.code == "MP201"]


def codes(kb: KnowledgeBase, body: str, target: str = "mint") -> list[str]:
    return [f.code for f in findings(kb, body, target)]


def test_mindport_never_writes_a_call_its_own_note_says_fails(kb: KnowledgeBase) -> None:
    # classic nn.LayerNorm(64) raises TypeError: no safe fix; a tuple converts safely
    assert converted(kb, "    return torch.nn.LayerNorm(64)\n", "classic") == (
        "    return torch.nn.LayerNorm(64)\n"
    )
    assert converted(kb, "    return torch.nn.LayerNorm((64,))\n", "classic") == (
        "    return mindspore.nn.LayerNorm((64,), epsilon=1e-05)\n"
    )
    unsafe = [f.fix for f in findings(kb, "    return torch.nn.LayerNorm(64)\n", "classic")]
    assert any(fix is not None and not fix.safe and "tuple" in fix.title for fix in unsafe)
    # F.affine_grid(theta, [list]) raises in MindSpore: its fix is not safe
    grid = findings(kb, "    return torch.nn.functional.affine_grid(x, [1, 2, 3, 5])\n")
    assert "MP301" in [f.code for f in grid]
    on_call = [f for f in grid if f.torch_api == "torch.nn.functional.affine_grid"]
    assert on_call
    assert all(f.fix is None or not f.fix.safe for f in on_call)


def test_behaviour_notes_fire_only_when_they_hold(kb: KnowledgeBase) -> None:
    layer_norm = "    return torch.nn.LayerNorm(64)\n"
    assert "MP301" in codes(kb, layer_norm, "classic")
    assert "MP301" not in codes(kb, layer_norm, "mint")  # the note is about the classic target
    assert "MP301" not in codes(kb, "    return torch.nn.LayerNorm((64,))\n", "classic")
    full = "    return torch.full((2, 3), 1.5{})\n"
    assert "MP301" in codes(kb, full.format(""), "classic")
    assert "MP301" not in codes(kb, full.format(", dtype=torch.float32"), "classic")
    assert "MP301" not in codes(kb, "    return torch.full((2, 3), 7)\n", "classic")
    assert "MP301" not in codes(kb, "    return torch.sort(x)\n", "mint")  # about ops.sort
    assert "MP301" not in codes(kb, "    return torch.nn.functional.affine_grid(x, (1, 2, 3))\n")


def test_nothing_is_rewritten_inside_a_call_that_stays_torch(kb: KnowledgeBase) -> None:
    stays = "    return torch.ones(2, 3, device=d, dtype=torch.bool)\n"
    assert converted(kb, stays) == stays
    inner = [f for f in findings(kb, stays) if f.torch_api == "torch.bool"]
    assert inner and all(f.fix is not None and not f.fix.safe for f in inner)
    # the same dtype in a call that converts is converted with it
    assert converted(kb, "    return torch.ones(2, 3, dtype=torch.bool)\n") == (
        "    return mindspore.mint.ones((2, 3), dtype=mindspore.bool_)\n"
    )


@pytest.mark.parametrize(
    ("body", "target", "expected"),
    [
        ("x.std(unbiased=True)", "mint", "x.std(correction=1)"),
        ("x.std()", "classic", "x.std(correction=1)"),  # 2.10's x.std() divides by N
        ("x.std(0, False)", "classic", "x.std(0, correction=0)"),
        ("torch.std(x)", "classic", "mindspore.ops.std(x, ddof=1)"),
        ("torch.std(x, 0, True)", "classic", "mindspore.ops.std(x, 0, 1)"),
        ("torch.var(x, unbiased=False)", "classic", "mindspore.ops.var(x, ddof=0)"),
        ("torch.std(x, unbiased=d)", "mint", "torch.std(x, unbiased=d)"),  # unknown value
    ],
)
def test_a_rename_keeps_the_meaning_of_the_value(
    kb: KnowledgeBase, body: str, target: str, expected: str
) -> None:
    assert converted(kb, f"    return {body}\n", target) == f"    return {expected}\n"


@pytest.mark.parametrize("method", ["add_", "sub_", "mul_", "div_", "floor_divide_", "remainder_"])
def test_an_in_place_method_mindspore_does_not_perform_in_place_is_reported(
    kb: KnowledgeBase, method: str
) -> None:
    # mindspore 2.10 on CPU returns the result and leaves x unchanged
    body = f"    x.{method}(y)\n    return x\n"
    found = [f for f in findings(kb, body) if f.torch_api == f"torch.Tensor.{method}"]
    assert [f.code for f in found] == ["MP301"]
    assert all(f.fix is None or not f.fix.safe for f in found)


def test_fill_diagonal_is_not_silently_made_out_of_place(kb: KnowledgeBase) -> None:
    body = "    x.fill_diagonal_(0.0)\n    return x\n"
    assert converted(kb, body) == body
    found = [f for f in findings(kb, body) if f.torch_api == "torch.Tensor.fill_diagonal_"]
    assert found and all(f.fix is None or not f.fix.safe for f in found)


def test_save_and_load_are_not_converted_alone(kb: KnowledgeBase) -> None:
    # torch.save(state_dict) as save_checkpoint crashes, and torch.load would stay torch
    body = "    torch.save(x, 'a.pt')\n    return torch.load('a.pt')\n"
    assert converted(kb, body, "classic") == body
    codes_found = [f.code for f in findings(kb, body, "classic")]
    assert codes_found.count("MP301") == 2


def test_parameters_become_a_list_an_optimizer_takes(kb: KnowledgeBase) -> None:
    body = "    return d.parameters()\n"
    prelude_typed = "    d = torch.nn.Linear(2, 3)\n"
    assert converted(kb, prelude_typed + body).endswith("    return d.trainable_params()\n")


def test_devices_choose_the_target_that_runs_there(kb: KnowledgeBase) -> None:
    # mint.argmax has no CPU kernel in mindspore 2.10; ops.argmax is verified on CPU
    body = "    return torch.argmax(x, dim=1)\n"
    assert converted(kb, body) == "    return mindspore.ops.argmax(x, dim=1)\n"
    assert (
        converted(kb, body, devices=("ascend",)) == "    return mindspore.mint.argmax(x, dim=1)\n"
    )
    # neither target runs on CPU (mint.rand has no kernel, ops.rand is not verified): unsafe
    rand = "    return torch.rand(2, 3)\n"
    assert converted(kb, rand) == rand
    unsafe = [f for f in findings(kb, rand) if f.torch_api == "torch.rand"]
    assert unsafe and all(f.fix is not None and not f.fix.safe for f in unsafe)
    assert all("no CPU kernel" in f.fix.title for f in unsafe if f.fix is not None)
    assert converted(kb, rand, devices=("ascend",)) == "    return mindspore.mint.rand((2, 3))\n"


def test_the_device_choice_reads_the_arguments_of_the_call(kb: KnowledgeBase) -> None:
    # mint.nn.Conv2d has no CPU kernel; the classic Conv2d failed only its padding='same'
    # case (a string it does not take): every other Conv2d is written as the classic one
    padded = "    return torch.nn.Conv2d(3, 8, 3, padding=1, bias=False)\n"
    assert converted(kb, padded) == (
        "    return mindspore.nn.Conv2d(3, 8, 3, padding=1, has_bias=False, pad_mode='pad')\n"
    )
    same = "    return torch.nn.Conv2d(3, 8, 3, padding='same')\n"
    assert converted(kb, same) == same
    unsafe = [f for f in findings(kb, same) if f.torch_api == "torch.nn.Conv2d"]
    assert unsafe and all(f.off_device for f in unsafe if f.code == "MP101")
    assert not any(f.off_device for f in findings(kb, padded))


@pytest.mark.parametrize(
    ("call", "written"),
    [
        ("nn.MaxPool2d(2)", "mindspore.nn.MaxPool2d(2, stride=2, pad_mode='pad')"),
        ("nn.MaxPool2d(k)", "mindspore.nn.MaxPool2d(k, stride=k, pad_mode='pad')"),
        (
            "nn.AvgPool1d(3, stride=1, padding=1)",
            "mindspore.nn.AvgPool1d(3, stride=1, padding=1, pad_mode='pad')",
        ),
        ("nn.MaxPool2d(sizes[0])", None),  # written twice, it could be evaluated twice
    ],
)
def test_a_default_that_stands_for_another_argument_is_written_from_it(
    kb: KnowledgeBase, call: str, written: str | None
) -> None:
    # torch's pooling stride=None means kernel_size; the classic layers stride by 1
    body = f"    return torch.{call}\n"
    expected = f"    return {written}\n" if written else body
    assert converted(kb, body, "classic") == expected


def test_check_counts_the_calls_that_will_not_run_on_the_devices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "model.py"
    source.write_text(
        "import torch\n"
        "a = torch.nn.Conv2d(3, 8, 3, padding='same')\n"
        "b = torch.nn.Conv2d(3, 8, 3, padding=1)\n"
        "c = torch.rand(2, 3)\n",
        encoding="utf-8",
    )
    main(["check", "--no-cache", "-q", "-j", "1", str(source)])
    err = capsys.readouterr().err
    assert "2 converted calls will not run on the listed devices (cpu, ascend)" in err


def test_a_device_name_mindspore_does_not_take_is_reported(kb: KnowledgeBase) -> None:
    cuda = "    return x.to(device='cuda:0', dtype=torch.float32)\n"
    assert "MP301" in codes(kb, cuda)
    assert "MP301" not in codes(kb, "    return x.to(device='cpu')\n")


def test_a_converted_file_still_shows_the_lines_that_need_work(kb: KnowledgeBase) -> None:
    body = (
        "    x.add_(y)\n"  # not in place on CPU
        "    m = torch.ones(2, 3, device=d, dtype=torch.bool)\n"  # stays torch
        "    z = x.to(device='cuda')\n"  # MindSpore rejects the device name
        "    return x, m, z\n"
    )
    analyzer = Analyzer(kb)
    options = AnalysisOptions()
    fixed = fix_all(PRELUDE + body, lambda t: analyzer.analyze_static(t, options).findings).text
    assert "mindspore.Tensor" in fixed  # the annotations were converted
    lines = fixed.splitlines()
    start = next(i for i, line in enumerate(lines) if "x.add_(y)" in line)
    reported = {f.span.start.line - start for f in analyzer.analyze_static(fixed, options).findings}
    assert {0, 1, 2} <= reported

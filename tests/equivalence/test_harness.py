"""The equivalence harness's own logic, without torch or MindSpore: comparing values, copying
weights, reading case files, converting programs with the fixer, verdicts, isolation."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from mindport.kb.loader import KnowledgeBase, load_knowledge
from mindport.verify.cases import (
    VOCABULARY,
    Case,
    CaseError,
    CaseKind,
    all_api_cases,
    api_cases_from_table,
    build_api_cases,
    generated_cases,
    names_in,
    parse_spec,
)
from mindport.verify.compare import Tolerance, comparable, differences
from mindport.verify.program import (
    Conversion,
    analyzer_findings,
    convert,
    strip_torch_imports,
    suite_notes,
    torch_leftovers,
    torch_program,
)
from mindport.verify.results import (
    DIFFERS,
    NOT_VERIFIABLE,
    PASS,
    VERIFIED,
    ApiResult,
    CaseResult,
    api_from_json,
    api_status,
    problem_kind,
    read_results,
    summary,
    target_result,
    write_results,
)
from mindport.verify.runner import Worker, compare_case
from mindport.verify.weights import Slot, map_weights
from tests.conftest import ROOT


def tensor(
    data: list[Any], dtype: str = "float32", shape: list[int] | None = None
) -> dict[str, Any]:
    return {"kind": "tensor", "dtype": dtype, "shape": shape or [len(data)], "data": data}


# -- comparing --------------------------------------------------------------------------------


def test_values_within_the_dtype_tolerance_are_equal() -> None:
    assert differences(tensor([1.0, 2.0]), tensor([1.0 + 5e-6, 2.0])) == []
    assert differences(tensor([1.0], "float16"), tensor([1.0005], "float16")) == []
    found = differences(tensor([1.0, 2.0]), tensor([1.0, 2.1]))
    assert len(found) == 1 and "1 of 2 values differ" in found[0]


def test_integers_must_be_equal_and_dtypes_and_shapes_are_compared() -> None:
    assert differences(tensor([1, 2], "int64"), tensor([1, 3], "int64"))
    dtype = differences(tensor([1, 2], "int64"), tensor([1, 2], "int32"))
    assert dtype == ["output: dtype int64 in torch, int32 in MindSpore"]
    shape = differences(tensor([1.0], shape=[1]), tensor([1.0], shape=[1, 1]))
    assert "shape [1] in torch, [1, 1] in MindSpore" in shape[0]


def test_nan_equals_nan_and_infinities_must_match() -> None:
    assert differences(tensor([math.nan]), tensor([math.nan])) == []
    assert differences(tensor([math.inf]), tensor([-math.inf]))
    assert differences(tensor([math.nan]), tensor([1.0]))


def test_structures_and_python_values_are_compared_item_by_item() -> None:
    pair = {"kind": "seq", "items": [tensor([1.0]), tensor([2], "int64")]}
    single = {"kind": "seq", "items": [tensor([1.0])]}
    assert differences(pair, pair) == []
    assert differences(pair, single) == ["output: 2 items in torch, 1 in MindSpore"]
    assert differences(tensor([1.0]), pair)[0].startswith("output: tensor float32 [1] in torch")
    flag = {"kind": "scalar", "type": "bool", "value": True}
    assert differences(flag, {"kind": "scalar", "type": "bool", "value": False})
    assert differences(flag, tensor([True], "bool"))


def test_random_cases_compare_shapes_and_dtypes_only() -> None:
    assert differences(tensor([1.0, 2.0]), tensor([5.0, 6.0]), values=False) == []
    assert differences(tensor([1.0]), tensor([5.0], "float64"), values=False)


def test_a_looser_tolerance_applies_to_floats_only() -> None:
    loose = Tolerance(rtol=0.1, atol=0.1)
    assert differences(tensor([1.0]), tensor([1.05]), tolerance=loose) == []
    assert differences(tensor([1], "int64"), tensor([2], "int64"), tolerance=loose)


def test_objects_are_not_comparable() -> None:
    assert not comparable({"kind": "seq", "items": [{"kind": "object", "type": "x", "repr": ""}]})
    assert comparable({"kind": "seq", "items": [tensor([1.0])]})


# -- weights ----------------------------------------------------------------------------------


def test_weights_pair_by_name_then_classic_names_then_order() -> None:
    torch = [
        Slot("weight", (2,), "float32"),
        Slot("bias", (2,), "float32"),
        Slot("running_mean", (2,), "float32"),
        Slot("running_var", (2,), "float32"),
        Slot("num_batches_tracked", (), "int64"),
    ]
    classic = [
        Slot("bn2d.moving_mean", (2,), "float32"),
        Slot("bn2d.moving_variance", (2,), "float32"),
        Slot("bn2d.gamma", (2,), "float32"),
        Slot("bn2d.beta", (2,), "float32"),
    ]
    mapping = map_weights(torch, classic)
    assert dict(mapping.pairs) == {
        "weight": "bn2d.gamma",
        "bias": "bn2d.beta",
        "running_mean": "bn2d.moving_mean",
        "running_var": "bn2d.moving_variance",
    }
    assert mapping.problems == () and mapping.ignored == ("num_batches_tracked",)


def test_unpairable_weights_are_problems_missing_ones_differences() -> None:
    mapping = map_weights([Slot("weight", (3, 4), "float32")], [Slot("w", (4, 3), "float32")])
    assert mapping.problems and "cannot go into" in mapping.problems[0]
    extra = map_weights([], [Slot("gamma", (2,), "float32")])
    assert extra.problems == () and extra.kept == ("gamma [2]",)
    lacking = map_weights(
        [Slot("weight", (4, 3, 3), "float32"), Slot("bias", (4,), "float32")],
        [Slot("weight", (4, 3, 1, 3), "float32")],
    )
    assert lacking.pairs == (("weight", "weight"),) and lacking.missing == ("bias [4]",)


# -- cases -----------------------------------------------------------------------------------


def test_input_specs_are_checked() -> None:
    assert parse_spec("x", "here") is VOCABULARY["x"]
    spec = parse_spec({"shape": [2], "dtype": "int64", "dist": "int", "low": 0, "high": 3}, "here")
    assert spec.shape == (2,) and spec.dtype == "int64"
    for bad in ("nope", {"dtype": "float8"}, {"dist": "values"}, {"size": 3}):
        with pytest.raises(CaseError):
            parse_spec(bad, "here")


def test_a_case_uses_the_vocabulary_names_it_reads() -> None:
    assert names_in("torch.add(x, y, alpha=2)") == ["torch", "x", "y"]
    cases, skip = api_cases_from_table(
        "torch.add",
        {"cases": ["torch.add(x, q)", {"code": "torch.add(i, k)", "grad": False}]},
        [],
        "t",
    )
    assert skip is None
    assert [name for name, _ in cases[0].inputs] == ["x", "q"]
    assert cases[1].grad is False and cases[1].inputs[0][1].dtype == "int64"


def test_case_files_reject_unknown_keys_and_unexplained_tolerances() -> None:
    with pytest.raises(CaseError, match="unknown key"):
        api_cases_from_table("torch.add", {"caes": []}, [], "t")
    with pytest.raises(CaseError, match="tolerance"):
        api_cases_from_table("torch.add", {"cases": [{"code": "x", "rtol": 0.1}]}, [], "t")


def test_generated_cases_follow_the_signature(kb: KnowledgeBase) -> None:
    entry = kb.entry("torch.sum")
    assert entry is not None
    cases, reason = generated_cases(entry)
    assert reason is None
    assert [c.code for c in cases] == [
        "torch.sum(x)",
        "torch.sum(x, dim=1)",
        "torch.sum(x, dim=-1, keepdim=True)",
    ]
    needs = kb.entry("torch.gather")
    assert needs is not None and "needs a case file" in (generated_cases(needs)[1] or "")


def test_a_broken_table_makes_that_api_not_verifiable_and_the_rest_loads(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    (tmp_path / "a.toml").write_text(
        '["torch.sum"]\ncases = [3]\n["torch.abs"]\nextra = ["torch.abs(i)"]\n'
        '["torch.cuda.*"]\nskip = "needs a GPU"\n',
        encoding="utf-8",
    )
    entries = [kb.entry(i) for i in ("torch.sum", "torch.abs", "torch.cuda.synchronize")]
    found, problems = all_api_cases([e for e in entries if e is not None], tmp_path)
    by_api = {c.api: c for c in found}
    assert problems == []
    assert by_api["torch.sum"].problem and "a case is a string" in by_api["torch.sum"].problem
    assert [c.code for c in by_api["torch.abs"].cases] == ["torch.abs(x)", "torch.abs(i)"]
    assert by_api["torch.cuda.synchronize"].skip == "needs a GPU"


def test_the_case_files_load_without_problems(kb: KnowledgeBase) -> None:
    entries = [e for e in (kb.entry(i) for i in kb.ids) if e is not None]
    found, problems = all_api_cases(entries, ROOT / "knowledge" / "cases")
    assert problems == []
    assert [c.api for c in found if c.problem and ".toml" in c.problem] == []


# -- programs ----------------------------------------------------------------------------------


def test_the_torch_program_is_a_function_of_annotated_tensors() -> None:
    case = build_api_cases(None, "x", None)  # no entry: a problem, no crash
    assert case.problem
    program = torch_program(
        Case(
            "torch.add", "torch.add(x, y)", inputs=(("x", VOCABULARY["x"]), ("y", VOCABULARY["y"]))
        )
    )
    assert "def case(x: torch.Tensor, y: torch.Tensor):\n    return torch.add(x, y)\n" in program
    module = torch_program(Case("torch.nn.ReLU", "torch.nn.ReLU()", kind=CaseKind.MODULE))
    assert "def case():\n    return torch.nn.ReLU()" in module
    body = torch_program(
        Case("torch.manual_seed", "torch.manual_seed(3)\nreturn torch.initial_seed()")
    )
    assert "    torch.manual_seed(3)\n    return torch.initial_seed()" in body


def test_the_fixer_converts_and_leftovers_are_refused() -> None:
    findings_of = analyzer_findings()
    program = torch_program(
        Case("torch.sum", "torch.sum(x, dim=1)", inputs=(("x", VOCABULARY["x"]),))
    )
    done = convert(program, "mint", findings_of)
    assert done.problem is None and done.text is not None
    assert "mindspore.mint.sum(x, dim=1)" in done.text and "torch" not in done.text
    left = convert(
        torch_program(Case("torch.cuda.current_device", "torch.cuda.current_device()")),
        "mint",
        findings_of,
    )
    assert left.text is None and left.problem and "torch.cuda.current_device" in left.problem


def test_an_unsafe_rewrite_of_a_method_call_is_taken_when_it_removes_nothing() -> None:
    # ``x.norm(p=1)`` keeps no torch name when left alone; MindPort offers ``ord=`` for review
    findings_of = analyzer_findings()
    norm = Case("torch.Tensor.norm", "x.norm(p=1, dim=0)", inputs=(("x", VOCABULARY["x"]),))
    done = convert(torch_program(norm), "classic", findings_of)
    assert done.text is not None and "x.norm(ord=1, dim=0)" in done.text and done.unsafe
    safe = Case("torch.Tensor.abs", "x.abs()", inputs=(("x", VOCABULARY["x"]),))
    plain = convert(torch_program(safe), "classic", findings_of)
    assert plain.text is not None and "x.abs()" in plain.text and not plain.unsafe


def test_a_note_this_suite_established_counts_as_a_warning_at_the_call() -> None:
    # GRUCell's note (MindSpore's classic cell needs hx) is shown in the MP101 diagnostic of
    # every call; a rejection it explains is then no unnoticed conversion bug.
    findings_of = analyzer_findings()
    entry = load_knowledge().entry_for_torch("torch.nn.GRUCell")
    assert entry is not None
    notes = suite_notes(entry)
    assert "mindspore.nn.GRUCell must be given hx" in notes
    program = torch_program(
        Case("torch.nn.GRUCell", "torch.nn.GRUCell(3, 4)", kind=CaseKind.MODULE)
    )
    assert not convert(program, "classic", findings_of).warned
    assert convert(program, "classic", findings_of, notes).warned


def test_leftovers_and_import_stripping() -> None:
    text = "import torch\nimport torch.nn.functional as F\nimport mindspore\n\ny = F.relu(1)\n"
    assert torch_leftovers(text) == ["F.relu"]
    clean = "import torch\nfrom torch import nn\nimport mindspore\n\ny = mindspore.mint.abs(1)\n"
    assert torch_leftovers(clean) == []
    assert strip_torch_imports(clean) == "import mindspore\n\ny = mindspore.mint.abs(1)\n"


# -- verdicts ------------------------------------------------------------------------------------

CASE = Case("torch.abs", "torch.abs(x)")
CONVERTED = Conversion("mint", "program")


def test_verdicts_for_one_case() -> None:
    ok = {"ok": True, "output": tensor([1.0])}
    assert compare_case(CASE, "mint", CONVERTED, ok, ok).status == PASS
    other = {"ok": True, "output": tensor([2.0])}
    assert compare_case(CASE, "mint", CONVERTED, ok, other).status == DIFFERS
    failed = {"ok": False, "stage": "forward", "error": "RuntimeError: The kernel X unregistered."}
    result = compare_case(CASE, "mint", CONVERTED, ok, failed)
    assert result.status == NOT_VERIFIABLE and problem_kind(result) == "no-cpu-kernel"


def test_a_rejected_call_is_a_conversion_bug_unless_mindport_warns_about_it() -> None:
    ok = {"ok": True, "output": tensor([1.0])}
    rejected = {
        "ok": False,
        "stage": "forward",
        "error": "TypeError: got an unexpected keyword argument 'dim'",
    }
    result = compare_case(CASE, "mint", CONVERTED, ok, rejected)
    assert problem_kind(result) == "bad-conversion" and "warned" not in result.to_json()
    warned = Conversion("mint", "program", warnings=("MP301 scale_factor must be a float",))
    known = compare_case(CASE, "mint", warned, ok, rejected)
    assert problem_kind(known) == "mindspore-error" and known.to_json()["warned"] is True


def test_a_gradient_that_fails_only_in_mindspore_is_not_a_pass() -> None:
    torch = {"ok": True, "output": tensor([1.0]), "grads": {"x": tensor([1.0])}}
    ms = {"ok": True, "output": tensor([1.0]), "grad_error": "RuntimeError: no bprop"}
    result = compare_case(CASE, "mint", CONVERTED, torch, ms)
    assert result.status == NOT_VERIFIABLE and "gradient fails" in (result.detail or "")
    wrong = {"ok": True, "output": tensor([1.0]), "grads": {"x": tensor([3.0])}}
    assert compare_case(CASE, "mint", CONVERTED, torch, wrong).status == DIFFERS


def test_random_values_are_never_a_pass() -> None:
    case = Case("torch.rand", "torch.rand(3)", random=True)
    result = compare_case(
        case,
        "mint",
        CONVERTED,
        {"ok": True, "output": tensor([0.1])},
        {"ok": True, "output": tensor([0.7])},
    )
    assert result.status == NOT_VERIFIABLE and result.stage == "random"


def test_aggregation_and_summary() -> None:
    passed = CaseResult("a", "mint", PASS, compared=("values",))
    differs = CaseResult("b", "mint", DIFFERS, "output: dtype")
    broken = CaseResult("c", "classic", NOT_VERIFIABLE, "RuntimeError: x", "mindspore forward")
    assert target_result("mint", "m", [passed]).status == VERIFIED
    assert target_result("mint", "m", [passed, differs]).status == DIFFERS
    assert target_result("classic", "c", [broken]).status == NOT_VERIFIABLE
    assert target_result("mint", "m", []).status == NOT_VERIFIABLE
    verified = target_result("mint", "m", [passed])
    assert api_status([verified, target_result("classic", "c", [broken])]) == VERIFIED
    results = [ApiResult("torch.a", VERIFIED), ApiResult("torch.nn.B", DIFFERS)]
    assert summary(results)["all"] == {"verified": 1, "differs": 1, "not-verifiable": 0}


def test_results_round_trip(tmp_path: Path) -> None:
    target = target_result(
        "mint", "mindspore.mint.a", [CaseResult("a(x)", "mint", DIFFERS, "output: x")]
    )
    result = ApiResult("torch.a", DIFFERS, {"mint": target}, ("a(x)",))
    path = tmp_path / "v.json"
    data = write_results(path, [result], {"torch": "2.13.0"})
    assert data["apis"]["torch.a"]["targets"]["mint"]["kind"] == "difference"
    again = api_from_json("torch.a", read_results(path)["apis"]["torch.a"])
    assert again.to_json() == result.to_json()
    assert read_results(tmp_path / "missing.json")["apis"] == {}


# -- isolation ---------------------------------------------------------------------------------


def test_a_hanging_or_dying_worker_costs_one_case_only(tmp_path: Path) -> None:
    from tests.equivalence import fake_worker

    worker = Worker("fake", tmp_path, target=fake_worker.serve)
    try:
        first = worker.call({"action": "echo"})
        assert first["ok"]
        hung = worker.call({"action": "hang"}, timeout=1.0)
        assert hung == {"ok": False, "stage": "timeout", "error": "no answer in 1 s"}
        died = worker.call({"action": "die"})
        assert not died["ok"] and died["stage"] == "crash" and "exit code 3" in died["error"]
        after = worker.call({"action": "echo"})
        assert after["ok"] and after["output"]["value"] != first["output"]["value"]
        assert worker.restarts == 2
    finally:
        worker.stop()

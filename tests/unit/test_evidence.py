"""The suite's cases read per call (``conversion/evidence.py``) and the target choice built on
it (``conversion/devices.py``): pure, no torch, synthetic verification records."""

from __future__ import annotations

import ast

from mindport.analysis.static_pass import call_site
from mindport.conversion.devices import choose_target
from mindport.conversion.evidence import (
    Value,
    no_kernel_for_call,
    problems_for_call,
    values_of_call,
    verified_for_call,
)
from mindport.kb.model import ApiKind, ApiSide, Category, Entry, Param, ParamKind, Tier
from mindport.kb.verification import (
    CaseProblem,
    TargetCheck,
    Verification,
    parse_verification,
    problem_kind,
)
from mindport.text import SourceLines

CONV = Entry(
    id="torch.nn.Conv2d",
    tier=Tier.CORE,
    category=Category.BEHAVIOUR_DIFFERS,
    torch=ApiSide(
        "torch.nn.Conv2d",
        ApiKind.CLASS,
        (
            Param("in_channels"),
            Param("out_channels"),
            Param("kernel_size"),
            Param("stride", "1"),
            Param("padding", "0"),
            Param("groups", "1"),
            Param("bias", "True"),
        ),
    ),
    targets={
        "mint": ApiSide("mindspore.mint.nn.Conv2d", ApiKind.CLASS),
        "classic": ApiSide("mindspore.nn.Conv2d", ApiKind.CLASS),
    },
)
CASES = (
    "torch.nn.Conv2d(2, 3, 3)",
    "torch.nn.Conv2d(2, 3, 3, stride=1, padding=1)",
    "torch.nn.Conv2d(2, 4, (2, 3), stride=2, bias=False)",
    "torch.nn.Conv2d(2, 3, 3, padding='same')",
)
NO_KERNEL = "no-cpu-kernel"


def problem(case: str, kind: str = "mindspore-error") -> CaseProblem:
    return CaseProblem(case, "differs" if kind == "difference" else "not-verifiable", kind)


def record(
    classic: tuple[CaseProblem, ...],
    mint: tuple[CaseProblem, ...] | None = None,
    cases: tuple[str, ...] = CASES,
) -> Verification:
    mint = tuple(problem(c, NO_KERNEL) for c in cases) if mint is None else mint

    def check(target: str, problems: tuple[CaseProblem, ...]) -> TargetCheck:
        status = "verified" if not problems else "not-verifiable"
        return TargetCheck(
            target, target, status, len(cases), len(cases) - len(problems), problems=problems
        )

    return Verification(
        "torch.nn.Conv2d",
        "not-verifiable",
        {"mint": check("mint", mint), "classic": check("classic", classic)},
        cases=cases,
        versions={"mindspore": "2.10.0"},
    )


def values(code: str, entry: Entry = CONV) -> dict[str, Value | None] | None:
    call = ast.parse(code).body[0]
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
    return values_of_call(call_site(SourceLines(code), call.value), entry)


SAME_FAILS = record(classic=(problem("torch.nn.Conv2d(2, 3, 3, padding='same')"),))


def test_a_failure_explained_by_a_value_the_call_does_not_pass_is_not_its_concern() -> None:
    for code in (
        "nn.Conv2d(3, 16, 3, padding=1)",
        "nn.Conv2d(3, 16, kernel_size=3)",
        "nn.Conv2d(cin, cout, 3, stride=2, padding=1, bias=False)",
        "nn.Conv2d(3, 16, 5, padding=2)",  # an untried int: 'same' failed as a str
    ):
        assert verified_for_call(CONV, SAME_FAILS, "classic", values(code)), code
        assert problems_for_call(CONV, SAME_FAILS, "classic", values(code)) == ()


def test_a_call_that_may_pass_the_failing_value_keeps_the_failure() -> None:
    for code in (
        "nn.Conv2d(3, 16, 3, padding='same')",  # the failing value itself
        "nn.Conv2d(3, 16, 3, padding='valid')",  # an untried value of the same kind
        "nn.Conv2d(3, 16, 3, padding=pad)",  # unknown
        "nn.Conv2d(3, 16, 3, **options)",  # unknown parameters
        "nn.Conv2d(3, 16, 3, 1, 1, 1, True, 'zeros', 7)",  # does not bind
    ):
        assert not verified_for_call(CONV, SAME_FAILS, "classic", values(code)), code
    # no call to read (``layer = nn.Conv2d``): only a target verified as a whole counts
    assert not verified_for_call(CONV, SAME_FAILS, "classic", None)


def test_a_failure_no_argument_explains_blocks_every_call() -> None:
    # it passed nothing that passing cases did not pass too
    plain = record(classic=(problem("torch.nn.Conv2d(2, 3, 3)"),))
    assert not verified_for_call(CONV, plain, "classic", values("nn.Conv2d(1, 2, 3)"))
    # its code cannot be read as one call of the API
    body = "a = torch.nn.Conv2d(2, 3, 3)\nb = torch.nn.Conv2d(2, 3, 1)"
    unreadable = record(classic=(problem(body),), cases=(*CASES[:3], body))
    assert not verified_for_call(CONV, unreadable, "classic", values("nn.Conv2d(1, 2, 3)"))
    # nothing passed: no value can be told from a failing one
    cases = ("torch.nn.Conv2d(2, 3, 3, padding=1)",)
    mint_none = record(classic=(), mint=(problem(cases[0], NO_KERNEL),), cases=cases)
    assert no_kernel_for_call(CONV, mint_none, "mint", values("nn.Conv2d(1, 2, 3)"))
    # the same code passed and failed (other inputs): the inputs, not the arguments
    twice = record(classic=(problem(CASES[0]),), cases=(*CASES[:3], CASES[0]))
    assert not verified_for_call(CONV, twice, "classic", values("nn.Conv2d(1, 2, 5)"))


def test_a_left_out_parameter_is_its_default() -> None:
    # every passing case passed bias=False; the failing one left it out (bias=True)
    cases = (
        "torch.nn.Conv2d(2, 3, 3, bias=False)",
        "torch.nn.Conv2d(2, 3, 3)",
    )
    check = record(classic=(problem(cases[1]),), cases=cases)
    assert not verified_for_call(CONV, check, "classic", values("nn.Conv2d(4, 4, 3)"))
    assert not verified_for_call(CONV, check, "classic", values("nn.Conv2d(4, 4, 3, bias=True)"))
    assert verified_for_call(CONV, check, "classic", values("nn.Conv2d(4, 4, 3, bias=False)"))


def test_every_distinguishing_value_must_be_avoided() -> None:
    # the failure passed stride=3 and padding='same': either may be the cause
    cases = (*CASES[:3], "torch.nn.Conv2d(2, 3, 3, stride=3, padding='same')")
    check = record(classic=(problem(cases[3]),), cases=cases)
    assert not verified_for_call(CONV, check, "classic", values("nn.Conv2d(1, 2, 3, stride=3)"))
    assert not verified_for_call(
        CONV, check, "classic", values("nn.Conv2d(1, 2, 3, padding='same')")
    )
    assert verified_for_call(CONV, check, "classic", values("nn.Conv2d(1, 2, 3, stride=2)"))


def test_kernel_absence_is_read_per_call_too() -> None:
    # mint failed only for padding='same' with a missing kernel
    mint_same = record(
        classic=(),
        mint=(problem("torch.nn.Conv2d(2, 3, 3, padding='same')", NO_KERNEL),),
    )
    assert not no_kernel_for_call(CONV, mint_same, "mint", values("nn.Conv2d(1, 2, 3)"))
    assert no_kernel_for_call(CONV, mint_same, "mint", values("nn.Conv2d(1, 2, 3, padding='same')"))
    # a failure of another kind is not a missing kernel
    other = record(classic=(), mint=(problem(CASES[0]),))
    assert not no_kernel_for_call(CONV, other, "mint", values("nn.Conv2d(1, 2, 3)"))


def test_the_target_choice_reads_the_call() -> None:
    cpu = ("cpu", "ascend")
    padded = choose_target(CONV, "mint", cpu, SAME_FAILS, values("nn.Conv2d(3, 8, 3, padding=1)"))
    assert padded is not None and padded.target_id == "classic"
    assert padded.instead_of == "mindspore.mint.nn.Conv2d" and padded.missing is None
    same = choose_target(
        CONV, "mint", cpu, SAME_FAILS, values("nn.Conv2d(3, 8, 3, padding='same')")
    )
    assert same is not None and same.target_id == "mint" and same.missing is not None
    assert "no CPU kernel" in same.missing.en and "CPU" in same.missing.zh
    # no CPU listed: the preferred target whatever the suite found on CPU
    ascend = choose_target(CONV, "mint", ("ascend",), SAME_FAILS, values("nn.Conv2d(3, 8, 3)"))
    assert ascend is not None and ascend.target_id == "mint" and ascend.missing is None


def test_problems_keep_their_case_and_kind_when_read_from_the_file() -> None:
    data = {
        "format": 1,
        "versions": {"mindspore": "2.10.0"},
        "apis": {
            "torch.nn.Conv2d": {
                "status": "not-verifiable",
                "cases": list(CASES),
                "targets": {
                    "mint": {
                        "api": "mindspore.mint.nn.Conv2d",
                        "status": "not-verifiable",
                        "cases": 4,
                        "passed": 3,
                        "problems": [
                            {
                                "case": CASES[3],
                                "status": "not-verifiable",
                                "stage": "mindspore forward",
                                "detail": "RuntimeError: Not found op FuncConv on device CPU",
                            }
                        ],
                    }
                },
            },
            "torch.broken": {
                "status": "verified",
                "targets": {"mint": {"api": "m", "status": "verified", "problems": [{}]}},
            },
        },
    }
    records, problems = parse_verification(data)
    assert [p.split(":")[0] for p in problems] == ["torch.broken"]
    conv = records["torch.nn.Conv2d"]
    assert conv.cases == CASES
    assert conv.targets["mint"].problems == (CaseProblem(CASES[3], "not-verifiable", NO_KERNEL),)


def test_problem_kinds() -> None:
    assert problem_kind("differs", None, "output: 3 of 4 values differ") == "difference"
    assert problem_kind("not-verifiable", "mindspore forward", "The kernel X unregistered.") == (
        NO_KERNEL
    )
    assert problem_kind("not-verifiable", "convert", "left torch code") == "convert"
    bad = "TypeError: got an unexpected keyword argument 'x'"
    assert problem_kind("not-verifiable", "mindspore build", bad) == "bad-conversion"
    assert problem_kind("not-verifiable", "mindspore build", bad, warned=True) == "mindspore-error"


def test_variadic_and_keyword_only_parameters_get_values() -> None:
    zeros = Entry(
        id="torch.zeros",
        tier=Tier.CORE,
        category=Category.CONSISTENT,
        torch=ApiSide(
            "torch.zeros",
            ApiKind.FUNCTION,
            (
                Param("size", None, ParamKind.VAR_POSITIONAL),
                Param("dtype", "None", ParamKind.KEYWORD_ONLY),
            ),
        ),
        targets={},
    )
    found = values("torch.zeros(2, 3, dtype=torch.int64)", zeros)
    assert found == {"size": Value("varargs", "int:2, int:3"), "dtype": None}
    # a spread call: nothing is claimed about what it fills
    assert values("torch.zeros(*shape)", zeros) == {"size": None, "dtype": None}

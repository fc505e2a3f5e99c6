"""What the equivalence suite's cases say about one call, not only about the API.

``knowledge/verification.json`` keeps, per target, the torch code of every case and the
cases that did not pass. A target that failed one case of five (``nn.Conv2d(...,
padding='same')`` on the classic target) is not verified as a whole, yet it is verified for
a call that passes nothing that case alone passed. This module reads each case as a call
and decides, for one call, which failures may hold for it:

- Every case is bound to torch's signature like the user's call is. Each parameter gets a
  value: the literal passed (``3``, ``'same'``, ``(2, 3)``, ``True``), the default when it
  is left out, or "unknown" for an expression in user code. A case's bare names are its
  tensor inputs: inputs cannot be told apart in user code, so they explain nothing.
- A failing case is *explained* by its distinguishing values: the (parameter, value) pairs
  no passing case has. A failure with none (it passed only what passing cases pass too, or
  it differs only in its inputs, or its code cannot be read, or no case passed at all) is
  not explained by arguments and holds for every call.
- A call *avoids* a failure when it passes none of the distinguishing values: for each
  one, the call's value for that parameter is known, differs from it, and is either of
  another kind (an ``int`` padding where the case failed with a ``str``) or one that a
  passing case used. An unknown value, or an untried value of the same kind, might be
  the failing one.

The reading is conservative: any doubt keeps the failure. It attributes a failure to
argument values rather than to the case's inputs when the case has both.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from mindport.analysis.references import CallSite
from mindport.analysis.static_pass import call_site
from mindport.conversion.binding import NOT_A_VALUE, BoundCall, bind_best, literal_value
from mindport.kb.model import UNSPECIFIED, ApiSide, Entry, Param, ParamKind
from mindport.kb.verification import CaseProblem, TargetCheck, Verification
from mindport.text import SourceLines


@dataclass(frozen=True, slots=True)
class Value:
    """A value a parameter takes in a call: ``family`` is its kind (``int``, ``str``, ...,
    ``input`` for a case's tensor input, ``expr`` for another expression, ``default`` for a
    left-out parameter whose default is not a literal), ``text`` tells values apart."""

    family: str
    text: str


# parameter name -> its value (None: unknown)
Values = Mapping[str, Value | None]

_FAMILIES: tuple[tuple[type, str], ...] = (
    (bool, "bool"),
    (int, "int"),
    (float, "float"),
    (complex, "complex"),
    (str, "str"),
    (bytes, "bytes"),
)


def _normalised(value: object) -> object:
    if isinstance(value, list | tuple):
        return tuple(_normalised(v) for v in value)
    return value


def literal(value: object) -> Value:
    """The value of a Python literal (``bool`` before ``int``: True is not 1 here)."""
    if value is None:
        return Value("none", "None")
    if isinstance(value, list | tuple):
        return Value("sequence", repr(_normalised(value)))
    for kind, family in _FAMILIES:
        if isinstance(value, kind):
            return Value(family, repr(value))
    return Value("other", repr(value))


def _source_value(source: str, *, in_case: bool) -> Value | None:
    value = literal_value(source)
    if value is not NOT_A_VALUE:
        return literal(value)
    if not in_case:
        return None  # an expression in user code: could be anything
    text = source.strip()
    return Value("input" if text.isidentifier() else "expr", text)


def _default_value(param: Param) -> Value:
    assert param.default is not None
    if param.default == UNSPECIFIED:
        return Value("default", UNSPECIFIED)  # left out, with no single default value
    value = literal_value(param.default)
    return literal(value) if value is not NOT_A_VALUE else Value("default", param.default)


def call_values(
    bound: BoundCall, params: Iterable[Param], *, in_case: bool
) -> dict[str, Value | None]:
    """Every parameter's value in a bound call; left-out parameters take their default.
    A spread call (``*args``, ``**kwargs``) leaves every unbound parameter unknown."""
    values: dict[str, Value | None] = {}
    for param in params:
        argument = bound.by_param.get(param.name)
        if param.kind is ParamKind.VAR_POSITIONAL:
            gathered = [
                _source_value(a.value_source, in_case=in_case) for a in bound.var_positional
            ]
            if bound.spread or any(v is None for v in gathered):
                values[param.name] = None
            else:
                texts = ", ".join(f"{v.family}:{v.text}" for v in gathered if v is not None)
                values[param.name] = Value("varargs", texts)
        elif param.kind is ParamKind.VAR_KEYWORD:
            continue
        elif argument is not None:
            values[param.name] = _source_value(argument.value_source, in_case=in_case)
        elif bound.spread:
            values[param.name] = None
        elif param.default is not None:
            values[param.name] = _default_value(param)
        else:
            values[param.name] = Value("absent", "")
    return values


def _bound_values(
    call: CallSite, side: ApiSide, *, in_case: bool
) -> dict[str, Value | None] | None:
    params, bound = bind_best(call, side)
    if bound.unmatched:
        return None
    return call_values(bound, params, in_case=in_case)


def _api_call(code: str, side: ApiSide) -> CallSite | None:
    """The one call of the API in a case's code (``torch.nn.Conv2d(2, 3, 3)``,
    ``F.interpolate(img, ...)``, ``x.std(dim=1)``); None when there is not exactly one."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    last = side.name.rsplit(".", 1)[-1]
    found = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Attribute) and node.func.attr == last)
            or (isinstance(node.func, ast.Name) and node.func.id == last)
        )
    ]
    if len(found) != 1:
        return None
    return call_site(SourceLines(code), found[0])


@lru_cache(maxsize=4096)
def case_values(code: str, side: ApiSide) -> tuple[tuple[str, Value | None], ...] | None:
    """A case's parameter values (None when its code cannot be read as one call of the API)."""
    call = _api_call(code, side)
    if call is None:
        return None
    values = _bound_values(call, side, in_case=True)
    return tuple(values.items()) if values is not None else None


def values_of_call(call: CallSite | None, entry: Entry) -> dict[str, Value | None] | None:
    """The user's call's parameter values (None: no call to read, or it does not bind)."""
    if call is None:
        return None
    return _bound_values(call, entry.torch, in_case=False)


@dataclass(frozen=True, slots=True)
class Explained:
    """A failing case and the values that explain it (empty: nothing does)."""

    problem: CaseProblem
    distinguishing: tuple[tuple[str, Value], ...]


def tried_values(
    check: TargetCheck, cases: tuple[str, ...], side: ApiSide
) -> frozenset[tuple[str, Value]]:
    """Every (parameter, value) a passing case of ``check`` had.

    Passing cases are the API's cases minus the failing ones. When the counts do not add up
    (a case that ran for another target only) none is counted: fewer passing values only
    make more values distinguishing, so the reading stays on the safe side.
    """
    failing = Counter(p.case for p in check.problems)
    remaining = Counter(cases)
    remaining.subtract(failing)
    if any(n < 0 for n in remaining.values()) or sum(remaining.values()) != check.passed:
        return frozenset()
    seen: set[tuple[str, Value]] = set()
    for code, count in remaining.items():
        values = case_values(code, side) if count > 0 else None
        if values is not None:
            seen.update((name, value) for name, value in values if value is not None)
    return frozenset(seen)


def explanations(
    check: TargetCheck, cases: tuple[str, ...], side: ApiSide, tried: frozenset[tuple[str, Value]]
) -> list[Explained]:
    """Each failing case of ``check`` with its distinguishing values (``tried``: the values
    of the passing cases)."""
    result = []
    for problem in check.problems:
        values = case_values(problem.case, side)
        if values is None or not tried:
            # nothing passed: there is nothing to tell the failing values from
            result.append(Explained(problem, ()))
            continue
        distinguishing = tuple(
            (name, value)
            for name, value in values
            if value is not None
            and value.family not in ("input", "absent")
            and (name, value) not in tried
        )
        result.append(Explained(problem, distinguishing))
    return result


def avoids(explained: Explained, call: Values | None, tried: frozenset[tuple[str, Value]]) -> bool:
    """Does the call pass none of the values that explain this failure?"""
    if not explained.distinguishing or call is None:
        return False
    for name, failing in explained.distinguishing:
        mine = call.get(name)
        if mine is None or mine == failing:
            return False
        if mine.family == failing.family and (name, mine) not in tried:
            return False
    return True


def problems_for_call(
    entry: Entry, verification: Verification | None, target_id: str, call: Values | None
) -> tuple[CaseProblem, ...] | None:
    """The failing cases of ``target_id`` that may hold for a call with these values
    (``values_of_call``); None when the suite did not check that target."""
    check = verification.targets.get(target_id) if verification is not None else None
    if check is None or verification is None:
        return None
    if not check.problems:
        return ()
    tried = tried_values(check, verification.cases, entry.torch)
    return tuple(
        explained.problem
        for explained in explanations(check, verification.cases, entry.torch, tried)
        if not avoids(explained, call, tried)
    )


def verified_for_call(
    entry: Entry, verification: Verification | None, target_id: str, call: Values | None
) -> bool:
    """The target passed every case that may concern this call, and at least one case."""
    check = verification.targets.get(target_id) if verification is not None else None
    if check is None or check.cases == 0 or check.passed == 0:
        return False
    return problems_for_call(entry, verification, target_id, call) == ()


def no_kernel_for_call(
    entry: Entry, verification: Verification | None, target_id: str, call: Values | None
) -> bool:
    """A case that may concern this call found no CPU kernel for the target."""
    problems = problems_for_call(entry, verification, target_id, call)
    return bool(problems) and any(p.kind == "no-cpu-kernel" for p in problems or ())

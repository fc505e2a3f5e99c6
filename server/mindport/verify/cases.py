"""Equivalence cases: generated from the knowledge base, refined by the case files.

A case is a small torch program for one API: an expression (or a short function body) over
named inputs. The inputs come from a shared vocabulary (``x`` is a float32 (3, 4) tensor
drawn from a normal distribution, ``p`` the same shape but positive, ``i`` int64...) that a
case file may extend or override per API. Adding an API means adding data to
``knowledge/cases/<torch namespace>.toml``, never a test function.

Case-file keys per API (a TOML table named after the entry id):

``cases``   the cases, replacing the generated ones: strings or tables with ``code`` and any
            of the per-case keys below
``extra``   cases added to the generated ones
``inputs``  input names for these cases: a vocabulary name or a table (``shape``, ``dtype``,
            ``dist`` = normal | uniform | int | bool | values, ``low``, ``high``, ``values``)
``skip``    why the API cannot be run here (reported as not verifiable with this reason)
``kind``    ``function`` (default), ``module``, ``optimizer`` or ``scheduler``
``forward`` module cases: the inputs the module is called with (default ``["x"]``)
``train``   module cases: run in training mode (default: evaluation mode in both)
``steps``   optimizer and scheduler cases: how many steps (default 3)
``grad``    compare gradients (default: whenever torch can differentiate the output)
``wrt``     the inputs gradients are taken for (default: every floating input; a loss's
            weight or target is often not differentiable in torch)
``random``  the values are random: only shapes and dtypes can be compared
``rtol``, ``atol``, ``tolerance``  a looser tolerance and why it is needed
``targets`` run only for these targets (default: every target of the entry)
``weights`` module cases: ``name`` or ``order`` (how weights are copied; default: by name,
            then by order among the unmatched ones, shapes checked)
``why``     a remark shown in the report (why the case is shaped this way)

A table named ``"<namespace>.*"`` applies to every API of that namespace without its own table
(``["torch.distributed.*"] skip = "..."``).
"""

from __future__ import annotations

import ast
import enum
import sys
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mindport.kb.model import ApiKind, Entry, ParamKind, Tier

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BASE_SEED = 20260
DATA_PIPELINE_SKIP = (
    "data-pipeline API: torchvision, torchaudio and torchtext cannot be installed beside"
    " torch 2.13 here, so it is not run"
)
DTYPES = (
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "int8",
    "uint8",
    "int16",
    "int32",
    "int64",
    "bool",
)
DISTRIBUTIONS = ("normal", "uniform", "int", "bool", "values")


class CaseKind(enum.Enum):
    FUNCTION = "function"
    MODULE = "module"
    OPTIMIZER = "optimizer"
    SCHEDULER = "scheduler"


class CaseError(ValueError):
    """A malformed case file or case: names the file and the API."""


@dataclass(frozen=True, slots=True)
class InputSpec:
    """How to draw one input with NumPy (see ``inputs.make_input``)."""

    shape: tuple[int, ...] = (3, 4)
    dtype: str = "float32"
    dist: str = "normal"
    low: float = 0.0
    high: float = 1.0
    values: Any = None  # nested lists, for dist = "values"

    def describe(self) -> str:
        if self.dist == "values":
            return f"{self.dtype} {list(self.shape)} = {self.values}"
        where = "" if self.dist in ("normal", "bool") else f" in [{self.low:g}, {self.high:g})"
        return f"{self.dtype} {list(self.shape)} {self.dist}{where}"


def _spec(**values: Any) -> InputSpec:
    return InputSpec(**values)


# The shared input vocabulary: a case names its inputs, the names say what they are.
VOCABULARY: Mapping[str, InputSpec] = {
    "x": _spec(),
    "y": _spec(),
    "z": _spec(),
    "v": _spec(shape=(4,)),
    "w": _spec(shape=(4,)),
    "x1": _spec(shape=(5,)),
    "x3": _spec(shape=(2, 3, 4)),
    "y3": _spec(shape=(2, 3, 4)),
    "x4": _spec(shape=(2, 3, 4, 5)),
    "y4": _spec(shape=(2, 3, 4, 5)),
    "x5": _spec(shape=(1, 2, 3, 4, 5)),
    "s": _spec(shape=()),
    "m": _spec(shape=(4, 4)),
    "m2": _spec(shape=(4, 4)),
    "p": _spec(dist="uniform", low=0.5, high=2.0),
    "q": _spec(dist="uniform", low=0.5, high=2.0),
    "u": _spec(dist="uniform", low=-0.9, high=0.9),
    "pr": _spec(dist="uniform", low=0.05, high=0.95),  # probabilities
    "i": _spec(dtype="int64", dist="int", low=-5, high=5),
    "j": _spec(dtype="int64", dist="int", low=-5, high=5),
    "k": _spec(dtype="int64", dist="int", low=1, high=5),  # positive integers
    "i32": _spec(dtype="int32", dist="int", low=-5, high=5),
    "mask": _spec(dtype="bool", dist="bool"),
    "mask2": _spec(dtype="bool", dist="bool"),
    "d": _spec(dtype="float64"),
    "h": _spec(dtype="float16"),
    "bf": _spec(dtype="bfloat16"),
    "c": _spec(dtype="complex64"),
    "v3": _spec(shape=(3,)),
    "idx": _spec(dtype="int64", dist="int", low=0, high=3),  # valid along (3, 4)'s both dims
    "idx2": _spec(shape=(2,), dtype="int64", dist="int", low=0, high=3),
    "u8": _spec(dtype="uint8", dist="int", low=0, high=200),
    "spd": _spec(  # symmetric positive definite
        shape=(3, 3), dist="values", values=[[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]]
    ),
    "low3": _spec(  # lower triangular, positive diagonal
        shape=(3, 3), dist="values", values=[[2.0, 0.0, 0.0], [0.5, 1.5, 0.0], [-0.3, 0.4, 1.2]]
    ),
    "img": _spec(shape=(1, 2, 4, 4)),  # N, C, H, W for convolutions and pooling
    "seq": _spec(shape=(2, 3, 6)),  # N, C, L
    "vol": _spec(shape=(1, 2, 4, 4, 4)),  # N, C, D, H, W
    "logits": _spec(shape=(3, 5)),
    "labels": _spec(shape=(3,), dtype="int64", dist="int", low=0, high=5),
    "sign": _spec(dtype="float32", dist="values", values=[[1.0, -1.0, 1.0, -1.0]] * 3),
}


@dataclass(frozen=True, slots=True)
class Case:
    """One torch program for one API, and how to run and compare it."""

    api: str
    code: str  # an expression, or a function body ending in ``return``
    kind: CaseKind = CaseKind.FUNCTION
    inputs: tuple[tuple[str, InputSpec], ...] = ()  # the case function's (or forward's) inputs
    grad: bool | None = None
    wrt: tuple[str, ...] | None = None  # the inputs to differentiate (default: every float one)
    random: bool = False
    train: bool = False
    steps: int = 3
    rtol: float | None = None
    atol: float | None = None
    tolerance: str | None = None
    targets: tuple[str, ...] | None = None
    weights: str = "auto"
    why: str | None = None
    origin: str = "generated"

    @property
    def id(self) -> str:
        return " ".join(line.strip() for line in self.code.strip().splitlines())

    @property
    def seed(self) -> int:
        return (BASE_SEED * 1_000_003 + zlib.crc32(f"{self.api}\n{self.id}".encode())) % 2**32

    @property
    def is_body(self) -> bool:
        return "\n" in self.code.strip() or self.code.lstrip().startswith("return ")


@dataclass(frozen=True, slots=True)
class ApiCases:
    """Everything known about one API's cases: the cases, or why there are none."""

    api: str
    cases: tuple[Case, ...] = ()
    skip: str | None = None  # a reason not to run (not verifiable)
    problem: str | None = None  # a malformed case file entry or no case could be generated
    sources: tuple[str, ...] = field(default=())  # "generated", "knowledge/cases/torch.toml"


# -- generated cases -------------------------------------------------------------------------

# Required torch parameters we can fill from the vocabulary without knowing the API.
REQUIRED_INPUTS: Mapping[str, str] = {
    "input": "x",
    "self": "x",
    "other": "y",
    "x1": "x",
    "x2": "y",
    "tensor1": "y",
    "tensor2": "z",
    "input1": "x",
    "input2": "y",
    "target": "y",
}
FUNCTION_NAMESPACES = (
    "torch",
    "torch.nn.functional",
    "torch.special",
    "torch.linalg",
    "torch.fft",
)


def _namespace(api: str) -> str:
    return api.rsplit(".", 1)[0]


def _call(prefix: str, names: list[str], extra: str = "") -> str:
    arguments = ", ".join([*names, *([extra] if extra else [])])
    return f"{prefix}({arguments})"


def generated_cases(entry: Entry) -> tuple[list[Case], str | None]:
    """Cases derived from the entry's torch signature, or why none could be derived."""
    if entry.tier is not Tier.CORE:
        return [], DATA_PIPELINE_SKIP
    if not entry.targets:
        return [], "no MindSpore counterpart: nothing to convert"
    torch = entry.torch
    namespace = _namespace(torch.name)
    method = namespace == "torch.Tensor"
    if method and torch.kind is ApiKind.ATTRIBUTE:
        return [Case(entry.id, f"x.{torch.name.rsplit('.', 1)[1]}")], None
    if torch.kind is ApiKind.CLASS and namespace == "torch.nn":
        required = [p.name for p in torch.params if p.required]
        if required:
            return [], f"needs a case file: the constructor requires {', '.join(required)}"
        return [Case(entry.id, f"{torch.name}()", kind=CaseKind.MODULE)], None
    if torch.kind is ApiKind.CLASS and namespace == "torch.optim":
        cases = [Case(entry.id, f"{torch.name}(params, lr=0.01)", kind=CaseKind.OPTIMIZER)]
        return cases, None
    if not (method or (namespace in FUNCTION_NAMESPACES and torch.kind is ApiKind.FUNCTION)):
        return [], "needs a case file: only functions, Tensor methods and nn modules are generated"
    if any(p.kind is ParamKind.VAR_POSITIONAL for p in torch.params):
        return [], "needs a case file: the torch signature takes *args"
    required = [p.name for p in torch.params if p.required and (p.name != "self" or not method)]
    missing = [name for name in required if name not in REQUIRED_INPUTS]
    if missing:
        return [], f"needs a case file: no generated input for {', '.join(missing)}"
    names = [REQUIRED_INPUTS[name] for name in required]
    prefix = f"x.{torch.name.rsplit('.', 1)[1]}" if method else torch.name
    optional = {p.name for p in torch.params if not p.required}
    codes = [_call(prefix, names)]
    if "dim" in optional:
        codes.append(_call(prefix, names, "dim=1"))
        if "keepdim" in optional:
            codes.append(_call(prefix, names, "dim=-1, keepdim=True"))
    return [Case(entry.id, code) for code in codes], None


# -- case files ------------------------------------------------------------------------------

# The keys a case table may hold; an API's table takes the same (but `code`) and its own.
_CASE_KEYS = {
    "code",
    "inputs",
    "forward",
    "train",
    "steps",
    "grad",
    "wrt",
    "random",
    "rtol",
    "atol",
    "tolerance",
    "targets",
    "weights",
    "why",
    "kind",
}
_API_KEYS = (_CASE_KEYS - {"code"}) | {"cases", "extra", "skip"}
_SPEC_KEYS = {"shape", "dtype", "dist", "low", "high", "values"}


def parse_spec(value: Any, where: str) -> InputSpec:
    """An input: a vocabulary name, or a table of ``InputSpec`` fields."""
    if isinstance(value, str):
        if value not in VOCABULARY:
            raise CaseError(f"{where}: unknown input {value!r}")
        return VOCABULARY[value]
    if not isinstance(value, dict):
        raise CaseError(f"{where}: an input is a vocabulary name or a table")
    unknown = set(value) - _SPEC_KEYS
    if unknown:
        raise CaseError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    spec = InputSpec(
        shape=tuple(int(n) for n in value.get("shape", (3, 4))),
        dtype=str(value.get("dtype", "float32")),
        dist=str(value.get("dist", "values" if "values" in value else "normal")),
        low=float(value.get("low", 0.0)),
        high=float(value.get("high", 1.0)),
        values=value.get("values"),
    )
    if spec.dtype not in DTYPES:
        raise CaseError(f"{where}: unknown dtype {spec.dtype!r}")
    if spec.dist not in DISTRIBUTIONS:
        raise CaseError(f"{where}: unknown dist {spec.dist!r}")
    if spec.dist == "values" and spec.values is None:
        raise CaseError(f"{where}: dist = 'values' needs values")
    if spec.dist in ("uniform", "int") and spec.high <= spec.low:
        raise CaseError(f"{where}: high must be above low")
    return spec


def names_in(code: str) -> list[str]:
    """Names the code reads, in order of first use (its candidate inputs)."""
    try:
        tree = ast.parse(code.strip(), mode="exec")
    except SyntaxError as error:
        raise CaseError(f"not Python: {error.msg}") from None
    seen: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in seen:
            seen.append(node.id)
    return sorted(seen, key=lambda n: _first_use(code, n))


def _first_use(code: str, name: str) -> int:
    for offset in range(len(code)):
        if code.startswith(name, offset):
            before = code[offset - 1] if offset else " "
            after = code[offset + len(name)] if offset + len(name) < len(code) else " "
            if not (before.isalnum() or before in "_.") and not (after.isalnum() or after == "_"):
                return offset
    return len(code)


def resolve_inputs(case: Case, local: Mapping[str, InputSpec]) -> Case:
    """Fill ``inputs``: the vocabulary (or per-API) names the code uses, or forward's names."""
    if case.kind is CaseKind.MODULE:
        forward = [name for name, _ in case.inputs] or ["x"]
        names = forward
    elif case.kind in (CaseKind.OPTIMIZER, CaseKind.SCHEDULER):
        return case
    else:
        names = [n for n in names_in(case.code) if n in local or n in VOCABULARY]
    specs: list[tuple[str, InputSpec]] = []
    for name in names:
        spec = local.get(name) or VOCABULARY.get(name)
        if spec is None:
            raise CaseError(f"{case.api}: unknown input {name!r} in {case.id!r}")
        specs.append((name, spec))
    return replace(case, inputs=tuple(specs))


def _case_from(
    api: str, raw: Any, defaults: Mapping[str, Any], local: Mapping[str, InputSpec], where: str
) -> Case:
    data = {"code": raw} if isinstance(raw, str) else raw
    if not isinstance(data, dict) or "code" not in data:
        raise CaseError(f"{where}: a case is a string or a table with code")
    unknown = set(data) - _CASE_KEYS
    if unknown:
        raise CaseError(f"{where}: unknown case key(s) {', '.join(sorted(unknown))}")
    merged = {**defaults, **data}
    local = dict(local)
    for name, value in (data.get("inputs") or {}).items():
        local[name] = parse_spec(value, f"{where}.inputs.{name}")
    try:
        kind = CaseKind(merged.get("kind", "function"))
    except ValueError:
        raise CaseError(f"{where}: unknown kind {merged.get('kind')!r}") from None
    forward = merged.get("forward")
    inputs: tuple[tuple[str, InputSpec], ...] = ()
    if kind is CaseKind.MODULE and forward:
        inputs = tuple((str(n), InputSpec()) for n in forward)
    targets = merged.get("targets")
    case = Case(
        api=api,
        code=str(merged["code"]),
        kind=kind,
        inputs=inputs,
        grad=merged.get("grad"),
        wrt=tuple(merged["wrt"]) if "wrt" in merged else None,
        random=bool(merged.get("random", False)),
        train=bool(merged.get("train", False)),
        steps=int(merged.get("steps", 3)),
        rtol=float(merged["rtol"]) if "rtol" in merged else None,
        atol=float(merged["atol"]) if "atol" in merged else None,
        tolerance=merged.get("tolerance"),
        targets=tuple(targets) if targets else None,
        weights=str(merged.get("weights", "auto")),
        why=merged.get("why"),
        origin=where.split(" ", 1)[0],
    )
    if (case.rtol is not None or case.atol is not None) and not case.tolerance:
        raise CaseError(f"{where}: a tolerance override needs `tolerance` saying why")
    names_in(case.code)  # raises on bad syntax
    return resolve_inputs(case, local)


def api_cases_from_table(
    api: str, table: Any, generated: list[Case], where: str
) -> tuple[list[Case], str | None]:
    """The cases of one case-file table (and its skip reason)."""
    if not isinstance(table, dict):
        raise CaseError(f"{where}: expected a table")
    unknown = set(table) - _API_KEYS
    if unknown:
        raise CaseError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    local = {
        name: parse_spec(value, f"{where}.inputs.{name}")
        for name, value in (table.get("inputs") or {}).items()
    }
    defaults = {k: v for k, v in table.items() if k in _CASE_KEYS and k != "inputs"}
    skip = table.get("skip")
    if "cases" in table:
        raws = list(table["cases"])
        base: list[Case] = []
    else:
        raws = []
        base = [resolve_inputs(replace(c, **_case_overrides(defaults)), local) for c in generated]
    raws.extend(table.get("extra", []))
    cases = base + [
        _case_from(api, raw, defaults, local, f"{where}.cases[{n}]") for n, raw in enumerate(raws)
    ]
    return cases, (str(skip) if skip else None)


def _case_overrides(defaults: Mapping[str, Any]) -> dict[str, Any]:
    """Per-API keys applied to generated cases."""
    out: dict[str, Any] = {}
    for key in ("grad", "random", "train", "steps", "rtol", "atol", "tolerance", "why"):
        if key in defaults:
            out[key] = defaults[key]
    if "wrt" in defaults:
        out["wrt"] = tuple(defaults["wrt"])
    if "kind" in defaults:
        out["kind"] = CaseKind(defaults["kind"])
    if "weights" in defaults:
        out["weights"] = str(defaults["weights"])
    if defaults.get("targets"):
        out["targets"] = tuple(defaults["targets"])
    return out


def read_case_files(directory: Path) -> tuple[dict[str, tuple[str, Any]], list[str]]:
    """Every API table of every ``*.toml`` in ``directory``: api -> (file, table)."""
    tables: dict[str, tuple[str, Any]] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.toml")):
        name = f"knowledge/cases/{path.name}"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            problems.append(f"{name}: {error}")
            continue
        for api, table in data.items():
            if api in tables:
                problems.append(f"{name}: {api} is also in {tables[api][0]}")
                continue
            tables[api] = (name, table)
    return tables, problems


def build_api_cases(entry: Entry | None, api: str, table: tuple[str, Any] | None) -> ApiCases:
    """The cases of one API: generated from its entry, refined by its case-file table."""
    if entry is None:
        return ApiCases(api, problem=f"{table[0] if table else '?'}: no knowledge entry {api}")
    made, reason = generated_cases(entry)
    try:
        generated = [resolve_inputs(case, {}) for case in made]
    except CaseError as error:
        generated, reason = [], str(error)
    sources = ("generated",) if generated else ()
    if table is None:
        return ApiCases(
            api, tuple(generated), problem=None if generated else reason, sources=sources
        )
    file, data = table
    try:
        cases, skip = api_cases_from_table(api, data, generated, f"{file} [{api}]")
    except CaseError as error:
        return ApiCases(api, problem=str(error), sources=(file,))
    except (TypeError, ValueError) as error:
        return ApiCases(api, problem=f"{file} [{api}]: {error}", sources=(file,))
    if "cases" in data:
        sources = ()
    return ApiCases(
        api,
        tuple(cases),
        skip=skip,
        problem=None if cases or skip else (reason or "no cases"),
        sources=(*sources, file),
    )


def all_api_cases(
    entries: Iterable[Entry], directory: Path, only: Iterable[str] | None = None
) -> tuple[list[ApiCases], list[str]]:
    """Cases for every entry with a MindSpore target (and every case-file table)."""
    tables, problems = read_case_files(directory)
    wanted = set(only) if only is not None else None
    by_id = {e.id: e for e in entries}
    out: list[ApiCases] = []
    # ``["torch.distributed.*"]`` applies to every API of that namespace without a table.
    wildcards = {k[: -len(".*")]: tables.pop(k) for k in list(tables) if k.endswith(".*")}
    for api in sorted(set(by_id) | set(tables)):
        if wanted is not None and api not in wanted:
            continue
        entry = by_id.get(api)
        wildcard = wildcards.get(api.rsplit(".", 1)[0])
        if api not in tables and wildcard is not None and entry is not None and entry.targets:
            tables[api] = wildcard  # an API without a target has nothing to verify or skip
        if entry is None:
            problems.append(f"{tables[api][0]}: {api} is not in the knowledge base")
            continue
        if not entry.targets:
            if api in tables:
                problems.append(f"{tables[api][0]}: {api} has no MindSpore target to verify")
            continue
        if entry.tier is not Tier.CORE and api not in tables:
            out.append(ApiCases(api, skip=DATA_PIPELINE_SKIP))
            continue
        out.append(build_api_cases(entry, api, tables.get(api)))
    return out, problems

"""``mindport weights map``: torch state-dict keys -> MindSpore parameter names, statically.

The model's source is parsed, never run. From the chosen ``nn.Module`` subclass we follow
``__init__``: ``self.x = nn.Linear(...)`` (a torch layer), ``self.x = Block(...)`` (a class of
the same file, followed with the arguments bound), ``nn.Sequential(...)``, ``nn.ModuleList``
(a list, or ``[Block(...) for _ in range(n)]`` with ``n`` known), ``nn.ModuleDict({...})``,
``nn.Parameter(...)`` and ``register_buffer``. Each torch layer's keys and shapes follow from
its arguments (literals, the ``__init__`` defaults, and simple arithmetic on them); the
MindSpore names, reshapes and dropped counters come from ``knowledge/weights.json``, facts
read from live instances of both frameworks by ``mindport.weights.generate``. What cannot be
followed is a problem that names the attribute, never a silent gap.

Real model libraries need more than literals: a configuration object (``--config``), branches
on known values, loops and ``append``, tables of classes, and classes imported from sibling
files of the package (read, never run; see docs/weights.md).
"""

from __future__ import annotations

import ast
import builtins
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from mindport.analysis.scopes import dotted_parts
from mindport.kb.paths import knowledge_dir

Shape = tuple[int, ...] | None  # None: not known statically


@dataclass(frozen=True, slots=True)
class Row:
    torch_key: str
    mindspore_name: str | None  # None: dropped (a torch-only counter)
    torch_shape: Shape
    mindspore_shape: Shape
    layer: str  # the torch class (or "Parameter", "buffer")
    # the generator's sample shapes (torch, MindSpore) where the layout differs: a reshape
    sample: tuple[tuple[int, ...], tuple[int, ...]] | None = None

    def mindspore_shape_for(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """The MindSpore shape of a torch tensor of ``shape`` in this slot."""
        return shape if self.sample is None else _reshape(shape, *self.sample)

    @property
    def reshaped(self) -> bool:
        return (
            self.torch_shape is not None
            and self.mindspore_shape is not None
            and self.torch_shape != self.mindspore_shape
        )


@dataclass
class WeightMapping:
    model: str
    target: str
    rows: list[Row] = field(default_factory=list)
    mindspore_only: list[str] = field(default_factory=list)  # keep their initial values
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "target": self.target,
            "weights": [
                {
                    "torch": r.torch_key,
                    "mindspore": r.mindspore_name,
                    "torch_shape": list(r.torch_shape) if r.torch_shape is not None else None,
                    "mindspore_shape": list(r.mindspore_shape)
                    if r.mindspore_shape is not None
                    else None,
                    "layer": r.layer,
                    "reshape": r.reshaped,
                }
                for r in self.rows
            ],
            "mindspore_only": self.mindspore_only,
            "problems": self.problems,
        }


@lru_cache(maxsize=2)
def load_facts(path: Path | None = None) -> dict[str, Any]:
    file = path or knowledge_dir() / "weights.json"
    data: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    return data


# -- a tiny evaluator for constructor arguments -----------------------------------------------

_UNKNOWN = object()


class Config(dict[str, Any]):
    """A configuration object's attributes (``config.hidden_size``), e.g. a Hugging Face
    ``config.json``: given with ``--config``, bound to the model's ``config`` parameter and
    passed on wherever the source passes it."""


_NODE = "\0node:"  # env key of a local name's assigned expression (``block = Block(...)``)


def _bind_target(target: ast.AST, value: Any, env: dict[str, Any]) -> bool:
    """``for a, (b, c) in ...``: bind the loop's names to one value."""
    if isinstance(target, ast.Name):
        env[target.id] = value
        env.pop(_NODE + target.id, None)
        return True
    if isinstance(target, ast.Tuple | ast.List) and isinstance(value, tuple | list):
        if len(target.elts) != len(value):
            return False
        return all(_bind_target(t, v, env) for t, v in zip(target.elts, value, strict=True))
    return False


_COMPARE: dict[type, Any] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}


def _known(*values: Any) -> bool:
    return all(v is not _UNKNOWN for v in values)


def _call_value(node: ast.Call, env: dict[str, Any]) -> Any:
    """``getattr(config, "x", default)``, ``int(...)``, ``max``/``min`` of known numbers."""
    func = node.func.id if isinstance(node.func, ast.Name) else None
    args = [_value(a, env) for a in node.args]
    if node.keywords or not _known(*args):
        return _UNKNOWN
    try:
        if func == "getattr" and len(args) in (2, 3) and isinstance(args[1], str):
            if isinstance(args[0], Config):
                return args[0].get(args[1], args[2] if len(args) == 3 else _UNKNOWN)
            return _UNKNOWN
        if func == "int" and len(args) == 1 and isinstance(args[0], int | float):
            return int(args[0])
        if func in ("max", "min") and args and all(isinstance(a, int | float) for a in args):
            return max(args) if func == "max" else min(args)
        if func == "range" and 1 <= len(args) <= 3 and all(isinstance(a, int) for a in args):
            return tuple(range(*args))
        if func == "len" and len(args) == 1 and isinstance(args[0], tuple | list | str):
            return len(args[0])
        if func in ("zip", "enumerate", "list", "tuple", "reversed", "sum") and all(
            isinstance(a, tuple | list) for a in args
        ):
            if func == "zip":
                return tuple(zip(*args, strict=False))
            if func == "enumerate" and len(args) == 1:
                return tuple(enumerate(args[0]))
            if func in ("list", "tuple") and len(args) == 1:
                return tuple(args[0])
            if func == "reversed" and len(args) == 1:
                return tuple(reversed(args[0]))
            if func == "sum" and len(args) == 1 and all(isinstance(a, int) for a in args[0]):
                return sum(args[0])
    except (TypeError, ValueError):
        return _UNKNOWN
    return _UNKNOWN


def _value(node: ast.AST | None, env: dict[str, Any]) -> Any:
    """Literals, names bound in ``env``, configuration attributes, tuples/lists, arithmetic,
    comparisons and ``not``/``and``/``or`` on them; else unknown."""
    if node is None:
        return _UNKNOWN
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return env.get(node.id, _UNKNOWN)
    if isinstance(node, ast.Call):
        return _call_value(node, env)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        operand = _value(node.operand, env)
        return _UNKNOWN if operand is _UNKNOWN else not operand
    if isinstance(node, ast.BoolOp):
        values = [_value(v, env) for v in node.values]
        if not _known(*values):
            return _UNKNOWN
        result = values[0]
        for value in values[1:]:
            result = (result and value) if isinstance(node.op, ast.And) else (result or value)
        return result
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = _value(node.left, env), _value(node.comparators[0], env)
        compare = _COMPARE.get(type(node.ops[0]))
        if compare is None or not _known(left, right):
            return _UNKNOWN
        try:
            return bool(compare(left, right))
        except TypeError:
            return _UNKNOWN
    if isinstance(node, ast.Subscript):
        container, index = _value(node.value, env), node.slice
        if isinstance(container, tuple | list | dict):
            if isinstance(index, ast.Slice):
                parts = [
                    _value(i, env) if i is not None else None
                    for i in (index.lower, index.upper, index.step)
                ]
                if all(p is None or isinstance(p, int) for p in parts):
                    return tuple(container[slice(*parts)])
                return _UNKNOWN
            key = _value(index, env)
            try:
                return container[key]
            except (KeyError, IndexError, TypeError):
                return _UNKNOWN
        return _UNKNOWN
    if isinstance(node, ast.IfExp):
        test = _value(node.test, env)
        if test is _UNKNOWN:
            return _UNKNOWN
        return _value(node.body if test else node.orelse, env)
    if isinstance(node, (ast.Tuple, ast.List)):
        items = [_value(e, env) for e in node.elts]
        return _UNKNOWN if any(i is _UNKNOWN for i in items) else tuple(items)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        operand = _value(node.operand, env)
        return -operand if isinstance(operand, (int, float)) else _UNKNOWN
    if isinstance(node, ast.BinOp):
        left, right = _value(node.left, env), _value(node.right, env)
        if isinstance(node.op, ast.Div) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right)
        ):
            return left / right if right else _UNKNOWN
        if not (isinstance(left, int) and isinstance(right, int)):
            return _UNKNOWN
        try:
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if isinstance(node.op, ast.FloorDiv):
                return left // right
            if isinstance(node.op, ast.Mod):
                return left % right
        except ZeroDivisionError:
            return _UNKNOWN
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and f"{node.value.id}.{node.attr}" in env:
            return env[f"{node.value.id}.{node.attr}"]
        owner = _value(node.value, env)
        if isinstance(owner, Config):
            return owner.get(node.attr, _UNKNOWN)
    return _UNKNOWN


def _bind(
    params: list[str], defaults: dict[str, ast.AST], call: ast.Call, env: dict[str, Any]
) -> dict[str, Any]:
    bound: dict[str, Any] = {}
    for name, node in defaults.items():
        bound[name] = _value(node, {})
    for name, arg in zip(params, call.args, strict=False):
        bound[name] = _value(arg, env)
    for keyword in call.keywords:
        if keyword.arg:
            bound[keyword.arg] = _value(keyword.value, env)
    return bound


# torch layer signatures (parameter order) for binding the arguments a model passes
_SIGNATURES: dict[str, list[str]] = {
    "Linear": ["in_features", "out_features", "bias"],
    "Bilinear": ["in1_features", "in2_features", "out_features", "bias"],
    "Conv": [
        "in_channels",
        "out_channels",
        "kernel_size",
        "stride",
        "padding",
        "dilation",
        "groups",
        "bias",
    ],
    "ConvTranspose": [
        "in_channels",
        "out_channels",
        "kernel_size",
        "stride",
        "padding",
        "output_padding",
        "groups",
        "bias",
    ],
    "BatchNorm": ["num_features", "eps", "momentum", "affine", "track_running_stats"],
    "InstanceNorm": ["num_features", "eps", "momentum", "affine", "track_running_stats"],
    "LayerNorm": ["normalized_shape", "eps", "elementwise_affine", "bias"],
    "GroupNorm": ["num_groups", "num_channels", "eps", "affine"],
    "Embedding": ["num_embeddings", "embedding_dim", "padding_idx"],
    "PReLU": ["num_parameters", "init"],
    "RNN": [
        "input_size",
        "hidden_size",
        "num_layers",
        "bias",
        "batch_first",
        "dropout",
        "bidirectional",
    ],
    "Cell": ["input_size", "hidden_size", "bias"],
    "MultiheadAttention": ["embed_dim", "num_heads", "dropout", "bias"],
}


def _family(leaf: str) -> str:
    if leaf.startswith("ConvTranspose"):
        return "ConvTranspose"
    if leaf.startswith("Conv"):
        return "Conv"
    if leaf.startswith("BatchNorm"):
        return "BatchNorm"
    if leaf.startswith("InstanceNorm"):
        return "InstanceNorm"
    if leaf in ("LSTM", "GRU", "RNN"):
        return "RNN"
    if leaf in ("LSTMCell", "GRUCell", "RNNCell"):
        return "Cell"
    return leaf


def _dims(leaf: str) -> int:
    for n in (1, 2, 3):
        if f"{n}d" in leaf:
            return n
    return 1


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _tuple(value: Any, n: int) -> tuple[int, ...] | None:
    if _int(value) is not None:
        return (value,) * n
    if isinstance(value, tuple) and all(_int(v) is not None for v in value):
        return tuple(value)
    return None


def torch_keys(leaf: str, args: dict[str, Any]) -> list[tuple[str, Shape]]:
    """A torch layer's state-dict keys and shapes (None where an argument is not known)."""
    family = _family(leaf)
    keys: list[tuple[str, Shape]]

    def flag(name: str, default: bool = True) -> bool:
        value = args.get(name, default)
        return bool(value) if isinstance(value, bool) else default

    def shape(*parts: int | None) -> Shape:
        known = tuple(p for p in parts if p is not None)
        return known if len(known) == len(parts) else None

    if family == "Linear":
        i, o = _int(args.get("in_features")), _int(args.get("out_features"))
        keys = [("weight", shape(o, i))]
        return keys + ([("bias", shape(o))] if flag("bias") else [])
    if family == "Bilinear":
        a, b, o = (_int(args.get(k)) for k in ("in1_features", "in2_features", "out_features"))
        keys = [("weight", shape(o, a, b))]
        return keys + ([("bias", shape(o))] if flag("bias") else [])
    if family in ("Conv", "ConvTranspose"):
        i, o = _int(args.get("in_channels")), _int(args.get("out_channels"))
        groups = _int(args.get("groups", 1)) or 1
        kernel = _tuple(args.get("kernel_size"), _dims(leaf))
        weight: Shape = None
        if i is not None and o is not None and kernel is not None:
            weight = (o, i // groups, *kernel) if family == "Conv" else (i, o // groups, *kernel)
        keys = [("weight", weight)]
        return keys + ([("bias", shape(o))] if flag("bias") else [])
    if family in ("BatchNorm", "InstanceNorm"):
        n = _int(args.get("num_features"))
        default = family == "BatchNorm"
        keys = []
        if flag("affine", default):
            keys += [("weight", shape(n)), ("bias", shape(n))]
        if flag("track_running_stats", default):
            keys += [
                ("running_mean", shape(n)),
                ("running_var", shape(n)),
                ("num_batches_tracked", ()),
            ]
        return keys
    if family == "LayerNorm":
        value = args.get("normalized_shape")
        dims = _tuple(value, 1)
        if not flag("elementwise_affine"):
            return []
        return [("weight", dims)] + ([("bias", dims)] if flag("bias") else [])
    if family == "GroupNorm":
        c = _int(args.get("num_channels"))
        return [("weight", shape(c)), ("bias", shape(c))] if flag("affine") else []
    if family == "Embedding":
        return [
            ("weight", shape(_int(args.get("num_embeddings")), _int(args.get("embedding_dim"))))
        ]
    if family == "PReLU":
        return [("weight", shape(_int(args.get("num_parameters", 1))))]
    if family in ("RNN", "Cell"):
        gates = {"LSTM": 4, "GRU": 3, "RNN": 1, "LSTMCell": 4, "GRUCell": 3, "RNNCell": 1}[leaf]
        i, h = _int(args.get("input_size")), _int(args.get("hidden_size"))
        g = None if h is None else gates * h
        if family == "Cell":
            keys = [("weight_ih", shape(g, i)), ("weight_hh", shape(g, h))]
            return keys + ([("bias_ih", shape(g)), ("bias_hh", shape(g))] if flag("bias") else [])
        layers = _int(args.get("num_layers", 1))
        if layers is None:
            raise _Unknown("num_layers")
        directions = 2 if flag("bidirectional", False) else 1
        keys = []
        for layer in range(layers):
            for suffix in ["", "_reverse"][:directions]:
                width = i if layer == 0 else (None if h is None else h * directions)
                keys.append((f"weight_ih_l{layer}{suffix}", shape(g, width)))
                keys.append((f"weight_hh_l{layer}{suffix}", shape(g, h)))
                if flag("bias"):
                    keys.append((f"bias_ih_l{layer}{suffix}", shape(g)))
                    keys.append((f"bias_hh_l{layer}{suffix}", shape(g)))
        return keys
    if family == "MultiheadAttention":
        e = _int(args.get("embed_dim"))
        three = None if e is None else 3 * e
        keys = [("in_proj_weight", shape(three, e))]
        if flag("bias"):
            keys.append(("in_proj_bias", shape(three)))
        keys.append(("out_proj.weight", shape(e, e)))
        if flag("bias"):
            keys.append(("out_proj.bias", shape(e)))
        return keys
    raise _Unknown(leaf)


_BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_"))
_STDLIB = frozenset(sys.stdlib_module_names) - {"__future__"}


class _Unknown(Exception):
    """A layer or argument the static mapping cannot follow."""


# -- the model's source ---------------------------------------------------------------------------


@dataclass
class _Class:
    node: ast.ClassDef
    params: list[str]
    defaults: dict[str, ast.AST]
    # the file it is defined in, when not the model's file: its names resolve there
    module: _Module | None = None


@dataclass
class _Module:
    """Another file of the model's package, read (never run) for a class the model imports
    from it (``from ...pytorch_utils import Conv1D``, ``from timm.layers import Mlp``)."""

    path: Path
    imports: dict[str, str]
    classes: dict[str, _Class]
    relative: dict[str, tuple[int, str, str]]


def _top_level(tree: ast.Module) -> Iterator[ast.stmt]:
    """The module's statements, with those inside top-level ``if``/``try`` blocks (imports
    guarded by a version check, say); functions and classes are not entered."""
    todo = list(reversed(tree.body))
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.If, ast.Try)):
            inner = [*node.body, *node.orelse]
            if isinstance(node, ast.Try):
                inner += [s for h in node.handlers for s in h.body] + node.finalbody
            todo.extend(reversed(inner))


def _classes(tree: ast.Module) -> dict[str, _Class]:
    found: dict[str, _Class] = {}
    for node in _top_level(tree):
        if isinstance(node, ast.ClassDef):
            init = next(
                (s for s in node.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"),
                None,
            )
            params: list[str] = []
            defaults: dict[str, ast.AST] = {}
            if init is not None:
                args = [a.arg for a in (*init.args.posonlyargs, *init.args.args)][1:]
                params = args
                for name, value in zip(reversed(args), reversed(init.args.defaults), strict=False):
                    defaults[name] = value
                for arg, keyword in zip(init.args.kwonlyargs, init.args.kw_defaults, strict=True):
                    if keyword is not None:
                        defaults[arg.arg] = keyword
            found[node.name] = _Class(node, params, defaults)
    return found


def _relative_imports(tree: ast.Module) -> dict[str, tuple[int, str, str]]:
    """``from ..x import A as B``: B -> (2, "x", "A"); absolute imports too (level 0)."""
    found: dict[str, tuple[int, str, str]] = {}
    for node in _top_level(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                found[alias.asname or alias.name] = (node.level, node.module or "", alias.name)
    return found


def _imports(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted torch name (``nn`` -> ``torch.nn``, ``Linear`` -> ``torch.nn.Linear``)."""
    names: dict[str, str] = {}
    for node in _top_level(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.AST, imports: dict[str, str]) -> str | None:
    parts = dotted_parts(node) if isinstance(node, ast.expr) else None
    if parts is None:
        return None
    return ".".join([imports.get(parts[0], parts[0]), *parts[1:]])


def _is_module_class(
    node: ast.ClassDef, imports: dict[str, str], classes: dict[str, _Class]
) -> bool:
    for base in node.bases:
        name = _dotted(base, imports) or ""
        if name == "torch.nn.Module" or (name in classes and name != node.name):
            return True
    return False


class _Mapper:
    def __init__(self, tree: ast.Module, target: str, facts: dict[str, Any]) -> None:
        self.imports = _imports(tree)
        self.classes = _classes(tree)
        self.relative = _relative_imports(tree)
        self.path: Path | None = None  # the model's file: imported classes are looked up from it
        self.modules_read: dict[Path, _Module | None] = {}
        self.target = target
        self.modules: dict[str, Any] = facts["modules"]
        self.weightless: set[str] = set(facts.get("weightless", []))
        self.result: WeightMapping | None = None
        self.lengths: dict[str, int] = {}  # key of a ModuleList/Sequential -> modules so far
        self.assigned: set[str] = set()  # attribute keys assigned so far
        # module-level ``NAME = {"eager": A, "sdpa": B}``: tables of classes
        self.tables: dict[str, dict[Any, ast.expr]] = {
            statement.targets[0].id: {
                k.value: v
                for k, v in zip(statement.value.keys, statement.value.values, strict=True)
                if isinstance(k, ast.Constant)
            }
            for statement in _top_level(tree)
            if isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, ast.Dict)
            and statement.value.values
            and all(isinstance(v, ast.Name | ast.Attribute) for v in statement.value.values)
        }

    def run(self, name: str, config: Config | None = None) -> WeightMapping:
        self.result = WeightMapping(name, self.target)
        cls = self.classes[name]
        env = {p: _value(d, {}) for p, d in cls.defaults.items()}
        if config is not None:
            env["config"] = config
        self._class("", cls, env, depth=0)
        return self.result

    def _problem(self, text: str) -> None:
        assert self.result is not None
        self.result.problems.append(text)

    def _class(self, prefix: str, cls: _Class, env: dict[str, Any], depth: int) -> None:
        if cls.module is None:
            self._class_here(prefix, cls, env, depth)
            return
        saved = (self.imports, self.classes, self.relative, self.path)
        module = cls.module
        self.imports, self.classes, self.relative = module.imports, module.classes, module.relative
        self.path = module.path
        try:
            self._class_here(prefix, cls, env, depth)
        finally:
            self.imports, self.classes, self.relative, self.path = saved

    def _class_here(self, prefix: str, cls: _Class, env: dict[str, Any], depth: int) -> None:
        if depth > 20:
            self._problem(f"{prefix or cls.node.name}: classes nest too deep to follow")
            return
        init = next(
            (s for s in cls.node.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"),
            None,
        )
        # a base class of the same file first (its __init__ runs through super().__init__)
        for base in cls.node.bases:
            base_name = _dotted(base, self.imports)
            if (
                isinstance(base, ast.Name)
                and base_name not in self.classes
                and base.id in self.relative
                and self.path is not None
            ):
                base_name = self._imported_class(base.id) or base_name
            if base_name in self.classes and base_name != cls.node.name:
                self._class(prefix, self.classes[base_name], dict(env), depth + 1)
        if init is None:
            return
        local = dict(env)
        self._statements(init.body, prefix, local, depth)

    def _statements(
        self, body: list[ast.stmt], prefix: str, local: dict[str, Any], depth: int
    ) -> None:
        """Run ``__init__``'s statements: attributes set to modules, lists of modules grown
        with ``append``/``extend``, loops over values known statically, buffers."""
        for statement in _flat(body, local):
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name):
                    local[target.id] = _value(statement.value, local)
                    local[_NODE + target.id] = statement.value
                elif (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "self"
                ):
                    local[f"self.{target.attr}"] = _value(statement.value, local)
                    self._forget(f"{prefix}{target.attr}")  # assigned again: replaced
                    self._member(f"{prefix}{target.attr}", statement.value, local, depth)
                elif isinstance(target, ast.Tuple) and isinstance(statement.value, ast.Tuple):
                    for name, value in zip(target.elts, statement.value.elts, strict=False):
                        if isinstance(name, ast.Name):
                            local[name.id] = _value(value, local)
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                target = statement.target
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                    self._member(f"{prefix}{target.attr}", statement.value, local, depth)
            elif isinstance(statement, ast.For):
                self._loop(statement, prefix, local, depth)
            elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
                call = statement.value
                func = call.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr in ("append", "extend")
                    and isinstance(func.value, ast.Attribute)
                    and isinstance(func.value.value, ast.Name)
                    and func.value.value.id == "self"
                    and len(call.args) == 1
                ):
                    listed = f"{prefix}{func.value.attr}"
                    if listed not in self.lengths:
                        continue  # a plain Python list: torch does not register it
                    items: list[tuple[ast.AST, dict[str, Any]]] | None = [(call.args[0], local)]
                    if func.attr == "extend":
                        starred = ast.Starred(call.args[0], ast.Load())
                        items = self._items(
                            listed, ast.Call(ast.Name("list"), [starred], []), local
                        )
                    for child, child_env in items or []:
                        self._member(f"{listed}.{self.lengths[listed]}", child, child_env, depth)
                        self.lengths[listed] += 1
                    continue
                if isinstance(func, ast.Attribute) and func.attr in (
                    "register_buffer",
                    "register_parameter",
                ):
                    key = _value(call.args[0], local) if call.args else _UNKNOWN
                    if not isinstance(key, str):
                        self._problem(f"{prefix}{func.attr}(...): the name is not a literal")
                        continue
                    persistent = next(
                        (k.value for k in call.keywords if k.arg == "persistent"), None
                    )
                    if isinstance(persistent, ast.Constant) and persistent.value is False:
                        continue
                    tensor = call.args[1] if len(call.args) > 1 else None
                    if isinstance(tensor, ast.Constant) and tensor.value is None:
                        continue
                    self._tensor(f"{prefix}{key}", tensor, local, "buffer")

    def _forget(self, key: str) -> None:
        """An attribute assigned again replaces the module torch registered under it."""
        assert self.result is not None
        if key not in self.assigned:
            self.assigned.add(key)
            return  # the first assignment: nothing to replace
        inside = (key, key + ".")
        rows = self.result.rows
        if any(r.torch_key == key or r.torch_key.startswith(inside[1]) for r in rows):
            rows[:] = [
                r for r in rows if not (r.torch_key == key or r.torch_key.startswith(inside[1]))
            ]
            only = self.result.mindspore_only
            only[:] = [n for n in only if not (n == key or n.startswith(inside[1]))]
        self.lengths.pop(key, None)

    def _loop(self, loop: ast.For, prefix: str, local: dict[str, Any], depth: int) -> None:
        """A ``for`` over values known statically runs once per value; otherwise a loop that
        registers modules is a problem (never a silent gap)."""
        values = _value(loop.iter, local)
        if not isinstance(values, tuple | list) or len(values) > 10_000:
            registers = any(
                isinstance(n, ast.Attribute)
                and isinstance(n.value, ast.Name)
                and n.value.id == "self"
                and (isinstance(n.ctx, ast.Store) or n.attr not in ("training",))
                for n in ast.walk(loop)
            )
            if registers:
                self._problem(
                    f"{prefix or '(model)'}: a loop at line {loop.lineno} over values not known"
                    " statically builds modules"
                )
            return
        for value in values:
            if not _bind_target(loop.target, value, local):
                self._problem(
                    f"{prefix or '(model)'}: the loop at line {loop.lineno} unpacks"
                    " values that are not known"
                )
                return
            self._statements(loop.body, prefix, local, depth)

    def _tensor(self, key: str, node: ast.AST | None, env: dict[str, Any], layer: str) -> None:
        shape: Shape = None
        if isinstance(node, ast.Call):
            dotted = _dotted(node.func, self.imports) or ""
            if dotted.endswith(("Parameter", "parameter.Parameter")) and node.args:
                self._tensor(key, node.args[0], env, "Parameter")
                return
            if dotted.startswith("torch.") and dotted.rsplit(".", 1)[-1] in (
                "zeros",
                "ones",
                "randn",
                "rand",
                "empty",
                "full",
            ):
                size_args = node.args[:1] if dotted.endswith("full") else node.args
                values = [_value(a, env) for a in size_args]
                if len(values) == 1 and isinstance(values[0], tuple):
                    values = list(values[0])
                if values and all(_int(v) is not None for v in values):
                    shape = tuple(values)
        assert self.result is not None
        self.result.rows.append(Row(key, key, shape, shape, layer))

    def _callee(self, func: ast.AST, env: dict[str, Any], hops: int = 0) -> str:
        """The dotted name a call calls: through local names (``layer = A if c else B``),
        conditional expressions and module-level tables of classes (``CLASSES[kind]``)."""
        dotted = _dotted(func, self.imports) or ""
        if dotted in self.classes or dotted.startswith("torch.") or hops > 8:
            return dotted
        if isinstance(func, ast.Name) and func.id in self.relative and self.path is not None:
            found = self._imported_class(func.id)
            if found is not None:
                return found
        if isinstance(func, ast.Name) and isinstance(env.get(_NODE + func.id), ast.expr):
            return self._callee(env[_NODE + func.id], env, hops + 1)
        if isinstance(func, ast.IfExp):
            test = _value(func.test, env)
            if test is _UNKNOWN:
                return ""
            return self._callee(func.body if test else func.orelse, env, hops + 1)
        if isinstance(func, ast.Subscript) and isinstance(func.value, ast.Name):
            table = self.tables.get(func.value.id)
            if table is not None:
                key = _value(func.slice, env)
                if key is not _UNKNOWN and key in table:
                    return self._callee(table[key], env, hops + 1)
                return self._same_keys([self._callee(v, env, hops + 1) for v in table.values()])
        return dotted

    def _scratch(
        self, key: str, node: ast.AST, env: dict[str, Any], depth: int
    ) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The keys (and problems) ``node`` would add at ``key``, without adding them."""
        scratch = _Mapper.__new__(_Mapper)
        scratch.__dict__.update(self.__dict__)
        scratch.result = WeightMapping(key, self.target)
        scratch.lengths = dict(self.lengths)
        scratch.assigned = set(self.assigned)
        scratch._member(key, node, dict(env), depth)
        if scratch.result.problems:
            return None
        return tuple(r.torch_key for r in scratch.result.rows), tuple(scratch.result.mindspore_only)

    def _imported_class(self, name: str) -> str | None:
        """Find the class a file-local name imports (following re-exports in ``__init__``),
        add it to this file's classes under that name and return the name; ``None`` when it
        is not a class of a file of the same package tree (torch's, a builtin, not found)."""
        assert self.path is not None
        level, module, original = self.relative[name]
        target = self._find_class(self.path, level, module, original, hops=0)
        if target is None:
            return None
        self.classes[name] = target
        return name

    def _find_class(
        self, here: Path, level: int, module: str, name: str, hops: int
    ) -> _Class | None:
        if hops > 6 or module.split(".")[0] == "torch":
            return None
        file = _module_file(here, level, module)
        if file is None:
            return None
        read = self._read_module(file)
        if read is None:
            return None
        if name in read.classes:
            return read.classes[name]
        if name in read.relative:  # re-exported: ``from .mlp import Mlp`` in __init__.py
            lvl, mod, original = read.relative[name]
            return self._find_class(file, lvl, mod, original, hops + 1)
        return None

    def _read_module(self, file: Path) -> _Module | None:
        if file not in self.modules_read:
            module: _Module | None = None
            try:
                if file.stat().st_size <= _MAX_MODULE_BYTES:
                    tree = ast.parse(file.read_text(encoding="utf-8"))
                    module = _Module(file, _imports(tree), _classes(tree), _relative_imports(tree))
                    for cls in module.classes.values():
                        cls.module = module
            except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError):
                module = None
            self.modules_read[file] = module
        return self.modules_read[file]

    def _same_keys(self, names: list[str]) -> str:
        """One of ``names`` when every one of them gives the same state-dict keys (the
        attention classes of a table differ in ``forward`` only), else ``""``."""
        if not names or any(n not in self.classes for n in names):
            return ""
        seen: set[tuple[str, ...]] = set()
        for name in dict.fromkeys(names):
            scratch = _Mapper.__new__(_Mapper)
            scratch.__dict__.update(self.__dict__)
            scratch.result = WeightMapping(name, self.target)
            scratch.lengths = {}
            scratch.assigned = set()
            cls = self.classes[name]
            scratch._class("", cls, {p: _value(d, {}) for p, d in cls.defaults.items()}, 1)
            seen.add(tuple(r.torch_key for r in scratch.result.rows))
        return names[0] if len(seen) == 1 else ""

    def _member(self, key: str, node: ast.AST, env: dict[str, Any], depth: int) -> None:
        if isinstance(node, ast.Name) and isinstance(env.get(_NODE + node.id), ast.expr):
            if depth < 40:  # ``self.x = block`` after ``block = Block(...)``
                self._member(key, env[_NODE + node.id], env, depth + 1)
            return
        if isinstance(node, ast.IfExp):
            test = _value(node.test, env)
            if test is not _UNKNOWN:
                self._member(key, node.body if test else node.orelse, env, depth)
            elif any(isinstance(n, ast.Call) for n in (node.body, node.orelse)):
                # ``DropPath(p) if p > 0 else nn.Identity()``: fine when both give the same keys
                branches = [self._scratch(key, b, env, depth) for b in (node.body, node.orelse)]
                if branches[0] is not None and branches[0] == branches[1]:
                    self._member(key, node.body, env, depth)
                else:
                    self._problem(f"{key}: which module is built depends on a value not known")
            return
        if not isinstance(node, ast.Call):
            return  # a plain value, or a plain list (torch registers no module in it)
        dotted = self._callee(node.func, env)
        leaf = dotted.rsplit(".", 1)[-1]
        if dotted in ("torch.nn.Parameter", "torch.nn.parameter.Parameter"):
            self._tensor(key, node, env, "Parameter")
            return
        if dotted in ("torch.nn.Sequential", "torch.nn.ModuleList"):
            items = self._items(key, node, env)
            if items is None:
                return
            self.lengths[key] = len(items)
            for index, (child, child_env) in enumerate(items):
                self._member(f"{key}.{index}", child, child_env, depth)
            return
        if dotted == "torch.nn.ModuleDict":
            mapping = node.args[0] if node.args else None
            if not isinstance(mapping, ast.Dict):
                self._problem(f"{key}: nn.ModuleDict without a literal dict cannot be followed")
                return
            for k, v in zip(mapping.keys, mapping.values, strict=True):
                name = _value(k, env)
                if not isinstance(name, str):
                    self._problem(f"{key}: a ModuleDict key is not a literal")
                    continue
                self._member(f"{key}.{name}", v, env, depth)
            return
        if dotted in self.classes:
            cls = self.classes[dotted]
            bound = _bind(cls.params, cls.defaults, node, env)
            self._class(f"{key}.", cls, bound, depth + 1)
            return
        if dotted.startswith("torch.nn.") and leaf[:1].isupper():
            self._layer(key, dotted, node, env)
            return
        if dotted.startswith("torch."):
            return  # torch.zeros(...) on self.x without Parameter: a plain attribute
        if dotted in _BUILTINS or dotted.split(".")[0] in _STDLIB:
            return  # getattr(config, ...), int(...), copy.copy(...): a plain value
        parts = dotted.split(".")
        if (
            len(parts) == 2
            and parts[0][:1].isupper()
            and parts[1][:1].islower()
            and parts[0] not in self.classes
        ):
            return  # ``GenerationConfig.from_model_config(config)``: a class's own constructor
        if not dotted and isinstance(node.func, ast.Name | ast.IfExp | ast.Subscript):
            self._problem(
                f"{key}: which class `{ast.unparse(node.func)}` is depends on a value not known"
            )
            return
        self._problem(
            f"{key}: {dotted or ast.unparse(node.func)} is not a module this file defines or torch.nn has"
        )

    def _items(
        self, key: str, node: ast.Call, env: dict[str, Any]
    ) -> list[tuple[ast.AST, dict[str, Any]]] | None:
        """The modules of ``nn.Sequential(a, b)``, ``nn.ModuleList([...])``, a comprehension
        over values known statically, and ``*[...]`` among them; each with its names."""
        arguments: list[ast.expr] = list(node.args)
        if len(arguments) == 1 and isinstance(arguments[0], ast.List | ast.Tuple | ast.ListComp):
            arguments = [ast.Starred(arguments[0], ast.Load())]
        items: list[tuple[ast.AST, dict[str, Any]]] = []
        for argument in arguments:
            if not isinstance(argument, ast.Starred):
                items.append((argument, env))
                continue
            inner = argument.value
            if isinstance(inner, ast.Name) and isinstance(env.get(_NODE + inner.id), ast.expr):
                inner = env[_NODE + inner.id]
            if isinstance(inner, ast.List | ast.Tuple):
                items.extend((e, env) for e in inner.elts)
                continue
            expanded = self._comprehension(inner, env) if isinstance(inner, ast.ListComp) else None
            if expanded is None:
                self._problem(f"{key}: the number of modules in the list is not known statically")
                return None
            items.extend(expanded)
        return items

    def _comprehension(
        self, comp: ast.ListComp, env: dict[str, Any]
    ) -> list[tuple[ast.AST, dict[str, Any]]] | None:
        if len(comp.generators) != 1:
            return None
        generator = comp.generators[0]
        values = _value(generator.iter, env)
        if not isinstance(values, tuple | list) or len(values) > 10_000:
            return None
        out: list[tuple[ast.AST, dict[str, Any]]] = []
        for value in values:
            inner = dict(env)
            if not _bind_target(generator.target, value, inner):
                return None
            tests = [_value(t, inner) for t in generator.ifs]
            if any(t is _UNKNOWN for t in tests):
                return None
            if all(tests):
                out.append((comp.elt, inner))
        return out

    def _layer(self, key: str, dotted: str, node: ast.Call, env: dict[str, Any]) -> None:
        assert self.result is not None
        leaf = dotted.rsplit(".", 1)[-1]
        facts = self.modules.get(f"torch.nn.{leaf}")
        if facts is None:
            if f"torch.nn.{leaf}" in self.weightless:
                return
            self._problem(f"{key}: no weight facts for torch.nn.{leaf}")
            return
        params = _SIGNATURES.get(_family(leaf), [])
        args = _bind(params, {}, node, env)
        try:
            keys = torch_keys(leaf, args)
        except _Unknown as error:
            self._problem(f"{key}: {leaf}'s {error} is not known statically")
            return
        side = facts.get(self.target)
        if not side or "error" in side:
            self._problem(
                f"{key}: torch.nn.{leaf} has no MindSpore class for the {self.target} target"
            )
            return
        names: dict[str, str] = side["names"]
        identity = all(k == v for k, v in names.items())
        sample_t: dict[str, list[int]] = facts["torch"]
        sample_m: dict[str, list[int]] = side["mindspore_shapes"]
        for leaf_key, shape in keys:
            if leaf_key in side["dropped"]:
                self.result.rows.append(Row(f"{key}.{leaf_key}", None, shape, None, leaf))
                continue
            ms_leaf = names.get(leaf_key) or (leaf_key if identity else None)
            if ms_leaf is None:
                self._problem(f"{key}.{leaf_key}: {side['class']} has no parameter for it")
                continue
            ms_shape = shape
            sample = None
            if leaf_key in side["reshaped"]:
                sample = (tuple(sample_t[leaf_key]), tuple(sample_m[ms_leaf]))
                ms_shape = None if shape is None else _reshape(shape, *sample)
            self.result.rows.append(
                Row(f"{key}.{leaf_key}", f"{key}.{ms_leaf}", shape, ms_shape, leaf, sample)
            )
        for extra in side["mindspore_only"]:
            self.result.mindspore_only.append(f"{key}.{extra}")


def _reshape(
    shape: tuple[int, ...], sample_t: tuple[int, ...], sample_m: tuple[int, ...]
) -> tuple[int, ...]:
    """Insert the singleton axes the sample shows (classic Conv1d: (o, i, k) -> (o, i, 1, k))."""
    out = list(shape)
    for axis, size in enumerate(sample_m):
        extra = axis >= len(out) or (size == 1 and (axis >= len(sample_t) or sample_t[axis] != 1))
        if extra and len(out) < len(sample_m):
            out.insert(axis, 1)
    return tuple(out)


_MAX_MODULE_BYTES = 2_000_000


def _package_root(path: Path) -> Path:
    """The folder above the outermost package (folders with ``__init__.py``) holding
    ``path``: where an absolute import of that package starts."""
    folder = path.parent
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    return folder


def _module_file(here: Path, level: int, module: str) -> Path | None:
    """The file ``from <level dots><module> import ...`` in ``here`` reads."""
    if level > 0:
        base = here.parent
        for _ in range(level - 1):
            base = base.parent
    else:
        base = _package_root(here)
    target = base.joinpath(*module.split(".")) if module else base
    for candidate in (target.with_suffix(".py"), target / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _flat(body: list[ast.stmt], env: dict[str, Any] | None = None) -> Iterator[ast.stmt]:
    """Statements of ``__init__``, with ``if``/``with`` bodies flattened in order. An ``if``
    whose test is known from ``env`` (read as the statements before it have run: ``env`` is
    the caller's, updated between items) contributes only the branch taken; an unknown test,
    both."""
    for statement in body:
        if isinstance(statement, ast.If):
            test = _value(statement.test, env) if env is not None else _UNKNOWN
            if test is _UNKNOWN or test:
                yield from _flat(statement.body, env)
            if test is _UNKNOWN or not test:
                yield from _flat(statement.orelse, env)
        elif isinstance(statement, ast.With):
            yield from _flat(statement.body, env)
        else:
            yield statement


def model_classes(source: str) -> list[str]:
    tree = ast.parse(source)
    imports, classes = _imports(tree), _classes(tree)
    return [n for n, c in classes.items() if _is_module_class(c.node, imports, classes)]


def map_model(
    source: str,
    class_name: str | None = None,
    target: str = "mint",
    facts: dict[str, Any] | None = None,
    config: dict[str, Any] | None = None,
    path: Path | None = None,
) -> WeightMapping:
    """The mapping for ``class_name`` (default: the last ``nn.Module`` subclass no other class
    of the file uses). ``config``: the attributes of the model's ``config`` argument.
    ``path``: the file ``source`` was read from; classes it imports from files of the same
    package tree are read from there (never run)."""
    tree = ast.parse(source)
    facts = facts if facts is not None else load_facts()
    mapper = _Mapper(tree, target, facts)
    mapper.path = path.resolve() if path is not None else None
    candidates = [
        n
        for n, c in mapper.classes.items()
        if _is_module_class(c.node, mapper.imports, mapper.classes)
    ]
    if class_name is None:
        used = {
            node.func.id
            for name in candidates
            for statement in mapper.classes[name].node.body
            if isinstance(statement, ast.FunctionDef) and statement.name == "__init__"
            for node in ast.walk(statement)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        } & set(candidates)
        top = [n for n in candidates if n not in used] or candidates
        if not top:
            result = WeightMapping("?", target)
            result.problems.append("no torch.nn.Module subclass in this file")
            return result
        class_name = top[-1]
    if class_name not in mapper.classes:
        result = WeightMapping(class_name, target)
        known = ", ".join(candidates) or "none"
        result.problems.append(f"no class {class_name} in this file (module classes: {known})")
        return result
    return mapper.run(class_name, Config(config) if config is not None else None)

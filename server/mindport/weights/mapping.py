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
"""

from __future__ import annotations

import ast
import json
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


def _value(node: ast.AST | None, env: dict[str, Any]) -> Any:
    """Literals, names bound in ``env``, tuples/lists and + - * // % on them; else unknown."""
    if node is None:
        return _UNKNOWN
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return env.get(node.id, _UNKNOWN)
    if isinstance(node, (ast.Tuple, ast.List)):
        items = [_value(e, env) for e in node.elts]
        return _UNKNOWN if any(i is _UNKNOWN for i in items) else tuple(items)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        operand = _value(node.operand, env)
        return -operand if isinstance(operand, (int, float)) else _UNKNOWN
    if isinstance(node, ast.BinOp):
        left, right = _value(node.left, env), _value(node.right, env)
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
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return env.get(f"{node.value.id}.{node.attr}", _UNKNOWN)
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


class _Unknown(Exception):
    """A layer or argument the static mapping cannot follow."""


# -- the model's source ---------------------------------------------------------------------------


@dataclass
class _Class:
    node: ast.ClassDef
    params: list[str]
    defaults: dict[str, ast.AST]


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
        self.target = target
        self.modules: dict[str, Any] = facts["modules"]
        self.weightless: set[str] = set(facts.get("weightless", []))
        self.result: WeightMapping | None = None

    def run(self, name: str) -> WeightMapping:
        self.result = WeightMapping(name, self.target)
        cls = self.classes[name]
        env = {p: _value(d, {}) for p, d in cls.defaults.items()}
        self._class("", cls, env, depth=0)
        return self.result

    def _problem(self, text: str) -> None:
        assert self.result is not None
        self.result.problems.append(text)

    def _class(self, prefix: str, cls: _Class, env: dict[str, Any], depth: int) -> None:
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
            if base_name in self.classes and base_name != cls.node.name:
                self._class(prefix, self.classes[base_name], dict(env), depth + 1)
        if init is None:
            return
        local = dict(env)
        for statement in _flat(init.body):
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name):
                    local[target.id] = _value(statement.value, local)
                elif (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "self"
                ):
                    local[f"self.{target.attr}"] = _value(statement.value, local)
                    self._member(f"{prefix}{target.attr}", statement.value, local, depth)
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                target = statement.target
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                    self._member(f"{prefix}{target.attr}", statement.value, local, depth)
            elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
                call = statement.value
                func = call.func
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
                    value = call.args[1] if len(call.args) > 1 else None
                    if isinstance(value, ast.Constant) and value.value is None:
                        continue
                    self._tensor(f"{prefix}{key}", value, local, "buffer")

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

    def _member(self, key: str, node: ast.AST, env: dict[str, Any], depth: int) -> None:
        if not isinstance(node, ast.Call):
            if isinstance(node, (ast.ListComp, ast.List)):
                return  # a plain list of modules is not registered by torch
            return
        dotted = _dotted(node.func, self.imports) or ""
        leaf = dotted.rsplit(".", 1)[-1]
        if dotted in ("torch.nn.Parameter", "torch.nn.parameter.Parameter"):
            self._tensor(key, node, env, "Parameter")
            return
        if dotted in ("torch.nn.Sequential", "torch.nn.ModuleList"):
            items = self._items(key, node, env)
            if items is None:
                return
            for index, child in enumerate(items):
                self._member(f"{key}.{index}", child, env, depth)
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
        self._problem(
            f"{key}: {dotted or ast.unparse(node.func)} is not a module this file defines or torch.nn has"
        )

    def _items(self, key: str, node: ast.Call, env: dict[str, Any]) -> list[ast.AST] | None:
        if any(isinstance(a, ast.Starred) for a in node.args):
            self._problem(f"{key}: *arguments cannot be followed statically")
            return None
        if node.args and isinstance(node.args[0], (ast.List, ast.Tuple)) and len(node.args) == 1:
            return list(node.args[0].elts)
        if node.args and isinstance(node.args[0], ast.ListComp) and len(node.args) == 1:
            comp = node.args[0]
            generator = comp.generators[0] if len(comp.generators) == 1 else None
            if (
                generator is not None
                and not generator.ifs
                and isinstance(generator.iter, ast.Call)
                and _dotted(generator.iter.func, {}) == "range"
                and len(generator.iter.args) == 1
            ):
                count = _int(_value(generator.iter.args[0], env))
                if count is not None:
                    return [comp.elt] * count
            self._problem(f"{key}: the number of modules in the list is not known statically")
            return None
        return list(node.args)

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


def _flat(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of ``__init__``, with ``if``/``for``/``with`` bodies flattened in order."""
    for statement in body:
        if isinstance(statement, (ast.If, ast.With)):
            yield from _flat(statement.body)
            if isinstance(statement, ast.If):
                yield from _flat(statement.orelse)
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
) -> WeightMapping:
    """The mapping for ``class_name`` (default: the last ``nn.Module`` subclass no other class
    of the file uses)."""
    tree = ast.parse(source)
    facts = facts if facts is not None else load_facts()
    mapper = _Mapper(tree, target, facts)
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
    return mapper.run(class_name)

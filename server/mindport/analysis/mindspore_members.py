"""No silence after the port: a torch member called on a MindSpore object that MindSpore 2.10
does not have (``model.eval()`` on a Cell, ``x.detach()`` on a mindspore.Tensor,
``opt.zero_grad()`` on a MindSpore optimizer) is a finding with the MindSpore way.

The receivers are the ones the file makes plain: ``self`` in a class derived from
``mindspore.nn.Cell`` (directly or through a class of the file), parameters annotated with
``mindspore.Tensor`` / ``Parameter`` / ``nn.Cell`` or such a class, names and ``self.``
attributes assigned from a MindSpore constructor (``mindspore.Tensor(...)``, ``nn.Dense(...)``,
``mint.optim.SGD(...)``, a Cell class of the file), and the values such objects give: the call
of a MindSpore layer (``loss = loss_fn(pred, y)``), a tensor method that returns a tensor
(``x.clone()``), a MindSpore function whose torch counterpart returns a tensor
(``mint.zeros(...)``), a function of the file annotated ``-> mindspore.Tensor``, arithmetic
and indexing of tensors. A name bound in other ways too is left alone. The members are a
short, reviewed table: each is missing from the MindSpore class in mindspore 2.10.0
(tests/frameworks/test_mindspore_members.py checks it with ``hasattr``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from mindport.analysis.findings import Confidence, Finding
from mindport.analysis.references import Reference, ReferenceKind, Resolution
from mindport.analysis.rules import NO_EQUIVALENT
from mindport.analysis.scopes import dotted_parts
from mindport.analysis.static_pass import StaticResult, call_site, node_span
from mindport.analysis.syntax import walk
from mindport.analysis.torch_types import NAMED_TUPLE_FIELDS, TENSOR_METHODS, VALUES_INDICES
from mindport.kb.model import Framework, Locale
from mindport.text import Position, Span

TENSOR, PARAMETER, CELL, OPTIMIZER = "Tensor", "Parameter", "Cell", "Optimizer"
# A MindSpore library layer whose call returns one tensor (``nn.Dense``, ``nn.MSELoss``).
LAYER = "Layer"
# The plain ``(values, indices)`` tuple of ``x.max(dim=0)``, ``mint.sort(x)``... (torch's is
# a named tuple with ``.values`` and ``.indices``).
PAIR = "Pair"

# The MindSpore class each kind stands for, and the torch class whose member is called.
CLASSES = {
    TENSOR: ("mindspore.Tensor", "torch.Tensor"),
    PARAMETER: ("mindspore.Parameter", "torch.Tensor"),
    CELL: ("mindspore.nn.Cell", "torch.nn.Module"),
    LAYER: ("mindspore.nn.Cell", "torch.nn.Module"),
    OPTIMIZER: ("mindspore.nn.Optimizer", "torch.optim.Optimizer"),
}

_DROP = (
    "remove it: MindSpore places tensors by its context (mindspore.set_device)",
    "删除它:MindSpore 按上下文(mindspore.set_device)放置张量",
)
_TENSOR = {
    "detach": ("mindspore.ops.stop_gradient(x)", "mindspore.ops.stop_gradient(x)"),
    "cpu": (
        "x.asnumpy() for a NumPy array, else " + _DROP[0],
        "需要 NumPy 数组时用 x.asnumpy(),否则" + _DROP[1],
    ),
    "cuda": _DROP,
    "backward": (
        "differentiate the forward function with mindspore.value_and_grad",
        "用 mindspore.value_and_grad 对前向函数求导",
    ),
    "size": (
        "x.shape (x.shape[i] for one dimension); x.size is the element count",
        "x.shape(单个维度用 x.shape[i]);x.size 是元素个数",
    ),
}
_CELL: Mapping[str, tuple[str, str]] = {
    "eval": ("set_train(False)", "set_train(False)"),
    "train": ("set_train(True) (or set_train(mode))", "set_train(True)(或 set_train(mode))"),
    "parameters": (
        "trainable_params() for an optimizer, get_parameters() for all",
        "优化器用 trainable_params(),全部参数用 get_parameters()",
    ),
    "named_parameters": ("parameters_and_names()", "parameters_and_names()"),
    "modules": ("cells_and_names()", "cells_and_names()"),
    "children": ("cells()", "cells()"),
    "forward": ("construct()", "construct()"),
    "cuda": _DROP,
    "cpu": _DROP,
    "zero_grad": (
        "remove it: gradients come from mindspore.value_and_grad, nothing accumulates",
        "删除它:梯度由 mindspore.value_and_grad 返回,不会累积",
    ),
}
# member -> (the MindSpore way in English, in Chinese), per kind
MISSING: Mapping[str, Mapping[str, tuple[str, str]]] = {
    TENSOR: _TENSOR,
    PARAMETER: {k: v for k, v in _TENSOR.items() if k != "size"},
    CELL: _CELL,
    LAYER: _CELL,
    OPTIMIZER: {
        "zero_grad": (
            "remove it: gradients come from mindspore.value_and_grad, nothing accumulates",
            "删除它:梯度由 mindspore.value_and_grad 返回,不会累积",
        ),
        "step": (
            "call the optimizer with the gradients: optimizer(grads)",
            "用梯度调用优化器:optimizer(grads)",
        ),
    },
}

_OPTIMIZERS = frozenset(
    [
        "SGD",
        "Adam",
        "AdamW",
        "Momentum",
        "AdamWeightDecay",
        "RMSProp",
        "Adagrad",
        "Adadelta",
        "Adamax",
        "ASGD",
        "Rprop",
        "Lamb",
        "LARS",
        "FTRL",
        "ProximalAdagrad",
        "LazyAdam",
        "Optimizer",
    ]
)


# Library layers whose call does not return one tensor (a tuple, or whatever the layers
# inside return).
_NOT_ONE_TENSOR = frozenset(
    [
        "LSTM",
        "GRU",
        "RNN",
        "LSTMCell",
        "MultiheadAttention",
        "SequentialCell",
        "Sequential",
        "CellList",
        "CellDict",
        "TransformerEncoder",
        "TransformerDecoder",
        "Transformer",
    ]
)

_OPTIMIZER_MODULES = (
    "mindspore.mint.optim",
    "mindspore.nn.optim",
    "mindspore.experimental.optim",
)


def _never(_: str) -> bool:
    return False


@dataclass
class _Files:
    """What the file's imports and classes say about MindSpore types."""

    bindings: Mapping[str, str]
    cells: set[str]
    # a MindSpore function (full name) whose result is a tensor (from its torch counterpart)
    returns_tensor: Callable[[str], bool] = _never
    # functions of the file annotated ``-> mindspore.Tensor``
    tensor_functions: set[str] = field(default_factory=set)

    def full_name(self, node: ast.expr) -> str | None:
        parts = dotted_parts(node)
        if parts is None:
            return None
        head = self.bindings.get(parts[0])
        if head is None:
            return parts[0] if parts[0] in self.cells else None
        return ".".join([head, *parts[1:]])

    def kind_of_type(self, node: ast.expr | None) -> str | None:
        """The kind an annotation names (``mindspore.Tensor``, ``nn.Cell``, a Cell class)."""
        if node is None:
            return None
        name = self.full_name(node)
        if name in ("mindspore.Tensor", "mindspore.common.tensor.Tensor"):
            return TENSOR
        if name in ("mindspore.Parameter", "mindspore.common.parameter.Parameter"):
            return PARAMETER
        if name == "mindspore.nn.Cell" or (name is not None and name in self.cells):
            return CELL
        if name in ("mindspore.nn.Optimizer", "mindspore.nn.optim.Optimizer"):
            return OPTIMIZER
        return None

    def kind_of_value(self, node: ast.expr) -> str | None:
        """The kind a constructor call makes (``mindspore.Tensor(...)``, ``nn.Dense(...)``)."""
        if not isinstance(node, ast.Call):
            return None
        name = self.full_name(node.func)
        if name is None:
            return None
        if name in self.cells:
            return CELL
        kind = self.kind_of_type(node.func)
        if kind is not None:
            return kind
        if name == "mindspore.tensor":
            return TENSOR
        module, _, last = name.rpartition(".")
        if not last[:1].isupper():
            return None
        if module in _OPTIMIZER_MODULES or (module == "mindspore.nn" and last in _OPTIMIZERS):
            return OPTIMIZER
        if module in ("mindspore.nn", "mindspore.mint.nn"):
            return CELL if last in _NOT_ONE_TENSOR else LAYER
        return None

    def kind_of(self, node: ast.expr, kinds: Mapping[str, str]) -> str | None:
        """The kind of the value of an expression, where the file makes it plain."""
        if isinstance(node, (ast.Name, ast.Attribute)):
            parts = dotted_parts(node)
            return kinds.get(".".join(parts)) if parts is not None else None
        if isinstance(node, ast.Call):
            return self._kind_of_call(node, kinds)
        if isinstance(node, ast.BinOp):
            sides = (self.kind_of(node.left, kinds), self.kind_of(node.right, kinds))
            return TENSOR if any(k in (TENSOR, PARAMETER) for k in sides) else None
        if isinstance(node, ast.UnaryOp):
            return TENSOR if self.kind_of(node.operand, kinds) in (TENSOR, PARAMETER) else None
        if isinstance(node, ast.Subscript):
            return TENSOR if self.kind_of(node.value, kinds) in (TENSOR, PARAMETER) else None
        return None

    def _kind_of_call(self, node: ast.Call, kinds: Mapping[str, str]) -> str | None:
        kind = self.kind_of_value(node)
        if kind is not None:
            return kind
        func = node.func
        if self.kind_of(func, kinds) == LAYER:
            return TENSOR  # ``loss_fn(pred, y)``
        if isinstance(func, ast.Attribute) and self.kind_of(func.value, kinds) in (
            TENSOR,
            PARAMETER,
        ):
            if func.attr in TENSOR_METHODS:
                return TENSOR  # ``x.clone()``
            if func.attr in VALUES_INDICES and (node.args or node.keywords):
                return PAIR  # ``x.max(dim=0)``
        if isinstance(func, ast.Name) and func.id in self.tensor_functions:
            return TENSOR
        name = self.full_name(func)
        if name is None or not name.startswith("mindspore."):
            return None
        module, _, last = name.rpartition(".")
        if module in ("mindspore.mint", "mindspore.ops") and last in VALUES_INDICES:
            return PAIR if len(node.args) + len(node.keywords) > 1 else None
        if self.returns_tensor(name):
            return TENSOR  # ``mint.zeros(...)``
        return None


def _cell_classes(tree: ast.AST, files: _Files) -> None:
    for node in walk(tree):
        if isinstance(node, ast.ClassDef) and any(
            files.kind_of_type(base) == CELL for base in node.bases
        ):
            files.cells.add(node.name)


def _tensor_functions(tree: ast.AST, files: _Files) -> None:
    for node in getattr(tree, "body", []):
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and files.kind_of_type(node.returns) == TENSOR
        ):
            files.tensor_functions.add(node.name)


def _self_attributes(node: ast.ClassDef, files: _Files) -> dict[str, str]:
    """``self.fc = nn.Dense(...)`` in the methods of a Cell class: ``self.fc`` -> its kind,
    for the attributes every assignment of which makes the same kind."""
    found: dict[str, str | None] = {}
    for item in node.body:
        if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for statement in walk(item):
            if not isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                continue
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            value = statement.value
            for target in targets:
                parts = dotted_parts(target) if isinstance(target, ast.Attribute) else None
                if parts is None or len(parts) != 2 or parts[0] != "self":
                    continue
                key = "self." + parts[1]
                kind = (
                    files.kind_of_value(value)
                    if value is not None and not isinstance(statement, ast.AugAssign)
                    else None
                )
                found[key] = kind if found.get(key, kind) == kind else None
    return {k: v for k, v in found.items() if v is not None}


def _assigned_once(
    body: list[ast.stmt], files: _Files, context: Mapping[str, str]
) -> dict[str, str | None]:
    kinds: dict[str, str | None] = {}
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            kind = files.kind_of_type(node.annotation)
            kinds[node.target.id] = kind if node.target.id not in kinds else None
        for target in targets:
            if isinstance(target, ast.Name):
                kind = files.kind_of(value, context) if value is not None else None
                previous = kinds.get(target.id, kind)
                kinds[target.id] = kind if previous == kind else None
            elif not isinstance(target, (ast.Attribute, ast.Subscript)):
                for name in walk(target):
                    if isinstance(name, ast.Name):
                        kinds[name.id] = None
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                kinds.setdefault(child.id, None)  # for-loop targets, with ... as name
            stack.append(child)
    return kinds


def _assigned(
    body: list[ast.stmt], files: _Files, context: Mapping[str, str] | None = None
) -> dict[str, str | None]:
    """Names assigned directly in ``body`` (not in nested functions): their kind, or None when
    some assignment makes another kind or one the file does not make plain. ``context``: the
    kinds known before (parameters, module names); a value may use a name assigned in
    ``body`` itself (``loss = loss_fn(...)`` after ``loss_fn = nn.MSELoss()``)."""
    known: dict[str, str] = dict(context or {})
    kinds: dict[str, str | None] = {}
    for _ in range(3):  # names typed from names: a few rounds reach the fixed point
        kinds = _assigned_once(body, files, known)
        now = {**(context or {}), **{k: v for k, v in kinds.items() if v is not None}}
        for name, kind in kinds.items():
            if kind is None:
                now.pop(name, None)
        if now == known:
            break
        known = now
    return kinds


def _nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """The nodes of ``body``, not inside nested functions or classes."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _calls(body: list[ast.stmt]) -> Iterator[ast.Call]:
    """Calls in ``body``, not inside nested functions or classes."""
    return (node for node in _nodes(body) if isinstance(node, ast.Call))


def mindspore_member_findings(static: StaticResult, locale: Locale) -> list[Finding]:
    """MP102 for each torch member called on a MindSpore receiver that MindSpore lacks."""
    return mindspore_members(static, locale)[0]


def mindspore_members(
    static: StaticResult,
    locale: Locale,
    returns_tensor: Callable[[str], bool] = _never,
) -> tuple[list[Finding], list[Reference]]:
    """The MP102 findings, and a MindSpore reference (``mindspore.Tensor.add_``) for every
    other member called on a typed MindSpore receiver: the checks read the notes that hold
    for the MindSpore call itself from them (``x.add_(y)`` is not in place on CPU).
    ``returns_tensor``: whether a MindSpore function's result is a tensor (the checks answer
    it from the knowledge base)."""
    references: list[Reference] = []
    bindings = static.imports.bindings
    if not any(full == "mindspore" or full.startswith("mindspore.") for full in bindings.values()):
        return [], references
    files = _Files(bindings, set(), returns_tensor)
    tree = static.parsed.tree
    lines = static.parsed.lines
    _cell_classes(tree, files)
    _tensor_functions(tree, files)
    module_kinds = {k: v for k, v in _assigned(getattr(tree, "body", []), files).items() if v}
    findings: list[Finding] = []

    def check(body: list[ast.stmt], kinds: Mapping[str, str]) -> None:
        for call in _calls(body):
            func = call.func
            if not isinstance(func, ast.Attribute):
                continue
            kind = files.kind_of(func.value, kinds)
            if kind is None or kind not in CLASSES:
                continue
            way = MISSING.get(kind, {}).get(func.attr)
            if way is None:
                references.append(
                    Reference(
                        name=f"{CLASSES[kind][0]}.{func.attr}",
                        framework=Framework.MINDSPORE,
                        span=_attribute_span(static, func),
                        resolution=Resolution.TYPES,
                        call=call_site(lines, call),
                        kind=ReferenceKind.MEMBER,
                        receiver=node_span(lines, func.value),
                    )
                )
                continue
            mindspore_class, torch_class = CLASSES[kind]
            receiver = lines.text_of(node_span(lines, func.value))
            if len(receiver) > 40 or "\n" in receiver:
                receiver = "..."
            en, zh = way
            message = (
                f"`{receiver}.{func.attr}()`: {mindspore_class} has no method `{func.attr}`"
                f" ({torch_class}.{func.attr} is torch's); the MindSpore way: {en}."
                if locale != "zh"
                else f"`{receiver}.{func.attr}()`:{mindspore_class} 没有 `{func.attr}` 方法"
                f"({torch_class}.{func.attr} 是 torch 的);MindSpore 的做法:{zh}。"
            )
            findings.append(
                Finding(
                    code=NO_EQUIVALENT.code,
                    severity=NO_EQUIVALENT.severity,
                    span=node_span(lines, func),
                    message=message,
                    torch_api=f"{torch_class}.{func.attr}",
                    mindspore_api=None,
                    confidence=Confidence.CONFIRMED,
                )
            )

    def check_fields(body: list[ast.stmt], kinds: Mapping[str, str]) -> None:
        for node in _nodes(body):
            if not (isinstance(node, ast.Attribute) and node.attr in NAMED_TUPLE_FIELDS):
                continue
            if files.kind_of(node.value, kinds) not in (PAIR, TENSOR, PARAMETER):
                continue
            index = NAMED_TUPLE_FIELDS[node.attr]
            findings.append(
                Finding(
                    code=NO_EQUIVALENT.code,
                    severity=NO_EQUIVALENT.severity,
                    span=node_span(lines, node),
                    message=(
                        f"`.{node.attr}`: MindSpore returns a plain (values, indices) tuple"
                        f" where torch returns a named one; read it as `[{index}]`."
                        if locale != "zh"
                        else f"`.{node.attr}`:torch 返回具名元组,MindSpore 返回普通的"
                        f"(值, 索引)元组;请改为 `[{index}]`。"
                    ),
                    torch_api=None,
                    mindspore_api=None,
                    confidence=Confidence.CONFIRMED,
                )
            )

    def check_all(body: list[ast.stmt], kinds: Mapping[str, str]) -> None:
        check(body, kinds)
        check_fields(body, kinds)

    check_all(getattr(tree, "body", []), module_kinds)
    # id of a method -> the kind of its ``self`` and the kinds of its ``self.`` attributes
    methods: dict[int, tuple[str | None, dict[str, str]]] = {}
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    for node in walk(tree):
        if isinstance(node, ast.ClassDef):
            cell = node.name in files.cells
            attributes = _self_attributes(node, files) if cell else {}
            methods.update((id(item), (CELL if cell else None, attributes)) for item in node.body)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.append(node)
    for function in functions:
        self_kind, attributes = methods.get(id(function), (None, {}))
        _function(function, files, {**module_kinds, **attributes}, check_all, self_kind=self_kind)
    return findings, references


def _attribute_span(static: StaticResult, func: ast.Attribute) -> Span:
    """The member's name in ``receiver.member`` (what a member reference spans)."""
    whole = node_span(static.parsed.lines, func)
    return Span(Position(whole.end.line, whole.end.column - len(func.attr)), whole.end)


def _function(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    files: _Files,
    module_kinds: Mapping[str, str],
    check: Callable[[list[ast.stmt], Mapping[str, str]], None],
    *,
    self_kind: str | None,
) -> None:
    kinds: dict[str, str] = dict(module_kinds)
    arguments = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
    for index, argument in enumerate(arguments):
        kinds.pop(argument.arg, None)
        kind = files.kind_of_type(argument.annotation)
        if index == 0 and self_kind is not None and argument.arg == "self":
            kind = self_kind
        if kind is not None:
            kinds[argument.arg] = kind
    if not (self_kind is not None and arguments and arguments[0].arg == "self"):
        for name in [k for k in kinds if k.startswith("self.")]:
            kinds.pop(name)
    for name, kind in _assigned(function.body, files, kinds).items():
        if kind is None:
            kinds.pop(name, None)
        else:
            kinds[name] = kind
    check(function.body, kinds)

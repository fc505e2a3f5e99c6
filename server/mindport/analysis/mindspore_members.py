"""No silence after the port: a torch member called on a MindSpore object that MindSpore 2.10
does not have (``model.eval()`` on a Cell, ``x.detach()`` on a mindspore.Tensor,
``opt.zero_grad()`` on a MindSpore optimizer) is a finding with the MindSpore way.

The receivers are the ones the file makes plain: ``self`` in a class derived from
``mindspore.nn.Cell`` (directly or through a class of the file), parameters annotated with
``mindspore.Tensor`` / ``Parameter`` / ``nn.Cell`` or such a class, and names assigned from a
MindSpore constructor (``mindspore.Tensor(...)``, ``nn.Dense(...)``, ``mint.optim.SGD(...)``,
a Cell class of the file). A name bound in other ways too is left alone. The members are a
short, reviewed table: each is missing from the MindSpore class in mindspore 2.10.0
(tests/frameworks/test_mindspore_members.py checks it with ``hasattr``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from mindport.analysis.findings import Confidence, Finding
from mindport.analysis.references import Reference, ReferenceKind, Resolution
from mindport.analysis.rules import NO_EQUIVALENT
from mindport.analysis.scopes import dotted_parts
from mindport.analysis.static_pass import StaticResult, call_site, node_span
from mindport.analysis.syntax import walk
from mindport.kb.model import Framework, Locale
from mindport.text import Position, Span

TENSOR, PARAMETER, CELL, OPTIMIZER = "Tensor", "Parameter", "Cell", "Optimizer"

# The MindSpore class each kind stands for, and the torch class whose member is called.
CLASSES = {
    TENSOR: ("mindspore.Tensor", "torch.Tensor"),
    PARAMETER: ("mindspore.Parameter", "torch.Tensor"),
    CELL: ("mindspore.nn.Cell", "torch.nn.Module"),
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
# member -> (the MindSpore way in English, in Chinese), per kind
MISSING: Mapping[str, Mapping[str, tuple[str, str]]] = {
    TENSOR: _TENSOR,
    PARAMETER: {k: v for k, v in _TENSOR.items() if k != "size"},
    CELL: {
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
    },
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


@dataclass
class _Files:
    """What the file's imports and classes say about MindSpore types."""

    bindings: Mapping[str, str]
    cells: set[str]

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
        module, _, last = name.rpartition(".")
        if not last[:1].isupper():
            return None
        if module in ("mindspore.mint.optim", "mindspore.nn.optim") or (
            module == "mindspore.nn" and last in _OPTIMIZERS
        ):
            return OPTIMIZER
        if module in ("mindspore.nn", "mindspore.mint.nn"):
            return CELL
        return None


def _cell_classes(tree: ast.AST, files: _Files) -> None:
    for node in walk(tree):
        if isinstance(node, ast.ClassDef) and any(
            files.kind_of_type(base) == CELL for base in node.bases
        ):
            files.cells.add(node.name)


def _assigned(body: list[ast.stmt], files: _Files) -> dict[str, str | None]:
    """Names assigned directly in ``body`` (not in nested functions): their kind, or None when
    some assignment is not a MindSpore constructor."""
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
        elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
            pass
        for target in targets:
            if isinstance(target, ast.Name):
                kind = files.kind_of_value(value) if value is not None else None
                previous = kinds.get(target.id, kind)
                kinds[target.id] = kind if previous == kind else None
            else:
                for name in walk(target):
                    if isinstance(name, ast.Name):
                        kinds[name.id] = None
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                kinds.setdefault(child.id, None)  # for-loop targets, with ... as name
            stack.append(child)
    return kinds


def _calls(body: list[ast.stmt]) -> Iterator[ast.Call]:
    """Calls in ``body``, not inside nested functions or classes."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def mindspore_member_findings(static: StaticResult, locale: Locale) -> list[Finding]:
    """MP102 for each torch member called on a MindSpore receiver that MindSpore lacks."""
    return mindspore_members(static, locale)[0]


def mindspore_members(
    static: StaticResult, locale: Locale
) -> tuple[list[Finding], list[Reference]]:
    """The MP102 findings, and a MindSpore reference (``mindspore.Tensor.add_``) for every
    other member called on a typed MindSpore receiver: the checks read the notes that hold
    for the MindSpore call itself from them (``x.add_(y)`` is not in place on CPU)."""
    references: list[Reference] = []
    bindings = static.imports.bindings
    if not any(full == "mindspore" or full.startswith("mindspore.") for full in bindings.values()):
        return [], references
    files = _Files(bindings, set())
    tree = static.parsed.tree
    _cell_classes(tree, files)
    module_kinds = {k: v for k, v in _assigned(getattr(tree, "body", []), files).items() if v}
    findings: list[Finding] = []

    def check(body: list[ast.stmt], kinds: Mapping[str, str]) -> None:
        for call in _calls(body):
            func = call.func
            if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
                continue
            kind = kinds.get(func.value.id)
            if kind is None:
                continue
            way = MISSING.get(kind, {}).get(func.attr)
            if way is None:
                references.append(
                    Reference(
                        name=f"{CLASSES[kind][0]}.{func.attr}",
                        framework=Framework.MINDSPORE,
                        span=_attribute_span(static, func),
                        resolution=Resolution.TYPES,
                        call=call_site(static.parsed.lines, call),
                        kind=ReferenceKind.MEMBER,
                        receiver=node_span(static.parsed.lines, func.value),
                    )
                )
                continue
            mindspore_class, torch_class = CLASSES[kind]
            receiver = func.value.id
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
                    span=node_span(static.parsed.lines, func),
                    message=message,
                    torch_api=f"{torch_class}.{func.attr}",
                    mindspore_api=None,
                    confidence=Confidence.CONFIRMED,
                )
            )

    check(getattr(tree, "body", []), module_kinds)
    methods: dict[int, str | None] = {}  # id of a method -> the kind of its ``self``
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    for node in walk(tree):
        if isinstance(node, ast.ClassDef):
            cell = CELL if node.name in files.cells else None
            methods.update((id(item), cell) for item in node.body)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.append(node)
    for function in functions:
        _function(function, files, module_kinds, check, self_kind=methods.get(id(function)))
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
    for name, kind in _assigned(function.body, files).items():
        if kind is None:
            kinds.pop(name, None)
        else:
            kinds[name] = kind
    check(function.body, kinds)

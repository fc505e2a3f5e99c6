"""When dropping ``inplace=True`` keeps a program's behaviour.

MindSpore's activations have no ``inplace``. torch's ``inplace=True`` writes the result into
the input tensor; the returned value is the same either way. Dropping it changes nothing the
program can see exactly when nobody looks at the input tensor after the call. This module
proves that from the code, for three shapes (anything else keeps the argument unsupported):

- A layer inside ``nn.Sequential(...)`` right after a layer that returns a new tensor
  (``Conv2d``, ``BatchNorm2d``, ``Linear``... ``FRESH_LAYERS``): its input exists only
  inside the Sequential.
- A call whose input is a new tensor no name holds: ``F.relu(self.bn(y), inplace=True)``,
  ``F.relu(a + b, inplace=True)``.
- ``x = F.relu(x, inplace=True)`` (or ``x = self.act(x)``) where the statement before it in
  the same block that mentions ``x`` is ``x = <a new tensor>``: the old tensor was only
  ever ``x``, and ``x`` now names the result.

A layer kept in an attribute (``self.act = nn.ReLU(inplace=True)``) is read at every use of
``self.act`` in its class: each must be such a call. Not proven (so left to the user): a
layer reached some other way (``self.body[1](t)``, a subclass, code outside the class).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

# Layers whose output is always a new tensor (checked with torch 2.13: none of them returns
# its input or a view of it; ``Dropout`` in evaluation mode, ``Identity`` and ``Flatten``
# do, so they are not here).
FRESH_LAYERS = frozenset(
    f"torch.nn.{name}"
    for name in [
        "Conv1d",
        "Conv2d",
        "Conv3d",
        "ConvTranspose1d",
        "ConvTranspose2d",
        "ConvTranspose3d",
        "Linear",
        "Bilinear",
        "BatchNorm1d",
        "BatchNorm2d",
        "BatchNorm3d",
        "LayerNorm",
        "GroupNorm",
        "InstanceNorm1d",
        "InstanceNorm2d",
        "InstanceNorm3d",
        "Embedding",
        "MaxPool1d",
        "MaxPool2d",
        "MaxPool3d",
        "AvgPool1d",
        "AvgPool2d",
        "AvgPool3d",
        "AdaptiveAvgPool1d",
        "AdaptiveAvgPool2d",
        "AdaptiveAvgPool3d",
    ]
)
FRESH_FUNCTIONS = frozenset(
    {
        *(
            f"torch.nn.functional.{name}"
            for name in [
                "conv1d",
                "conv2d",
                "conv3d",
                "conv_transpose1d",
                "conv_transpose2d",
                "conv_transpose3d",
                "linear",
                "batch_norm",
                "layer_norm",
                "group_norm",
                "instance_norm",
                "max_pool1d",
                "max_pool2d",
                "max_pool3d",
                "avg_pool1d",
                "avg_pool2d",
                "avg_pool3d",
            ]
        ),
        "torch.matmul",
        "torch.mm",
        "torch.bmm",
        "torch.cat",
    }
)
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.MatMult, ast.FloorDiv, ast.Pow, ast.Mod)
_BLOCKS = ("body", "orelse", "finalbody")

# (the torch API a call refers to, how: "name" for ``nn.Conv2d(...)``, "instance" for
# ``self.conv(x)``), or None
CallNames = Callable[[ast.Call], tuple[str, str] | None]


class InplaceReading:
    """The code of one document, read for who observes a tensor changed in place."""

    def __init__(self, tree: ast.AST, names: CallNames) -> None:
        self.names = names
        self.parent: dict[int, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parent[id(child)] = node

    # -- what a value is -------------------------------------------------------------------

    def fresh(self, node: ast.expr) -> bool:
        """An expression whose value is a new tensor that no name holds."""
        if isinstance(node, ast.BinOp):
            return isinstance(node.op, _ARITHMETIC)
        if not isinstance(node, ast.Call):
            return False
        named = self.names(node)
        if named is None:
            return False
        api, how = named
        return (how == "instance" and api in FRESH_LAYERS) or (
            how == "name" and api in FRESH_FUNCTIONS
        )

    # -- the three shapes ------------------------------------------------------------------

    def layer_unobserved(self, construction: ast.Call) -> bool:
        """``nn.ReLU(inplace=True)``: in a Sequential after a fresh layer, or kept in an
        attribute every use of which is an unobserved call."""
        parent = self.parent.get(id(construction))
        if isinstance(parent, ast.Call) and construction in parent.args:
            return self._in_sequential(parent, construction)
        if isinstance(parent, ast.Assign) and parent.value is construction:
            return self._attribute_unobserved(parent)
        return False

    def call_unobserved(self, call: ast.Call, tensor: ast.expr | None) -> bool:
        """A call that changes ``tensor`` (its input) in place: nobody sees that tensor after."""
        if tensor is None or isinstance(tensor, ast.Starred):
            return False
        if self.fresh(tensor):
            return True
        if not isinstance(tensor, ast.Name):
            return False
        statement = self.parent.get(id(call))
        if not (
            isinstance(statement, ast.Assign)
            and statement.value is call
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id == tensor.id
        ):
            return False
        return self._fresh_before(statement, tensor.id)

    # -- helpers ---------------------------------------------------------------------------

    def _in_sequential(self, sequential: ast.Call, layer: ast.Call) -> bool:
        named = self.names(sequential)
        if named != ("torch.nn.Sequential", "name"):
            return False
        index = sequential.args.index(layer)
        if index == 0:
            return False  # its input is the Sequential's input: the caller may hold it
        before = sequential.args[index - 1]
        if not isinstance(before, ast.Call):
            return False
        named = self.names(before)
        return named is not None and named[1] == "name" and named[0] in FRESH_LAYERS

    def _attribute_unobserved(self, assignment: ast.Assign) -> bool:
        if len(assignment.targets) != 1:
            return False
        target = assignment.targets[0]
        if not (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        ):
            return False
        owner = self._enclosing(assignment, ast.ClassDef)
        if owner is None:
            return False
        uses = 0
        for node in ast.walk(owner):
            if (
                node is target
                or not isinstance(node, ast.Attribute)
                or node.attr != target.attr
                or not (isinstance(node.value, ast.Name) and node.value.id == "self")
            ):
                continue
            call = self.parent.get(id(node))
            if not (
                isinstance(call, ast.Call)
                and call.func is node
                and len(call.args) == 1
                and not call.keywords
                and self.call_unobserved(call, call.args[0])
            ):
                return False  # stored again, passed on, or called on a tensor someone holds
            uses += 1
        return uses > 0

    def _enclosing(self, node: ast.AST, kind: type[ast.AST]) -> ast.AST | None:
        current = self.parent.get(id(node))
        while current is not None and not isinstance(current, kind):
            current = self.parent.get(id(current))
        return current

    def _block_of(self, statement: ast.stmt) -> list[ast.stmt] | None:
        owner = self.parent.get(id(statement))
        for field in _BLOCKS:
            block = getattr(owner, field, None)
            if isinstance(block, list) and statement in block:
                return block
        return None

    def _fresh_before(self, statement: ast.Assign, name: str) -> bool:
        """The last statement before ``statement`` in its block that mentions ``name`` is
        ``name = <a new tensor>`` (nothing else can hold that tensor)."""
        block = self._block_of(statement)
        function = self._enclosing(statement, ast.FunctionDef)
        if block is None or function is None or _declared_outside(function, name):
            return False
        for earlier in reversed(block[: block.index(statement)]):
            if not any(n.id == name for n in _names(earlier)):
                continue
            return (
                isinstance(earlier, ast.Assign)
                and len(earlier.targets) == 1
                and isinstance(earlier.targets[0], ast.Name)
                and earlier.targets[0].id == name
                and self.fresh(earlier.value)
            )
        return False


def _names(node: ast.AST) -> Iterator[ast.Name]:
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            yield child


def _declared_outside(function: ast.AST, name: str) -> bool:
    return any(
        isinstance(node, ast.Global | ast.Nonlocal) and name in node.names
        for node in ast.walk(function)
    )

"""``torch.save(model.state_dict(), p)`` with ``model.load_state_dict(torch.load(p))``: the pair.

A state dict saved by torch is read by torch. Converting only one side writes a file the other
side cannot read, so the two convert together or not at all: ``mindspore.save_checkpoint(model,
p)`` and ``mindspore.load_param_into_net(model, mindspore.load_checkpoint(p))``. The load may
also take two statements, ``sd = torch.load(p)`` then ``model.load_state_dict(sd)``, when the
name is used for nothing else in between (its keys are torch's: code that reads them would
break): then ``sd = mindspore.load_checkpoint(p)`` and
``mindspore.load_param_into_net(model, sd)``. One MP602 finding on each call shares one fix. A load without a save in the file reads a checkpoint torch
wrote: that needs ``mindport weights convert``, and the finding says so.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from mindport.analysis.findings import Confidence, Finding
from mindport.analysis.rules import CHECKPOINT_PAIR
from mindport.analysis.static_pass import StaticResult, node_span
from mindport.conversion.fix import Fix
from mindport.kb.model import Locale
from mindport.text import Position, Span, TextEdit


def _t(locale: Locale, en: str, zh: str) -> str:
    return zh if locale == "zh" else en


@dataclass(frozen=True)
class _Use:
    span: Span  # the whole torch call (save) or load_state_dict call (load)
    replacement: str
    # the two-statement load: ``sd = torch.load(p)``'s call and what it becomes
    also: tuple[Span, str] | None = None


def _scopes(tree: ast.AST) -> dict[int, ast.AST]:
    """Each node's innermost enclosing function (or the module), by ``id``."""
    owner: dict[int, ast.AST] = {}
    stack: list[tuple[ast.AST, ast.AST]] = [(tree, tree)]
    while stack:
        node, scope = stack.pop()
        owner[id(node)] = scope
        inner = (
            node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) else scope
        )
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))
    return owner


def _uses(scope: ast.AST, name: str) -> list[ast.Name]:
    return [n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == name]


def _torch_call(node: ast.AST, name: str, torch_names: set[str]) -> bool:
    """``torch.save(...)`` however torch is imported (``import torch as T``, ``from torch
    import save``)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.attr == name and func.value.id in torch_names
    return isinstance(func, ast.Name) and func.id == f"<{name}>"


def checkpoint_findings(static: StaticResult, locale: Locale) -> tuple[list[Finding], list[Span]]:
    text = static.parsed.lines.text
    if "state_dict" not in text:
        return [], []
    torch_names = {local for local, full in static.imports.bindings.items() if full == "torch"}
    direct = {local for local, full in static.imports.bindings.items() if full.startswith("torch.")}
    if not torch_names and not direct:
        return [], []
    lines = static.parsed.lines

    def is_torch(node: ast.AST, name: str) -> bool:
        if _torch_call(node, name, torch_names):
            return True
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and static.imports.bindings.get(node.func.id) == f"torch.{name}"
        )

    def source(node: ast.AST) -> str:
        return lines.text_of(node_span(lines, node))

    ms_local = next((k for k, v in static.imports.bindings.items() if v == "mindspore"), None)
    ms = ms_local or "mindspore"
    saves: list[_Use] = []
    loads: list[_Use] = []
    # ``sd = torch.load(p)``: the name -> the assignments (the load call inside each)
    loaded: dict[str, list[tuple[ast.Assign, ast.Call]]] = {}
    for node in ast.walk(static.parsed.tree):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and is_torch(node.value, "load")
            and isinstance(node.value, ast.Call)
            and node.value.args
        ):
            loaded.setdefault(node.targets[0].id, []).append((node, node.value))
    owner = _scopes(static.parsed.tree) if loaded else {}
    for node in ast.walk(static.parsed.tree):
        if not isinstance(node, ast.Call):
            continue
        if is_torch(node, "save") and len(node.args) == 2 and not node.keywords:
            state = node.args[0]
            if (
                isinstance(state, ast.Call)
                and isinstance(state.func, ast.Attribute)
                and state.func.attr == "state_dict"
                and not state.args
                and not state.keywords
            ):
                model = source(state.func.value)
                saves.append(
                    _Use(
                        node_span(lines, node),
                        f"{ms}.save_checkpoint({model}, {source(node.args[1])})",
                    )
                )
        elif (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "load_state_dict"
            and len(node.args) == 1
            and not node.keywords
            and is_torch(node.args[0], "load")
        ):
            load = node.args[0]
            assert isinstance(load, ast.Call)
            if not load.args:
                continue
            model = source(node.func.value)
            loads.append(
                _Use(
                    node_span(lines, node),
                    f"{ms}.load_param_into_net({model}, {ms}.load_checkpoint({source(load.args[0])}))",
                )
            )
        elif (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "load_state_dict"
            and len(node.args) == 1
            and not node.keywords
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in loaded
        ):
            pair = _two_statement_load(node, loaded[node.args[0].id], owner)
            if pair is not None:
                _, load = pair
                name = node.args[0].id
                loads.append(
                    _Use(
                        node_span(lines, node),
                        f"{ms}.load_param_into_net({source(node.func.value)}, {name})",
                        also=(
                            node_span(lines, load),
                            f"{ms}.load_checkpoint({source(load.args[0])})",
                        ),
                    )
                )
    if not loads:
        return [], []  # a lone save stays a torch file: the plan's MP101 on torch.save says so
    fix: Fix | None = None
    if saves and loads:
        edits = [TextEdit(u.span, u.replacement) for u in (*saves, *loads)]
        edits += [TextEdit(*u.also) for u in loads if u.also is not None]
        if ms_local is None:
            line = static.imports.insert_line
            edits.append(
                TextEdit(
                    Span(Position(line, 0), Position(line, 0)),
                    f"import mindspore{static.imports.line_ending}",
                )
            )
        fix = Fix(
            _t(
                locale,
                "Save and load MindSpore checkpoints (both calls together; unsafe: files written by torch before cannot be read)",
                "改为保存和加载 MindSpore 检查点(两处一起改;不安全:之前由 torch 写出的文件将无法读取)",
            ),
            tuple(edits),
            safe=False,
        )
        message = _t(
            locale,
            "A state dict saved with torch.save and loaded with load_state_dict(torch.load(...)):"
            " convert both to mindspore.save_checkpoint / load_checkpoint + load_param_into_net.",
            "用 torch.save 保存、用 load_state_dict(torch.load(...)) 加载的 state dict:"
            "请把两者一起改为 mindspore.save_checkpoint / load_checkpoint + load_param_into_net。",
        )
    else:
        message = _t(
            locale,
            "Loads a checkpoint written by torch: convert the file once with"
            " `mindport weights convert MODEL_SOURCE CHECKPOINT -o OUT.ckpt`, then load it with"
            " mindspore.load_checkpoint + load_param_into_net.",
            "加载由 torch 写出的检查点:先用 `mindport weights convert MODEL_SOURCE CHECKPOINT -o OUT.ckpt`"
            " 转换一次,再用 mindspore.load_checkpoint + load_param_into_net 加载。",
        )
    claimed = (
        [u.span for u in (*saves, *loads)] + [u.also[0] for u in loads if u.also is not None]
        if fix is not None
        else []
    )
    return [
        Finding(
            code=CHECKPOINT_PAIR.code,
            severity=CHECKPOINT_PAIR.severity,
            span=use.span,
            message=message,
            torch_api="torch.save" if use in saves else "torch.load",
            mindspore_api="mindspore.save_checkpoint"
            if use in saves
            else "mindspore.load_checkpoint",
            confidence=Confidence.CONFIRMED,
            fix=fix,
        )
        for use in (*saves, *loads)
    ], claimed


def _two_statement_load(
    call: ast.Call, assignments: list[tuple[ast.Assign, ast.Call]], owner: dict[int, ast.AST]
) -> tuple[ast.Assign, ast.Call] | None:
    """The ``sd = torch.load(p)`` that ``call`` (``model.load_state_dict(sd)``) loads, when it
    is the only assignment of ``sd`` in the same function, comes before the call, and ``sd``
    is used for nothing else there (its keys are torch's)."""
    scope = owner.get(id(call))
    assert isinstance(call.args[0], ast.Name)
    name = call.args[0].id
    here = [(a, load) for a, load in assignments if owner.get(id(a)) is scope]
    if scope is None or len(here) != 1:
        return None
    assign, load = here[0]
    if (assign.lineno, assign.col_offset) >= (call.lineno, call.col_offset):
        return None
    uses = _uses(scope, name)
    if len(uses) != 2 or not any(u is call.args[0] for u in uses):
        return None
    return assign, load

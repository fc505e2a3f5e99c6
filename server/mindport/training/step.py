"""The training step: ``loss.backward()`` + ``optimizer.step()`` -> ``mindspore.value_and_grad``.

PyTorch records the forward pass and ``backward()`` fills each parameter's ``.grad``;
``optimizer.step()`` reads them and ``zero_grad()`` clears them. MindSpore has no recorded
graph: the forward pass and the loss become a function, ``mindspore.value_and_grad`` turns it
into one that also returns the gradients of the optimizer's parameters, and the optimizer is
called with those gradients. This module recognises the step syntactically (a bare
``X.backward()`` statement with an optimizer's ``step()`` in the same block or in an ``if``
after it, as gradient accumulation writes it) and writes the MindSpore form:

- the forward section: the statements right before ``backward()`` that the loss depends on
  (``with autocast(...)`` unwrapped) move into ``def forward_fn(...)``; the names that change
  from one iteration to the next are its parameters, names it assigns that are used elsewhere
  come back as auxiliary outputs (``has_aux=True``);
- ``grad_fn = mindspore.value_and_grad(forward_fn, None, optimizer.parameters)`` before the
  outermost loop around the step;
- ``zero_grad()`` goes (gradients are fresh on every call), ``optimizer.step()`` becomes
  ``optimizer(grads)``, ``clip_grad_norm_`` becomes ``mindspore.ops.clip_by_global_norm``,
  ``clip_grad_value_`` clips each gradient; accumulation sums the gradients itself;
- ``GradScaler`` becomes ``mindspore.amp.DynamicLossScaler``: the loss is scaled inside
  ``forward_fn``, the gradients are unscaled and the step is skipped when they are not finite;
- what has no MindSpore form (``autocast``, ``backward(retain_graph=...)``) keeps a
  ``# TODO(mindport): [MP601]`` line, reported as long as it stays.

Pure: no torch, no mindspore. The fix is always unsafe: it moves code.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from mindport.analysis.findings import Confidence, Finding
from mindport.analysis.rules import TRAINING_STEP
from mindport.analysis.static_pass import ModuleImports, StaticResult, node_span
from mindport.conversion.fix import Fix
from mindport.kb.model import Locale
from mindport.text import Position, SourceLines, Span, TextEdit

_LOOPS = (ast.For, ast.While, ast.AsyncFor)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)
_SIMPLE = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr)
_CLIP_NORM = "clip_grad_norm_"
_CLIP_VALUE = "clip_grad_value_"


def _t(locale: Locale, en: str, zh: str) -> str:
    return zh if locale == "zh" else en


def _method_call(statement: ast.stmt, *names: str) -> ast.Call | None:
    """``receiver.name(...)`` as a whole statement, for one of ``names``."""
    if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
        return None
    func = statement.value.func
    if isinstance(func, ast.Attribute) and func.attr in names:
        return statement.value
    return None


def _called_name(call: ast.Call) -> str:
    """The last part of the called name: ``clip_grad_norm_`` for ``nn.utils.clip_grad_norm_``."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _stores(node: ast.AST) -> set[str]:
    return {
        n.id
        for n in ast.walk(node)
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del))
    }


def _loads(node: ast.AST) -> list[str]:
    """Names read in ``node``, in the order they appear in the source."""
    names = sorted(
        (n.lineno, n.col_offset, n.id)
        for n in ast.walk(node)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    )
    seen: list[str] = []
    for _, _, name in names:
        if name not in seen:
            seen.append(name)
    return seen


def _is_autocast(statement: ast.stmt) -> bool:
    if not isinstance(statement, ast.With) or len(statement.items) != 1:
        return False
    expr = statement.items[0].context_expr
    return isinstance(expr, ast.Call) and _called_name(expr) == "autocast"


@dataclass
class _Parents:
    """Each statement's list and the statement that owns the list."""

    block_of: dict[int, list[ast.stmt]] = field(default_factory=dict)
    owner_of: dict[int, ast.AST] = field(default_factory=dict)  # id(list) -> owner node

    @classmethod
    def of(cls, tree: ast.Module) -> _Parents:
        parents = cls()
        todo: list[ast.AST] = [tree]
        while todo:
            node = todo.pop()
            for _, value in ast.iter_fields(node):
                if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                    parents.owner_of[id(value)] = node
                    for statement in value:
                        parents.block_of[id(statement)] = value
                        todo.append(statement)
                elif isinstance(value, list):
                    todo.extend(v for v in value if isinstance(v, ast.AST))
        return parents

    def chain(self, statement: ast.stmt) -> Iterator[ast.AST]:
        """The nodes around ``statement``, innermost first, up to its function or module."""
        node: ast.AST = statement
        while True:
            block = self.block_of.get(id(node))
            if block is None:
                return
            owner = self.owner_of[id(block)]
            yield owner
            if isinstance(owner, _SCOPES):
                return
            node = owner


@dataclass
class _Step:
    backward: ast.Expr
    block: list[ast.stmt]
    loss_source: str  # the expression backward() is called on (without the scaler)
    scaler: str | None  # ``scaler`` in ``scaler.scale(loss).backward()``
    optimizer: str = ""
    section: list[ast.stmt] = field(default_factory=list)  # the forward statements, in order
    removed: list[ast.stmt] = field(default_factory=list)  # zero_grad() and friends
    rewritten: dict[int, tuple[ast.stmt, list[str]]] = field(default_factory=dict)
    accumulates: bool = False
    todos: list[tuple[str, str]] = field(default_factory=list)
    problem: tuple[str, str] | None = None


# mindspore.mint.optim's optimizers leave the parameters unchanged when called in PyNative mode
# (MindSpore 2.10; measured on CPU for SGD and Adam: 0.0 change eagerly, updated inside
# mindspore.jit; AdamW has no CPU kernel at all). The torch.optim notes say so too.
_MINT_OPTIM = "mindspore.mint.optim."


class _Writer:
    def __init__(
        self, static: StaticResult, locale: Locale, written: Mapping[str, str] | None = None
    ) -> None:
        self.static = static
        # torch API -> the MindSpore API the per-call fixes write for it (target and devices)
        self.written: Mapping[str, str] = written or {}
        self.lines: SourceLines = static.parsed.lines
        self.tree = static.parsed.tree
        self.locale = locale
        self.parents = _Parents.of(self.tree)
        self.imports: ModuleImports = static.imports
        self.need_import = False
        self.claimed: list[Span] = []  # spans other fixes must leave alone (toggles, scaler)

    # -- names ---------------------------------------------------------------------------------

    def spell(self, target: str) -> str:
        """``mindspore.value_and_grad`` as this file's imports spell it."""
        best: tuple[int, str] | None = None
        for local, full in self.imports.bindings.items():
            if target == full:
                return local
            if target.startswith(full + ".") and (best is None or len(full) > best[0]):
                best = (len(full), f"{local}{target[len(full) :]}")
        if best is not None:
            return best[1]
        self.need_import = True
        return target

    def source(self, node: ast.AST) -> str:
        return self.lines.text_of(node_span(self.lines, node))

    # -- recognising -----------------------------------------------------------------------------

    def steps(self) -> Iterator[_Step]:
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Expr):
                continue
            call = _method_call(node, "backward")
            if call is None or id(node) not in self.parents.block_of:
                continue
            assert isinstance(call.func, ast.Attribute)
            receiver = call.func.value
            scaler = None
            if (
                isinstance(receiver, ast.Call)
                and _called_name(receiver) == "scale"
                and isinstance(receiver.func, ast.Attribute)
                and len(receiver.args) == 1
            ):
                scaler = self.source(receiver.func.value)
                receiver = receiver.args[0]
            step = _Step(node, self.parents.block_of[id(node)], self.source(receiver), scaler)
            if call.args or call.keywords:
                step.todos.append(
                    (
                        f"backward({', '.join(self.source(a) for a in (*call.args, *call.keywords))}) has no MindSpore form: grad_fn computes the gradients of one loss",
                        f"backward({', '.join(self.source(a) for a in (*call.args, *call.keywords))}) 在 MindSpore 中没有对应写法:grad_fn 只求一个损失的梯度",
                    )
                )
            if self._around_step(step):
                yield step

    def _optimizer_of(self, call: ast.Call) -> str | None:
        """``opt`` for ``opt.step()`` or ``scaler.step(opt)``; None for schedulers."""
        assert isinstance(call.func, ast.Attribute)
        if call.args:
            return self.source(call.args[0]) if len(call.args) == 1 else None
        name = self.source(call.func.value)
        low = name.lower()
        if "sched" in low or "lr" in low.rsplit(".", 1)[-1]:
            return None
        return name

    def _around_step(self, step: _Step) -> bool:
        block = step.block
        index = block.index(step.backward)
        optimizers: list[str] = []
        # after backward(): this block, and ``if`` bodies in it (gradient accumulation)
        for statement in block[index + 1 :]:
            inner = [statement]
            if isinstance(statement, ast.If):
                inner = statement.body
            for part in inner:
                if (call := _method_call(part, "step")) is not None:
                    optimizer = self._optimizer_of(call)
                    if optimizer is None:
                        continue
                    optimizers.append(optimizer)
                    if part is not statement:
                        step.accumulates = True
                    step.rewritten[id(part)] = (part, [])
                elif _method_call(part, "zero_grad", "update", "unscale_") is not None or (
                    isinstance(part, ast.Expr)
                    and isinstance(part.value, ast.Call)
                    and _called_name(part.value) in (_CLIP_NORM, _CLIP_VALUE)
                ):
                    step.rewritten[id(part)] = (part, [])
        if not optimizers:
            return False
        if len(set(optimizers)) > 1:
            step.problem = (
                f"several optimizers step here ({', '.join(sorted(set(optimizers)))}): write one value_and_grad per optimizer by hand",
                f"这里有多个优化器({', '.join(sorted(set(optimizers)))}):请为每个优化器分别写 value_and_grad",
            )
        step.optimizer = optimizers[0]
        # before backward(): the forward section, found through what the loss needs
        needed = set(_loads(ast.parse(step.loss_source, mode="eval")))
        for statement in reversed(block[:index]):
            if _method_call(statement, "zero_grad") is not None:
                step.removed.append(statement)
                continue
            body = statement.body if _is_autocast(statement) else [statement]  # type: ignore[attr-defined]
            if not all(isinstance(s, _SIMPLE) for s in body):
                break
            stores = _stores(statement) - (
                set() if not isinstance(statement, ast.With) else _stores(statement.items[0])
            )
            if not stores & needed:
                break
            needed -= {n for s in body if not isinstance(s, ast.AugAssign) for n in _stores(s)}
            needed.update(_loads(statement))
            step.section.insert(0, statement)
        # zero_grad() earlier in the block (the top of the loop body, say)
        first = block.index(step.section[0]) if step.section else index
        for statement in block[:first]:
            if _method_call(statement, "zero_grad") is not None and statement not in step.removed:
                step.removed.append(statement)
        return True

    # -- writing -------------------------------------------------------------------------------

    def _line_range(self, statements: list[ast.stmt]) -> tuple[int, int]:
        return statements[0].lineno - 1, (statements[-1].end_lineno or statements[-1].lineno)

    def _indent(self, statement: ast.stmt) -> str:
        line = self.lines.line(statement.lineno - 1)
        return line[: len(line) - len(line.lstrip(" \t"))]

    def _alone_on_lines(self, statement: ast.stmt) -> bool:
        """No other statement shares the statement's lines (``a = 1; b = 2``)."""
        first = self.lines.line(statement.lineno - 1)
        last = self.lines.line((statement.end_lineno or statement.lineno) - 1)
        span = node_span(self.lines, statement)
        head = first[: span.start.column]
        tail = last[span.end.column :].strip()
        return not head.strip() and (not tail or tail.startswith("#"))

    def _anchor(self, step: _Step) -> ast.stmt:
        """Where ``forward_fn`` and ``grad_fn`` go: before the outermost loop around the step,
        in the step's function (or module); else right before the forward section."""
        anchor: ast.stmt = step.section[0] if step.section else step.backward
        for node in self.parents.chain(step.backward):
            if isinstance(node, _LOOPS):
                anchor = node
        return anchor

    def _moved_lines(self, step: _Step, indent: str) -> list[str]:
        """The forward section's text, re-indented for the body of ``forward_fn``."""
        out: list[str] = []
        base = self._indent(step.section[0])
        for statement in step.section:
            statements = statement.body if _is_autocast(statement) else [statement]  # type: ignore[attr-defined]
            inner = self._indent(statements[0])
            start, end = self._line_range(statements)
            for number in range(start, end):
                text = self.lines.line(number).rstrip("\r\n")
                strip = inner if text.startswith(inner) else base
                if text.startswith(strip):
                    text = text[len(strip) :]
                out.append(f"{indent}    {text}" if text.strip() else "")
        return out

    def fix(self, step: _Step) -> Fix | None:
        self.need_import = False
        self.claimed = []
        if step.problem is not None or not step.section:
            return None
        statements = [
            step.backward,
            *step.section,
            *step.removed,
            *(s for s, _ in step.rewritten.values()),
        ]
        if not all(self._alone_on_lines(s) for s in statements):
            return None
        section_names: set[str] = set()
        for statement in step.section:
            section_names |= _stores(statement)
        anchor = self._anchor(step)
        scope = next(
            (n for n in self.parents.chain(step.backward) if isinstance(n, _SCOPES)), self.tree
        )
        # inputs: names the section reads that change in the loop (or the function's arguments)
        varying: set[str] = set()
        for node in self.parents.chain(step.backward):
            if isinstance(node, _LOOPS):
                varying |= _stores(node)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                varying |= {a.arg for a in (*node.args.posonlyargs, *node.args.args)}
        called = {
            n.func.id
            for s in step.section
            for n in ast.walk(s)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        }
        varying -= called  # the model and the loss function stay closures
        assigned_before: set[str] = set()
        inputs: list[str] = []
        flat = [
            inner
            for statement in step.section
            for inner in (statement.body if _is_autocast(statement) else [statement])  # type: ignore[attr-defined]
        ]
        for statement in flat:
            for name in _loads(statement):
                if name in varying and name not in assigned_before and name not in inputs:
                    inputs.append(name)
            assigned_before |= _stores(statement)
        defined: set[str] = set()
        for statement in flat:
            if (
                isinstance(statement, ast.AugAssign)
                and isinstance(statement.target, ast.Name)
                and statement.target.id not in defined
            ):
                return None  # ``total += ...`` on an outer name: not movable as is
            defined |= _stores(statement)
        # outputs used outside the section come back as auxiliary outputs
        moved = {id(n) for s in step.section for n in ast.walk(s)}
        used_elsewhere = {
            n.id
            for n in ast.walk(scope)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and id(n) not in moved
        }
        loss_name = step.loss_source if step.loss_source.isidentifier() else "loss"
        aux = sorted((section_names & used_elsewhere) - {loss_name})
        vag = self.spell("mindspore.value_and_grad")
        amp = self.spell("mindspore.amp")
        indent = self._indent(anchor)
        inner = self._indent(step.backward)
        grads = "accum_grads" if step.accumulates else "grads"
        todos = list(step.todos)
        # forward_fn and grad_fn
        head: list[str] = []
        params = ", ".join(inputs)
        head.append(f"{indent}def forward_fn({params}):")
        head.extend(self._moved_lines(step, indent))
        returned = step.loss_source
        if step.scaler:
            returned = f"{step.scaler}.scale({returned})"
        if aux:
            returned = ", ".join([returned, *aux])
        head.append(f"{indent}    return {returned}")
        head.append("")
        has_aux = ", has_aux=True" if aux else ""
        head.append(
            f"{indent}grad_fn = {vag}(forward_fn, None, {step.optimizer}.parameters{has_aux})"
        )
        if step.accumulates:
            head.append(f"{indent}accum_grads = None")
        constructor = self._optimizer_class(step) or ""
        # torch's class, converted by another fix (or already MindSpore's, a fix ago)
        optimizer_api = self.written.get(constructor, constructor)
        if optimizer_api.startswith(_MINT_OPTIM):
            todos.append(
                (
                    f"{optimizer_api} leaves the parameters unchanged when called outside"
                    " mindspore.jit (MindSpore 2.10, checked on CPU): move grad_fn(...) and"
                    f" {step.optimizer}(grads) into one function decorated with @mindspore.jit,"
                    " or convert with the classic target (mindspore.experimental.optim updates"
                    " in both modes)",
                    f"在 mindspore.jit 之外调用时,{optimizer_api} 不会改变参数(MindSpore 2.10,"
                    f"已在 CPU 上验证):请把 grad_fn(...) 和 {step.optimizer}(grads) 放进同一个用"
                    " @mindspore.jit 装饰的函数,或改用经典目标转换(mindspore.experimental.optim"
                    " 在两种模式下都会更新)",
                )
            )
        for statement in step.section:
            if _is_autocast(statement):
                todos.append(
                    (
                        f"{self.source(statement.items[0].context_expr)} was dropped: MindSpore has no autocast context; set mixed precision on the model once with {amp}.auto_mixed_precision(model, 'O1')",  # type: ignore[attr-defined]
                        f"已删除 {self.source(statement.items[0].context_expr)}:MindSpore 没有 autocast 上下文;请对模型调用一次 {amp}.auto_mixed_precision(model, 'O1')",  # type: ignore[attr-defined]
                    )
                )
        # the call replacing the section and backward()
        target = f"({loss_name}, {', '.join(aux)})" if aux else loss_name
        call = [f"{inner}{target}, grads = grad_fn({params})"]
        if step.scaler:
            call.append(f"{inner}{loss_name} = {step.scaler}.unscale({loss_name})")
            call.append(f"{inner}grads = {step.scaler}.unscale(grads)")
        if step.accumulates:
            call.append(
                f"{inner}accum_grads = grads if accum_grads is None"
                " else tuple(a + g for a, g in zip(accum_grads, grads))"
            )
        for text_en, text_zh in todos:
            call.insert(0, f"{inner}# TODO(mindport): [MP601] {_t(self.locale, text_en, text_zh)}")
        edits: list[TextEdit] = []
        start, _ = self._line_range([step.section[0]])
        _, end = self._line_range([step.backward])
        replacement = "\n".join(call) + "\n"
        if anchor is step.section[0]:
            replacement = "\n".join(head) + "\n" + replacement
        else:
            a_start, _ = self._line_range([anchor])
            edits.append(_insert(a_start, "\n".join(head) + "\n\n"))
        edits.append(_replace(start, end, replacement))
        for statement in step.removed:
            if start <= statement.lineno - 1 < end:
                continue
            edits.append(self._statement_edit(statement, []))
        for statement, _ in step.rewritten.values():
            edits.append(self._statement_edit(statement, self._after(step, statement, grads)))
        edits.extend(self._parameters_edits(step, scope))
        model = self._model_of(step, scope)
        if model is not None:
            toggles = self._toggle_edits(model, scope)
            if toggles:
                edits.extend(toggles)
            else:
                # torch modules start in training mode, MindSpore cells in inference mode
                line = self._line_range([anchor])[0]
                edits.append(_insert(line, f"{indent}{model}.set_train()\n"))
        edits.extend(self._scaler_edits(step, scope))
        if self.need_import:
            edits.insert(
                0, _insert(self.imports.insert_line, f"import mindspore{self.imports.line_ending}")
            )
        edits = _merge_insertions(edits)
        title = _t(
            self.locale,
            "Rewrite this training step with mindspore.value_and_grad (unsafe: moves the forward pass into a function; review it)",
            "用 mindspore.value_and_grad 改写此训练步骤(不安全:前向计算移入函数,请检查)",
        )
        return Fix(title, tuple(edits), safe=False)

    def _parameters_edits(self, step: _Step, scope: ast.AST) -> list[TextEdit]:
        """``optimizer = X(model.parameters(), ...)``: MindSpore's optimizers take
        ``model.trainable_params()`` (a list of the trainable Parameters)."""
        edits: list[TextEdit] = []
        for node in ast.walk(scope):
            if not (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and self.source(node.targets[0]) == step.optimizer
                and isinstance(node.value, ast.Call)
                and node.value.args
            ):
                continue
            first = node.value.args[0]
            if (
                isinstance(first, ast.Call)
                and isinstance(first.func, ast.Attribute)
                and first.func.attr in ("parameters", "get_parameters")
                and not first.args
                and not first.keywords
            ):
                span = node_span(self.lines, first)
                receiver = self.source(first.func.value)
                edits.append(TextEdit(span, f"{receiver}.trainable_params()"))
        return edits

    def _optimizer_class(self, step: _Step) -> str | None:
        """``torch.optim.SGD`` for ``optimizer = optim.SGD(...)`` anywhere in the file."""
        for node in ast.walk(self.tree):
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and self.source(node.targets[0]) == step.optimizer
                and isinstance(node.value, ast.Call)
            ):
                parts: list[str] = []
                func: ast.AST = node.value.func
                while isinstance(func, ast.Attribute):
                    parts.append(func.attr)
                    func = func.value
                if isinstance(func, ast.Name) and func.id in self.imports.bindings:
                    return ".".join([self.imports.bindings[func.id], *reversed(parts)])
        return None

    def _model_of(self, step: _Step, scope: ast.AST) -> str | None:
        """``model`` in ``optimizer = X(model.parameters(), ...)`` in the step's scope."""
        for node in ast.walk(scope):
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and self.source(node.targets[0]) == step.optimizer
                and isinstance(node.value, ast.Call)
                and node.value.args
                and isinstance(node.value.args[0], ast.Call)
                and isinstance(node.value.args[0].func, ast.Attribute)
                and node.value.args[0].func.attr in ("parameters", "get_parameters")
            ):
                return self.source(node.value.args[0].func.value)
        return None

    def _toggle_edits(self, model: str, scope: ast.AST) -> list[TextEdit]:
        """``model.train()`` / ``model.eval()`` -> ``model.set_train()`` / ``(False)``."""
        edits: list[TextEdit] = []
        for node in ast.walk(scope):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("train", "eval", "set_train")
                and self.source(node.func.value) == model
                and not node.keywords
                and len(node.args) <= 1
            ):
                continue
            if node.func.attr == "set_train":
                edits.append(TextEdit(node_span(self.lines, node), self.source(node)))
                continue
            mode = "False" if node.func.attr == "eval" else ""
            if node.args:
                mode = self.source(node.args[0])
            edits.append(TextEdit(node_span(self.lines, node), f"{model}.set_train({mode})"))
        self.claimed.extend(e.span for e in edits)
        return edits

    def _scaler_edits(self, step: _Step, scope: ast.AST) -> list[TextEdit]:
        """``scaler = torch.amp.GradScaler(...)`` -> ``mindspore.amp.DynamicLossScaler``."""
        if step.scaler is None:
            return []
        for node in ast.walk(scope):
            if not (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and self.source(node.targets[0]) == step.scaler
                and isinstance(node.value, ast.Call)
                and _called_name(node.value) == "GradScaler"
            ):
                continue
            keywords = {k.arg: k.value for k in node.value.keywords if k.arg}
            positional = [
                "device",
                "init_scale",
                "growth_factor",
                "backoff_factor",
                "growth_interval",
                "enabled",
            ]
            if _called_name(node.value) and "cuda" in self.source(node.value.func):
                positional = positional[1:]  # torch.cuda.amp.GradScaler has no device
            for name, value in zip(positional, node.value.args, strict=False):
                keywords[name] = value

            init = _literal(keywords, "init_scale", 65536.0)
            growth = _literal(keywords, "growth_factor", 2.0)
            backoff = _literal(keywords, "backoff_factor", 0.5)
            interval = _literal(keywords, "growth_interval", 2000)
            todos: list[tuple[str, str]] = []
            if None in (init, growth, interval) or growth != int(growth or 0):
                return []
            if backoff is None or growth is None or backoff * growth != 1.0:
                todos.append(
                    (
                        "backoff_factor is not carried over: DynamicLossScaler divides by scale_factor on overflow",
                        "未保留 backoff_factor:DynamicLossScaler 溢出时除以 scale_factor",
                    )
                )
            enabled = keywords.get("enabled")
            if enabled is not None and not (
                isinstance(enabled, ast.Constant) and enabled.value is True
            ):
                todos.append(
                    (
                        f"enabled={self.source(enabled)} has no MindSpore switch: the loss scaler always scales (exact in float32 unless the scaled gradients overflow)",
                        f"enabled={self.source(enabled)} 在 MindSpore 中没有开关:损失缩放器总是缩放(float32 下除非溢出,结果相同)",
                    )
                )
            amp = self.spell("mindspore.amp")
            assert init is not None and growth is not None and interval is not None
            text = (
                f"{amp}.DynamicLossScaler(scale_value={init!r}, scale_factor={int(growth)},"
                f" scale_window={int(interval)})"
            )
            span = node_span(self.lines, node.value)
            self.claimed.append(span)
            edits = [TextEdit(span, text)]
            indent = self._indent(node)
            line = self._line_range([node])[0]
            for en, zh in todos:
                edits.append(
                    _insert(line, f"{indent}# TODO(mindport): [MP601] {_t(self.locale, en, zh)}\n")
                )
            return edits
        return []

    def _after(self, step: _Step, statement: ast.stmt, grads: str) -> list[str]:
        """The MindSpore lines for one statement after backward()."""
        indent = self._indent(statement)
        assert isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
        call = statement.value
        name = _called_name(call)
        if name == "step":
            if step.scaler:
                amp = self.spell("mindspore.amp")
                return [
                    f"{indent}grads_finite = {amp}.all_finite({grads})",
                    f"{indent}if grads_finite:",
                    f"{indent}    {step.optimizer}({grads})",
                    f"{indent}{step.scaler}.adjust(grads_finite)",
                ]
            lines = [f"{indent}{step.optimizer}({grads})"]
            return lines
        if name == "zero_grad":
            return [f"{indent}accum_grads = None"] if step.accumulates else []
        if name in ("update", "unscale_"):
            return []
        args = [self.source(a) for a in call.args]
        keywords = {k.arg: self.source(k.value) for k in call.keywords if k.arg}
        ops = self.spell("mindspore.ops")
        if name == _CLIP_NORM:
            limit = args[1] if len(args) > 1 else keywords.get("max_norm", "1.0")
            lines = [f"{indent}{grads} = {ops}.clip_by_global_norm({grads}, {limit})"]
            norm = args[2] if len(args) > 2 else keywords.get("norm_type")
            if norm is not None and norm not in ("2", "2.0"):
                lines.insert(
                    0,
                    f"{indent}# TODO(mindport): [MP601] "
                    + _t(
                        self.locale,
                        f"norm_type={norm} is not carried over: clip_by_global_norm uses the 2-norm",
                        f"未保留 norm_type={norm}:clip_by_global_norm 使用 2-范数",
                    ),
                )
            return lines
        if name == _CLIP_VALUE:
            limit = args[1] if len(args) > 1 else keywords.get("clip_value", "1.0")
            return [
                f"{indent}{grads} = tuple({ops}.clip_by_value(g, -{limit}, {limit}) for g in {grads})"
            ]
        return [f"{indent}{self.source(statement)}"]

    def _statement_edit(self, statement: ast.stmt, lines: list[str]) -> TextEdit:
        start, end = self._line_range([statement])
        block = self.parents.block_of[id(statement)]
        if not lines and len(block) == 1:
            lines = [f"{self._indent(statement)}pass"]
        return _replace(start, end, "".join(line + "\n" for line in lines))


def _literal(keywords: dict[str, ast.expr], name: str, default: float) -> float | None:
    """A number passed as ``name`` (its default when not passed); None when not a literal."""
    value = keywords.get(name)
    if value is None:
        return default
    try:
        number = ast.literal_eval(value)
    except ValueError:
        return None
    return float(number) if isinstance(number, (int, float)) else None


def _merge_insertions(edits: list[TextEdit]) -> list[TextEdit]:
    """Insertions at one point become one edit (in order): clients may apply two insertions
    at the same place in either order."""
    merged: list[TextEdit] = []
    for edit in edits:
        empty = edit.span.start == edit.span.end
        twin = next(
            (
                i
                for i, e in enumerate(merged)
                if empty and e.span.start == e.span.end == edit.span.start
            ),
            None,
        )
        if twin is None:
            merged.append(edit)
        else:
            merged[twin] = TextEdit(edit.span, merged[twin].new_text + edit.new_text)
    return merged


def _insert(line: int, text: str) -> TextEdit:
    return TextEdit(Span(Position(line, 0), Position(line, 0)), text)


def _replace(start: int, end: int, text: str) -> TextEdit:
    return TextEdit(Span(Position(start, 0), Position(end, 0)), text)


def training_step_findings(
    static: StaticResult, locale: Locale, written: Mapping[str, str] | None = None
) -> tuple[list[Finding], list[Span]]:
    """One MP601 per ``backward()`` of a training step, with the unsafe rewrite as its fix."""
    text = static.parsed.lines.text
    if "backward" not in text or not any(
        full == "torch" or full.startswith("torch.") for full in static.imports.bindings.values()
    ):
        return [], []
    writer = _Writer(static, locale, written)
    findings: list[Finding] = []
    claimed: list[Span] = []
    for step in writer.steps():
        try:
            fix = writer.fix(step)
        except (ValueError, SyntaxError, IndexError):
            fix = None
        if fix is not None:
            claimed.extend(writer.claimed)
            claimed.extend(
                node_span(writer.lines, s)
                for s in (step.backward, *step.removed, *(s for s, _ in step.rewritten.values()))
            )
        message = _t(
            locale,
            "A PyTorch training step: MindSpore has no backward(); the loss becomes a function"
            " whose gradients mindspore.value_and_grad returns, and the optimizer is called"
            " with them.",
            "PyTorch 训练步骤:MindSpore 没有 backward();损失需写成函数,由"
            " mindspore.value_and_grad 返回梯度,再用梯度调用优化器。",
        )
        if step.problem is not None:
            message += " " + _t(locale, *step.problem)
        elif fix is None:
            message += " " + _t(
                locale,
                "No automatic rewrite here: the loss is not computed by simple statements"
                " right before backward() in the same block.",
                "此处无法自动改写:损失不是在同一代码块中 backward() 之前由简单语句算出的。",
            )
        findings.append(
            Finding(
                code=TRAINING_STEP.code,
                severity=TRAINING_STEP.severity,
                span=node_span(writer.lines, step.backward),
                message=message,
                torch_api="torch.Tensor.backward",
                # backward() itself has no counterpart (MP102): the message names the way
                mindspore_api=None,
                confidence=Confidence.CONFIRMED,
                fix=fix,
            )
        )
    return findings, claimed

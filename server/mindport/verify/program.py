"""The torch program of a case, and its MindSpore version written by MindPort's own fixer.

Nothing here is converted by hand: ``torch_program`` writes the torch source, ``convert`` runs
``fix_all`` for one target (safe fixes first, unsafe ones only when safe ones leave torch
code, or leave aside an unsafe rewrite of a method call that removes nothing) and accepts the
result only when no torch name is left in it. The torch imports, unused after a complete
conversion, are then removed; the MindSpore worker also refuses to import torch, so a
converted program can never fall back on it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mindport.analysis.findings import Finding
from mindport.conversion.edits import TODO_MARKER
from mindport.fixes.fix_all import fix_all
from mindport.kb.model import Entry
from mindport.verify.cases import Case, CaseKind

HEADER = "import torch\nimport torch.nn.functional as F\nfrom torch import nn\n"
CASE_FUNCTION = "case"
SCHEDULER_OPTIMIZER = "torch.optim.SGD(params, lr=0.1)"

FindingsOf = Callable[[str, str], "list[Finding] | tuple[Finding, ...]"]  # (text, target)


def _indent(body: str) -> str:
    lines = [line.rstrip() for line in body.strip("\n").splitlines()]
    # keep the author's relative indentation
    margin = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return "\n".join(f"    {x[margin:]}" if x.strip() else "" for x in lines)


def torch_program(case: Case) -> str:
    """The torch source: the shared imports and ``def case(...)``."""
    if case.kind is CaseKind.FUNCTION:
        params = ", ".join(f"{name}: torch.Tensor" for name, _ in case.inputs)
    elif case.kind is CaseKind.MODULE:
        params = ""
    else:
        params = "params"
    if case.is_body:
        body = _indent(case.code)
    elif case.kind is CaseKind.SCHEDULER:
        body = f"    opt = {SCHEDULER_OPTIMIZER}\n    return opt, {case.code.strip()}"
    else:
        body = f"    return {case.code.strip()}"
    return f"{HEADER}\n\ndef {CASE_FUNCTION}({params}):\n{body}\n"


@dataclass(frozen=True, slots=True)
class Conversion:
    """The fixer's output for one target: the program, or why there is none."""

    target: str
    text: str | None
    unsafe: bool = False  # unsafe fixes were needed
    problem: str | None = None  # why the program could not be converted
    warnings: tuple[str, ...] = ()  # behaviour warnings (MP3xx) on the torch program
    todos: tuple[str, ...] = ()  # arguments an unsafe fix removed (its TODO lines)

    @property
    def warned(self) -> bool:
        """Does MindPort already tell the user that this call may behave differently?"""
        return self.unsafe or bool(self.warnings)


def _torch_bindings(tree: ast.Module) -> dict[str, ast.stmt]:
    """Names bound by top-level torch imports, and the statement binding each."""
    bound: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "torch" or alias.name.startswith("torch."):
                    bound[alias.asname or alias.name.split(".", 1)[0]] = node
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and (node.module == "torch" or node.module.startswith("torch."))
        ):
            for alias in node.names:
                bound[alias.asname or alias.name] = node
    return bound


def torch_leftovers(text: str) -> list[str]:
    """Source snippets that still use a torch import (an incomplete conversion)."""
    tree = ast.parse(text)
    bound = _torch_bindings(tree)
    found: list[str] = []
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in bound:
            outer: ast.AST = node
            while isinstance(parents.get(id(outer)), ast.Attribute):
                outer = parents[id(outer)]
            snippet = ast.get_source_segment(text, outer) or node.id
            if snippet not in found:
                found.append(snippet)
    return found


def strip_torch_imports(text: str) -> str:
    """Remove the top-level torch import statements (the caller checked they are unused)."""
    tree = ast.parse(text)
    drop = {
        line
        for stmt in set(_torch_bindings(tree).values())
        for line in range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1)
    }
    lines = text.splitlines(keepends=True)
    return "".join(line for number, line in enumerate(lines, 1) if number not in drop)


def _remarks(findings: Sequence[Finding]) -> list[str]:
    out: list[str] = []
    for finding in findings:
        if finding.code.startswith(("MP1", "MP2", "MP3")) and finding.message not in out:
            out.append(f"{finding.code} {finding.message.splitlines()[-1]}")
    return out


def _offers_unsafe_fixes(text: str, target: str, findings_of: FindingsOf) -> bool:
    return any(f.fix is not None and not f.fix.safe for f in findings_of(text, target))


def suite_notes(entry: Entry) -> frozenset[str]:
    """English titles of the entry's untriggered notes that this suite established.

    Such a note is shown at every call of the API (in its MP101 or MP301 diagnostic); a
    failure it describes is one MindPort already tells the user about.
    """
    return frozenset(
        note.title.en
        for note in entry.notes
        if note.trigger is None and note.verified and "equivalence suite" in note.verified
    )


def convert(
    text: str, target: str, findings_of: FindingsOf, notes: frozenset[str] = frozenset()
) -> Conversion:
    """Convert with the fixer; the program counts only when no torch name is left.

    Safe fixes first; unsafe ones when the safe ones leave torch code, or when an unsafe fix
    that removes nothing was left aside (a Tensor method call rewritten for review).
    """

    def run(unsafe: bool) -> tuple[str, list[str]]:
        fixed = fix_all(text, lambda t: findings_of(t, target), unsafe=unsafe).text
        try:
            return fixed, torch_leftovers(fixed)
        except SyntaxError as error:
            return fixed, [f"the fixed text does not parse: {error.msg}"]

    fixed, leftovers = run(unsafe=False)
    unsafe = False
    if leftovers:
        fixed_unsafe, left_unsafe = run(unsafe=True)
        if len(left_unsafe) < len(leftovers):
            fixed, leftovers, unsafe = fixed_unsafe, left_unsafe, True
    elif _offers_unsafe_fixes(text, target, findings_of):
        # A Tensor method call keeps no torch name when left alone, yet MindPort may offer an
        # unsafe rewrite of it (``x.norm(p=1)`` -> ``x.norm(ord=1)``, to review): take it
        # when it removes nothing (no TODO line), as a user following the fix would.
        fixed_unsafe, left_unsafe = run(unsafe=True)
        if not left_unsafe and TODO_MARKER not in fixed_unsafe and fixed_unsafe != fixed:
            fixed, unsafe = fixed_unsafe, True
    found = findings_of(text, target)
    warnings = tuple(
        f"{f.code} {f.message.splitlines()[0]}" for f in found if f.code.startswith("MP3")
    ) + tuple(
        f"{f.code} {line}"
        for f in found
        for line in f.message.splitlines()[1:]
        if line.startswith("Note: ") and line.removeprefix("Note: ") in notes
    )
    todos = tuple(line.strip() for line in fixed.splitlines() if "TODO(mindport)" in line)
    if leftovers:
        remarks = _remarks(findings_of(fixed, target))
        why = "; ".join(remarks) if remarks else "no finding explains it"
        return Conversion(
            target,
            None,
            unsafe,
            f"the fixer left torch code ({', '.join(f'`{s}`' for s in leftovers)}): {why}",
            warnings,
            todos,
        )
    return Conversion(target, strip_torch_imports(fixed), unsafe, None, warnings, todos)


def analyzer_findings() -> FindingsOf:
    """``findings_of`` over the real knowledge base (static analysis, as ``mindport fix``)."""
    from mindport.analysis.checks import AnalysisOptions
    from mindport.analysis.engine import Analyzer
    from mindport.kb.loader import load_knowledge

    analyzer = Analyzer(load_knowledge())
    # Each target is measured as itself: no `devices` constraint swaps a target without a CPU
    # kernel for the other one (what the suite records is what that swap relies on).
    options = {t: AnalysisOptions(target=t, devices=()) for t in ("mint", "classic")}

    def findings_of(text: str, target: str) -> tuple[Finding, ...]:
        return analyzer.analyze_static(text, options[target]).findings

    return findings_of

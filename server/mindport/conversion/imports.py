"""Spell a MindSpore name with the imports the file already has, or add ``import mindspore``."""

from __future__ import annotations

from mindport.analysis.static_pass import ModuleImports
from mindport.text import Position, SourceLines, Span, TextEdit


def spell(target: str, imports: ModuleImports) -> tuple[str, bool]:
    """How to write ``target`` here, and whether ``import <top package>`` must be added.

    ``from mindspore import Parameter`` gives ``Parameter``; ``import mindspore as ms`` gives
    ``ms.Parameter``; with neither, ``mindspore.Parameter`` plus a new import.
    """
    best: tuple[int, str] | None = None
    for local, full in imports.bindings.items():
        if target == full:
            return local, False
        if target.startswith(full + ".") and (best is None or len(full) > best[0]):
            best = (len(full), f"{local}{target[len(full) :]}")
    if best is not None:
        return best[1], False
    return target, True


def add_import_edit(package: str, imports: ModuleImports, lines: SourceLines) -> TextEdit:
    """Insert ``import <package>`` after the module's leading imports."""
    line = imports.insert_line
    text = f"import {package}{imports.line_ending}"
    if line >= len(lines):
        line = len(lines)
        if lines.text and not lines.text.endswith(("\n", "\r")):
            text = imports.line_ending + text
    position = Position(line, 0)
    return TextEdit(Span(position, position), text)

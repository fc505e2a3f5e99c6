"""Find an API's definition with jedi (set up like the server) and read ``.pyi`` overloads.

jedi answers with the definition site (``torch._C._VariableFunctions.sum`` in
``_VariableFunctions.pyi``); parso then gives every ``def`` of that name in the same scope,
which is how the stubs spell overloads. Nothing here imports the analysed packages: the
environment and project come from ``JediResolver``, so the jedi name table and the stub
signatures are what the language server itself will see.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import jedi
import parso

from mindport.analysis.jedi_resolver import JediResolver
from mindport.kb.generate.sigtext import Signature, SignatureSyntaxError, parse_signature
from mindport.kb.loader import KnowledgeBase


@dataclass(frozen=True, slots=True)
class Definition:
    full_name: str
    module_name: str
    module_path: Path | None
    line: int | None
    type: str


def lookup_script(name: str, module: str) -> tuple[str, int, int]:
    """Source that mentions ``name`` after importing ``module``; the position of its last part."""
    text = f"import {module}\n{name}"
    return text, 2, len(name) - 1


class Locator:
    """jedi with the server's set-up (standard-library environment, site-packages added)."""

    def __init__(self, project_root: Path, site_paths: list[str] | None = None) -> None:
        empty = KnowledgeBase(project_root, [], [])
        self.resolver = JediResolver(empty, project_root=project_root, site_paths=site_paths)

    def public_definitions(self, name: str, module: str) -> list[str]:
        """What the server's resolver reports for ``name`` (goto, then infer, then a retry)."""
        text, line, column = lookup_script(name, module)
        return self.resolver._definitions(text, None, line - 1, column)

    def definitions(self, name: str, module: str) -> list[Definition]:
        environment, project = self.resolver._setup()
        text, line, column = lookup_script(name, module)
        script = jedi.Script(text, project=project, environment=environment)
        names: list[Any] = script.goto(line, column, follow_imports=True)
        found = []
        for item in names:
            if not item.full_name:
                continue
            found.append(
                Definition(
                    full_name=item.full_name,
                    module_name=item.module_name,
                    module_path=Path(item.module_path) if item.module_path else None,
                    line=item.line,
                    type=item.type,
                )
            )
        return found


class StubReader:
    """Overloads of a definition found in a ``.pyi`` file."""

    def __init__(self) -> None:
        self._modules: dict[Path, dict[str, list[Any]]] = {}

    def _index(self, path: Path) -> dict[str, list[Any]]:
        if path not in self._modules:
            tree = cast(Any, parso).parse(path.read_text(encoding="utf-8"))
            index: dict[str, list[Any]] = {}
            self._collect(tree, "", index)
            self._modules[path] = index
        return self._modules[path]

    def _collect(self, node: Any, prefix: str, index: dict[str, list[Any]]) -> None:
        for child in getattr(node, "children", ()):
            target = child.children[-1] if child.type == "decorated" else child
            if target.type == "funcdef":
                index.setdefault(prefix + target.name.value, []).append(target)
            elif target.type == "classdef":
                self._collect(target.children[-1], f"{prefix}{target.name.value}.", index)
            elif child.type in ("suite", "simple_stmt", "if_stmt"):
                self._collect(child, prefix, index)

    def overloads(self, definition: Definition) -> list[Signature]:
        path = definition.module_path
        if path is None or path.suffix != ".pyi" or not path.is_file():
            return []
        qualified = definition.full_name.removeprefix(definition.module_name + ".")
        if definition.type == "class":
            qualified += ".__init__"
        functions = self._index(path).get(qualified, [])
        signatures: list[Signature] = []
        for function in functions:
            text = function.children[2].get_code(include_prefix=False)
            try:
                params = parse_signature(text)
            except SignatureSyntaxError:
                continue
            if "." in qualified and not _is_static(function) and params:
                params = params[1:]  # self / cls
            if params not in signatures:
                signatures.append(params)
        return signatures


def _is_static(function: Any) -> bool:
    parent = function.parent
    if parent is None or parent.type != "decorated":
        return False
    return any("staticmethod" in d.get_code() for d in parent.children[:-1])


def matching_paren(text: str, start: int) -> int:
    """The index of the parenthesis that closes the one at ``start``."""
    depth = 0
    quote: str | None = None
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if char == quote and text[index - 1] != "\\":
                quote = None
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(f"unbalanced parentheses: {text}")


class StaticReader:
    """Signatures of packages that are only unpacked, never imported (the data pipeline).

    jedi, set up like the server, answers ``get_signatures`` from the sources; a class's
    answer is its (possibly inherited) ``__init__`` without ``self``.
    """

    def __init__(self, project_root: Path, site_paths: list[str]) -> None:
        self.locator = Locator(project_root, site_paths)

    def signatures(self, name: str, module: str) -> tuple[str, list[Signature]] | None:
        environment, project = self.locator.resolver._setup()
        text = f"import {module}\n{name}("
        script = jedi.Script(text, project=project, environment=environment)
        found: list[Signature] = []
        kind = "function"
        for signature in script.get_signatures(2, len(name) + 1):
            rendered = str(signature.to_string())
            start = rendered.index("(")
            try:
                params = parse_signature(rendered[start : matching_paren(rendered, start) + 1])
            except (ValueError, SignatureSyntaxError):
                continue
            if signature.type == "class":
                kind = "class"
            if params not in found:
                found.append(params)
        return (kind, found) if found else None

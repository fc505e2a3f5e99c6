"""The jedi name table: definition names jedi reports -> the public names we know.

For every public name in the knowledge base we ask jedi, through the server's own resolver
set-up (standard-library environment, site-packages via ``added_sys_path``,
``load_unsafe_extensions=False``), what it resolves to: ``torch.abs`` ->
``torch._C._VariableFunctions.abs``. The table maps each such answer back. Where one
definition has several public names (``mindspore.mint.abs`` and ``mindspore.ops.abs``) the
entry's own name beats an alias and ``mint`` beats the classic namespace.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mindport.kb.generate.stubs import Locator
from mindport.kb.loader import JEDI_NAMES_FILE, KnowledgeBase

JEDI_TABLE_FORMAT = 1


def module_of(name: str) -> str:
    """The module to import before mentioning ``name``: lowercase prefix components only."""
    parts = name.split(".")[:-1]
    while len(parts) > 1 and not parts[-1][:1].islower():
        parts.pop()
    return ".".join(parts) or name.split(".")[0]


@dataclass
class JediTable:
    names: dict[str, str] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)
    jedi_version: str = ""

    def dumps(self) -> str:
        rows = ",\n".join(
            f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(self.names.items())
        )
        unresolved = ",\n".join(f"  {json.dumps(n)}" for n in sorted(self.unresolved))
        return (
            "{\n"
            f' "format": {JEDI_TABLE_FORMAT},\n'
            f' "jedi": {json.dumps(self.jedi_version)},\n'
            f' "names": {{\n{rows}\n }},\n'
            f' "unresolved": [\n{unresolved}\n ]\n'
            "}\n"
        )


def _candidates(kb: KnowledgeBase) -> list[tuple[str, int]]:
    """(public name, rank): lower rank wins when two names share one definition."""
    ranked: dict[str, int] = {}
    for entry_id in kb.ids:
        entry = kb.entry(entry_id)
        if entry is None:
            continue
        sides = [(entry.torch, 0)] + [
            (side, 2 if target_id == "mint" else 4) for target_id, side in entry.targets.items()
        ]
        for side, rank in sides:
            for offset, name in enumerate(side.names):
                value = rank + (1 if offset else 0)
                ranked[name] = min(value, ranked.get(name, value))
    return sorted(ranked.items())


def build_jedi_table(kb: KnowledgeBase, locator: Locator, names: Iterable[str] = ()) -> JediTable:
    import jedi

    table = JediTable(jedi_version=str(jedi.__version__))
    wanted = set(names)
    best: dict[str, tuple[int, str]] = {}
    for name, rank in _candidates(kb):
        if wanted and name not in wanted:
            continue
        if name.split(".")[0] not in ("torch", "mindspore"):
            continue  # torchvision & co. are not installed beside torch here
        definitions = locator.public_definitions(name, module_of(name))
        if not definitions:
            table.unresolved.append(name)
            continue
        for definition in definitions:
            if definition == name:
                continue
            current = best.get(definition)
            if current is None or (rank, name) < current:
                best[definition] = (rank, name)
    table.names = {definition: name for definition, (_, name) in best.items()}
    return table


def table_path(root: Path) -> Path:
    return root / JEDI_NAMES_FILE

"""Signature snapshots: what one installed framework says about every API we use.

A snapshot file (``knowledge/snapshots/<framework>.json``) records, per public name, its kind,
its signature(s) as text and how they were obtained (``source``), together with the
framework version they came from. Entries are built from snapshots alone, so regenerating the
knowledge base needs the frameworks only to refresh the snapshots, and ``kb validate``
compares a fresh snapshot with the stored one.

The file is JSON with one API per line, sorted, so a changed signature is a one-line diff.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mindport.kb.generate.sigtext import Signature, parse_signature

SNAPSHOT_FORMAT = 1

# How a signature was obtained, most trusted first.
SOURCES = (
    "inspect",  # inspect.signature on the object
    "inspect-init",  # the class defines __new__ with (*args, **kwargs): read __init__ instead
    "docstring",  # signature lines of the docstring (torch/MindSpore builtins, dispatchers)
    "pyi",  # the .pyi stubs, located with jedi and read with parso
    "schema",  # torch builtins without stubs: the operator schema of the argument parser
    "curated",  # knowledge/curated/signatures.toml
    "static",  # data-pipeline packages: jedi's signatures from their unpacked wheels
    "none",  # an attribute, or nothing could be read (see remark)
)


@dataclass(frozen=True, slots=True)
class ApiSnapshot:
    name: str
    kind: str  # function | class | method | attribute
    source: str
    signatures: tuple[str, ...] = ()
    legacy: tuple[str, ...] = ()  # MindSpore Tensor methods: the older overloads, to be removed
    aliases: tuple[str, ...] = ()  # other public spellings of the same object
    remark: str | None = None

    def overloads(self) -> list[Signature]:
        return [parse_signature(text) for text in self.signatures]

    def legacy_overloads(self) -> list[Signature]:
        return [parse_signature(text) for text in self.legacy]

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "source": self.source}
        if self.signatures:
            data["signatures"] = list(self.signatures)
        if self.legacy:
            data["legacy"] = list(self.legacy)
        if self.aliases:
            data["aliases"] = list(self.aliases)
        if self.remark:
            data["remark"] = self.remark
        return data

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any]) -> ApiSnapshot:
        return cls(
            name=name,
            kind=str(data["kind"]),
            source=str(data["source"]),
            signatures=tuple(data.get("signatures", ())),
            legacy=tuple(data.get("legacy", ())),
            aliases=tuple(data.get("aliases", ())),
            remark=data.get("remark"),
        )


@dataclass
class Snapshot:
    framework: str  # "torch" or "mindspore"
    version: str
    python: str
    apis: dict[str, ApiSnapshot] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)  # name -> why it is not there
    corrections: dict[str, str] = field(default_factory=dict)  # misspelt table name -> real
    data_version: str = ""  # set when the data-pipeline snapshot was merged in (not stored)

    def get(self, name: str) -> ApiSnapshot | None:
        return self.apis.get(self.corrections.get(name, name))

    def dumps(self) -> str:
        def line(key: str, value: Any) -> str:
            return f"  {json.dumps(key, ensure_ascii=False)}: " + json.dumps(
                value, ensure_ascii=False, sort_keys=True
            )

        def block(key: str, items: Iterable[tuple[str, Any]]) -> str:
            rows = [line(k, v) for k, v in items]
            if not rows:
                return f' "{key}": {{}}'
            return f' "{key}": {{\n' + ",\n".join(rows) + "\n }"

        head = [
            f' "format": {SNAPSHOT_FORMAT}',
            f' "framework": {json.dumps(self.framework)}',
            f' "version": {json.dumps(self.version)}',
            f' "python": {json.dumps(self.python)}',
        ]
        body = [
            block("corrections", sorted(self.corrections.items())),
            block("missing", sorted(self.missing.items())),
            block("apis", ((k, self.apis[k].to_json()) for k in sorted(self.apis))),
        ]
        return "{\n" + ",\n".join([*head, *body]) + "\n}\n"

    @classmethod
    def loads(cls, text: str) -> Snapshot:
        data = json.loads(text)
        if data.get("format") != SNAPSHOT_FORMAT:
            raise ValueError(f"unsupported snapshot format {data.get('format')!r}")
        return cls(
            framework=data["framework"],
            version=data["version"],
            python=data["python"],
            apis={k: ApiSnapshot.from_json(k, v) for k, v in data["apis"].items()},
            missing=dict(data.get("missing", {})),
            corrections=dict(data.get("corrections", {})),
        )

    @classmethod
    def read(cls, path: Path) -> Snapshot:
        return cls.loads(path.read_text(encoding="utf-8"))

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.dumps(), encoding="utf-8")

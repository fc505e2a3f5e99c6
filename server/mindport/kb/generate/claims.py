"""The official mapping tables' claims, as facts: which torch API maps to which, and how.

``import_tables`` reads the reference TSV files (names and category tags only, no prose) and
writes ``knowledge/sources/official-claims.json``; the entry step reads that file, so the
knowledge base can be regenerated from the repository alone. Every claim is checked against
the installed frameworks before it is believed (see ``build`` and ``report``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CLAIMS_FILE = "sources/official-claims.json"
TABLES = {"newest": "mapping-newest.tsv", "r2.4.10": "mapping-r2.4.10.tsv"}
PARAM_ROWS = "diff-rows-r2.4.10-en.tsv"

# Where each table's pages live (the diff pages are named in the tables).
DOC_BASE = {
    "newest": "https://www.mindspore.cn/docs/en/master/note/api_mapping/pytorch_diff/",
    "r2.4.10": "https://www.mindspore.cn/docs/en/r2.4.10/note/api_mapping/pytorch_diff/",
}
TABLE_ORDER = ("newest", "r2.4.10")


@dataclass(frozen=True, slots=True)
class Claim:
    """One row of an official table."""

    table: str  # "newest" or "r2.4.10"
    row: int
    torch: str  # "" for MindSpore-only rows
    mindspore: str
    category: str  # the tables' normalised tag: consistent, diff, param_names_differ, ...
    detail: tuple[str, ...] = ()  # the parameter names the category is about
    diff_page: str = ""
    category_en: str = ""  # the English page's tag where it disagrees with the Chinese one
    torch_version: str = ""

    @property
    def doc_url(self) -> str | None:
        if not self.diff_page:
            return None
        return DOC_BASE[self.table] + self.diff_page.removesuffix(".md") + ".html"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "table": self.table,
            "row": self.row,
            "torch": self.torch,
            "mindspore": self.mindspore,
            "category": self.category,
        }
        if self.detail:
            data["detail"] = list(self.detail)
        for key in ("diff_page", "category_en", "torch_version"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Claim:
        return cls(
            table=data["table"],
            row=int(data["row"]),
            torch=data["torch"],
            mindspore=data["mindspore"],
            category=data["category"],
            detail=tuple(data.get("detail", ())),
            diff_page=data.get("diff_page", ""),
            category_en=data.get("category_en", ""),
            torch_version=data.get("torch_version", ""),
        )


@dataclass(frozen=True, slots=True)
class ParamPair:
    """A parameter row of an r2.4.10 difference page: which torch name meets which MindSpore name."""

    page: str
    section: str  # "Parameters", "Input", ...
    torch: str  # "" when the page says torch has no such parameter
    mindspore: str
    kind: str  # name_differs, torch_lacks_param, ms_lacks_param, ...


@dataclass
class Claims:
    claims: list[Claim]
    pairs: list[ParamPair]
    doc_urls: dict[str, str] = field(default_factory=dict)  # API name -> its documentation

    def for_torch(self, name: str) -> list[Claim]:
        return [c for c in self.claims if c.torch == name]

    def pairs_for_page(self, page: str) -> list[ParamPair]:
        return [p for p in self.pairs if p.page == page]

    def dumps(self) -> str:
        def lines(items: Iterable[Any]) -> str:
            return ",\n".join(
                "  " + json.dumps(i, ensure_ascii=False, sort_keys=True) for i in items
            )

        pairs = (
            {
                "page": p.page,
                "section": p.section,
                "torch": p.torch,
                "mindspore": p.mindspore,
                "kind": p.kind,
            }
            for p in self.pairs
        )
        urls = ",\n".join(
            f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(self.doc_urls.items())
        )
        return (
            '{\n "about": "Facts (names and category tags) from the MindSpore PyTorch API mapping'
            ' tables; checked against the installed frameworks, never trusted as they are.",\n'
            f' "claims": [\n{lines(c.to_json() for c in self.claims)}\n ],\n'
            f' "param_pairs": [\n{lines(pairs)}\n ],\n'
            f' "doc_urls": {{\n{urls}\n }}\n}}\n'
        )

    @classmethod
    def read(cls, path: Path) -> Claims:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            claims=[Claim.from_json(c) for c in data["claims"]],
            pairs=[ParamPair(**p) for p in data["param_pairs"]],
            doc_urls=dict(data.get("doc_urls", {})),
        )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _split_names(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(",") if part.strip())


def import_tables(tables_dir: Path) -> Claims:
    """Read the reference tables (see ``../shared/reference/README.md`` for their columns)."""
    claims: list[Claim] = []
    for table in TABLE_ORDER:
        for raw in _rows(tables_dir / TABLES[table]):
            claims.append(
                Claim(
                    table=table,
                    row=int(raw["row"]),
                    torch=raw["torch_api"].strip(),
                    mindspore=raw["mindspore_api"].strip(),
                    category=raw["category"].strip(),
                    detail=_split_names(raw["detail"]),
                    diff_page=raw["diff_page"].strip(),
                    category_en=raw["category_en"].strip(),
                    torch_version=raw["torch_ref_version"].strip(),
                )
            )
    pairs = []
    for raw in _rows(tables_dir / PARAM_ROWS):
        torch_name = raw["torch_name"].strip()
        ms_name = raw["mindspore_name"].strip()
        pairs.append(
            ParamPair(
                page=raw["page"].strip(),
                section=raw["category"].strip(),
                torch="" if torch_name in ("-", "") else torch_name,
                mindspore="" if ms_name in ("-", "") else ms_name,
                kind=raw["diff_kind"].strip(),
            )
        )
    return Claims(claims=claims, pairs=pairs, doc_urls=_doc_urls(tables_dir.parent / DOCS_DIR))


_LINK = re.compile(
    r"\[((?:mindspore|torchvision|torchaudio|torchtext)\.[\w.]+)\]\((https://[^)\s]+)\)"
)
DOCS_DIR = "mindspore-docs"
MAPPING_PAGES = ("master/en/pytorch_api_mapping.md", "r2.4.10/en/pytorch_api_mapping.md")


def _doc_urls(docs_dir: Path) -> dict[str, str]:
    """The documentation link the tables give for each MindSpore (and data-pipeline) name.

    MindSpore links are moved to the current (master) documentation.
    """
    urls: dict[str, str] = {}
    for page in MAPPING_PAGES:
        path = docs_dir / page
        if not path.is_file():
            continue
        for name, url in _LINK.findall(path.read_text(encoding="utf-8")):
            if name.startswith("mindspore."):
                url = re.sub(r"/docs/en/[^/]+/", "/docs/en/master/", url)
            urls.setdefault(name, url)
    return urls

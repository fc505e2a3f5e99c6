"""Generate the extension's settings from the server's one settings schema.

``server/mindport/settings_schema.json`` is the single source of truth. This writes
``contributes.configuration`` in ``package.json`` and the English and Simplified Chinese
setting descriptions in ``package.nls.json`` / ``package.nls.zh-cn.json`` (other keys of those
files, such as command titles, are kept as they are).

    python scripts/sync_settings.py           # rewrite the files
    python scripts/sync_settings.py --check   # exit 1 if they disagree with the schema

Standard library only: it runs with any Python >= 3.10 and is imported by a pytest test.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

CLIENT = Path(__file__).resolve().parent.parent
SCHEMA = CLIENT.parent / "server" / "mindport" / "settings_schema.json"
PACKAGE = CLIENT / "package.json"
NLS = {"en": CLIENT / "package.nls.json", "zh": CLIENT / "package.nls.zh-cn.json"}
PREFIX = "mindport.config."  # nls keys this script owns
SKIPPED = {"clientOnly"}  # schema-only markers


def _is_text(value: Any) -> bool:
    """A bilingual text in the schema: ``{"en": ..., "zh": ...}``."""
    return isinstance(value, dict) and "en" in value and set(value) <= {"en", "zh"}


def _is_texts(value: Any) -> bool:
    """Per-language lists (``enumDescriptions``): ``{"en": [...], "zh": [...]}``."""
    return (
        isinstance(value, dict)
        and set(value) <= {"en", "zh"}
        and isinstance(value.get("en"), list)
    )


def _localise(spec: Any, key: str, nls: dict[str, dict[str, str]]) -> Any:
    """Copy a schema fragment, replacing bilingual texts by ``%nls-key%`` placeholders."""
    if not isinstance(spec, dict):
        return spec
    out: dict[str, Any] = {}
    for name, value in spec.items():
        if name in SKIPPED:
            continue
        if _is_texts(value):
            placeholders = []
            for index, english in enumerate(value["en"]):
                nls_key = f"{PREFIX}{key}.{name}.{index}"
                nls["en"][nls_key] = english
                nls["zh"][nls_key] = (value.get("zh") or value["en"])[index]
                placeholders.append(f"%{nls_key}%")
            out["markdownEnumDescriptions" if name == "enumDescriptions" else name] = placeholders
        elif _is_text(value):
            nls_key = f"{PREFIX}{key}.{name}"
            nls["en"][nls_key] = value["en"]
            nls["zh"][nls_key] = value.get("zh", value["en"])
            out["markdownDescription" if name == "description" else name] = f"%{nls_key}%"
        elif isinstance(value, dict):
            out[name] = _localise(value, f"{key}.{name}", nls)
        else:
            out[name] = value
    return out


def generate(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """``contributes.configuration`` and the generated nls entries per language."""
    section = schema["section"]
    nls: dict[str, dict[str, str]] = {"en": {}, "zh": {}}
    properties: dict[str, Any] = {}
    for order, (key, spec) in enumerate(schema["properties"].items()):
        entry = _localise(spec, key, nls)
        entry["order"] = order
        properties[f"{section}.{key}"] = entry
    return {"title": "MindPort", "properties": properties}, nls


def _dump(data: Any) -> str:
    # The same layout as npm's (JSON.stringify(data, null, 2) plus a newline).
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def expected_files() -> dict[Path, str]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    configuration, nls = generate(schema)
    package = json.loads(PACKAGE.read_text(encoding="utf-8"))
    package["contributes"]["configuration"] = configuration
    files = {PACKAGE: _dump(package)}
    for language, path in NLS.items():
        current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        kept = {k: v for k, v in current.items() if not k.startswith(PREFIX)}
        files[path] = _dump({**kept, **dict(sorted(nls[language].items()))})
    return files


def stale_files() -> list[Path]:
    """The generated files that do not match the schema (empty when in sync)."""
    return [
        path
        for path, text in expected_files().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report disagreement")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(
                f"{path.relative_to(CLIENT.parent)} disagrees with {SCHEMA.relative_to(CLIENT.parent)}",
                file=sys.stderr,
            )
        if stale:
            print("run `npm run sync-settings` in vscode-client/ and commit the result", file=sys.stderr)
        return 1 if stale else 0
    for path, text in expected_files().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(CLIENT.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

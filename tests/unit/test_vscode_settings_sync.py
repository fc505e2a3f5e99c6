"""The VS Code extension's settings (package.json and its nls files) are generated from
``settings_schema.json``: this fails when someone changes the schema without regenerating."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "vscode-client" / "scripts" / "sync_settings.py"


def _sync_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sync_settings", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_package_json_matches_the_settings_schema() -> None:
    stale = _sync_module().stale_files()
    assert stale == [], (
        f"{[str(p) for p in stale]} disagree with settings_schema.json: "
        "run `npm run sync-settings` in vscode-client/ (or `python vscode-client/scripts/sync_settings.py`)"
    )


def test_every_schema_property_becomes_a_localised_vscode_setting() -> None:
    sync = _sync_module()
    schema = {
        "section": "mindport",
        "properties": {
            "severity.MP101": {
                "type": "string",
                "enum": ["error", "off"],
                "default": "error",
                "clientOnly": True,
                "enumDescriptions": {"en": ["loud", "quiet"], "zh": ["响", "静"]},
                "description": {"en": "How loud.", "zh": "多响。"},
            }
        },
    }
    configuration, nls = sync.generate(schema)
    entry = configuration["properties"]["mindport.severity.MP101"]
    assert "clientOnly" not in entry
    assert entry["markdownDescription"] == "%mindport.config.severity.MP101.description%"
    assert entry["markdownEnumDescriptions"] == [
        "%mindport.config.severity.MP101.enumDescriptions.0%",
        "%mindport.config.severity.MP101.enumDescriptions.1%",
    ]
    assert nls["zh"]["mindport.config.severity.MP101.enumDescriptions.1"] == "静"
    assert nls["en"]["mindport.config.severity.MP101.description"] == "How loud."

"""MindPort's settings: one schema (``settings_schema.json``) feeds the server, the VS Code
extension's ``package.json`` and ``docs/configuration.md``. Properties marked ``clientOnly``
(such as ``trace.server``) are read by the editor extension and ignored here.

Settings arrive as nested objects (``{"jedi": {"enabled": false}}``, as VS Code sends
them) or with dotted keys (``{"jedi.enabled": false}``). A wrong value never stops the
server: it is replaced by the default and reported once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "object": (Mapping,),
    "array": (list, tuple),
}


@cache
def schema() -> dict[str, Any]:
    text = resources.files("mindport").joinpath("settings_schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def attribute_name(key: str) -> str:
    """``diagnostics.debounceMs`` -> ``diagnostics_debounce_ms``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key.replace(".", "_")).lower()


@dataclass(frozen=True)
class Settings:
    locale: str = "auto"
    target: str = "mint"
    devices: tuple[str, ...] = ("cpu", "ascend")
    rules: Mapping[str, str] = field(default_factory=dict)
    include: tuple[str, ...] = ("**/*.py", "**/*.ipynb")
    exclude: tuple[str, ...] = ()
    interpreter: str = ""
    jedi_enabled: bool = True
    diagnostics_debounce_ms: int = 300
    limits_max_file_bytes: int = 2_000_000
    limits_file_timeout_seconds: int = 30
    limits_request_timeout_seconds: int = 10


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and dotted not in schema()["properties"]:
            flat.update(_flatten(value, f"{dotted}."))
        else:
            flat[dotted] = value
    return flat


def _check_object(key: str, spec: Mapping[str, Any], value: Mapping[str, Any]) -> str | None:
    pattern = spec.get("propertyNames", {}).get("pattern")
    for name, item in value.items():
        if pattern and not re.fullmatch(pattern, str(name)):
            return f"{key} has an unknown key {json.dumps(name)}"
        problem = _check(f"{key}.{name}", spec["additionalProperties"], item)
        if problem is not None:
            return problem
    return None


def _check(key: str, spec: Mapping[str, Any], value: Any) -> str | None:
    if "enum" in spec:
        if value in spec["enum"] and isinstance(value, str):
            return None
        return f"{key} should be one of {', '.join(spec['enum'])}, not {json.dumps(value)}"
    kinds = _TYPES[spec["type"]]
    if not isinstance(value, kinds) or (spec["type"] == "integer" and isinstance(value, bool)):
        article = "an" if spec["type"][0] in "aeiou" else "a"
        return f"{key} should be {article} {spec['type']}, not {json.dumps(value)}"
    container: Any = value  # isinstance() with a tuple of types narrowed `value` to object
    if spec["type"] == "object":
        return _check_object(key, spec, container)
    if spec["type"] == "array":
        for item in container:
            problem = _check(f"{key}[]", spec["items"], item)
            if problem is not None:
                return problem
    if "minimum" in spec and value < spec["minimum"]:
        return f"{key} should be at least {spec['minimum']}, not {value}"
    if "maximum" in spec and value > spec["maximum"]:
        return f"{key} should be at most {spec['maximum']}, not {value}"
    return None


def unknown_keys(data: Mapping[str, Any]) -> list[str]:
    """Keys of ``data`` (nested or dotted) that are no setting of MindPort's.

    The editor's settings may carry other keys (a newer client's); a project's
    ``[tool.mindport]`` table may not: there an unknown key is a typo.
    """
    properties: dict[str, Any] = schema()["properties"]
    return [key for key in _flatten(data) if key not in properties]


def parse_settings(data: Any, base: Settings | None = None) -> tuple[Settings, list[str]]:
    """Settings from client data, layered over ``base``; problems say what was ignored."""
    base = base or Settings()
    if data is None:
        return base, []
    if not isinstance(data, Mapping):
        return base, [f"settings should be an object, not {type(data).__name__}; using defaults"]
    properties: dict[str, Any] = schema()["properties"]
    values = {f.name: getattr(base, f.name) for f in fields(Settings)}
    problems: list[str] = []
    for key, value in _flatten(data).items():
        spec = properties.get(key)
        if spec is None or spec.get("clientOnly"):
            continue  # unknown keys are other tools' business (or a newer client's)
        problem = _check(key, spec, value)
        if problem is not None:
            problems.append(f"{problem}; using {json.dumps(spec['default'])}")
            value = spec["default"]
        if spec["type"] == "array":
            value = tuple(value)
        elif spec["type"] == "object":
            value = dict(value)
        values[attribute_name(key)] = value
    return Settings(**values), problems


def configuration_markdown() -> str:
    """``docs/configuration.md``, generated from the schema (``mindport settings``)."""
    spec = schema()
    section = spec["section"]
    out = [
        "# Configuration",
        "",
        "<!-- Generated from server/mindport/settings_schema.json by `mindport settings`. -->",
        "",
        f"Settings live in the `{section}` section. The language server reads them from",
        "`initializationOptions` (the settings object itself, nested or with dotted keys) and then",
        f"from `workspace/configuration` (section `{section}`), which wins; it asks again after",
        "`workspace/didChangeConfiguration`. An invalid value is replaced by its default and",
        "reported once; it never stops the server. Settings marked *editor only* are read by the",
        "VS Code extension, not by the server.",
        "",
        "| setting | type | default | description |",
        "|---|---|---|---|",
    ]
    for key, prop in spec["properties"].items():
        kind = (
            " \\| ".join(f"`{json.dumps(v)}`" for v in prop["enum"])
            if "enum" in prop
            else prop["type"]
        )
        if "minimum" in prop:
            kind += f" ({prop['minimum']}–{prop['maximum']})"
        note = " *(editor only)*" if prop.get("clientOnly") else ""
        description = f"{prop['description']['en']}<br>{prop['description']['zh']}"
        default = json.dumps(prop["default"])
        out.append(f"| `{section}.{key}`{note} | {kind} | `{default}` | {description} |")
    return "\n".join(out) + "\n"

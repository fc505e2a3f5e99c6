from __future__ import annotations

from dataclasses import fields

from mindport.settings import Settings, attribute_name, parse_settings, schema


def test_schema_and_settings_type_agree() -> None:
    properties = {k: v for k, v in schema()["properties"].items() if not v.get("clientOnly")}
    assert {attribute_name(k) for k in properties} == {f.name for f in fields(Settings)}
    defaults = Settings()
    for key, spec in properties.items():
        value = getattr(defaults, attribute_name(key))
        assert (list(value) if isinstance(value, tuple) else value) == spec["default"], key
        assert spec["description"]["en"] and spec["description"]["zh"], key


def test_nested_and_dotted_keys() -> None:
    nested, problems = parse_settings(
        {"jedi": {"enabled": False}, "diagnostics": {"debounceMs": 50}}
    )
    dotted, more = parse_settings({"jedi.enabled": False, "diagnostics.debounceMs": 50})
    assert nested == dotted == Settings(jedi_enabled=False, diagnostics_debounce_ms=50)
    assert problems == more == []


def test_invalid_values_fall_back_to_defaults_with_a_message() -> None:
    settings, problems = parse_settings(
        {"target": "ops", "locale": 7, "diagnostics.debounceMs": True, "jedi": {"enabled": "yes"}},
        Settings(target="classic"),
    )
    assert settings == Settings()
    assert len(problems) == 4
    assert any("target should be one of mint, classic" in p for p in problems)


def test_objects_and_arrays() -> None:
    settings, problems = parse_settings({"rules": {"MP202": "off"}, "exclude": ["build/**"]})
    assert (
        settings.rules == {"MP202": "off"} and settings.exclude == ("build/**",) and problems == []
    )
    settings, problems = parse_settings({"rules": {"MP202": "loud"}, "include": "*.py"})
    assert settings.rules == {} and settings.include == ("**/*.py", "**/*.ipynb")
    assert problems == [
        'rules.MP202 should be one of default, error, warning, information, hint, off, not "loud"; using {}',
        'include should be an array, not "*.py"; using ["**/*.py", "**/*.ipynb"]',
    ]
    _, problems = parse_settings({"rules": {"E501": "off"}})
    assert problems == ['rules has an unknown key "E501"; using {}']


def test_unknown_keys_client_only_keys_and_non_objects() -> None:
    assert parse_settings({"somethingElse": 1, "trace": {"server": "verbose"}}) == (Settings(), [])
    settings, problems = parse_settings(["not", "an", "object"])
    assert settings == Settings() and problems

"""The repository keeps its promises: README's commands are what CI runs, docs match the code."""

from __future__ import annotations

import re

from mindport.analysis.rules import RULES
from mindport.settings import configuration_markdown
from tests.conftest import ROOT


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return [c.strip() for c in re.findall(r"```sh\n(.+?)\n\s*```", setup)]


def test_readme_gives_two_setup_commands_and_ci_runs_the_test_one() -> None:
    install, test = _readme_commands()
    assert "mindport check examples/parameter_demo.py" in install
    assert (ROOT / "examples" / "parameter_demo.py").is_file()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines(), ".ci/run must run exactly the test command README.md gives"


def test_every_rule_has_its_page() -> None:
    for code, rule in RULES.items():
        page = ROOT / "docs" / "rules" / f"{code}.md"
        assert page.is_file(), page
        assert page.read_text(encoding="utf-8").startswith(f"# {code} {rule.name}\n")
        assert rule.url.endswith(f"docs/rules/{code}.md")


def test_the_rule_index_lists_every_rule() -> None:
    index = (ROOT / "docs" / "rules" / "README.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        assert f"| [{code}]({code}.md) | {rule.name} |" in index


def test_configuration_doc_is_generated_from_the_schema() -> None:
    stored = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert stored == configuration_markdown(), "run `mindport settings > docs/configuration.md`"

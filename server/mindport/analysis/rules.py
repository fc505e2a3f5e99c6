"""The rule catalogue: stable codes, default severities and where each rule is documented.

Codes are never reused. ``docs/rules/<CODE>.md`` documents each rule; diagnostics link there.
"""

from __future__ import annotations

from dataclasses import dataclass

from mindport.analysis.findings import Severity
from mindport.kb.model import LocalText

DOCS_BASE_URL = "https://github.com/mindport/mindport/blob/main/docs/rules"


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: LocalText

    @property
    def url(self) -> str:
        return f"{DOCS_BASE_URL}/{self.code}.md"


REPLACEMENT_AVAILABLE = Rule(
    "MP101",
    "replacement-available",
    Severity.WARNING,
    LocalText(
        en="A PyTorch API that has a MindSpore counterpart; the quick-fix rewrites the call.",
        zh="存在 MindSpore 对应接口的 PyTorch API;快速修复会改写这次调用。",
    ),
)

BEHAVIOUR_DIFFERS = Rule(
    "MP301",
    "behaviour-differs",
    Severity.WARNING,
    LocalText(
        en="An argument whose effect differs between PyTorch and MindSpore in this call.",
        zh="本次调用中某个参数在 PyTorch 与 MindSpore 中的效果不同。",
    ),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in (REPLACEMENT_AVAILABLE, BEHAVIOUR_DIFFERS)}

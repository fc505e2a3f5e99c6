"""The rule catalogue: stable codes, default severities and where each rule is documented.

Codes are never reused. ``docs/rules/<CODE>.md`` documents each rule; diagnostics link there.
Families: MP1xx the API itself, MP2xx its arguments, MP3xx behaviour, MP4xx low-confidence
guesses, MP5xx class structure, MP6xx whole-program conversions (training step, checkpoints).
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
    enabled: bool = True  # off-by-default rules are turned on through the `rules` setting

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

NO_EQUIVALENT = Rule(
    "MP102",
    "no-equivalent",
    Severity.ERROR,
    LocalText(
        en="A PyTorch API that MindSpore does not have; the message gives the nearest workaround.",
        zh="MindSpore 没有对应接口的 PyTorch API;消息中给出最接近的替代做法。",
    ),
)

UNSUPPORTED_ARGUMENT = Rule(
    "MP201",
    "unsupported-argument",
    Severity.ERROR,
    LocalText(
        en="An argument this call passes that the MindSpore API cannot take.",
        zh="本次调用传入了 MindSpore 接口无法接受的参数。",
    ),
)

RENAMED_ARGUMENT = Rule(
    "MP202",
    "renamed-argument",
    Severity.INFORMATION,
    LocalText(
        en="A keyword argument that has another name in the MindSpore API.",
        zh="在 MindSpore 接口中名称不同的关键字参数。",
    ),
)

DEFAULT_DIFFERS = Rule(
    "MP203",
    "default-differs",
    Severity.WARNING,
    LocalText(
        en="An argument this call leaves out whose default differs in MindSpore.",
        zh="本次调用省略了某个参数,而它在 MindSpore 中的默认值不同。",
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

POSSIBLE_TENSOR_METHOD = Rule(
    "MP401",
    "possible-tensor-method",
    Severity.HINT,
    LocalText(
        en="A method or attribute named like a torch API on a value of unknown type (a guess; off by default).",
        zh="在类型未知的值上调用了与 torch API 同名的方法或属性(仅为猜测;默认关闭)。",
    ),
    enabled=False,
)

MODULE_SUBCLASS = Rule(
    "MP501",
    "module-subclass",
    Severity.WARNING,
    LocalText(
        en="A torch.nn.Module subclass: MindSpore models derive from nn.Cell and define construct().",
        zh="torch.nn.Module 的子类:MindSpore 模型继承 nn.Cell 并定义 construct()。",
    ),
)

TRAINING_STEP = Rule(
    "MP601",
    "training-step",
    Severity.WARNING,
    LocalText(
        en="A training step (backward() and an optimizer step); the unsafe fix writes it with mindspore.value_and_grad.",
        zh="训练步骤(backward() 与优化器 step);不安全修复会用 mindspore.value_and_grad 改写。",
    ),
)

CHECKPOINT_PAIR = Rule(
    "MP602",
    "checkpoint-pair",
    Severity.WARNING,
    LocalText(
        en="torch.save of a state dict and load_state_dict(torch.load(...)) in one file; the fix converts both to MindSpore checkpoints.",
        zh="同一文件中保存 state dict 的 torch.save 与 load_state_dict(torch.load(...));修复会把两者一起改为 MindSpore 检查点。",
    ),
)

_ALL = (
    REPLACEMENT_AVAILABLE,
    NO_EQUIVALENT,
    UNSUPPORTED_ARGUMENT,
    RENAMED_ARGUMENT,
    DEFAULT_DIFFERS,
    BEHAVIOUR_DIFFERS,
    POSSIBLE_TENSOR_METHOD,
    MODULE_SUBCLASS,
    TRAINING_STEP,
    CHECKPOINT_PAIR,
)
RULES: dict[str, Rule] = {rule.code: rule for rule in sorted(_ALL, key=lambda r: r.code)}

_SEVERITY_NAMES = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "information": Severity.INFORMATION,
    "hint": Severity.HINT,
}


def effective_severity(code: str, overrides: dict[str, str] | None) -> Severity | None:
    """The severity a finding gets under the ``rules`` setting; None when the rule is off."""
    rule = RULES.get(code)
    choice = (overrides or {}).get(code, "default")
    if choice == "off":
        return None
    if choice == "default":
        if rule is None:
            return Severity.WARNING
        return rule.severity if rule.enabled else None
    return _SEVERITY_NAMES.get(choice, rule.severity if rule else Severity.WARNING)


def select_rules(select: list[str], ignore: list[str]) -> dict[str, str]:
    """``--select`` / ``--ignore`` (codes or prefixes such as ``MP2``) as ``rules`` overrides."""
    overrides: dict[str, str] = {}
    for code in RULES:
        chosen = not select or any(code.startswith(prefix) for prefix in select)
        if not chosen or any(code.startswith(prefix) for prefix in ignore):
            overrides[code] = "off"
        elif select and not RULES[code].enabled:
            overrides[code] = RULES[code].severity.name.lower()
    return overrides

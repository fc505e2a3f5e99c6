"""What a ``# mindport: ignore[...]`` comment silences, for the hover over it."""

from __future__ import annotations

from collections.abc import Iterable

from mindport.analysis.rules import RULES
from mindport.kb.model import Locale


def render_rules(codes: Iterable[str] | None, locale: Locale, *, file_level: bool) -> str:
    zh = locale == "zh"
    if file_level:
        heading = "MindPort 在整个文件中忽略:" if zh else "MindPort ignores in this whole file:"
    else:
        heading = "MindPort 在这一行忽略:" if zh else "MindPort ignores on this line:"
    chosen = list(RULES) if codes is None else list(codes)
    lines = [heading, ""]
    for code in chosen:
        rule = RULES.get(code)
        if rule is None:
            lines.append(f"- `{code}`: " + ("未知的规则代码" if zh else "unknown rule code"))
        else:
            lines.append(f"- [`{code}` {rule.name}]({rule.url}): {rule.summary.get(locale)}")
    return "\n".join(lines) + "\n"

"""The migration report as one self-contained HTML page: no script, no external file, charts
drawn as inline SVG, so it opens from a CI artefact, a mail attachment or a webview alike.

Pure: it renders a ``MigrationSummary`` (``mindport.analysis.summary``), the same numbers the
Markdown and JSON reports and the editor's migration summary show.
"""

from __future__ import annotations

from html import escape

from mindport import __version__
from mindport.analysis.rules import RULES
from mindport.analysis.summary import STATUS_TEXT, STATUSES, MigrationSummary, shares
from mindport.kb.model import Locale, LocalText

COLOURS = {
    "safe": "#2e7d32",
    "unsafe": "#e0a100",
    "manual": "#c62828",
    "verified": "#2e7d32",
    "differs": "#e0a100",
    "not-verified": "#9e9e9e",
    "no-kernel": "#7b1fa2",
    "no-equivalent": "#c62828",
}

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}
.sub{color:#57606a;margin:0 0 18px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 14px}
.card b{display:block;font-size:26px;line-height:1.2}.card span{color:#57606a}
section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px;margin-top:16px}
section h2{margin-top:0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{color:#57606a;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.legend{display:flex;flex-wrap:wrap;gap:14px;margin:8px 0 0;color:#57606a}
.dot{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
.pill{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;white-space:nowrap}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
@media (max-width:800px){.grid{grid-template-columns:1fr}}
.muted{color:#57606a}
"""


def _t(locale: Locale, en: str, zh: str) -> str:
    return LocalText(en=en, zh=zh).get(locale)


def _pill(status: str, locale: Locale) -> str:
    return (
        f'<span class="pill" style="background:{COLOURS[status]}">'
        f"{escape(STATUS_TEXT[status].get(locale))}</span>"
    )


def _legend(items: list[tuple[str, str]]) -> str:
    return (
        '<div class="legend">'
        + "".join(
            f'<span><i class="dot" style="background:{colour}"></i>{escape(label)}</span>'
            for colour, label in items
        )
        + "</div>"
    )


def _stacked_bar(
    parts: list[tuple[int, str, str]],
    height: int = 28,
    percentages: list[int] | None = None,
) -> str:
    """One bar split in proportion to ``(value, colour, label)``, with ``percentages`` (one per
    part) written inside the parts wide enough for them. Boxes, not SVG: the text stays crisp
    and undistorted at any width."""
    total = sum(value for value, _, _ in parts) or 1
    boxes: list[str] = []
    for index, (value, colour, label) in enumerate(parts):
        if not value:
            continue
        share = 100 * value / total
        text = f"{percentages[index]}%" if percentages is not None and share >= 6 else ""
        boxes.append(
            f'<div title="{escape(label)}: {value}" style="flex:0 0 {share:.3f}%;'
            f"background:{colour};color:#fff;font-size:12px;line-height:{height}px;"
            f'text-align:center;overflow:hidden">{text}</div>'
        )
    return (
        f'<div class="bar" style="display:flex;height:{height}px;border-radius:4px;'
        f'overflow:hidden">{"".join(boxes)}</div>'
    )


def _bars(rows: list[tuple[str, int, str]], width: int = 520, row: int = 22) -> str:
    """Horizontal bars: ``(label, value, colour)``, the longest scaled to the width."""
    if not rows:
        return ""
    label_width = 230
    most = max(value for _, value, _ in rows) or 1
    height = row * len(rows)
    shapes: list[str] = []
    for index, (label, value, colour) in enumerate(rows):
        y = index * row
        w = (width - label_width - 50) * value / most
        shown = label if len(label) <= 34 else label[:33] + "…"
        shapes.append(
            f'<text x="{label_width - 6}" y="{y + 15}" font-size="12" text-anchor="end" '
            f'font-family="ui-monospace,Menlo,Consolas,monospace">{escape(shown)}'
            f"<title>{escape(label)}</title></text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row - 8}" '
            f'fill="{colour}" rx="2"/>'
            f'<text x="{label_width + w + 5:.1f}" y="{y + 15}" font-size="12">{value}</text>'
        )
    return f'<svg viewBox="0 0 {width} {height}" width="100%" role="img">{"".join(shapes)}</svg>'


def to_html(
    summary: MigrationSummary,
    locale: Locale = "en",
    *,
    title: str = "",
    generated: str = "",
    max_apis: int = 200,
    max_files: int = 200,
) -> str:
    """The whole page; ``title`` names the project, ``generated`` says when and with what."""

    def t(en: str, zh: str) -> str:
        return _t(locale, en, zh)

    safe_pct, unsafe_pct, manual_pct = shares(summary)
    heading = t("Migration report", "迁移报告") + (f" — {title}" if title else "")
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if locale == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{escape(heading)}</title><style>{STYLE}</style></head><body><main>",
        f"<h1>{escape(heading)}</h1>",
        f'<p class="sub">{escape(generated or f"MindPort {__version__}")}</p>',
    ]
    cards = [
        (str(summary.total), t("findings to port", "待迁移问题")),
        (
            f"{len(summary.files)} / {summary.files_scanned}",
            t("files with findings / scanned", "有问题的文件 / 已扫描"),
        ),
        (str(len(summary.by_api)), t("PyTorch APIs used", "使用的 PyTorch API")),
        (f"{safe_pct}%", t("taken care of by safe fixes", "安全修复可处理")),
        (f"{unsafe_pct}%", t("more with unsafe fixes (review)", "不安全修复(需审查)")),
        (f"{manual_pct}%", t("left to port by hand", "需手工迁移")),
    ]
    out.append(
        '<div class="cards">'
        + "".join(
            f'<div class="card"><b>{value}</b><span>{label}</span></div>' for value, label in cards
        )
        + "</div>"
    )
    if not summary.total:
        out.append(f"<section><p>{t('Nothing to port.', '没有需要迁移的内容。')}</p></section>")
    else:
        safe_label = t("safe fixes", "安全修复")
        unsafe_label = t("unsafe fixes", "不安全修复")
        manual_label = t("by hand", "手工")
        out.append(f"<section><h2>{t('What the fixes cover', '快速修复的覆盖面')}</h2>")
        out.append(
            _stacked_bar(
                [
                    (summary.safe, COLOURS["safe"], safe_label),
                    (summary.unsafe, COLOURS["unsafe"], unsafe_label),
                    (summary.manual, COLOURS["manual"], manual_label),
                ],
                percentages=[safe_pct, unsafe_pct, manual_pct],
            )
        )
        out.append(
            _legend(
                [
                    (COLOURS["safe"], f"{safe_label} {summary.safe}"),
                    (COLOURS["unsafe"], f"{unsafe_label} {summary.unsafe}"),
                    (COLOURS["manual"], f"{manual_label} {summary.manual}"),
                ]
            )
        )
        out.append(
            '<p class="muted">'
            + t(
                "Safe fixes keep the program's behaviour (mindport fix --write); unsafe ones "
                "may change it and need a review (--unsafe).",
                "安全修复不改变程序行为(mindport fix --write);不安全修复可能改变行为,需要审查"
                "(--unsafe)。",
            )
            + "</p></section>"
        )
        by_status = summary.by_status()
        out.append(
            f'<div class="grid"><section><h2>{t("APIs by status", "按状态统计 API 用量")}</h2>'
        )
        counted = sum(by_status.values()) or 1
        out.append(
            _stacked_bar(
                [(by_status.get(s, 0), COLOURS[s], STATUS_TEXT[s].get(locale)) for s in STATUSES],
                percentages=[round(100 * by_status.get(s, 0) / counted) for s in STATUSES],
            )
        )
        out.append(
            _legend(
                [
                    (COLOURS[s], f"{STATUS_TEXT[s].get(locale)} {by_status[s]}")
                    for s in STATUSES
                    if s in by_status
                ]
            )
        )
        out.append(
            '<p class="muted">'
            + t(
                "Findings per status of their API: verified when running PyTorch and MindSpore "
                "on the same inputs agreed; differs when they did not; no CPU kernel when "
                "MindSpore has no kernel for it on the device the check ran on.",
                "按 API 状态统计的问题数:已验证表示 PyTorch 与 MindSpore 在相同输入下结果一致;"
                "有差异表示不一致;无 CPU 算子表示 MindSpore 在验证所用设备上没有该算子。",
            )
            + "</p></section>"
        )
        top = list(summary.by_api.items())[:15]
        out.append(f"<section><h2>{t('Most used APIs', '最常用的 API')}</h2>")
        out.append(
            _bars(
                [
                    (api, count, COLOURS[summary.statuses.get(api, "not-verified")])
                    for api, count in top
                ]
            )
        )
        out.append("</section></div>")
        out.append(
            f"<section><h2>{t('Files, most work left first', '文件(剩余工作多者在前)')}</h2>"
        )
        out.append(
            f"<table><tr><th>{t('file', '文件')}</th>"
            f'<th class="n">{t("findings", "问题")}</th>'
            f'<th class="n">{t("safe fixes", "安全修复")}</th>'
            f'<th class="n">{t("left", "剩余")}</th><th style="width:30%"></th></tr>'
        )
        files = summary.files_by_work_left()
        widest = max((f.total for f in files), default=1)
        for file in files[:max_files]:
            bar = _stacked_bar(
                [
                    (file.safe, COLOURS["safe"], safe_label),
                    (file.fixable - file.safe, COLOURS["unsafe"], unsafe_label),
                    (file.total - file.fixable, COLOURS["manual"], manual_label),
                    (widest - file.total, "#eaeef2", ""),
                ],
                height=12,
            )
            out.append(
                f"<tr><td><code>{escape(file.path)}</code></td><td class='n'>{file.total}</td>"
                f"<td class='n'>{file.safe}</td><td class='n'><b>{file.work_left}</b></td>"
                f"<td>{bar}</td></tr>"
            )
        out.append("</table>")
        if len(files) > max_files:
            rest = len(files) - max_files
            out.append(
                f"<p class='muted'>{t(f'… and {rest} more file(s).', f'……另有 {rest} 个文件。')}</p>"
            )
        out.append("</section>")
        out.append(f"<section><h2>{t('APIs', 'API 列表')}</h2>")
        out.append(
            f"<table><tr><th>PyTorch</th><th>MindSpore</th>"
            f'<th class="n">{t("findings", "问题")}</th><th>{t("status", "状态")}</th></tr>'
        )
        for api, count in list(summary.by_api.items())[:max_apis]:
            counterpart = summary.counterparts.get(api)
            out.append(
                f"<tr><td><code>{escape(api)}</code></td>"
                f"<td>{f'<code>{escape(counterpart)}</code>' if counterpart else '—'}</td>"
                f"<td class='n'>{count}</td>"
                f"<td>{_pill(summary.statuses.get(api, 'not-verified'), locale)}</td></tr>"
            )
        out.append("</table></section>")
        out.append(f"<section><h2>{t('By rule', '按规则')}</h2><table>")
        out.append(
            f"<tr><th>{t('code', '代码')}</th><th>{t('rule', '规则')}</th>"
            f'<th class="n">{t("findings", "问题")}</th><th class="n">{t("files", "文件")}</th></tr>'
        )
        for code, count in summary.by_code.items():
            rule = RULES.get(code)
            out.append(
                f"<tr><td><code>{escape(code)}</code></td>"
                f"<td>{escape(rule.summary.get(locale) if rule else '')}</td>"
                f"<td class='n'>{count}</td><td class='n'>{summary.files_by_code.get(code, 0)}</td></tr>"
            )
        out.append("</table></section>")
    if summary.problems:
        out.append(f"<section><h2>{t('Not scanned', '未扫描')}</h2><ul>")
        out.extend(f"<li><code>{escape(problem)}</code></li>" for problem in summary.problems)
        out.append("</ul></section>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"

"""The migration summary aggregates findings and renders a short Markdown report."""

from __future__ import annotations

from mindport.analysis.findings import Confidence, Finding, Severity
from mindport.analysis.summary import summarise, to_json, to_markdown
from mindport.conversion.fix import Fix
from mindport.text import Position, Span

SPAN = Span(Position(0, 0), Position(0, 1))


def finding(code: str, api: str, fix: Fix | None = None) -> Finding:
    return Finding(
        code=code,
        severity=Severity.WARNING,
        span=SPAN,
        message="m",
        torch_api=api,
        mindspore_api="mindspore.Parameter" if api == "torch.nn.Parameter" else None,
        confidence=Confidence.CONFIRMED,
        fix=fix,
    )


SAFE = Fix(title="t", edits=(), safe=True)
RISKY = Fix(title="t", edits=(), safe=False)


def test_counts_by_rule_api_and_file_most_first() -> None:
    summary = summarise(
        [
            ("a.py", [finding("MP101", "torch.nn.Parameter", SAFE)]),
            ("b.py", []),
            (
                "c.py",
                [
                    finding("MP101", "torch.nn.Parameter", SAFE),
                    finding("MP301", "torch.nn.Parameter", RISKY),
                    finding("MP501", "torch.cuda.is_available"),
                ],
            ),
        ],
        problems=["d.py: cannot decode"],
    )
    assert summary.files_scanned == 3
    assert [f.path for f in summary.files] == ["c.py", "a.py"]
    assert summary.by_code == {"MP101": 2, "MP301": 1, "MP501": 1}
    assert list(summary.by_api) == ["torch.nn.Parameter", "torch.cuda.is_available"]
    assert (summary.total, summary.fixable, summary.safe) == (4, 3, 2)
    data = to_json(summary)
    assert data["files"][0] == {
        "path": "c.py",
        "total": 3,
        "byCode": {"MP101": 1, "MP301": 1, "MP501": 1},
        "fixable": 2,
        "safe": 1,
        "workLeft": 2,
    }
    markdown = to_markdown(summary, "en")
    assert "4 finding(s) in 2 of 3 Python file(s); 3 have a quick-fix (2 safe)." in markdown
    assert "| `torch.nn.Parameter` | `mindspore.Parameter` | 3 | not verified |" in markdown
    assert "Safe fixes take care of 50% of the findings, unsafe fixes (to review) 25%" in markdown
    assert "| `torch.cuda.is_available` | `—` | 1 |" in markdown
    assert "- d.py: cannot decode" in markdown


def test_chinese_and_empty_reports() -> None:
    empty = summarise([("a.py", [])])
    assert "Nothing to port." in to_markdown(empty, "en")
    assert to_markdown(empty, "zh").startswith("# MindPort 迁移概要")
    assert "没有需要迁移的内容" in to_markdown(empty, "zh")


def test_long_file_lists_are_cut() -> None:
    many = summarise([(f"f{i:03}.py", [finding("MP101", "torch.nn.Parameter")]) for i in range(60)])
    markdown = to_markdown(many, "en", max_files=50)
    assert "… and 10 more file(s)." in markdown
    assert "| f049.py |" in markdown and "| f050.py |" not in markdown

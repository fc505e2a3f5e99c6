"""`mindport report` (HTML, Markdown, JSON) and `mindport merge` of sharded runs."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mindport.cli import main
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / "pkg").mkdir(parents=True)
    for example in EXAMPLES:
        shutil.copy(example, root / "pkg" / example.name)
    (root / "plain.py").write_text("print('no torch here')\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def _json_report(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["report", *args, "--format", "json", "--no-jedi", "--jobs", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, dict)
    return data


def test_the_report_counts_what_check_finds(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", ".", "--no-jedi", "--format", "json", "--jobs", "1"]) == 1
    checked = json.loads(capsys.readouterr().out)
    report = _json_report(capsys, ".")
    assert report["total"] == len(checked["findings"]) > 20
    assert report["filesScanned"] == len(EXAMPLES) + 1
    fixable = [f for f in checked["findings"] if f["fix"]]
    assert report["fixable"] == len(fixable)
    assert report["safe"] == len([f for f in fixable if f["fix"]["safe"]])
    assert report["unsafe"] + report["safe"] + report["manual"] == report["total"]
    per_file = {f["path"]: f for f in report["files"]}
    for path in {f["path"] for f in checked["findings"]}:
        assert per_file[path]["total"] == sum(1 for f in checked["findings"] if f["path"] == path)
    left = [f["workLeft"] for f in sorted(report["files"], key=lambda f: -f["workLeft"])]
    assert left == sorted(left, reverse=True)
    statuses = {api["torch"]: api["status"] for api in report["apis"]}
    assert statuses["torch.nn.Parameter"] in {"verified", "differs", "not-verified", "no-kernel"}
    assert sum(report["byStatus"].values()) == sum(report["byApi"].values())


def test_statuses_come_from_the_verification_results(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mindport.kb.loader import load_knowledge

    kb = load_knowledge()
    report = _json_report(capsys, ".")
    for api in report["apis"]:
        entry = kb.torch_id(api["torch"])
        verification = kb.verification(entry) if entry else None
        if api["status"] == "verified":
            assert verification is not None
            assert any(t.status == "verified" for t in verification.targets.values())
        if api["status"] == "no-equivalent":
            assert api["mindspore"] is None


def test_html_is_one_self_contained_page_in_both_languages(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", ".", "--no-jedi", "--jobs", "1", "-q"]) == 0
    page = (project / "mindport-report.html").read_text(encoding="utf-8")

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict[str, str | None]]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append((tag, dict(attrs)))

    parser = Collect()
    parser.feed(page)
    tags = {tag for tag, _ in parser.tags}
    assert "svg" in tags and "table" in tags and "script" not in tags
    # nothing is fetched: no external stylesheet, image or script
    assert not [a for _, a in parser.tags if a.get("src") or a.get("href")]
    assert "Migration report" in page and "pkg/parameter_demo.py" in page
    assert main(["report", ".", "--no-jedi", "--jobs", "1", "--locale", "zh", "-o", "zh.html"]) == 0
    chinese = (project / "zh.html").read_text(encoding="utf-8")
    assert "迁移报告" in chinese and "安全修复" in chinese and "Migration report" not in chinese


def test_markdown_for_pull_requests(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", ".", "--no-jedi", "--jobs", "1", "--format", "md"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# MindPort migration summary")
    assert "Safe fixes take care of" in markdown and "| status |" in markdown


def test_shards_merge_into_the_whole_report(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = _json_report(capsys, ".")
    parts = []
    for index in (1, 2, 3):
        main(["check", ".", "--no-jedi", "--jobs", "1", "--format", "json", f"--shard={index}/3"])
        part = project / f"part{index}.json"
        part.write_text(capsys.readouterr().out, encoding="utf-8")
        parts.append(str(part))
    merged = _json_report(capsys, "--from", *parts)
    assert {k: v for k, v in merged.items() if k != "version"} == {
        k: v for k, v in whole.items() if k != "version"
    }
    assert main(["merge", *parts, "-o", "merged.json"]) == 0
    data = json.loads((project / "merged.json").read_text(encoding="utf-8"))
    assert len(data["findings"]) == whole["total"]
    assert len(data["files"]) == whole["filesScanned"]


def test_sarif_parts_merge_into_one_run(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parts = []
    for index in (1, 2):
        main(["check", ".", "--no-jedi", "--jobs", "1", "--format", "sarif", f"--shard={index}/2"])
        part = project / f"part{index}.sarif"
        part.write_text(capsys.readouterr().out, encoding="utf-8")
        parts.append(str(part))
    main(["check", ".", "--no-jedi", "--jobs", "1", "--format", "sarif"])
    whole = json.loads(capsys.readouterr().out)
    assert main(["merge", *parts]) == 0
    merged = json.loads(capsys.readouterr().out)
    assert len(merged["runs"]) == 1
    key = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
    assert sorted(map(key, merged["runs"][0]["results"])) == sorted(
        map(key, whole["runs"][0]["results"])
    )


def test_bad_parts_are_errors_not_tracebacks(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "bad.json").write_text('{"tool": "other"}', encoding="utf-8")
    assert main(["report", "--from", "bad.json"]) == 2
    assert main(["merge", "bad.json", "plain.py"]) == 2
    assert main(["report"]) == 2
    err = capsys.readouterr().err
    assert "not the output of" in err and "Traceback" not in err

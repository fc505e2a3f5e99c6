"""Whole repositories: worker processes, the result cache, sharding, progress, fix rounds."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from mindport.cache import ResultCache, finding_data, finding_from_data
from mindport.cli import main
from mindport.fixes.fix_all import fix_all, line_map
from mindport.parallel import Outcome, Progress, RunSpec, Worker, progress_wanted, run
from mindport.shard import ShardError, parse_shard, shard_of
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for example in EXAMPLES:
        shutil.copy(example, root / example.name)
    (root / "sub").mkdir()
    shutil.copy(EXAMPLES[0], root / "sub" / "again.py")
    return root


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["check", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_workers_report_what_one_process_reports_in_the_same_order(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = _check(capsys, str(project), "--no-jedi", "--no-cache", "--jobs", "1")
    two = _check(capsys, str(project), "--no-jedi", "--no-cache", "--jobs", "2")
    assert one[0] == two[0] == 1
    assert one[1] == two[1] and one[1].count("MP1") > 5
    files = [line.split(":")[0] for line in two[1].splitlines()]
    assert files == sorted(files, key=lambda p: (Path(p).parent != project, p))


def test_an_unchanged_file_is_answered_from_the_cache(tmp_path: Path) -> None:
    source = tmp_path / "model.py"
    shutil.copy(ROOT / "examples" / "mnist_classifier.py", source)
    spec = RunSpec(cache_dir=tmp_path / "cache")
    cold = Worker(spec).run(source)
    warm_worker = Worker(spec)
    warm = warm_worker.run(source)
    assert not cold.cached and warm.cached
    assert warm.findings == cold.findings and cold.findings
    assert warm_worker.batch.analyzer.resolver is not None
    assert warm_worker.batch.analyzer.resolver.requests == 0  # jedi was not asked
    # entries are JSON (a cache someone else can write must not run code), outside the project
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == 1 and json.loads(entries[0].read_text(encoding="utf-8"))["findings"]


def test_what_the_answer_depends_on_is_in_the_key(tmp_path: Path) -> None:
    source = tmp_path / "model.py"
    shutil.copy(ROOT / "examples" / "parameter_demo.py", source)
    cache = tmp_path / "cache"
    Worker(RunSpec(cache_dir=cache, no_jedi=True)).run(source)
    assert Worker(RunSpec(cache_dir=cache, no_jedi=True)).run(source).cached
    assert not Worker(RunSpec(cache_dir=cache, no_jedi=True, target="classic")).run(source).cached
    assert not Worker(RunSpec(cache_dir=cache, no_jedi=True, locale="zh")).run(source).cached
    assert not Worker(RunSpec(cache_dir=cache, no_jedi=False)).run(source).cached
    assert not Worker(RunSpec(cache_dir=cache, no_jedi=True, mode="fix")).run(source).cached
    assert (
        not Worker(RunSpec(cache_dir=cache, no_jedi=True, rules={"MP101": "off"}))
        .run(source)
        .cached
    )
    source.write_text(source.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert not Worker(RunSpec(cache_dir=cache, no_jedi=True)).run(source).cached
    seed = ROOT / "tests" / "data" / "knowledge" / "seed"
    assert not Worker(RunSpec(cache_dir=cache, no_jedi=True, knowledge=seed)).run(source).cached


def test_a_damaged_entry_is_recomputed(tmp_path: Path) -> None:
    source = tmp_path / "model.py"
    shutil.copy(ROOT / "examples" / "parameter_demo.py", source)
    spec = RunSpec(cache_dir=tmp_path / "cache", no_jedi=True)
    first = Worker(spec).run(source)
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text('{"findings": [{"code": 1}]', encoding="utf-8")
    again = Worker(spec).run(source)
    assert not again.cached and again.findings == first.findings


def test_findings_survive_the_json_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "model.py"
    shutil.copy(ROOT / "examples" / "parameter_demo.py", source)
    findings = Worker(RunSpec(no_jedi=True)).run(source).findings
    assert any(f.fix is not None for f in findings)
    assert tuple(finding_from_data(json.loads(json.dumps(finding_data(f)))) for f in findings) == (
        findings
    )


def test_an_unwritable_cache_is_ignored(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    cache = ResultCache(blocker / "cache", ["salt"])
    cache.put("ab" * 20, {"findings": []})
    assert cache.write_failed and cache.get("ab" * 20) is None


def test_the_cache_goes_to_the_user_cache_dir_by_default(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MINDPORT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(project)
    assert main(["check", ".", "--no-jedi", "--jobs", "1"]) == 1
    assert list((tmp_path / "xdg" / "mindport").rglob("*.json"))
    assert not [p for p in project.rglob("*") if "cache" in p.name or p.suffix == ".json"]
    assert main(["check", ".", "--no-jedi", "--jobs", "1", "--cache-dir", "here"]) == 1
    assert list((project / "here").rglob("*.json"))


def test_shards_split_the_files_deterministically(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    whole = _check(capsys, ".", "--no-jedi", "--jobs", "1")[1].splitlines()[:-1]  # no summary
    parts = [
        _check(capsys, ".", "--no-jedi", "--jobs", "1", "--shard", f"{i}/3")[1].splitlines()[:-1]
        for i in (1, 2, 3)
    ]
    assert sorted(line for part in parts for line in part) == sorted(whole)
    files = [{line.split(":")[0] for line in part} for part in parts]
    assert not (files[0] & files[1]) and not (files[1] & files[2]) and not (files[0] & files[2])
    assert shard_of(Path("a/b.py"), 7, Path.cwd()) == shard_of(Path("a/b.py"), 7, Path.cwd())


@pytest.mark.parametrize("value", ["0/2", "3/2", "1", "a/b", "1/0", ""])
def test_bad_shards_are_usage_errors(value: str) -> None:
    with pytest.raises(ShardError):
        parse_shard(value)
    assert main(["check", ".", f"--shard={value}"]) == 2


def test_progress_only_for_a_person_at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    assert progress_wanted(Terminal(), quiet=False)
    assert not progress_wanted(Terminal(), quiet=True)
    assert not progress_wanted(io.StringIO(), quiet=False)
    monkeypatch.setenv("CI", "true")
    assert not progress_wanted(Terminal(), quiet=False)
    stream = Terminal()
    progress = Progress(3, stream)
    for _ in range(3):
        progress.advance()
    assert "3/3 files" in stream.getvalue()
    progress.clear()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", ".", "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_outcomes_keep_the_order_of_the_paths(project: Path) -> None:
    paths = sorted(project.rglob("*.py"))[::-1]
    outcomes = list(run(RunSpec(no_jedi=True), [*paths, project / "missing.py"], jobs=2))
    assert [o.path for o in outcomes] == [*paths, project / "missing.py"]
    assert isinstance(outcomes[-1], Outcome) and outcomes[-1].error


def test_line_map_pairs_unchanged_and_rewritten_lines() -> None:
    before = ["a\n", "b\n", "c\n", "d\n"]
    after = ["new\n", "a\n", "B\n", "c\n", "d\n", "e\n"]
    unchanged, rewritten = line_map(before, after)
    assert unchanged == {1: 0, 3: 2, 4: 3}
    assert rewritten == {2: 1}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_fix_rounds_reusing_jedi_answers_fix_as_full_analyses_do(example: Path) -> None:
    unsafe = True  # the most fixes, so the most rounds
    worker = Worker(RunSpec(mode="fix", unsafe=unsafe))
    outcome = worker.run(example)
    text = example.read_text(encoding="utf-8")
    analyzer = worker.batch.analyzer
    options = worker.batch.options_for(example)
    full = fix_all(
        text,
        lambda t: analyzer.analyze(t, example.resolve(), options).findings,
        unsafe=unsafe,
    )
    assert outcome.fixed == (full.text if full.text != text else None)
    assert outcome.applied == full.applied
    # What is left: everything a full analysis of the fixed text finds. Answers kept from the
    # first round may add a member whose receiver is a MindSpore value now (loss.detach()
    # after its line was ported), never lose one.
    remaining = analyzer.analyze(full.text, example.resolve(), options).findings
    ours = {(f.code, f.span) for f in outcome.remaining}
    assert {(f.code, f.span) for f in remaining} <= ours
    assert len(ours) - len(remaining) <= 2


def test_an_unchanged_run_starts_no_worker(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mindport.parallel

    paths = sorted(project.rglob("*.py"))
    spec = RunSpec(no_jedi=True, cache_dir=tmp_path / "cache")
    first = list(run(spec, paths, jobs=2))

    def no_pool(*args: object) -> None:
        raise AssertionError("a worker pool was started although every answer is cached")

    monkeypatch.setattr(mindport.parallel, "_new_pool", no_pool)
    again = list(run(spec, paths, jobs=2))
    assert all(o.cached for o in again)
    assert [o.findings for o in again] == [o.findings for o in first]


def test_a_worker_stops_when_the_run_is_gone() -> None:
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    watcher = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from mindport.parallel import _watch_parent; _watch_parent({gone.pid})",
        ],
        timeout=60,
        check=False,
    )
    assert watcher.returncode == 3


CONVERTED_RECEIVERS = """\
import torch
import torch.nn.functional as F


def forward(x: torch.Tensor, other):
    h = F.relu(x)
    h = h.transpose(1, 2)
    return h.view(-1).sum(), other.view(-1)
"""


def test_fix_rounds_do_not_ask_jedi_about_receivers_the_fixes_converted(tmp_path: Path) -> None:
    # Round 1 types ``h`` through torch calls; once ``F.relu`` and the annotation are
    # converted, ``h.transpose``/``h.view`` are candidates on lines of the previous text.
    # Asking about them cost a new jedi session over the whole text (as much as the first
    # analysis of a 20,000-line file): the fix asks jedi what the check asks, no more.
    source = tmp_path / "model.py"
    source.write_text(CONVERTED_RECEIVERS, encoding="utf-8")
    check = Worker(RunSpec(mode="check"))
    checked = check.run(source)
    fix = Worker(RunSpec(mode="fix"))
    fixed = fix.run(source)
    assert fixed.fixed is not None and "mindspore" in fixed.fixed
    assert fixed.applied >= 2
    assert check.batch.analyzer.resolver is not None and fix.batch.analyzer.resolver is not None
    assert check.batch.analyzer.resolver.requests >= 1  # ``other.view``
    assert fix.batch.analyzer.resolver.requests == check.batch.analyzer.resolver.requests
    assert {f.code for f in checked.findings} >= {f.code for f in fixed.remaining}


def test_a_long_file_at_the_head_does_not_leave_the_other_workers_idle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Outcomes are printed in listing order. The first file here takes until the 15th has
    # been analysed; the other worker must go on with the files behind it meanwhile (before,
    # only 8 files were handed out until the first was printed: the others waited).
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from mindport import parallel

    paths = [Path(f"file{n}.py") for n in range(20)]
    fifteenth_done = threading.Event()
    done: list[Path] = []

    def run_one(path: Path) -> Outcome:
        if path == paths[0]:
            fifteenth_done.wait(timeout=20)
        done.append(path)
        if len(done) == 15:
            fifteenth_done.set()
        return Outcome(path)

    class NoCache:
        def cached(self, path: Path) -> None:
            return None

    monkeypatch.setattr(parallel, "_run_one", run_one)
    monkeypatch.setattr(parallel, "_new_pool", lambda spec, jobs: ThreadPoolExecutor(jobs))
    outcomes = list(parallel._pooled(RunSpec(), NoCache(), paths, 2))  # type: ignore[arg-type]
    assert [o.path for o in outcomes] == paths  # still in listing order
    assert fifteenth_done.is_set()
    assert done.index(paths[0]) >= 15  # the others went on while it waited (before: 7, timed out)

"""Whole-repository benchmarks on real third-party code at a pinned version (issue 13).

    python benchmarks/scale.py                 # every measurement, printed
    python benchmarks/scale.py --write         # ... and written into docs/benchmarks.md
    python benchmarks/scale.py --only fix      # one group: analysis, cache, fix, report

The code is timm (PyTorch Image Models) at a pinned version, a pure-Python model library of
141,115 lines in 304 files, downloaded once with ``pip download --no-deps`` into a cache
outside the repository (``$MINDPORT_BENCH_CACHE``, default ``~/.cache/mindport-bench``) and
unpacked there. Every measurement runs the ``mindport`` command in a new process, as a user
would, with the knowledge base of this checkout, and reports wall-clock seconds and the peak
resident memory of each process of the run (workers included: /proc is sampled every 0.1 s).

- one: ``check`` of the library with jedi, one process (``--jobs 1``), no cache;
- cold: the same with one worker per core and an empty cache (against ``one``: what the
  workers gain; the cache's writes are included);
- warm: the same again, the library unchanged (every answer cached);
- fix: ``check`` and ``fix`` (diff to /dev/null) of one 20,548-line file made of whole timm
  model files, without the cache, one process;
- report: ``report`` (HTML) of the library with a warm cache, against the cached ``check``
  alone: the difference is what writing the report costs beyond the analysis.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.sections import markers, publish  # noqa: E402

PACKAGE, VERSION = "timm", "1.0.31"
CACHE = Path(os.environ.get("MINDPORT_BENCH_CACHE", Path.home() / ".cache" / "mindport-bench"))
START, END = markers("scale")
COMMAND = "python benchmarks/scale.py --write"


def fetch() -> Path:
    """The unpacked library (downloaded and unpacked once)."""
    source = CACHE / "src" / f"{PACKAGE}-{VERSION}"
    if (source / PACKAGE).is_dir():
        return source
    wheels = CACHE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(wheels),
         f"{PACKAGE}=={VERSION}"],
        check=True,
    )  # fmt: skip
    wheel = next(wheels.glob(f"{PACKAGE}-{VERSION}-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(source)
    return source


def big_file(source: Path, lines: int = 20_000) -> Path:
    """Whole model files of the library, largest first, until ``lines`` (deterministic)."""
    target = CACHE / "big" / f"{PACKAGE}-{VERSION}-{lines}.py"
    if target.exists():
        return target
    models = sorted(
        (source / PACKAGE / "models").glob("*.py"), key=lambda p: (-p.stat().st_size, p.name)
    )
    taken: list[str] = []
    for model in models:
        taken.extend(model.read_text(encoding="utf-8").splitlines(keepends=True))
        if len(taken) >= lines:
            break
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(taken), encoding="utf-8")
    return target


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class Run:
    seconds: float
    peak_mb: float  # the largest peak of any one process of the run
    cpu: float  # user + system seconds of every process of the run (the load does not add)
    processes: int  # processes seen (the command, workers, jedi helpers)
    status: int


def measure(arguments: list[str], cwd: Path, env: dict[str, str], module: bool = True) -> Run:
    """Run ``python -m mindport ARGUMENTS`` (or the command ``ARGUMENTS`` when not
    ``module``); wall time, CPU time and the peak RSS per process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mindport", *arguments] if module else arguments,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peaks: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in _descendants(process.pid):
                peaks[pid] = max(peaks.get(pid, 0.0), _rss_mb(pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    status = process.wait()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(seconds, max(peaks.values(), default=0.0), cpu, len(peaks), status)


def _environment(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "server")
    env["MINDPORT_CACHE_DIR"] = str(cache)
    env.pop("CI", None)
    return env


def cpu_text(run: Run, pooled: bool) -> str:
    """The CPU column; a pooled run's workers are children of multiprocessing's fork server,
    which the command does not wait for, so their CPU time is not counted: not shown."""
    return "n/a" if pooled else f"{run.cpu:.1f} s"


def _line(label: str, command: str, run: Run) -> str:
    pooled = "--jobs 1" not in command
    return (
        f"| {label} | `{command}` | {run.seconds:.1f} s | {cpu_text(run, pooled)} "
        f"| {run.peak_mb:.0f} MB | {run.processes} | {os.getloadavg()[0]:.1f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write into docs/benchmarks.md")
    parser.add_argument("--only", choices=["one", "cold", "warm", "report", "fix"], action="append")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-jedi", action="store_true", help="import-only analysis (faster)")
    args = parser.parse_args()
    groups = args.only or ["one", "cold", "warm", "report", "fix"]
    source = fetch()
    lines = sum(
        path.read_text(encoding="utf-8").count("\n") for path in (source / PACKAGE).rglob("*.py")
    )
    jedi = ["--no-jedi"] if args.no_jedi else []
    rows: list[str] = []
    results: dict[str, Run] = {}
    scratch = Path(tempfile.mkdtemp(prefix="mindport-bench-"))
    try:

        def run(key: str, label: str, arguments: list[str], cache: str, cwd: Path) -> Run:
            shown = " ".join(["mindport", *arguments])
            result = measure(arguments, cwd, _environment(scratch / cache))
            results[key] = result
            rows.append(_line(label, shown, result))
            print(rows[-1], file=sys.stderr)
            return result

        jobs = str(args.jobs)
        if "one" in groups:
            run(
                "one",
                "check, 1 process, no cache",
                ["check", PACKAGE, *jedi, "--no-cache", "--jobs", "1"],
                "a",
                source,
            )
        if "cold" in groups or "warm" in groups or "report" in groups:
            run(
                "cold",
                f"check, {jobs} workers, empty cache",
                ["check", PACKAGE, *jedi, "--jobs", jobs],
                "c",
                source,
            )
        if "warm" in groups or "report" in groups:
            run(
                "warm",
                "check, unchanged (all cached)",
                ["check", PACKAGE, *jedi, "--jobs", jobs],
                "c",
                source,
            )
        if "report" in groups:
            out = str(scratch / "report.html")
            run(
                "report",
                "report, cached analysis",
                ["report", PACKAGE, *jedi, "--jobs", jobs, "-o", out],
                "c",
                source,
            )
        if "fix" in groups:
            big = big_file(source)
            size = big.read_text(encoding="utf-8").count("\n")
            run(
                "check20k",
                f"check, one {size:,}-line file",
                ["check", str(big), *jedi, "--no-cache", "--jobs", "1"],
                "f",
                source,
            )
            run(
                "fix20k",
                "fix, the same file",
                ["fix", str(big), *jedi, "--no-cache", "--jobs", "1"],
                "f",
                source,
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)  # fmt: skip

    ratios = []
    if "one" in results and "cold" in results:
        ratios.append(
            f"workers: {results['one'].seconds / results['cold'].seconds:.2f}x faster than one process"
        )
    if "cold" in results and "warm" in results:
        ratios.append(
            f"cache: unchanged re-run {results['cold'].seconds / results['warm'].seconds:.0f}x faster than cold"
        )
    if "report" in results and "warm" in results:
        ratios.append(
            f"report: {results['report'].seconds - results['warm'].seconds:.1f} s beyond the cached analysis"
        )
    if "check20k" in results and "fix20k" in results:
        fix, check = results["fix20k"], results["check20k"]
        ratios.append(f"fix/check on the big file: {fix.seconds / check.seconds:.2f}x wall, {fix.cpu / check.cpu:.2f}x CPU")  # fmt: skip
    load = os.getloadavg()
    section = "\n".join(
        [
            START,
            "## Whole repository (`benchmarks/scale.py`)",
            "",
            f"{PACKAGE} {VERSION} ({lines:,} lines of Python), jedi {'off' if args.no_jedi else 'on'}; "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average (1 min) at the end {load[0]:.1f}. Command: `{COMMAND}`.",
            "",
            "| measurement | command | wall | CPU | peak RSS of one process | processes | load after |",
            "|---|---|---:|---:|---:|---:|---:|",
            *rows,
            "",
            *[f"- {ratio}" for ratio in ratios],
            END,
        ]
    )
    publish("scale", section, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

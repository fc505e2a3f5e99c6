"""The real-code fuzz: Python sources of installed packages, analysed and fixed file by file.

Each file gets a CPU-time budget for the static analysis and each fix-all (safe, unsafe, and
the second run that must change nothing). A crash, a budget overrun, fixed code that no
longer parses or a second run that changes the text is a failure naming the file.

``python -m tests.fuzz.corpus [--files N] [--packages stdlib,pip,...] [--budget S]`` runs it
outside pytest and prints the numbers (files, lines, time, failures).
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import sysconfig
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.fixes.fix_all import fix_all
from mindport.kb.loader import load_knowledge
from tests.fuzz.properties import parses

DEFAULT_PACKAGES = ("stdlib", "pip", "jedi", "parso", "pygls", "hypothesis")
MAX_FILE_BYTES = 400_000  # larger files are left to the CLI's size cap


def package_root(name: str) -> Path | None:
    if name == "stdlib":
        return Path(sysconfig.get_paths()["stdlib"])
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def sources(packages: Iterable[str]) -> list[Path]:
    files: list[Path] = []
    for name in packages:
        root = package_root(name)
        if root is None:
            continue
        found = root.rglob("*.py")
        if name == "stdlib":
            found = (p for p in found if "site-packages" not in p.parts)
        files.extend(p for p in found if p.is_file() and p.stat().st_size <= MAX_FILE_BYTES)
    return sorted(set(files))


def sample(files: list[Path], count: int | None, seed: int = 14) -> list[Path]:
    if count is None or count >= len(files):
        return files
    return sorted(random.Random(seed).sample(files, count))


@dataclass
class Outcome:
    files: int = 0
    lines: int = 0
    fixes: int = 0
    seconds: float = 0.0
    slowest: tuple[float, str] = (0.0, "")
    failures: list[str] = field(default_factory=list)


def _read(path: Path) -> str | None:
    raw = path.read_bytes()
    for encoding in ("utf-8", "latin-1"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def check_file(analyzer: Analyzer, path: Path, budget: float, outcome: Outcome) -> None:
    text = _read(path)
    if text is None:
        return
    outcome.files += 1
    outcome.lines += text.count("\n") + 1
    options = AnalysisOptions()

    def findings(t: str) -> object:
        return analyzer.analyze_static(t, options).findings

    started = time.process_time()
    try:
        step = time.process_time()
        analyzer.analyze_static(text, options)
        stages = [("static analysis", time.process_time() - step)]
        original_parses = parses(text)
        for unsafe in (False, True):
            step = time.process_time()
            result = fix_all(text, findings, unsafe=unsafe)  # type: ignore[arg-type]
            again = fix_all(result.text, findings, unsafe=unsafe)  # type: ignore[arg-type]
            stages.append((f"fix-all unsafe={unsafe}", time.process_time() - step))
            outcome.fixes += result.applied
            if original_parses and not parses(result.text):
                outcome.failures.append(f"{path}: fix-all (unsafe={unsafe}) broke the code")
            if again.text != result.text:
                outcome.failures.append(f"{path}: fix-all (unsafe={unsafe}) not idempotent")
        for stage, seconds in stages:
            if seconds > budget:
                outcome.failures.append(f"{path}: {stage} took {seconds:.1f} s > {budget} s")
    except Exception:  # every crash is a finding of the fuzz
        outcome.failures.append(f"{path}: crash\n{traceback.format_exc(limit=-4)}")
    spent = time.process_time() - started
    outcome.seconds += spent
    outcome.slowest = max(outcome.slowest, (spent, str(path)))


def run(files: list[Path], budget: float) -> Outcome:
    analyzer = Analyzer(load_knowledge())
    outcome = Outcome()
    for path in files:
        check_file(analyzer, path, budget, outcome)
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--files", type=int, default=None, help="a seeded sample of N files")
    parser.add_argument("--packages", default=",".join(DEFAULT_PACKAGES))
    parser.add_argument("--budget", type=float, default=20.0, help="CPU seconds per stage")
    args = parser.parse_args(argv)
    files = sample(sources(args.packages.split(",")), args.files)
    wall = time.monotonic()
    outcome = run(files, args.budget)
    print(
        f"files {outcome.files}, lines {outcome.lines}, fixes applied {outcome.fixes}, "
        f"CPU {outcome.seconds:.1f} s, wall {time.monotonic() - wall:.1f} s, "
        f"slowest {outcome.slowest[0]:.2f} s ({outcome.slowest[1]}), "
        f"failures {len(outcome.failures)}"
    )
    for failure in outcome.failures:
        print(failure)
    return 1 if outcome.failures else 0


if __name__ == "__main__":
    sys.exit(main())

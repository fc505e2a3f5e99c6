"""How long the server takes to load the knowledge index, and to read one entry on demand.

    python benchmarks/kb_load.py [--runs 15] [--knowledge DIR]

"cold" runs ``load_knowledge()`` once in each of ``--runs`` fresh interpreters (imports not
counted: they are paid by the server anyway), which is what a starting server sees; "warm"
repeats it in one process. "entry" parses single entry files on demand. The budget for the
index is 50 ms for the median cold load (docs/benchmarks.md); p95 and max show how much a busy
machine adds.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

BUDGET_MS = 50.0

_CHILD = """
import json, sys, time
from pathlib import Path
from mindport.kb.loader import load_knowledge
root = Path(sys.argv[1]) if len(sys.argv) > 1 else None
started = time.perf_counter()
kb = load_knowledge(root)
elapsed = (time.perf_counter() - started) * 1000
print(json.dumps({"ms": elapsed, "entries": len(kb), "problems": len(kb.problems)}))
"""


def cold(runs: int, knowledge: Path | None) -> list[float]:
    times = []
    for _ in range(runs):
        args = [sys.executable, "-c", _CHILD, *([str(knowledge)] if knowledge else [])]
        out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        if result["problems"]:
            raise SystemExit(f"the knowledge base has {result['problems']} problems")
        times.append(result["ms"])
    return times


def warm(runs: int, knowledge: Path | None) -> tuple[list[float], int]:
    from mindport.kb.loader import load_knowledge

    times = []
    size = 0
    for _ in range(runs):
        started = time.perf_counter()
        kb = load_knowledge(knowledge)
        times.append((time.perf_counter() - started) * 1000)
        size = len(kb)
    return times, size


def entries(samples: int, knowledge: Path | None) -> list[float]:
    from mindport.kb.loader import load_knowledge

    kb = load_knowledge(knowledge)
    chosen = random.Random(0).sample(kb.ids, min(samples, len(kb.ids)))
    times = []
    for entry_id in chosen:
        started = time.perf_counter()
        kb.entry(entry_id)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {max(times):.1f} ms"
        f" ({len(times)} runs)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--knowledge", type=Path)
    args = parser.parse_args()
    cold_times = cold(args.runs, args.knowledge)
    warm_times, size = warm(args.runs, args.knowledge)
    entry_times = entries(200, args.knowledge)
    index = (args.knowledge or Path(__file__).resolve().parent.parent / "knowledge") / "index.json"
    print(f"index: {size} entries, {index.stat().st_size / 1024:.0f} KiB")
    print(f"cold load (fresh process): {_summary(cold_times)}")
    print(f"warm load (same process):  {_summary(warm_times)}")
    print(f"one entry on demand:       {_summary(entry_times)}")
    typical = statistics.median(cold_times)
    verdict = "within" if typical <= BUDGET_MS else "OVER"
    print(f"budget {BUDGET_MS:.0f} ms for the median cold load: {verdict} ({typical:.1f} ms)")
    return 0 if typical <= BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())

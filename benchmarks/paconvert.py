"""PaConvert and ``mindport fix --no-jedi`` side by side on the same real library (issue 13).

    python benchmarks/paconvert.py            # measure and print
    python benchmarks/paconvert.py --write    # ... and write into docs/benchmarks.md

PaConvert (PaddlePaddle's PyTorch converter) is installed from PyPI at a pinned version into
its own virtual environment in the benchmark cache (``$MINDPORT_BENCH_CACHE``, default
``~/.cache/mindport-bench``), outside the repository and outside MindPort's environment; the
library is the one ``benchmarks/scale.py`` downloads (timm at a pinned version, 141,115
lines). Both tools convert a fresh copy of the whole package and write the converted files:
PaConvert into its output folder (``-i timm -o out``), MindPort in place (``fix --write``),
import-only analysis (``--no-jedi``), no result cache, one process (PaConvert has no workers),
and again with one worker per core. PaConvert formats what it writes with black by default;
it is measured with and without (``--no_format``). Wall time, CPU time (user + system of
every process of the run: what the load of a shared machine does not inflate) and peak memory
come from ``benchmarks/scale.measure``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale import CACHE, PACKAGE, VERSION, Run, cpu_text, fetch, measure  # noqa: E402
from benchmarks.sections import markers, publish  # noqa: E402

PACONVERT = "3.3.1"
START, END = markers("paconvert")
COMMAND = "python benchmarks/paconvert.py --write"


def paconvert() -> Path:
    """The ``paconvert`` command of a virtual environment made for it (made once)."""
    home = CACHE / f"paconvert-{PACONVERT}-venv"
    command = home / "bin" / "paconvert"
    if command.exists():
        return command
    venv.create(home, with_pip=True)
    subprocess.run(
        [str(home / "bin" / "python"), "-m", "pip", "install", "-q", f"paconvert=={PACONVERT}"],
        check=True,
    )
    return command


def _row(label: str, command: str, run: Run, pooled: bool = False) -> str:
    return (
        f"| {label} | `{command}` | {run.seconds:.1f} s | {cpu_text(run, pooled)} | "
        f"{run.peak_mb:.0f} MB | {os.getloadavg()[0]:.1f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write into docs/benchmarks.md")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    source = fetch()
    tool = paconvert()
    lines = sum(
        path.read_text(encoding="utf-8").count("\n") for path in (source / PACKAGE).rglob("*.py")
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "server")
    env.pop("CI", None)
    rows: list[str] = []
    runs: dict[str, Run] = {}
    scratch = Path(tempfile.mkdtemp(prefix="mindport-paconvert-"))
    try:

        def copy(name: str) -> Path:
            folder = scratch / name
            shutil.copytree(source / PACKAGE, folder / PACKAGE)
            return folder

        for key, extra in (("pa", []), ("pa-noformat", ["--no_format"])):
            folder = copy(key)
            shown = " ".join(["paconvert", "-i", PACKAGE, "-o", "out", *extra])
            run = measure(
                [str(tool), "-i", PACKAGE, "-o", "out", "--log_dir", "log", *extra],
                folder,
                dict(os.environ),
                module=False,
            )
            runs[key] = run
            rows.append(_row(f"PaConvert {PACONVERT}", shown, run))
            print(rows[-1], file=sys.stderr)
        for key, jobs in (("mp", "1"), ("mp-jobs", str(args.jobs))):
            folder = copy(key)
            arguments = ["fix", PACKAGE, "--no-jedi", "--no-cache", "--write", "--jobs", jobs]
            run = measure(arguments, folder, env)
            runs[key] = run
            rows.append(_row("MindPort", " ".join(["mindport", *arguments]), run, jobs != "1"))
            print(rows[-1], file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)  # fmt: skip

    pa, mp = runs["pa"], runs["mp"]
    section = "\n".join(
        [
            START,
            "## PaConvert side by side (`benchmarks/paconvert.py`)",
            "",
            f"{PACKAGE} {VERSION} ({lines:,} lines of Python), each tool on a fresh copy of the "
            f"package; PaConvert {PACONVERT} from PyPI in its own environment. "
            f"{os.cpu_count()} cores. Command: `{COMMAND}`.",
            "",
            "| tool | command (in a copy of the library) | wall | CPU | peak RSS | load after |",
            "|---|---|---:|---:|---:|---:|",
            *rows,
            "",
            f"- one process each: MindPort {pa.seconds / mp.seconds:.2f}x faster (wall), "
            f"{pa.cpu / mp.cpu:.2f}x (CPU); without PaConvert's formatting "
            f"{runs['pa-noformat'].seconds / mp.seconds:.2f}x (wall), "
            f"{runs['pa-noformat'].cpu / mp.cpu:.2f}x (CPU)",
            f"- MindPort with {args.jobs} workers: "
            f"{pa.seconds / runs['mp-jobs'].seconds:.2f}x faster than PaConvert (wall)",
            END,
        ]
    )
    publish("paconvert", section, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The ``mindport kb generate | validate | report`` subcommands (argparse wiring only).

Everything heavy is imported when a command runs, so building the parser stays cheap.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

EXIT_CLEAN, EXIT_DRIFT, EXIT_ERROR = 0, 1, 2
DATA_WHEELS_HELP = (
    "a folder with the torchvision, torchaudio and torchtext wheels (pip download --no-deps"
    " ... -d DIR): their signatures are read from the sources, nothing is imported"
)


def _root(args: argparse.Namespace) -> Path:
    from mindport.kb.paths import knowledge_dir

    root: Path = args.knowledge or knowledge_dir()
    return root


def _generate(args: argparse.Namespace) -> int:
    from mindport.kb.generate.pipeline import STEPS, generate
    from mindport.kb.parse import EntryError

    steps = args.steps.split(",") if args.steps else list(STEPS)
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        print(
            f"mindport: unknown step(s) {', '.join(unknown)}; choose from {', '.join(STEPS)}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    started = time.perf_counter()
    try:
        report = generate(_root(args), steps, args.tables, args.data_wheels)
    except (EntryError, OSError) as error:
        print(f"mindport: {error}", file=sys.stderr)
        return EXIT_ERROR
    for line in report.lines:
        print(line)
    print(f"done in {time.perf_counter() - started:.1f} s")
    return EXIT_CLEAN


def _missing_tables(tables: Path | None) -> str | None:
    """Why ``--tables`` cannot be read, checked before the frameworks are imported."""
    from mindport.kb.generate.claims import TABLES

    if tables is None:
        return None
    missing = [name for name in TABLES.values() if not (tables / name).is_file()]
    if missing:
        return f"--tables {tables}: {', '.join(missing)} not found there"
    return None


def _validate(args: argparse.Namespace) -> int:
    from mindport.kb.generate.validate import validate

    problem = _missing_tables(args.tables)
    if problem is not None:
        print(f"mindport: {problem}", file=sys.stderr)
        return EXIT_ERROR
    started = time.perf_counter()
    result = validate(
        _root(args), tables_dir=args.tables, jedi=not args.no_jedi, data_wheels=args.data_wheels
    )
    for line in result.lines():
        print(line)
    print(
        f"{'drift found' if result.drift else 'no drift'} in {time.perf_counter() - started:.1f} s"
    )
    return EXIT_DRIFT if result.drift else EXIT_CLEAN


def _report(args: argparse.Namespace) -> int:
    from mindport.kb.generate.report import write_report

    path = write_report(_root(args), args.output)
    print(f"{path}: written")
    return EXIT_CLEAN


def add_commands(kb_commands: Any) -> None:
    """Add generate, validate and report to ``mindport kb``."""

    def knowledge(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--knowledge", type=Path, help="knowledge directory (default: the one in use)"
        )

    generate = kb_commands.add_parser(
        "generate", help="regenerate the knowledge base from the installed frameworks"
    )
    knowledge(generate)
    generate.add_argument(
        "--steps",
        help="comma-separated subset of claims,snapshots,entries,jedi (default: all;"
        " only snapshots and jedi need torch and mindspore)",
    )
    generate.add_argument(
        "--tables", type=Path, help="the reference tables (default: ../shared/reference/tables)"
    )
    generate.add_argument("--data-wheels", type=Path, help=DATA_WHEELS_HELP)
    generate.set_defaults(run=_generate)

    validate = kb_commands.add_parser(
        "validate", help="re-derive the knowledge from the installed frameworks; exit 1 on drift"
    )
    knowledge(validate)
    validate.add_argument("--tables", type=Path, help="also check the claims against these tables")
    validate.add_argument("--no-jedi", action="store_true", help="skip the jedi name table")
    validate.add_argument("--data-wheels", type=Path, help=DATA_WHEELS_HELP)
    validate.set_defaults(run=_validate)

    report = kb_commands.add_parser("report", help="write docs/knowledge-report.md")
    knowledge(report)
    report.add_argument(
        "--output", type=Path, help="where to write (default: docs/knowledge-report.md)"
    )
    report.set_defaults(run=_report)

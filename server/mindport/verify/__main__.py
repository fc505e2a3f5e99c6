"""``python -m mindport.verify``: run the equivalence cases, show them, write the report.

    python -m mindport.verify run [API ...] [--namespace NS] [--jobs N] [--dry-run]
    python -m mindport.verify show API          the torch program and its conversions
    python -m mindport.verify docs              rewrite docs/verified-apis.md from the results
    python -m mindport.verify programs [NAME ...] [--show]  the program suite (tests/programs)

``run`` needs torch and mindspore (the ``frameworks`` extra); with API names or
``--namespace`` it re-runs those and merges them into ``knowledge/verification.json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from mindport.kb.loader import load_knowledge
from mindport.kb.model import Entry
from mindport.kb.paths import knowledge_dir
from mindport.verify.cases import all_api_cases
from mindport.verify.docs import DOCS_FILE, write_docs
from mindport.verify.program import analyzer_findings, torch_program
from mindport.verify.results import (
    RESULTS_FILE,
    ApiResult,
    api_from_json,
    read_results,
    summary,
    with_notes,
    write_results,
)

CASES_DIR = "cases"


def _entries(root: Path) -> list[Entry]:
    kb = load_knowledge(root)
    return [e for e in (kb.entry(i) for i in kb.ids) if e is not None]


def _docs_path(root: Path) -> Path:
    return root.parent / DOCS_FILE


def _run(args: argparse.Namespace) -> int:
    from mindport.verify.runner import entries_by_id, verify

    root: Path = args.knowledge or knowledge_dir()
    entries = _entries(root)
    only = set(args.apis) or None
    cases, problems = all_api_cases(entries, root / CASES_DIR)
    for problem in problems:
        print(f"mindport verify: {problem}", file=sys.stderr)
    if only is not None or args.namespace:
        cases = [
            c
            for c in cases
            if (only is not None and c.api in only)
            or (args.namespace and c.api.rsplit(".", 1)[0] in args.namespace)
        ]
    started = time.perf_counter()
    results, versions = verify(
        cases,
        entries_by_id(entries),
        analyzer_findings(),
        jobs=args.jobs,
        progress=lambda line: print(
            f"[{time.perf_counter() - started:5.0f} s] {line}", file=sys.stderr
        ),
    )
    by_id = {e.id: e for e in entries}
    results = [with_notes(r, by_id.get(r.api)) for r in results]
    for result in results:
        if args.verbose or only is not None:
            _print(result)
    counts = summary(results)["all"] if results else {}
    print(
        f"{len(results)} APIs: "
        + ", ".join(f"{n} {s}" for s, n in counts.items())
        + f" in {time.perf_counter() - started:.0f} s"
    )
    if args.dry_run:
        return 0
    path = root / RESULTS_FILE
    merged: dict[str, ApiResult] = {}
    if only is not None or args.namespace:
        stored = read_results(path)
        merged = {a: api_from_json(a, d) for a, d in stored["apis"].items()}
    merged.update({r.api: r for r in results})
    known = {c.api for c in all_api_cases(entries, root / CASES_DIR)[0]}
    final = [r for a, r in merged.items() if a in known]
    data = write_results(path, final, {**versions, "python": sys.version.split()[0]})
    print(f"{path}: {len(final)} APIs")
    print(f"{write_docs(_docs_path(root), data)}: written")
    return 0


def _print(result: ApiResult) -> None:
    print(f"{result.api}: {result.status}" + (f" ({result.reason})" if result.reason else ""))
    for target in result.targets.values():
        print(f"  {target.target} {target.api}: {target.status} {target.passed}/{target.cases}")
        for problem in target.problems:
            print(f"    {problem.status} [{problem.stage or ''}] {problem.case}: {problem.detail}")


def _show(args: argparse.Namespace) -> int:
    root: Path = args.knowledge or knowledge_dir()
    entries = _entries(root)
    cases, _ = all_api_cases(entries, root / CASES_DIR, only=[args.api])
    if not cases:
        print(f"mindport verify: no cases for {args.api}", file=sys.stderr)
        return 2
    from mindport.verify.program import convert

    findings_of = analyzer_findings()
    item = cases[0]
    if item.skip or item.problem:
        print(f"{item.api}: not run ({item.skip or item.problem})")
    for case in item.cases:
        program = torch_program(case)
        print(f"# --- {case.id}  [{case.origin}]")
        for name, spec in case.inputs:
            print(f"#     {name}: {spec.describe()}")
        print(program)
        for target in ("mint", "classic"):
            conversion = convert(program, target, findings_of)
            print(f"# {target}{' (unsafe fixes)' if conversion.unsafe else ''}:")
            print(conversion.text if conversion.text else f"# {conversion.problem}")
    return 0


def _docs(args: argparse.Namespace) -> int:
    root: Path = args.knowledge or knowledge_dir()
    data = read_results(root / RESULTS_FILE)
    print(f"{write_docs(_docs_path(root), data)}: written")
    return 0


def _programs(args: argparse.Namespace) -> int:
    from mindport.verify import programs as suite
    from mindport.verify.runner import default_jobs

    root = _docs_path(args.knowledge or knowledge_dir()).parent.parent
    directory = root / "tests" / "programs"
    chosen = suite.load_programs(directory, args.names or None)
    started = time.perf_counter()
    results, versions, texts = suite.run_programs(
        chosen,
        suite.analyzer_findings(),
        jobs=args.jobs or default_jobs(),
        progress=lambda line: print(f"[{time.perf_counter() - started:5.0f} s] {line}"),
    )
    seconds = time.perf_counter() - started
    for result in results:
        print(
            f"{result.name} ({result.kind})"
            + (f": torch {result.torch_error}" if result.torch_error else "")
        )
        for target, outcome in result.targets.items():
            codes = f" [{', '.join(outcome.codes)}]" if outcome.codes else ""
            print(f"  {target}: {outcome.outcome}{codes} {outcome.detail}")
            if args.show:
                print(texts[result.name][target])
    print(suite.counts(results), f"in {seconds:.0f} s")
    if args.dry_run or args.names:
        return 0
    data = suite.write_results(directory / suite.RESULTS_NAME, results, versions, seconds)
    docs = root / suite.DOCS_FILE
    docs.write_text(suite.render_docs(data), encoding="utf-8")
    print(f"{docs}: written")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mindport.verify", description=__doc__)
    parser.add_argument("--knowledge", type=Path, help="knowledge directory (default: in use)")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the cases in torch and MindSpore")
    run.add_argument("apis", nargs="*", help="only these APIs (merged into the stored results)")
    run.add_argument("--namespace", action="append", help="only this torch namespace")
    run.add_argument("--jobs", type=int, default=None, help="MindSpore workers (default: 2)")
    run.add_argument("--dry-run", action="store_true", help="do not write the results")
    run.add_argument("-v", "--verbose", action="store_true", help="print every API's result")
    run.set_defaults(run=_run)
    show = commands.add_parser("show", help="print an API's cases and their conversions")
    show.add_argument("api")
    show.set_defaults(run=_show)
    docs = commands.add_parser("docs", help="rewrite docs/verified-apis.md from the results")
    docs.set_defaults(run=_docs)
    programs = commands.add_parser("programs", help="run the program suite (tests/programs)")
    programs.add_argument("names", nargs="*", help="only these programs (nothing is written)")
    programs.add_argument("--jobs", type=int, default=None, help="MindSpore workers")
    programs.add_argument("--dry-run", action="store_true", help="do not write the results")
    programs.add_argument("--show", action="store_true", help="print the converted programs")
    programs.set_defaults(run=_programs)
    args = parser.parse_args(argv)
    if getattr(args, "jobs", 0) is None:
        from mindport.verify.runner import default_jobs

        args.jobs = default_jobs()
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())

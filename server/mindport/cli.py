"""The ``mindport`` command: ``check``, ``explain``, ``serve``, ``rules`` and ``kb index``.

Exit codes of ``check``: 0 no findings, 1 findings, 2 usage or I/O errors (the other paths
are still checked).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mindport import __version__
from mindport.kb.model import Locale, normalise_locale

if TYPE_CHECKING:
    from mindport.batch import Batch
    from mindport.kb.loader import KnowledgeBase
    from mindport.parallel import Outcome

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _system_locale() -> Locale:
    for variable in ("MINDPORT_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return normalise_locale(value)
    return "en"


def _locale(value: str) -> Locale:
    return _system_locale() if value == "auto" else normalise_locale(value)


def _error(message: str) -> None:
    print(f"mindport: {message}", file=sys.stderr)


def _load_kb() -> KnowledgeBase:
    from mindport.kb.loader import load_knowledge

    kb = load_knowledge()
    for problem in kb.problems:
        _error(f"knowledge: {problem}")
    return kb


def _codes(value: str | None) -> list[str]:
    """``"MP1, MP201"`` -> ``["MP1", "MP201"]``."""
    return [code.strip() for code in (value or "").split(",") if code.strip()]


def _batch(args: argparse.Namespace) -> Batch:
    from mindport.analysis.engine import Analyzer
    from mindport.analysis.jedi_resolver import JediResolver
    from mindport.analysis.rules import select_rules
    from mindport.batch import Batch, Overrides

    kb = _load_kb()
    resolver = None if args.no_jedi else JediResolver(kb, project_root=Path.cwd())
    rules = (
        select_rules(_codes(args.select), _codes(args.ignore)) if args.select or args.ignore else {}
    )
    overrides = Overrides(
        locale=None if args.locale == "auto" else normalise_locale(args.locale),
        target=args.target,
        rules=rules,
    )
    return Batch(Analyzer(kb, resolver), overrides, _system_locale())


def _run(args: argparse.Namespace, mode: str) -> tuple[Batch, Iterator[Outcome]]:
    """The files the command names (minus other shards'), analysed by ``--jobs`` processes and
    read from the cache where unchanged; errors for roots that do not exist come first."""
    from mindport import parallel
    from mindport.batch import FileResult
    from mindport.cache import default_cache_dir
    from mindport.shard import shard_of

    batch = _batch(args)
    listed: list[Outcome] = []
    paths: list[Path] = []
    for item in batch.files(args.paths):
        if isinstance(item, FileResult):
            listed.append(parallel.Outcome(item.path, error=item.error))
        elif args.shard is None or shard_of(item, args.shard[1]) == args.shard[0]:
            batch.config_for(item)  # its project's settings problems are reported here, once
            paths.append(item)
    spec = parallel.RunSpec(
        mode=mode,
        unsafe=getattr(args, "unsafe", False),
        no_jedi=args.no_jedi,
        rules=dict(batch.overrides.rules),
        locale=batch.overrides.locale,
        target=batch.overrides.target,
        system_locale=batch.system_locale,
        project_root=Path.cwd(),
        cache_dir=None if args.no_cache else (args.cache_dir or default_cache_dir()),
        knowledge=batch.analyzer.kb.root,
    )
    progress = parallel.Progress(
        len(paths), sys.stderr, parallel.progress_wanted(sys.stderr, args.quiet)
    )
    jobs = args.jobs or parallel.default_jobs()

    def stream() -> Iterator[Outcome]:
        yield from listed
        try:
            for outcome in parallel.run(spec, paths, min(jobs, max(len(paths), 1))):
                if outcome.findings or outcome.error or outcome.syntax or outcome.fixed:
                    progress.clear()  # the caller prints something: not after the bar
                yield outcome
                progress.advance()
        finally:
            progress.clear()

    return batch, stream()


def _check(args: argparse.Namespace) -> int:
    from mindport import report

    batch, outcomes = _run(args, "check")
    results: list[Outcome] = []
    for result in outcomes:
        results.append(result)
        if result.error:
            _error(f"{result.path}: {result.error}")
            continue
        if result.syntax is not None:
            number, message = result.syntax
            _error(f"{result.path}:{number + 1}: syntax error ({message}); checked the rest")
        if args.format == "text":
            for line in report.text_lines(result):
                print(line)
        elif args.format == "github":
            for line in report.github_lines(result):
                print(line)
    for message in batch.problems:
        _error(message)
    if args.format == "json":
        print(report.json_report(results))
    elif args.format == "sarif":
        print(report.sarif_report(results))
    if any(r.error for r in results):
        return EXIT_ERROR
    return EXIT_FINDINGS if any(r.findings for r in results) else EXIT_CLEAN


def _fix(args: argparse.Namespace) -> int:
    import difflib

    from mindport.batch import write_atomically

    batch, outcomes = _run(args, "fix")
    status = EXIT_CLEAN
    changed_files = applied = 0
    for result in outcomes:
        if result.error:
            _error(f"{result.path}: {result.error}")
            status = EXIT_ERROR
            continue
        if result.fixed is None or result.text is None:
            continue
        changed_files += 1
        applied += result.applied
        if args.write:
            try:
                write_atomically(result.path, result.fixed)
            except OSError as error:
                _error(f"{result.path}: cannot write: {error}")
                status = EXIT_ERROR
        else:
            diff = difflib.unified_diff(
                result.text.splitlines(keepends=True),
                result.fixed.splitlines(keepends=True),
                fromfile=f"a/{result.path}",
                tofile=f"b/{result.path}",
            )
            sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in diff)
    for message in batch.problems:
        _error(message)
    verb = "applied" if args.write else "would apply"
    kinds = "safe and unsafe" if args.unsafe else "safe"
    print(f"mindport: {verb} {applied} {kinds} fix(es) in {changed_files} file(s)", file=sys.stderr)
    if status == EXIT_CLEAN and changed_files and not args.write:
        return EXIT_FINDINGS  # --diff: changes are pending, as `ruff --diff` says
    return status


def _report(args: argparse.Namespace) -> int:
    from mindport import migration_report as mr

    kb = _load_kb()
    if args.parts:
        try:
            results, problems = mr.results_from_parts(args.parts)
        except mr.PartError as error:
            _error(str(error))
            return EXIT_ERROR
    elif args.paths:
        batch, outcomes = _run(args, "check")
        results, problems = [], []
        for outcome in outcomes:
            if outcome.error:
                problems.append(f"{mr.shown_path(outcome.path)}: {outcome.error}")
            else:
                results.append((mr.shown_path(outcome.path), list(outcome.findings)))
        for message in batch.problems:
            _error(message)
    else:
        _error("report: name the PATHs to analyse, or --from the JSON parts of `check`")
        return EXIT_ERROR
    summary = mr.build_summary(results, problems, kb)
    title = args.paths[0].resolve().name if len(args.paths) == 1 else ""
    text = mr.render(
        summary, args.format, _locale(args.locale), title=title, target=args.target or "mint"
    )
    output = args.output or mr.DEFAULT_OUTPUT[args.format]
    if output == "-":
        sys.stdout.write(text)
    else:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            _error(f"{output}: cannot write: {error}")
            return EXIT_ERROR
        if not args.quiet:
            print(
                f"mindport: wrote {output} ({summary.total} finding(s) in "
                f"{summary.files_scanned} file(s))",
                file=sys.stderr,
            )
    return EXIT_ERROR if problems else EXIT_CLEAN


def _merge(args: argparse.Namespace) -> int:
    from mindport.migration_report import PartError, merge_parts

    try:
        text = merge_parts(args.parts)
    except PartError as error:
        _error(str(error))
        return EXIT_ERROR
    if args.output and args.output != "-":
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return EXIT_CLEAN


def _explain(args: argparse.Namespace) -> int:
    from mindport.render.card import render_card

    kb = _load_kb()
    entry = kb.lookup(args.name)
    if entry is None:
        known = [
            name
            for entry_id in kb.ids
            if (r := kb.record(entry_id))
            for name in (*r.torch_names, *r.mindspore_names)
        ]
        close = difflib.get_close_matches(args.name, known, n=5, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        _error(f"no knowledge about {args.name}{hint}")
        return EXIT_ERROR
    reverse = args.name if kb.torch_id(args.name) is None else None
    print(
        render_card(
            entry,
            _locale(args.locale),
            target_preference=args.target or "mint",
            mindspore_name=reverse,
            verification=kb.verification(entry.id),
        ),
        end="",
    )
    return EXIT_CLEAN


def _serve(args: argparse.Namespace) -> int:
    from mindport.lsp.server import run_server

    return run_server(
        tcp=args.tcp, log_file=args.log_file, verbose=args.verbose, token_file=args.token_file
    )


def _rules(args: argparse.Namespace) -> int:
    from mindport.analysis.rules import RULES

    locale = _locale(args.locale)
    for rule in RULES.values():
        severity = rule.severity.name.lower() + ("" if rule.enabled else ", off")
        print(f"{rule.code}  {rule.name:<24} {severity:<12} {rule.summary.get(locale)}")
    return EXIT_CLEAN


def _settings(args: argparse.Namespace) -> int:
    from mindport.settings import configuration_markdown

    print(configuration_markdown(), end="")
    return EXIT_CLEAN


def _kb_index(args: argparse.Namespace) -> int:
    from mindport.kb.loader import INDEX_FILE, build_index
    from mindport.kb.paths import knowledge_dir

    root = args.knowledge or knowledge_dir()
    data, problems = build_index(root)
    for problem in problems:
        _error(f"knowledge: {problem}")
    (root / INDEX_FILE).write_text(
        json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"{root / INDEX_FILE}: {len(data['entries'])} entries")
    return EXIT_ERROR if problems else EXIT_CLEAN


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def _shard(value: str) -> tuple[int, int]:
    from mindport.shard import ShardError, parse_shard

    try:
        return parse_shard(value)
    except ShardError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mindport", description="Port PyTorch code to MindSpore.")
    parser.add_argument("--version", action="version", version=f"mindport {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--locale",
            choices=["auto", "en", "zh", "zh-cn"],
            default="auto",
            help="message language (default: from LANG)",
        )
        sub.add_argument(
            "--target",
            choices=["mint", "classic"],
            default=None,
            help="MindSpore namespace to port to (default: the project's setting, else mint)",
        )

    def scale(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "-j",
            "--jobs",
            type=_positive,
            default=None,
            metavar="N",
            help="worker processes (default: one per core)",
        )
        sub.add_argument(
            "--no-cache", action="store_true", help="analyse every file again, ignore the cache"
        )
        sub.add_argument(
            "--cache-dir",
            type=Path,
            default=None,
            metavar="DIR",
            help="where results are cached (default: $MINDPORT_CACHE_DIR, else "
            "$XDG_CACHE_HOME/mindport, else ~/.cache/mindport)",
        )
        sub.add_argument(
            "--shard",
            type=_shard,
            default=None,
            metavar="I/N",
            help="only the files of shard I of N (by path hash; for CI matrices)",
        )
        sub.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    def selection(sub: argparse.ArgumentParser, paths: str = "+") -> None:
        sub.add_argument("paths", nargs=paths, type=Path, metavar="PATH")
        sub.add_argument("--no-jedi", action="store_true", help="resolve names from imports only")
        sub.add_argument(
            "--select", metavar="CODES", help="only these rule codes or prefixes, e.g. MP1,MP201"
        )
        sub.add_argument("--ignore", metavar="CODES", help="skip these rule codes or prefixes")
        scale(sub)
        common(sub)

    check = commands.add_parser("check", help="report the PyTorch APIs to port, file by file")
    selection(check)
    check.add_argument(
        "--format",
        choices=["text", "json", "sarif", "github"],
        default="text",
        help="output format (default: text, one finding per line)",
    )
    check.set_defaults(run=_check)

    fix = commands.add_parser("fix", help="apply the quick-fixes (shows a diff unless --write)")
    selection(fix)
    mode = fix.add_mutually_exclusive_group()
    mode.add_argument(
        "--diff", action="store_true", help="print the changes as a unified diff (default)"
    )
    mode.add_argument("--write", action="store_true", help="write the changes to the files")
    fix.add_argument(
        "--unsafe", action="store_true", help="also apply fixes that may change behaviour"
    )
    fix.set_defaults(run=_fix)

    report = commands.add_parser(
        "report", help="write the migration report of a project (HTML, Markdown or JSON)"
    )
    selection(report, paths="*")
    report.add_argument(
        "--format",
        choices=["html", "md", "json"],
        default="html",
        help="html (default, a self-contained page), md (for pull requests), json (for CI trends)",
    )
    report.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write it ('-': standard output; default: mindport-report.html for "
        "html, standard output otherwise)",
    )
    report.add_argument(
        "--from",
        dest="parts",
        nargs="+",
        type=Path,
        default=None,
        metavar="PART",
        help="build the report from `check --format json` outputs (e.g. the shards of a CI "
        "matrix) instead of analysing",
    )
    report.set_defaults(run=_report)

    merge = commands.add_parser(
        "merge", help="merge the JSON or SARIF outputs of sharded `check` runs into one"
    )
    merge.add_argument("parts", nargs="+", type=Path, metavar="PART")
    merge.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
    merge.set_defaults(run=_merge)

    explain = commands.add_parser("explain", help="print the knowledge card of an API")
    explain.add_argument("name", help="a torch or MindSpore API, e.g. torch.nn.Parameter")
    common(explain)
    explain.set_defaults(run=_explain)

    serve = commands.add_parser("serve", help="run the language server")
    transport = serve.add_mutually_exclusive_group()
    transport.add_argument(
        "--stdio", action="store_true", help="talk LSP over stdin/stdout (default)"
    )
    transport.add_argument(
        "--tcp",
        nargs="+",
        metavar="[HOST] PORT",
        help="listen on a TCP socket, on 127.0.0.1 unless HOST is given; serves one client "
        "that sends the token (from $MINDPORT_TOKEN or --token-file) as "
        "initializationOptions.token, and stops when it disconnects",
    )
    serve.add_argument(
        "--token-file",
        type=Path,
        help="TCP mode: read the token from this file (it must be readable by you only)",
    )
    serve.add_argument("--log-file", type=Path, help="also write the server log to this file")
    serve.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    serve.set_defaults(run=_serve)

    rules = commands.add_parser("rules", help="list the rule codes")
    rules.add_argument("--locale", choices=["auto", "en", "zh", "zh-cn"], default="auto")
    rules.set_defaults(run=_rules)

    settings = commands.add_parser("settings", help="print the settings reference (Markdown)")
    settings.set_defaults(run=_settings)

    kb = commands.add_parser("kb", help="knowledge base maintenance")
    kb_commands = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")
    index = kb_commands.add_parser(
        "index", help="rebuild knowledge/index.json from the entry files"
    )
    index.add_argument(
        "--knowledge", type=Path, help="knowledge directory (default: the one in use)"
    )
    index.set_defaults(run=_kb_index)
    from mindport.kb.generate.commands import add_commands  # generate, validate, report

    add_commands(kb_commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help
        return int(exit_.code or 0)
    if args.command == "serve" and args.tcp:
        if len(args.tcp) > 2:
            _error("--tcp takes a PORT, or a HOST and a PORT")
            return EXIT_ERROR
        host, port = args.tcp if len(args.tcp) == 2 else ("127.0.0.1", args.tcp[0])
        try:
            args.tcp = (host, int(port))
        except ValueError:
            _error(f"--tcp PORT must be a number, not {port!r}")
            return EXIT_ERROR
    result: int = args.run(args)
    return result

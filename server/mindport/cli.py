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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mindport import __version__
from mindport.kb.model import Locale, normalise_locale

if TYPE_CHECKING:
    from mindport.batch import Batch
    from mindport.kb.loader import KnowledgeBase

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


def _check(args: argparse.Namespace) -> int:
    from mindport import report
    from mindport.batch import FileResult

    batch = _batch(args)
    results: list[FileResult] = []
    for item in batch.files(args.paths):
        result = item if isinstance(item, FileResult) else batch.analyse(item)
        results.append(result)
        if result.error:
            _error(f"{result.path}: {result.error}")
            continue
        assert result.analysis is not None
        for problem in result.analysis.static.parsed.problems[:1]:
            _error(
                f"{result.path}:{problem.line + 1}: syntax error ({problem.message}); checked the rest"
            )
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

    from mindport.batch import FileResult, write_atomically

    batch = _batch(args)
    status = EXIT_CLEAN
    changed_files = applied = 0
    for item in batch.files(args.paths):
        if isinstance(item, FileResult):
            _error(f"{item.path}: {item.error}")
            status = EXIT_ERROR
            continue
        result, fixed = batch.fix(item, unsafe=args.unsafe)
        if fixed is None or result.text is None:
            _error(f"{result.path}: {result.error}")
            status = EXIT_ERROR
            continue
        if fixed.text == result.text:
            continue
        changed_files += 1
        applied += fixed.applied
        if args.write:
            try:
                write_atomically(item, fixed.text)
            except OSError as error:
                _error(f"{item}: cannot write: {error}")
                status = EXIT_ERROR
        else:
            diff = difflib.unified_diff(
                result.text.splitlines(keepends=True),
                fixed.text.splitlines(keepends=True),
                fromfile=f"a/{item}",
                tofile=f"b/{item}",
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

    def selection(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        sub.add_argument("--no-jedi", action="store_true", help="resolve names from imports only")
        sub.add_argument(
            "--select", metavar="CODES", help="only these rule codes or prefixes, e.g. MP1,MP201"
        )
        sub.add_argument("--ignore", metavar="CODES", help="skip these rule codes or prefixes")
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

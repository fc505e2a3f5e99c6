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


def _check(args: argparse.Namespace) -> int:
    from mindport.analysis.checks import AnalysisOptions
    from mindport.analysis.engine import Analyzer
    from mindport.analysis.jedi_resolver import JediResolver
    from mindport.sources import SourceError, python_files, read_source

    kb = _load_kb()
    resolver = None if args.no_jedi else JediResolver(kb, project_root=Path.cwd())
    analyzer = Analyzer(kb, resolver)
    options = AnalysisOptions(locale=_locale(args.locale), target=args.target)
    status = EXIT_CLEAN
    count = 0
    for root in args.paths:
        if not root.exists():
            _error(f"{root}: no such file or directory")
            status = EXIT_ERROR
            continue
        for path in python_files(root):
            try:
                text = read_source(path)
            except SourceError as error:
                _error(f"{path}: {error}")
                status = EXIT_ERROR
                continue
            analysis = analyzer.analyze(text, path.resolve(), options)
            for problem in analysis.static.parsed.problems[:1]:
                _error(
                    f"{path}:{problem.line + 1}: syntax error ({problem.message}); checked the rest"
                )
            for finding in analysis.findings:
                start = finding.span.start
                message = " ".join(finding.message.split("\n"))
                print(f"{path}:{start.line + 1}:{start.column + 1}: {finding.code} {message}")
                count += 1
    if count and status == EXIT_CLEAN:
        status = EXIT_FINDINGS
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
            entry, _locale(args.locale), target_preference=args.target, mindspore_name=reverse
        ),
        end="",
    )
    return EXIT_CLEAN


def _serve(args: argparse.Namespace) -> int:
    from mindport.lsp.server import run_server

    run_server(tcp=args.tcp, log_file=args.log_file, verbose=args.verbose)
    return EXIT_CLEAN


def _rules(args: argparse.Namespace) -> int:
    from mindport.analysis.rules import RULES

    locale = _locale(args.locale)
    for rule in RULES.values():
        severity = rule.severity.name.lower()
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
            default="mint",
            help="MindSpore namespace to port to (default: mint)",
        )

    check = commands.add_parser("check", help="report the PyTorch APIs to port, file by file")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check.add_argument("--no-jedi", action="store_true", help="resolve names from imports only")
    common(check)
    check.set_defaults(run=_check)

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
        "--tcp", nargs=2, metavar=("HOST", "PORT"), help="listen on a TCP socket"
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help
        return int(exit_.code or 0)
    if args.command == "serve" and args.tcp:
        try:
            args.tcp = (args.tcp[0], int(args.tcp[1]))
        except ValueError:
            _error(f"--tcp PORT must be a number, not {args.tcp[1]!r}")
            return EXIT_ERROR
    result: int = args.run(args)
    return result

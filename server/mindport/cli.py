"""The ``mindport`` command: ``check``, ``fix``, ``explain``, ``serve``, ``rules`` and ``kb``.

Exit codes of ``check`` and ``fix``: 0 nothing left to do, 1 findings (or, for ``fix``
without ``--write``, changes pending), 2 usage errors (unknown rule selectors, bad
``[tool.mindport]`` settings, paths that do not exist or cannot be read; the other paths are
still checked), 3 an internal error or a time budget exceeded on some files (their findings
may be incomplete; the other files are checked).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mindport import __version__
from mindport.kb.model import Locale, normalise_locale

if TYPE_CHECKING:
    from mindport.analysis.findings import Finding
    from mindport.batch import Batch, FileResult, FixResult
    from mindport.kb.loader import KnowledgeBase

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3
STDIN = Path("-")


def _system_locale() -> Locale:
    for variable in ("MINDPORT_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return normalise_locale(value)
    return "en"


def _locale(value: str) -> Locale:
    return _system_locale() if value == "auto" else normalise_locale(value)


def _error(message: str) -> None:
    print(f"mindport: {message}", file=sys.stderr, flush=True)


def _load_kb() -> KnowledgeBase:
    from mindport.kb.loader import load_knowledge

    kb = load_knowledge()
    for problem in kb.problems:
        _error(f"knowledge: {problem}")
    return kb


def _codes(value: str | None) -> list[str]:
    """``"MP1, mp201"`` -> ``["MP1", "MP201"]``."""
    return [code.strip().upper() for code in (value or "").split(",") if code.strip()]


def _unknown_selectors(args: argparse.Namespace) -> list[str]:
    from mindport.analysis.rules import RULES

    return [
        selector
        for selector in (*_codes(args.select), *_codes(args.ignore))
        if not any(code.startswith(selector) for code in RULES)
    ]


def _batch(args: argparse.Namespace) -> Batch:
    from mindport.analysis.engine import Analyzer
    from mindport.analysis.jedi_resolver import JediResolver
    from mindport.analysis.rules import select_rules
    from mindport.batch import Batch, Overrides

    kb = _load_kb()
    resolver = None if args.no_jedi else JediResolver(kb, root_per_file=True)
    rules = (
        select_rules(_codes(args.select), _codes(args.ignore)) if args.select or args.ignore else {}
    )
    overrides = Overrides(
        locale=None if args.locale == "auto" else normalise_locale(args.locale),
        target=args.target,
        rules=rules,
    )
    # Configuration problems are printed as soon as they are found: before any finding.
    return Batch(Analyzer(kb, resolver), overrides, _system_locale(), on_problem=_error)


def _zh(args: argparse.Namespace) -> bool:
    return _locale(args.locale) == "zh"


def _plural(count: int, word: str) -> str:
    ending = "" if count == 1 else ("es" if word.endswith(("x", "s")) else "s")
    return f"{count} {word}{ending}"


@dataclass
class _Tally:
    """What a run found, for the summary, ``--statistics`` and the exit code."""

    files: int = 0
    files_with_findings: int = 0
    findings: int = 0
    safe: int = 0
    unsafe: int = 0
    errors: int = 0
    failures: int = 0
    jedi_failures: int = 0
    jedi_failed_files: int = 0
    by_code: Counter[str] = field(default_factory=Counter)
    by_api: Counter[str] = field(default_factory=Counter)
    targets: dict[str, str] = field(default_factory=dict)

    def add(self, result: FileResult) -> None:
        if result.error:
            self.errors += 1
            return
        self.files += 1
        self.failures += bool(result.failure)
        self.jedi_failures += result.jedi_failures
        self.jedi_failed_files += bool(result.jedi_failures)
        self.add_findings(result.findings)

    def add_findings(self, findings: Sequence[Finding]) -> None:
        self.files_with_findings += bool(findings)
        self.findings += len(findings)
        for finding in findings:
            self.by_code[finding.code] += 1
            if finding.torch_api:
                self.by_api[finding.torch_api] += 1
                if finding.mindspore_api:
                    self.targets.setdefault(finding.torch_api, finding.mindspore_api)
            if finding.fix is not None:
                if finding.fix.safe:
                    self.safe += 1
                else:
                    self.unsafe += 1

    def exit_code(self, config_problems: bool, pending: bool = False) -> int:
        if self.failures:
            return EXIT_INTERNAL
        if self.errors or config_problems:
            return EXIT_ERROR
        return EXIT_FINDINGS if self.findings or pending else EXIT_CLEAN

    def found_line(self, zh: bool) -> str:
        if zh:
            return (
                f"在 {self.files_with_findings} 个文件中发现 {self.findings} 处问题"
                f"(`mindport fix` 可修复 {self.safe} 处;加 --unsafe 还可修复 {self.unsafe} 处)"
            )
        return (
            f"Found {_plural(self.findings, 'finding')} in "
            f"{_plural(self.files_with_findings, 'file')} "
            f"({self.safe} fixable with `mindport fix`; {self.unsafe} more with --unsafe)"
        )

    def left_line(self, zh: bool) -> str:
        if zh:
            return (
                f"剩余 {self.findings} 处问题,在 {self.files_with_findings} 个文件中"
                f"(加 --unsafe 可再修复 {self.unsafe} 处)"
            )
        return (
            f"{_plural(self.findings, 'finding')} left in "
            f"{_plural(self.files_with_findings, 'file')} "
            f"({self.safe} fixable; {self.unsafe} more with --unsafe)"
        )

    def clean_line(self, zh: bool) -> str:
        if zh:
            return f"未发现问题(检查了 {self.files} 个文件)"
        return f"No findings in {_plural(self.files, 'file')}"

    def report_problems(self, zh: bool) -> None:
        if self.jedi_failures:
            _error(
                f"jedi 在 {self.jedi_failed_files} 个文件中失败 {self.jedi_failures} 次;"
                "这些位置只按名称猜测(可能有遗漏)"
                if zh
                else f"jedi failed {_plural(self.jedi_failures, 'time')} in "
                f"{_plural(self.jedi_failed_files, 'file')}; members there are name-only "
                "guesses (findings may be missing)"
            )
        if self.failures:
            _error(
                f"{self.failures} 个文件的分析不完整(内部错误或超时),见上文"
                if zh
                else f"the analysis of {_plural(self.failures, 'file')} is incomplete "
                "(internal error or time budget exceeded; see above)"
            )

    def statistics(self, zh: bool) -> list[str]:
        from mindport.analysis.rules import RULES

        lines = []
        for code, count in sorted(self.by_code.items(), key=lambda kv: (-kv[1], kv[0])):
            rule = RULES.get(code)
            lines.append(f"{count:6d}  {code}  {rule.name if rule else ''}".rstrip())
        if self.by_api:
            lines.append("")
            for torch_api, count in sorted(self.by_api.items(), key=lambda kv: (-kv[1], kv[0])):
                target = f" -> {self.targets[torch_api]}" if torch_api in self.targets else ""
                lines.append(f"{count:6d}  {torch_api}{target}")
        return lines


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read()


def _stdin_path(args: argparse.Namespace) -> Path:
    return Path(args.stdin_filename) if args.stdin_filename else Path("-")


def check_results(batch: Batch, args: argparse.Namespace) -> Iterator[FileResult]:
    """One result per file, in order, each as soon as it is ready (a hook for parallel runs)."""
    from mindport.batch import FileResult, SourceError, source_from_bytes

    for root in args.paths:
        if root == STDIN:
            path = _stdin_path(args)
            try:
                source = source_from_bytes(_read_stdin())
            except SourceError as error:
                yield FileResult(path, error=str(error))
                continue
            yield batch.check_text(source.text, path)
            continue
        for item in batch.files([root]):
            yield item if not isinstance(item, Path) else batch.check(item)


def _file_messages(result: FileResult) -> None:
    if result.error:
        _error(f"{result.path}: {result.error}")
    if result.failure:
        _error(f"{result.path}: {result.failure}")
    for warning in result.warnings:
        _error(f"{result.path}: {warning}")


def _check(args: argparse.Namespace) -> int:
    from mindport import report

    if args.statistics and args.format != "text":
        _error("--statistics prints text; use it with --format text")
        return EXIT_ERROR
    unknown = _unknown_selectors(args)
    if unknown:
        _error(f"unknown rule selector(s): {', '.join(unknown)} (`mindport rules` lists them)")
        return EXIT_ERROR
    batch = _batch(args)
    zh = _zh(args)
    tally = _Tally()
    writer = report.writer_for(
        "text" if args.statistics else args.format, sys.stdout, show_fixes=args.show_fixes
    )
    for result in check_results(batch, args):
        tally.add(result)
        _file_messages(result)
        if not args.statistics:
            writer.add(result)
    writer.finish()
    if args.statistics:
        for line in tally.statistics(zh):
            print(line)
    if not tally.files and not tally.errors:
        _error("未找到 Python 文件" if zh else "no Python files found under the given path(s)")
    tally.report_problems(zh)
    summary = tally.found_line(zh) if tally.findings else tally.clean_line(zh)
    if tally.files:
        print(summary, file=sys.stdout if args.format == "text" else sys.stderr)
    return tally.exit_code(bool(batch.problems))


def _fix_outcomes(batch: Batch, args: argparse.Namespace) -> Iterator[FixResult]:
    from mindport.batch import FileResult, FixResult, SourceError, source_from_bytes

    for root in args.paths:
        if root == STDIN:
            path = _stdin_path(args)
            try:
                source = source_from_bytes(_read_stdin())
            except SourceError as error:
                yield FixResult(FileResult(path, error=str(error)))
                continue
            yield batch.fix_source(source, path, unsafe=args.unsafe)
            continue
        for item in batch.files([root]):
            if isinstance(item, Path):
                yield batch.fix(item, unsafe=args.unsafe)
            else:
                yield FixResult(item)


def _fixed_codes(outcome: FixResult) -> str:
    gone = Counter(f.code for f in outcome.before) - Counter(
        f.code for f in outcome.result.findings
    )
    return ", ".join(f"{count} × {code}" for code, count in sorted(gone.items()))


def _fix(args: argparse.Namespace) -> int:
    from mindport.batch import WriteError

    unknown = _unknown_selectors(args)
    if unknown:
        _error(f"unknown rule selector(s): {', '.join(unknown)} (`mindport rules` lists them)")
        return EXIT_ERROR
    batch = _batch(args)
    zh = _zh(args)
    left = _Tally()
    changed_files = applied = 0
    for outcome in _fix_outcomes(batch, args):
        result = outcome.result
        _file_messages(result)
        if outcome.refused:
            _error(f"{result.path}: {outcome.refused}")
        if result.error:
            left.add(result)
            continue
        is_stdin = (
            outcome.source is not None
            and str(result.path) == str(_stdin_path(args))
            and (STDIN in args.paths)
        )
        if outcome.fixed is not None and outcome.source is not None:
            if args.write and is_stdin:
                sys.stdout.write(outcome.fixed)
            elif args.write:
                try:
                    batch.write(outcome)
                except WriteError as error:
                    _error(f"{result.path}: {error}")
                    left.errors += 1
                    left.add_findings(outcome.before)
                    left.files += 1
                    continue
            else:
                _print_diff(outcome, result.path)
            changed_files += 1
            applied += outcome.applied
            if args.show_fixes:
                _error(f"{result.path}: {'已修复' if zh else 'fixed'} {_fixed_codes(outcome)}")
        elif args.write and is_stdin and outcome.source is not None:
            sys.stdout.write(outcome.source.text)
        left.add(result)
    if zh:
        verb = "已应用" if args.write else "将应用"
        kinds = "修复(含不安全修复)" if args.unsafe else "安全修复"
        _error(f"{verb} {applied} 个{kinds},涉及 {changed_files} 个文件")
    else:
        verb = "Applied" if args.write else "Would apply"
        fixes = _plural(applied, "fix" if args.unsafe else "safe fix")
        unsafe = " (unsafe ones included)" if args.unsafe else ""
        _error(f"{verb} {fixes}{unsafe} in {_plural(changed_files, 'file')}")
    if not left.files and not left.errors:
        _error("未找到 Python 文件" if zh else "no Python files found under the given path(s)")
    left.report_problems(zh)
    if left.findings:
        _error(left.left_line(zh))
    pending = bool(changed_files) and not args.write
    return left.exit_code(bool(batch.problems), pending=pending)


def _print_diff(outcome: FixResult, path: Path) -> None:
    assert outcome.source is not None and outcome.fixed is not None
    diff = difflib.unified_diff(
        outcome.source.text.splitlines(keepends=True),
        outcome.fixed.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in diff)


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
        sub.add_argument(
            "paths", nargs="+", type=Path, metavar="PATH", help="files or folders; - reads stdin"
        )
        sub.add_argument(
            "--stdin-filename",
            metavar="PATH",
            help="the path the text on stdin stands for (settings, messages, jedi)",
        )
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
    check.add_argument(
        "--statistics", action="store_true", help="count findings per rule code and per API"
    )
    check.add_argument(
        "--show-fixes", action="store_true", help="show the fix offered for each finding"
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
    fix.add_argument(
        "--show-fixes", action="store_true", help="say which findings were fixed in each file"
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
    try:
        result: int = args.run(args)
        if args.command in ("check", "fix"):  # the server's stdout belongs to the protocol
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, and keep Python from complaining
        # again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_FINDINGS
    return result

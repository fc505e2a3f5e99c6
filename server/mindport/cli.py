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
    from mindport.batch import Batch, FileResult
    from mindport.kb.loader import KnowledgeBase
    from mindport.parallel import Outcome

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


def _run(args: argparse.Namespace, mode: str) -> tuple[Batch, Iterator[Outcome]]:
    """The files the command names (minus other shards'), analysed by ``--jobs`` processes and
    read from the cache where unchanged; errors for roots that do not exist come first."""
    from mindport import parallel
    from mindport.batch import FileResult
    from mindport.cache import default_cache_dir
    from mindport.shard import shard_of

    batch: Batch = getattr(args, "batch", None) or _batch(args)
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

    def add(self, result: FileResult | Outcome, findings: Sequence[Finding] | None = None) -> None:
        if result.error and not _is_failure(result.error):
            self.errors += 1
            return
        self.files += 1
        self.failures += bool(getattr(result, "failure", None) or result.error)
        jedi_failures: int = getattr(result, "jedi_failures", 0)
        self.jedi_failures += jedi_failures
        self.jedi_failed_files += bool(jedi_failures)
        self.add_findings(result.findings if findings is None else findings)

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


def _is_failure(error: str) -> bool:
    """Workers report an internal error of ours as the file's error: that is exit 3."""
    return error.startswith("internal error") or "abandoned" in error


def _file_messages(result: FileResult | Outcome) -> None:
    if result.error:
        _error(f"{result.path}: {result.error}")
    failure = getattr(result, "failure", None)
    if failure:
        _error(f"{result.path}: {failure}")
    for warning in getattr(result, "warnings", ()):
        _error(f"{result.path}: {warning}")
    syntax = getattr(result, "syntax", None)
    if syntax is not None:
        number, message = syntax
        _error(f"{result.path}:{number + 1}: syntax error ({message}); checked the rest")


def _not_running(findings: Sequence[Finding]) -> int:
    """Converted calls whose MindSpore API has no kernel on a listed device (issue 10)."""
    return sum(1 for f in findings if f.off_device)


def _check_results(batch: Batch, args: argparse.Namespace) -> Iterator[FileResult | Outcome]:
    """One result per file, in order, each as soon as it is ready; stdin (``-``) first."""
    from mindport.batch import FileResult, SourceError, source_from_bytes

    if STDIN in args.paths:
        path = _stdin_path(args)
        try:
            source = source_from_bytes(_read_stdin())
        except SourceError as error:
            yield FileResult(path, error=str(error))
        else:
            yield batch.check_text(source.text, path)
    others = [p for p in args.paths if p != STDIN]
    if others:
        args.paths = others
        yield from _run(args, "check")[1]


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
    args.batch = batch
    zh = _zh(args)
    tally = _Tally()
    writer = report.writer_for(
        "text" if args.statistics else args.format, sys.stdout, show_fixes=args.show_fixes
    )
    not_running = 0  # converted calls with no kernel on the `devices` listed (issue 10)
    devices: tuple[str, ...] = ()
    for result in _check_results(batch, args):
        tally.add(result)
        _file_messages(result)
        if not args.statistics:
            writer.add(result)
        if not result.error:
            devices = batch.options_for(result.path).devices
            not_running += _not_running(result.findings)
    writer.finish()
    if not_running:
        _error(
            f"{not_running} converted call{'s' if not_running != 1 else ''} will not run on the"
            f" listed devices ({', '.join(devices)}): their fixes are unsafe and say why"
        )
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


def _fixed_codes(before: Sequence[Finding], after: Sequence[Finding]) -> str:
    gone = Counter(f.code for f in before) - Counter(f.code for f in after)
    return ", ".join(f"{count} × {code}" for code, count in sorted(gone.items()))


def _print_diff(path: Path, old: str, new: str) -> None:
    diff = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in diff)


def _write_outcome(path: Path, original: str, fixed: str) -> None:
    """Write a worker's fixed text in place, if the file still holds ``original``."""
    import ast

    from mindport.sources import SourceError, WriteError, encode_source, read_file, write_in_place

    if path.suffix != ".ipynb":
        try:
            ast.parse(fixed)
        except (SyntaxError, ValueError) as error:
            raise WriteError(
                f"not fixed: the fixed text would not parse ({error}); please report this"
            ) from None
    try:
        source = read_file(path)
    except SourceError as error:
        raise WriteError(f"not written: {error}") from None
    if source.text != original:
        raise WriteError("not written: the file changed on disk while it was being fixed")
    write_in_place(path, encode_source(fixed, source.encoding), expected=source.data)


def _fix(args: argparse.Namespace) -> int:
    from mindport.batch import SourceError, WriteError, source_from_bytes

    unknown = _unknown_selectors(args)
    if unknown:
        _error(f"unknown rule selector(s): {', '.join(unknown)} (`mindport rules` lists them)")
        return EXIT_ERROR
    zh = _zh(args)
    left = _Tally()
    changed_files = applied = 0
    others = [p for p in args.paths if p != STDIN]
    batch = _batch(args)
    args.batch = batch
    if STDIN in args.paths:
        path = _stdin_path(args)
        try:
            source = source_from_bytes(_read_stdin())
        except SourceError as error:
            _error(f"{path}: {error}")
            left.errors += 1
        else:
            outcome = batch.fix_source(source, path, unsafe=args.unsafe)
            _file_messages(outcome.result)
            if outcome.refused:
                _error(f"{path}: {outcome.refused}")
            text = outcome.fixed if outcome.fixed is not None else source.text
            if args.write:
                sys.stdout.write(text)
            elif outcome.fixed is not None:
                _print_diff(path, source.text, outcome.fixed)
            changed_files += outcome.fixed is not None
            applied += outcome.applied
            left.add(outcome.result)
    if others:
        args.paths = others
        batch, outcomes = _run(args, "fix")
        for result in outcomes:
            _file_messages(result)
            if result.error:
                left.add(result)
                continue
            if result.syntax is not None and result.fixed is not None:
                number, message = result.syntax
                _error(
                    f"{result.path}: not fixed: it does not parse (line {number + 1}: {message})"
                )
                left.add(result)
                continue
            if result.fixed is None or result.text is None:
                left.add(result)
                continue
            if args.write:
                try:
                    _write_outcome(result.path, result.text, result.fixed)
                except WriteError as error:
                    _error(f"{result.path}: {error}")
                    if "would not parse" in str(error):
                        left.failures += 1
                    else:
                        left.errors += 1
                    left.add(result)
                    continue
            else:
                _print_diff(result.path, result.text, result.fixed)
            changed_files += 1
            applied += result.applied
            if args.show_fixes:
                fixed = _fixed_codes(result.findings, result.remaining)
                _error(f"{result.path}: {'已修复' if zh else 'fixed'} {fixed}")
            left.add(result, result.remaining)
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
    import gc

    # The server's imports create ~600 classes and their objects, all kept for the server's
    # life: collecting them while they are made is wasted (about 8% of the start-up's CPU).
    # ``run_server`` freezes them and turns the collector back on.
    gc.disable()
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
        sub.add_argument(
            "paths", nargs=paths, type=Path, metavar="PATH", help="files or folders; - reads stdin"
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
    from mindport.weights.cli import add_commands as add_weights_commands  # map, convert

    add_weights_commands(commands)
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

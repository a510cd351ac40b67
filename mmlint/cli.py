"""Command line entry point: `mmlint check`, `mmlint checks`, `mmlint explain`, `mmlint test`."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from mmlint import __version__
from mmlint.config import Config, ConfigError, find_pyproject, load_config
from mmlint.problem import Severity

EXIT_CLEAN = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    from mmlint.report import FORMATS

    parser = Parser(
        prog="mmlint",
        description="Lint Prometheus rules, Grafana dashboards and their metric registry, offline.",
    )
    parser.add_argument("--version", action="version", version=f"mmlint {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=Parser)
    check = commands.add_parser("check", help="check rule files, dashboards and unit tests under PATHs")
    check.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH")
    check.add_argument("--format", choices=sorted(FORMATS), default="text")
    check.add_argument("--fail-on", choices=["error", "warning", "info"], default=None)
    check.add_argument("--config", type=Path, help="pyproject.toml to read [tool.mmlint] from")
    commands.add_parser("checks", help="list every check with its ID, severity and summary")
    explain = commands.add_parser("explain", help="print the documentation of a check")
    explain.add_argument("check_id", metavar="ID")
    test = commands.add_parser("test", help="run promtool rule unit-test files, offline")
    test.add_argument("files", nargs="+", type=Path, metavar="FILE")
    test.add_argument("--compat", type=int, choices=[2, 3], default=2, help="Prometheus 2.42 or 3 semantics")
    test.add_argument("--run", metavar="REGEX", help="run only the test groups whose name matches")
    test.add_argument("--format", choices=sorted(FORMATS), default="text")
    test.add_argument("--junit", type=Path, metavar="FILE", help="also write JUnit XML to FILE")
    test.add_argument(
        "--rules",
        choices=["all", "read"],
        default="all",
        help="evaluate every rule as promtool does, or only those the tests read (faster; an evaluation "
        "error in a rule no test reads then goes unnoticed)",
    )
    return parser


def validate_ids(config: Config) -> None:
    from mmlint.checks import BY_ID

    referenced = set(config.disable) | set(config.severity) | set(config.check_options)
    referenced |= {c for s in config.suppress_panels for c in s.checks}
    unknown = sorted(referenced - set(BY_ID))
    if unknown:
        raise ConfigError(
            f"{config.source}: [tool.mmlint] names unknown check `{unknown[0]}` (see `mmlint checks`)"
        )


@contextmanager
def uncollected() -> Iterator[None]:
    """No cyclic garbage collection while files are read, checked and reported: the model holds no reference
    cycles, yet collecting while it grew took a third of a corpus run and freed nothing. What was allocated
    meanwhile is then frozen, so that later collections (one comes at exit) skip it: it still goes by
    reference counting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def run_check(args: argparse.Namespace) -> int:
    from mmlint.checks import CATALOG
    from mmlint.lint import load_project, repository_root, run_checks
    from mmlint.report import FORMATS

    for path in args.paths:
        if not path.exists():
            raise UsageError(f"no such file or directory: {path}")
    root = repository_root(args.paths[0])
    pyproject = args.config or find_pyproject(root)
    if args.config is not None and not args.config.is_file():
        raise UsageError(f"no such config file: {args.config}")
    config = load_config(pyproject)
    validate_ids(config)
    with uncollected():
        project, suppressions = load_project(args.paths, config, root)
        problems = run_checks(project, suppressions)
        FORMATS[args.format](problems, sys.stdout, CATALOG)
    fail_on = Severity.parse(args.fail_on) if args.fail_on else config.fail_on
    return EXIT_PROBLEMS if any(p.severity >= fail_on for p in problems) else EXIT_CLEAN


def run_test(args: argparse.Namespace) -> int:
    # Imports stay local to what this run needs: `mmlint test` runs once per file in CI, so loading every
    # check module (or JUnit's XML writer) it does not use is start-up time on every file.
    from mmlint.ruletest.render import file_text, summary
    from mmlint.ruletest.runner import RunOptions, run_file, run_pattern

    if args.run is not None:
        try:
            run_pattern(args.run)
        except ValueError as error:
            raise UsageError(f"--run: {error}") from None
    options = RunOptions(compat=args.compat, run=args.run, rules=args.rules)
    results = []
    for path in args.files:
        result = run_file(path, str(path), options)
        results.append(result)
        if args.format == "text":
            sys.stdout.write(file_text(result.shown, result.failures, result.warnings))
            sys.stdout.flush()
    if args.format != "text":
        from mmlint.checks import info, test_failed
        from mmlint.problem import Problem
        from mmlint.report import FORMATS

        problems = [
            Problem(f.location, test_failed.ID, test_failed.SEVERITY, summary(f))
            for result in results
            for f in result.failures
        ]
        FORMATS[args.format](problems, sys.stdout, [info(test_failed)])
    if args.junit is not None:
        from mmlint.ruletest.junit import junit_xml

        args.junit.write_text(junit_xml(results), encoding="utf-8")
    return EXIT_PROBLEMS if any(result.failures for result in results) else EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command == "check":
            return run_check(args)
        if args.command == "test":
            return run_test(args)
        if args.command in ("checks", "explain"):
            from mmlint.checks import BY_ID, CATALOG
        if args.command == "checks":
            width = max(len(c.id) for c in CATALOG)
            for check in CATALOG:
                print(f"{check.id:<{width}}  {check.severity!s:<7}  {check.summary}")
            return EXIT_CLEAN
        if args.command == "explain":
            if args.check_id not in BY_ID:
                raise UsageError(f"unknown check `{args.check_id}` (see `mmlint checks`)")
            check = BY_ID[args.check_id]
            print(f"{check.id} (default severity: {check.severity})\n\n{check.doc}")
            return EXIT_CLEAN
        parser.print_usage(sys.stderr)
        return EXIT_USAGE
    except (UsageError, ConfigError) as error:
        print(f"mmlint: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`mmlint explain ID | head`): stop quietly, as other command-line tools do.
        # Python would report the pipe again when it flushes stdout at exit, so stdout goes to /dev/null.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PROBLEMS

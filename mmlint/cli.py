"""Command line entry point: `mmlint`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from mmlint import __version__

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mmlint",
        description="Lint Prometheus rules, Grafana dashboards and their metric registry, offline.",
    )
    parser.add_argument("--version", action="version", version=f"mmlint {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    parser.parse_args(argv)
    # No command given: usage, as argparse reports any other usage error.
    parser.print_usage()
    return EXIT_USAGE

"""GitHub Actions workflow commands: each problem becomes an annotation on the pull request's diff."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from mmlint.problem import Problem, Severity

if TYPE_CHECKING:  # the check catalog is only a type here: `mmlint test` need not load every check
    from mmlint.checks import CheckInfo

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    # The runner's escaping for a command's message (actions/toolkit, command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(problems: Sequence[Problem], out: TextIO, catalog: Sequence[CheckInfo]) -> None:
    for p in problems:
        message = p.message + (f"\n{p.hint}" if p.hint else "")
        props = ",".join(
            (
                f"file={escape_property(p.location.path)}",
                f"line={p.location.line}",
                f"col={p.location.column}",
                f"title={escape_property('mmlint ' + p.check_id)}",
            )
        )
        out.write(f"::{COMMANDS[p.severity]} {props}::{escape_data(message)}\n")

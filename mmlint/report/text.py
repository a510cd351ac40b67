"""`path:line:col: severity id message`, one problem a line, with the hint indented below it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from mmlint.problem import Problem

if TYPE_CHECKING:  # the check catalog is only a type here: `mmlint test` need not load every check
    from mmlint.checks import CheckInfo


def render(problems: Sequence[Problem], out: TextIO, catalog: Sequence[CheckInfo]) -> None:
    for problem in problems:
        out.write(f"{problem.location}: {problem.severity} {problem.check_id} {problem.message}\n")
        if problem.hint:
            out.write(f"    hint: {problem.hint}\n")

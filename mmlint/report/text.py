"""`path:line:col: severity id message`, one problem a line, with the hint indented below it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from mmlint.checks import CheckInfo
from mmlint.problem import Problem


def render(problems: Sequence[Problem], out: TextIO, catalog: Sequence[CheckInfo]) -> None:
    for problem in problems:
        out.write(f"{problem.location}: {problem.severity} {problem.check_id} {problem.message}\n")
        if problem.hint:
            out.write(f"    hint: {problem.hint}\n")

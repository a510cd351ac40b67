"""A JSON array of problems, for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from mmlint.problem import Problem

if TYPE_CHECKING:  # the check catalog is only a type here: `mmlint test` need not load every check
    from mmlint.checks import CheckInfo


def render(problems: Sequence[Problem], out: TextIO, catalog: Sequence[CheckInfo]) -> None:
    records = [
        {
            "path": p.location.path,
            "line": p.location.line,
            "column": p.location.column,
            "severity": str(p.severity),
            "id": p.check_id,
            "message": p.message,
            "hint": p.hint,
        }
        for p in problems
    ]
    json.dump(records, out, indent=2, ensure_ascii=False)
    out.write("\n")

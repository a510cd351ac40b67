"""A JSON array of problems, for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from mmlint.checks import CheckInfo
from mmlint.problem import Problem


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

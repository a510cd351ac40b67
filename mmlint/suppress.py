"""`# mmlint: disable=ID[,ID...]` comments in YAML files.

- At the end of a line: problems on that line.
- On a line of its own: problems on the next line that is not blank or a comment.
- `# mmlint: disable-file=ID[,ID...]` anywhere: the whole file.
`all` stands for every check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mmlint.problem import Problem

COMMENT_RE = re.compile(r"(?:^|\s)#\s*mmlint:\s*(disable|disable-file)=([\w/,\- ]+?)\s*$")


@dataclass(frozen=True)
class Suppressions:
    by_line: Mapping[int, frozenset[str]] = field(default_factory=dict)
    file: frozenset[str] = frozenset()

    def covers(self, problem: Problem) -> bool:
        ids = self.file | self.by_line.get(problem.location.line, frozenset())
        return "all" in ids or problem.check_id in ids


def read_suppressions(text: str) -> Suppressions:
    if "mmlint:" not in text:  # most files: no need to look at each line
        return Suppressions()
    by_line: dict[int, set[str]] = {}
    whole_file: set[str] = set()
    pending: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        match = COMMENT_RE.search(line)
        ids = {part.strip() for part in match.group(2).split(",") if part.strip()} if match else set()
        if match and match.group(1) == "disable-file":
            whole_file |= ids
            continue
        if stripped.startswith("#") or not stripped:
            pending |= ids
            continue
        if pending or ids:
            by_line.setdefault(number, set()).update(pending | ids)
            pending = set()
    return Suppressions({n: frozenset(ids) for n, ids in by_line.items()}, frozenset(whole_file))


def unsuppressed(problems: Iterable[Problem], suppressions: Mapping[str, Suppressions]) -> list[Problem]:
    def covered(problem: Problem) -> bool:
        found = suppressions.get(problem.location.path)
        return found is not None and found.covers(problem)

    return [p for p in problems if not covered(p)]

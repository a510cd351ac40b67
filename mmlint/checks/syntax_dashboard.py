"""A dashboard whose panels, targets or variables are not shaped as Grafana expects.

The JSON parses, but `panels` (or `rows`, a row's `panels`, a panel's `targets`, `templating.list`) is not
a list, a panel or target is not an object, a target's `expr` is not a string, or a variable has no name,
an unknown type, or the same name as another; or a key is written twice in one object (Grafana's
JSON.parse keeps the last value and drops the first without a word). Reported at the offending value.

Why: Grafana drops what it cannot read, silently: the panel or variable is missing after import, and the
queries in it are never linted either.

Bad:

    {"title": "MM-Bot", "panels": {"id": 1, "type": "stat"}}

Good:

    {"title": "MM-Bot", "panels": [{"id": 1, "type": "stat"}]}
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.checks._loaded import loaded
from mmlint.problem import Finding, Severity
from mmlint.project import Project

ID = "syntax/dashboard"
SEVERITY = Severity.ERROR


def check(project: Project) -> Iterator[Finding]:
    yield from loaded(project, ID)

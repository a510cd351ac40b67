"""A JSON file (dashboard) that cannot be read.

Every JSON file mmlint looks at must parse as JSON, be UTF-8, and stay within mmlint's limits. The
problem is reported at the offending line and column.

Why: Grafana rejects the whole dashboard on import.

Bad:

    {"panels": [{"title": "Latency",}]}     # trailing comma

Good:

    {"panels": [{"title": "Latency"}]}
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.checks._loaded import loaded
from mmlint.problem import Finding, Severity
from mmlint.project import Project

ID = "syntax/json"
SEVERITY = Severity.ERROR


def check(project: Project) -> Iterator[Finding]:
    yield from loaded(project, ID)

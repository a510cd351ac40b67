"""A metric definition in the registry that cannot be read statically.

mmlint reads the metric registry (`tools/obs/metrics.py` by default) with Python's `ast`, never importing it.
A metric whose name, labels or buckets are computed at run time cannot be resolved, so every check that
needs the registry is blind to it. This is reported at the construct that could not be resolved; a
registry file that does not parse is reported here too.

Why: an unresolved metric hides typos in every dashboard and alert that use it.

Bad:

    LATENCY = Histogram(make_name("latency"), "...", labelnames=compute_labels())

Good:

    LATENCY = Histogram("mm_exchange_latency_ms", "...", ["op"], buckets=LATENCY_BUCKETS)
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.checks._loaded import loaded
from mmlint.problem import Finding, Severity
from mmlint.project import Project

ID = "registry/unresolved"
SEVERITY = Severity.WARNING


def check(project: Project) -> Iterator[Finding]:
    yield from loaded(project, ID)

"""A `.labels(...)` call, or a value recorded, that prometheus_client refuses at run time.

For each metric of the registry, every `.labels(...)` call on it (on the constructor, or on the name it is
assigned to) must pass exactly its label names, by name or all by position, and a metric with labels must not
record a value itself (`.inc()`, `.set()`, `.observe()`, ...) without first picking a series with
`.labels(...)`. A metric without labels must not call `.labels()` at all. prometheus_client raises
ValueError on each of these (MetricWrapperBase.labels and its missing-label-values check).

Why: the registry imports fine and the dashboard looks right, but the first call raises in the bot, often on
a code path (a rare error, a new symbol) that only production reaches. A label renamed in the constructor
and not in its calls is the usual cause.

Bad:

    FILLS = Counter("mm_fills_total", "Fills.", ["symbol", "liquidity"])
    FILLS.labels(symbol=symbol, liquid=side)

Good:

    FILLS.labels(symbol=symbol, liquidity=side)
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.checks._loaded import loaded
from mmlint.problem import Finding, Severity
from mmlint.project import Project

ID = "registry/labels-call"
SEVERITY = Severity.ERROR


def check(project: Project) -> Iterator[Finding]:
    yield from loaded(project, ID)

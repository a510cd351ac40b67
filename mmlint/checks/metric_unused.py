"""A metric the registry defines that no panel, alert or recording rule reads.

Every metric of the registry (`tools/obs/metrics.py`) should be read somewhere: a selector of any of its
series (`_total`, `_bucket`, `_sum`, `_count`, `_created`, ...) in a rule, a dashboard panel or a dashboard
variable's query counts, and so does a `{__name__=~"..."}` matcher that selects one of them. The finding is
at the metric's constructor call. The check runs only when a registry was read and at least one rule file
or dashboard was found, so linting a lone file is not a wall of warnings.

Why: a metric nobody looks at is either dead code in the bot, costing series and scrape time, or, worse, a
signal someone meant to alert on and forgot.

Bad:

    mm_orders_cancelled = Counter("mm_orders_cancelled", "Orders cancelled", ["symbol"])  # read nowhere

Good:

    mm_orders_cancelled = Counter("mm_orders_cancelled", "Orders cancelled", ["symbol"])
    # and in a panel: sum by (symbol) (rate(mm_orders_cancelled_total[$__rate_interval]))
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.problem import Finding, Severity
from mmlint.project import Project
from mmlint.promql.regex import RegexError, full_match
from mmlint.promql.selectors import NAME_LABEL, located_selectors
from mmlint.sources.registry import Metric

ID = "metric/unused"
SEVERITY = Severity.WARNING


def selects(op: str, value: str, name: str) -> bool:
    """Whether a `__name__` matcher accepts the series name."""
    if op in ("=", "!="):
        return (value == name) == (op == "=")
    try:
        return full_match(value, name) == (op == "=~")
    except RegexError:
        return False


def used_names(project: Project, series: set[str]) -> set[str]:
    """The series names among `series` that some query selects."""
    used: set[str] = set()
    for query in project.queries():
        for selector in located_selectors(query):
            if selector.name is not None:
                used.add(selector.name)
                continue
            name_matchers = [m for m in selector.matchers if m.name == NAME_LABEL]
            if name_matchers:
                used.update(s for s in series if all(selects(m.op, m.value, s) for m in name_matchers))
    return used & series


def main_series(metric: Metric) -> str:
    """The series a query would usually read: a counter's `_total`, a histogram's `_bucket`, ..."""
    for name in (f"{metric.name}_total", f"{metric.name}_bucket", metric.name, f"{metric.name}_info"):
        if name in metric.series:
            return name
    return sorted(metric.series)[0]


def check(project: Project) -> Iterator[Finding]:
    if project.registry is None or not (project.rule_files or project.dashboards):
        return
    series = {name for metric in project.registry.metrics for name in metric.series}
    used = used_names(project, series)
    for metric in project.registry.metrics:
        if used.isdisjoint(metric.series):
            yield Finding(
                metric.location,
                f"metric `{metric.name}` is defined in the registry but no panel, alert or recording rule "
                "reads it",
                f"chart or alert on `{main_series(metric)}`, or remove the metric from the registry",
            )

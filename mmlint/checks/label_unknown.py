"""A label matcher on a label that the metric does not have.

For metrics the registry defines (and `known-metrics` entries that list their labels), every matcher's label
must be one the series carries: its declared label names, `le` on `_bucket` series, and the target labels
Prometheus attaches when scraping (`job`, `instance`; configurable as `target-labels`).

Why: a matcher on a label that never exists with a non-empty value selects nothing; the alert is dead.

Bad:

    expr: increase(mm_orders_blocked_total{reasons="risk_limit"}[5m]) > 0

Good:

    expr: increase(mm_orders_blocked_total{reason="risk_limit"}[5m]) > 0
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from mmlint.metrics import known_series
from mmlint.problem import Finding, Severity
from mmlint.project import Project
from mmlint.promql.regex import RegexError, full_match
from mmlint.promql.selectors import NAME_LABEL, located_selectors

ID = "label/unknown"
SEVERITY = Severity.ERROR


def matches_empty(op: str, value: str) -> bool:
    """Whether the matcher accepts a series without the label (Prometheus treats a missing label as "")."""
    if op in ("=", "!="):
        return (value == "") == (op == "=")
    try:
        return full_match(value, "") == (op == "=~")
    except RegexError:
        return False


def check(project: Project) -> Iterator[Finding]:
    known = known_series(project)
    for query in project.queries():
        for selector in located_selectors(query):
            series = known.get(selector.name or "")
            if series is None or series.labels is None:
                continue
            for matcher in selector.matchers:
                if matcher.name in series.labels or matcher.name == NAME_LABEL:
                    continue
                if matches_empty(matcher.op, matcher.value):
                    continue  # e.g. {foo=""} or {foo!="x"}: true of every series, harmless
                close = difflib.get_close_matches(matcher.name, sorted(series.labels), n=1, cutoff=0.6)
                yield Finding(
                    matcher.location,
                    f"label `{matcher.name}` does not exist on `{selector.name}` "
                    f"(it has {', '.join(f'`{label}`' for label in sorted(series.labels))})",
                    f"did you mean `{close[0]}`?" if close else None,
                )

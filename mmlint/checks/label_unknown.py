"""A label matcher on a label that the metric does not have.

For metrics the registry defines (and `known-metrics` entries that list their labels), every matcher's label
must be one the series carries: its declared label names, `le` on `_bucket` series, and the target labels
Prometheus attaches when scraping (`job`, `instance`; configurable as `target-labels`).

A negative matcher (`!=`, `!~`) on such a label is reported too: it keeps every series, so the filter it
was meant to be (`reason!="edge_too_low"` spelt `reson`) does nothing. Only `{x=""}`, `{x!~".+"}` and
regexes that match the empty string, which ask for the label to be absent or for anything, pass.

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


def excludes_any(op: str, value: str) -> bool:
    """Whether a negative regex refuses every value (`!~".+"`): the absence idiom, not a filter."""
    try:
        return op == "!~" and full_match(value, "any value at all")
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
                if matches_empty(matcher.op, matcher.value) and (
                    matcher.op in ("=", "=~") or excludes_any(matcher.op, matcher.value)
                ):
                    continue  # {foo=""}, {foo!~".+"}, {foo=~".*"}: asks for its absence, or for anything
                close = difflib.get_close_matches(matcher.name, sorted(series.labels), n=1, cutoff=0.6)
                # {foo!="x"} on a label that never exists keeps every series: the filter meant is gone.
                effect = ", so the matcher filters nothing" if matcher.op in ("!=", "!~") else ""
                yield Finding(
                    matcher.location,
                    f"label `{matcher.name}` does not exist on `{selector.name}`{effect} "
                    f"(it has {', '.join(f'`{label}`' for label in sorted(series.labels))})",
                    f"did you mean `{close[0]}`?" if close else None,
                )

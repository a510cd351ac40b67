"""A dashboard panel's threshold that disagrees with the alert rule on the same expression.

A panel is paired with the alerting rules whose comparison side (`expr` in `expr < 0.85`) is the panel's
query: the same expression once whitespace, parentheses, matcher and grouping order, range durations
(`$__rate_interval` against `[15m]`) and matchers on dashboard-variable labels (`symbol=~"$symbol"`) are
set aside; failing that, the same selectors (grouping aside); failing that, the same metrics, when just one
alert uses them. Each paired alert's threshold must be one of the panel's threshold steps
(`fieldConfig.defaults.thresholds.steps`, a graph panel's `thresholds`, a singlestat's list). Units are
minded: a `percent` panel may show `80` for an alert at `0.8`, an `s` panel `0.1` for an alert at `100` on
an `_ms` metric, and a number multiplying either side's expression counts (`100 * a / b` with a step at
`80` agrees with `a / b < 0.8`, and so does `a / b * 100 < 80`).

Why: the panel turns red at one value and the pager rings at another; people watching the dashboard
either panic for nothing or miss the incident the alert is already paging about.

Bad:

    expr: sum(rate(mm_fills_total{liquidity="maker"}[15m])) / sum(rate(mm_fills_total[15m])) < 0.85
    panel: same ratio, unit percentunit, steps [{value: null}, {value: 0.8}]

Good:

    expr: sum(rate(mm_fills_total{liquidity="maker"}[15m])) / sum(rate(mm_fills_total[15m])) < 0.85
    panel: same ratio, unit percentunit, steps [{value: null}, {value: 0.85}]
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from mmlint.problem import Finding, Severity
from mmlint.project import Dashboard, Panel, Project, Rule
from mmlint.promql.canonical import Threshold, coefficient, metric_names, threshold
from mmlint.promql.likeness import Likeness
from mmlint.sources.grafana_thresholds import PanelThreshold, panel_thresholds, panel_unit
from mmlint.sources.grafana_variables import read_variables

ID = "consistency/threshold-mismatch"
SEVERITY = Severity.ERROR

# Grafana unit ids: (dimension, size in the dimension's base unit, a 0..1 ratio or seconds).
PANEL_UNITS = {"percentunit": ("ratio", 1.0), "percent": ("ratio", 0.01)}
PANEL_UNITS |= {"ns": ("time", 1e-9), "µs": ("time", 1e-6), "ms": ("time", 1e-3), "s": ("time", 1.0)}
PANEL_UNITS |= {"m": ("time", 60.0), "h": ("time", 3600.0), "d": ("time", 86400.0)}
PANEL_UNITS |= {"dtdurationms": ("time", 1e-3), "dtdurations": ("time", 1.0)}
# Prometheus naming conventions put the unit before the type suffix: `_seconds_bucket`, `_ms_total`.
METRIC_UNITS = {"seconds": ("time", 1.0), "milliseconds": ("time", 1e-3), "ms": ("time", 1e-3)}
METRIC_UNITS |= {"microseconds": ("time", 1e-6), "ratio": ("ratio", 1.0), "percent": ("ratio", 0.01)}
SERIES_SUFFIXES = ("_bucket", "_sum", "_count", "_total", "_created")


@dataclass(frozen=True)
class AlertThreshold:
    rule: Rule
    threshold: Threshold


def alert_thresholds(project: Project) -> list[AlertThreshold]:
    found = []
    for rule in project.rules():
        if rule.kind == "alert" and rule.query is not None and rule.query.expr is not None:
            limit = threshold(rule.query.expr)
            if limit is not None:
                found.append(AlertThreshold(rule, limit))
    return found


def paired(
    panel: Panel, alerts: list[AlertThreshold], likeness: Likeness, ignored: frozenset[str]
) -> list[AlertThreshold]:
    """The alerts on the panel's queries: the closest kind of likeness any alert has decides."""
    pairs: list[AlertThreshold] = []
    for query in panel.queries:
        if query.expr is not None:
            found = [alerts[index] for index in likeness.closest(query.expr, ignored)]
            pairs.extend(a for a in found if a not in pairs)
    return pairs


def metric_unit(names: frozenset[str]) -> tuple[str, float] | None:
    units = set()
    for name in names:
        for suffix in SERIES_SUFFIXES:
            name = name.removesuffix(suffix)
        units.add(METRIC_UNITS.get(name.rsplit("_", 1)[-1]))
    return units.pop() if len(units) == 1 else None


def in_alert_terms(
    step: PanelThreshold, factor: float, unit: str | None, alert: AlertThreshold
) -> set[float]:
    """The values of the alert's expression that the step may stand for."""
    if factor != 1.0:
        return {step.value / factor}
    values = {step.value}
    shown = PANEL_UNITS.get(unit or "")
    if shown is not None:
        measured = metric_unit(metric_names(alert.threshold.expr))
        if measured is None and shown[0] == "ratio":
            measured = ("ratio", 1.0)  # a ratio of two rates is a plain 0..1 number
        if measured is not None and measured[0] == shown[0]:
            values.add(step.value * shown[1] / measured[1])
    return values


def agrees(value: float, limit: float) -> bool:
    return math.isclose(value, limit, rel_tol=1e-9, abs_tol=1e-12)


def check_panel(
    panel: Panel, alerts: list[AlertThreshold], likeness: Likeness, ignored: frozenset[str]
) -> Iterator[Finding]:
    steps = panel_thresholds(panel.node)
    if not steps:
        return
    factors = [coefficient(q.expr) for q in panel.queries if q.expr is not None]
    factor = factors[0] if len(set(factors)) == 1 else 1.0
    unit = panel_unit(panel.node)
    for alert in paired(panel, alerts, likeness, ignored):
        # Both sides in terms of the expression without its coefficient: `a * 100 > 90` is `a > 0.9`.
        limit = alert.threshold.value / coefficient(alert.threshold.expr)
        readings = [(step, in_alert_terms(step, factor, unit, alert)) for step in steps]
        if any(agrees(value, limit) for _, values in readings for value in values):
            continue
        nearest, _ = min(readings, key=lambda reading: min(abs(value - limit) for value in reading[1]))
        yield Finding(
            nearest.location,
            f"threshold `{nearest.value:g}` of panel `{panel.title}` disagrees with alert "
            f"`{alert.rule.name}`, which fires at `{alert.threshold.op} {alert.threshold.value:g}`",
            f"make them the same number (panel unit `{unit}`)" if unit else "make them the same number",
        )


def variable_labels(dashboard: Dashboard) -> frozenset[str]:
    variables, _ = read_variables(dashboard.data)
    return frozenset(variables)


def check(project: Project) -> Iterator[Finding]:
    alerts = alert_thresholds(project)
    if not alerts:
        return
    likeness = Likeness([alert.threshold.expr for alert in alerts])
    for dashboard in project.dashboards:
        ignored = variable_labels(dashboard)
        for panel in dashboard.panels:
            yield from check_panel(panel, alerts, likeness, ignored)

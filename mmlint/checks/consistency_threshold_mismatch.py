"""A dashboard panel's threshold that disagrees with the alert rule on the same expression.

A panel is paired with the alerting rules whose comparison side (`expr` in `expr < 0.85`) is the panel's
query: the same expression once whitespace, parentheses, matcher and grouping order, range durations
(`$__rate_interval` against `[15m]`) and matchers on dashboard-variable labels (`symbol=~"$symbol"`) are
set aside; failing that, the same selectors (grouping aside); failing that, the same metrics, when just one
alert uses them. Each paired alert's threshold must be one of the panel's threshold steps
(`fieldConfig.defaults.thresholds.steps`, a graph panel's `thresholds`, a singlestat's list), compared as
Grafana compares them with the values: a number multiplying either side's expression counts (`100 * a / b`
with a step at `80` agrees with `a / b < 0.8`, and so does `a / b * 100 < 80`), the unit does not (it only
formats). A unit of the right kind but the wrong size is reported too: `percent` (0-100) on a 0..1 ratio,
`percentunit` on a ratio times 100, `s` on an `_ms` metric (Grafana writes 0.85 as "0.85%", 100 ms as
"100 s").

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

import promql_parser

from mmlint.problem import Finding, Severity
from mmlint.project import Dashboard, Panel, Project, Rule
from mmlint.promql.canonical import (
    Threshold,
    coefficient,
    metric_names,
    threshold,
)
from mmlint.promql.likeness import Likeness
from mmlint.promql.tree import unwrap
from mmlint.sources.grafana_thresholds import PanelThreshold, panel_thresholds, panel_unit
from mmlint.sources.grafana_variables import read_variables
from mmlint.sources.positions import node_at

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
SCALES = {("ratio", 1.0): "a 0..1 ratio", ("ratio", 0.01): "percent (0-100)", ("time", 1e-9): "nanoseconds"}
SCALES |= {("time", 1e-6): "microseconds", ("time", 1e-3): "milliseconds", ("time", 1.0): "seconds"}
UNIT_PATHS: tuple[tuple[str | int, ...], ...] = (
    ("fieldConfig", "defaults", "unit"),
    ("yaxes", 0, "format"),
    ("format",),
)


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


def in_alert_terms(step: PanelThreshold, factor: float) -> float:
    """The value of the alert's expression that the step stands for. Grafana compares a step with the
    query's values as they are: the unit only formats them, it converts nothing."""
    return step.value / factor


def is_ratio(expr: promql_parser.Expr) -> bool:
    """`a / b` at the top: the share of one rate in another, a plain 0..1 number."""
    expr = unwrap(expr)
    return isinstance(expr, promql_parser.BinaryExpr) and str(expr.op) == "/"


def data_scale(alert: AlertThreshold, dimension: str, factor: float) -> float | None:
    """The size of one unit of the panel's values in the dimension's base unit, if the metric names tell."""
    measured = metric_unit(metric_names(alert.threshold.expr))
    if measured is None and dimension == "ratio" and is_ratio(alert.threshold.expr):
        measured = ("ratio", 1.0)
    if measured is None or measured[0] != dimension:
        return None
    return measured[1] / factor


def unit_problem(panel: Panel, unit: str | None, factor: float, alert: AlertThreshold) -> Finding | None:
    """A panel unit of the right dimension but the wrong size: `percent` (0-100) on a 0..1 ratio, `s` on
    milliseconds. Grafana writes 0.85 as "0.85%" and 100 ms as "100 s"."""
    shown = PANEL_UNITS.get(unit or "")
    scale = data_scale(alert, shown[0], factor) if shown is not None else None
    if shown is None or scale is None or math.isclose(scale, shown[1], rel_tol=1e-9):
        return None
    better = [u for u, (dimension, size) in PANEL_UNITS.items() if dimension == shown[0] and size == scale]
    node = next((n for path in UNIT_PATHS if (n := node_at(panel.node, path)) is not None), panel.node)
    return Finding(
        node.location,
        f"panel `{panel.title}` has unit `{unit}`, but its query (as alert `{alert.rule.name}` reads it) is "
        f"in {SCALES.get((shown[0], scale), f'units of {scale:g}')}: Grafana formats, it converts nothing",
        f"use unit `{better[0]}`" if better else None,
    )


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
        problem = unit_problem(panel, unit, factor, alert)
        if problem is not None:
            yield problem
        # Both sides in terms of the expression without its coefficient: `a * 100 > 90` is `a > 0.9`.
        limit = alert.threshold.value / coefficient(alert.threshold.expr)
        readings = [(step, in_alert_terms(step, factor)) for step in steps]
        if any(agrees(value, limit) for _, value in readings):
            continue
        nearest, _ = min(readings, key=lambda reading: abs(reading[1] - limit))
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

"""Alert state as Prometheus 2.42 keeps it (rules/alerting.go, AlertingRule.Eval): one evaluation turns the
expression's result into pending and firing alerts and the `ALERTS` / `ALERTS_FOR_STATE` samples.

- A new result element starts a pending alert (active since `ts`); it fires once `ts - active_at >= for`.
- An element that disappears: a pending alert is dropped; a firing one keeps firing while
  `ts - keep_firing_since < keep_firing_for`, else turns inactive and is forgotten 15 minutes later.
- Labels: the sample's labels without `__name__`, then the rule's labels (templates expanded, an empty
  result removes the label), then `alertname`. Annotations are expanded each evaluation.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from mmlint.promql.values import NAME, Labels, Sample, Vector, make_labels

ALERT_NAME = "alertname"
ALERT_STATE = "alertstate"
ALERTS_METRIC = "ALERTS"
FOR_STATE_METRIC = "ALERTS_FOR_STATE"
# rules/alerting.go resolvedRetention: how long an inactive alert is remembered.
RESOLVED_RETENTION_MS = 15 * 60 * 1000

# (template text, labels of the result sample, its value) -> expanded text.
Expand = Callable[[str, Labels, float], str]


class State(enum.Enum):
    INACTIVE = "inactive"
    PENDING = "pending"
    FIRING = "firing"


@dataclass
class Alert:
    labels: Labels
    annotations: Labels
    active_at: int
    value: float
    state: State = State.PENDING
    resolved_at: int | None = None
    keep_firing_since: int | None = None


@dataclass(frozen=True)
class AlertingRule:
    name: str
    for_ms: int
    keep_firing_for_ms: int
    labels: tuple[tuple[str, str], ...]
    annotations: tuple[tuple[str, str], ...]


@dataclass
class AlertingState:
    """The alerts one rule tracks, by label set."""

    active: dict[Labels, Alert] = field(default_factory=dict)

    def firing(self) -> list[tuple[Labels, Labels]]:
        """(labels, annotations) of every firing alert."""
        return [(a.labels, a.annotations) for a in self.active.values() if a.state is State.FIRING]


class RuleEvalError(Exception):
    pass


def build_alerts(rule: AlertingRule, result: Vector, ts: int, expand: Expand) -> dict[Labels, Alert]:
    """A pending alert per result sample, keyed by its final label set."""
    alerts: dict[Labels, Alert] = {}
    for sample in result:
        labels = {name: value for name, value in sample.labels if name != NAME}
        for name, text in rule.labels:
            labels[name] = expand(text, sample.labels, sample.v)
        labels[ALERT_NAME] = rule.name
        key = make_labels(labels)
        annotations = tuple(sorted((n, expand(t, sample.labels, sample.v)) for n, t in rule.annotations))
        if key in alerts:
            raise RuleEvalError("vector contains metrics with the same labelset after applying alert labels")
        alerts[key] = Alert(key, annotations, active_at=ts, value=sample.v)
    return alerts


def step(rule: AlertingRule, state: AlertingState, result: Vector, ts: int, expand: Expand) -> Vector:
    """Advance `state` by one evaluation at `ts` whose expression gave `result`; the ALERTS samples."""
    alerts = build_alerts(rule, result, ts, expand)
    for key, alert in alerts.items():
        known = state.active.get(key)
        if known is not None and known.state is not State.INACTIVE:
            known.value, known.annotations = alert.value, alert.annotations
        else:
            state.active[key] = alert
    output = Vector()
    for key, alert in list(state.active.items()):
        if key not in alerts:
            keep_firing = False
            if alert.state is State.FIRING and rule.keep_firing_for_ms > 0:
                if alert.keep_firing_since is None:
                    alert.keep_firing_since = ts
                keep_firing = ts - alert.keep_firing_since < rule.keep_firing_for_ms
            resolved_long_ago = (
                alert.resolved_at is not None and ts - alert.resolved_at > RESOLVED_RETENTION_MS
            )
            if alert.state is State.PENDING or resolved_long_ago:
                del state.active[key]
            if alert.state is not State.INACTIVE and not keep_firing:
                alert.state = State.INACTIVE
                alert.resolved_at = ts
            if not keep_firing:
                continue
        else:
            alert.keep_firing_since = None
        if alert.state is State.PENDING and ts - alert.active_at >= rule.for_ms:
            alert.state = State.FIRING
        output.append(series_sample(rule, alert, ALERTS_METRIC, ts, 1.0))
        output.append(series_sample(rule, alert, FOR_STATE_METRIC, ts, float(alert.active_at // 1000)))
    return output


def check_limit(state: AlertingState, limit: int) -> None:
    """A group `limit` below the number of pending and firing alerts drops them all, and is an error."""
    active = sum(1 for alert in state.active.values() if alert.state is not State.INACTIVE)
    if limit and active > limit:
        state.active.clear()
        raise RuleEvalError(f"exceeded limit of {limit} with {active} alerts")


def series_sample(rule: AlertingRule, alert: Alert, metric: str, ts: int, value: float) -> Sample:
    """`ALERTS` (with `alertstate`) or `ALERTS_FOR_STATE`: the rule's own label texts, overlaid by the
    alert's labels (AlertingRule.sample / forStateSample)."""
    labels: dict[str, str] = dict(rule.labels)
    labels.update(alert.labels)
    labels[NAME] = metric
    labels[ALERT_NAME] = rule.name
    if metric == ALERTS_METRIC:
        labels[ALERT_STATE] = alert.state.value
    return Sample(make_labels(labels), ts, value)


def template_free(text: str) -> bool:
    """Text without a template action expands to itself."""
    return "{{" not in text


def rule_from(
    name: str,
    *,
    for_s: float | None,
    keep_firing_for_s: float | None,
    labels: Mapping[str, str],
    annotations: Mapping[str, str],
) -> AlertingRule:
    return AlertingRule(
        name=name,
        for_ms=round((for_s or 0) * 1000),
        keep_firing_for_ms=round((keep_firing_for_s or 0) * 1000),
        labels=tuple(sorted(labels.items())),
        annotations=tuple(sorted(annotations.items())),
    )

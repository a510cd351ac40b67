"""What the project knows about a series name, from every place a name can come from: the registry,
`known-metrics` in config, recording rules, and the series Prometheus writes itself (ALERTS)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mmlint.project import Project

# Series the rule manager writes for every alerting rule (rules/alerting.go).
ALERT_SERIES = ("ALERTS", "ALERTS_FOR_STATE")


@dataclass(frozen=True)
class KnownSeries:
    name: str
    source: str  # "registry", "config", "recording rule", "prometheus"
    labels: frozenset[str] | None  # None: any label may appear
    allowed_values: Mapping[str, frozenset[str]] = field(default_factory=dict)


def known_series(project: Project) -> dict[str, KnownSeries]:
    known: dict[str, KnownSeries] = {}
    for name in ALERT_SERIES:
        # The alert's own labels ride along too, so any label may appear.
        known[name] = KnownSeries(name, "prometheus", None)
    for rule in project.rules():
        if rule.kind == "record":
            known[rule.name] = KnownSeries(rule.name, "recording rule", None)
    for name, labels in project.config.known_metrics.items():
        known[name] = KnownSeries(name, "config", (labels | project.config.target_labels) if labels else None)
    if project.registry is not None:
        for metric in project.registry.metrics:
            for series, labels in metric.series.items():
                values = {
                    name: metric.allowed_values[name] for name in labels if name in metric.allowed_values
                }
                carried = frozenset(labels) | project.config.target_labels
                known[series] = KnownSeries(series, "registry", carried, values)
    return known

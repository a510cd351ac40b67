"""The threshold values a Grafana panel draws, with their file positions, in every layout Grafana has used:
`fieldConfig.defaults.thresholds.steps` (7+), `options.fieldOptions[.defaults].thresholds` (6.x gauge and
stat), a graph panel's list of `thresholds` and a singlestat's comma-separated `thresholds` string."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from mmlint.problem import Location
from mmlint.sources.positions import Mapping, Node, Scalar, Sequence, node_at


@dataclass(frozen=True)
class PanelThreshold:
    value: float
    location: Location


def numeric(node: Node | None) -> float | None:
    if not isinstance(node, Scalar) or isinstance(node.value, bool):
        return None
    if isinstance(node.value, int | float) and math.isfinite(node.value):
        return float(node.value)
    return None


def step_values(steps: Node | None) -> Iterator[PanelThreshold]:
    """Each step's `value`; the base step's is null (or -Infinity), which is no threshold."""
    if not isinstance(steps, Sequence):
        return
    for step in steps.items:
        value_node = step.get("value") if isinstance(step, Mapping) else None
        value = numeric(value_node)
        if value is not None and value_node is not None:
            yield PanelThreshold(value, value_node.location)


def in_percent_mode(thresholds: Node | None) -> bool:
    """`mode: percentage` steps are percentages of the field's min..max range, not values of the query."""
    mode = thresholds.get("mode") if isinstance(thresholds, Mapping) else None
    return isinstance(mode, Scalar) and mode.value == "percentage"


def panel_thresholds(panel: Mapping) -> list[PanelThreshold]:
    found: list[PanelThreshold] = []
    modern = node_at(panel, ("fieldConfig", "defaults", "thresholds"))
    if not in_percent_mode(modern):
        found.extend(step_values(node_at(panel, ("fieldConfig", "defaults", "thresholds", "steps"))))
    for path in (
        ("options", "fieldOptions", "thresholds"),
        ("options", "fieldOptions", "defaults", "thresholds"),
    ):
        found.extend(step_values(node_at(panel, path)))
    legacy = panel.get("thresholds")
    if isinstance(legacy, Sequence):
        found.extend(step_values(legacy))
    elif isinstance(legacy, Scalar) and isinstance(legacy.value, str):
        found.extend(singlestat_values(legacy))
    return found


def singlestat_values(node: Scalar) -> Iterator[PanelThreshold]:
    """`"0.8,0.9"`: each number located at its own character in the JSON string."""
    text = str(node.value)
    start = 0
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            offset = start + len(part) - len(part.lstrip())
            yield PanelThreshold(value, node.text.location(offset))
        start += len(part) + 1


def panel_unit(panel: Mapping) -> str | None:
    """The unit the panel displays its values in: `fieldConfig.defaults.unit`, else a legacy graph's left
    axis `format`, else a singlestat's `format`."""
    for path in (("fieldConfig", "defaults", "unit"), ("yaxes", 0, "format"), ("format",)):
        node = node_at(panel, path)
        if isinstance(node, Scalar) and isinstance(node.value, str) and node.value:
            return node.value
    return None

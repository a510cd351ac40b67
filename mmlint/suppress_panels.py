"""`[[tool.mmlint.suppress-panels]]`: problems inside chosen dashboard panels are dropped.

An entry names a dashboard (its file name, its path as shown, or its uid; `*` for any), a panel (its
title, or its id as an integer) and the checks to drop (none listed: every check). A problem is inside a
panel when its location falls within the panel's JSON object, from its `{` to its last value. A row panel
covers its collapsed panels and, when expanded, the panels that follow it up to the next row, the panels
Grafana shows under it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from mmlint.config import PanelSuppression
from mmlint.problem import Problem
from mmlint.project import Dashboard, Project
from mmlint.sources.dashboard import panel_nodes
from mmlint.sources.positions import Mapping, Node, Scalar, Sequence

Position = tuple[int, int]


@dataclass(frozen=True)
class PanelSpan:
    path: str
    start: Position
    end: Position
    checks: frozenset[str]  # empty: every check

    def covers(self, problem: Problem) -> bool:
        where = problem.location
        if where.path != self.path or not self.start <= (where.line, where.column) <= self.end:
            return False
        return not self.checks or problem.check_id in self.checks


def end_of(node: Node) -> Position:
    """The position of the last character a node's subtree reports from: its last scalar's end."""
    while True:
        if isinstance(node, Scalar):
            text = node.text
            return text.positions[-1]
        children = node.items if isinstance(node, Sequence) else [value for _, value in node.items]
        if not children:
            return node.location.line, node.location.column
        node = children[-1]


def start_of(node: Node) -> Position:
    return node.location.line, node.location.column


def matches_dashboard(entry: PanelSuppression, dashboard: Dashboard) -> bool:
    name = entry.dashboard
    return name in ("*", dashboard.path, PurePath(dashboard.path).name) or name == dashboard.uid


def matches_panel(entry: PanelSuppression, panel: Mapping) -> bool:
    if isinstance(entry.panel, int):
        found = panel.get("id")
        return isinstance(found, Scalar) and found.value == entry.panel and not isinstance(found.value, bool)
    title = panel.string("title")
    return title is not None and title.value == entry.panel


def row_extent(dashboard: Dashboard, row: Mapping) -> Position:
    """Where an expanded row's group ends: the end of the last top-level panel before the next row."""
    top = dashboard.node.get("panels")
    items = list(top.items) if isinstance(top, Sequence) else []
    index = next((i for i, item in enumerate(items) if item is row), None)
    end = end_of(row)
    for panel in items[index + 1 :] if index is not None else ():
        kind = panel.string("type") if isinstance(panel, Mapping) else None
        if kind is not None and kind.value == "row":
            break
        end = end_of(panel)
    return end


def spans(dashboard: Dashboard, entries: Iterable[PanelSuppression]) -> Iterator[PanelSpan]:
    chosen = [entry for entry in entries if matches_dashboard(entry, dashboard)]
    if not chosen:
        return
    for panel in panel_nodes(dashboard.node):
        for entry in chosen:
            if not matches_panel(entry, panel):
                continue
            kind = panel.string("type")
            is_row = kind is not None and kind.value == "row"
            end = row_extent(dashboard, panel) if is_row else end_of(panel)
            yield PanelSpan(dashboard.path, start_of(panel), end, entry.checks)


def panel_spans(project: Project) -> tuple[PanelSpan, ...]:
    entries = project.config.suppress_panels
    if not entries:
        return ()
    return tuple(span for dashboard in project.dashboards for span in spans(dashboard, entries))


def outside_panels(problems: Iterable[Problem], suppressed: tuple[PanelSpan, ...]) -> list[Problem]:
    return [p for p in problems if not any(span.covers(p) for span in suppressed)]

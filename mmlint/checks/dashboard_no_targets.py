"""A data panel that queries nothing: no targets, or every target hidden or with an empty query.

Panels that draw data (time series, graph, stat, gauge, bar gauge, table, heatmap, ...) need at least one
target that runs. A Prometheus target runs when it is not hidden (`hide: true`) and its `expr` is not
blank (a query under another key, such as InfluxDB's `query`, is never run: that is reported at the key);
a target of another data source counts unless hidden (the linter cannot read its query language), and so
does one that reuses another panel's query (the `-- Dashboard --` data source). Library panels
stored without their model are skipped. grafana/dashboard-linter's panel-no-targets-rule flags only a
missing `targets`.

Why: such a panel always shows "No data", which reads as "nothing happened" rather than "not wired up".

Bad:

    {"type": "stat", "title": "Kill-Switch", "targets": [{"refId": "A", "expr": ""}]}

Good:

    {"type": "stat", "title": "Kill-Switch", "targets": [{"refId": "A", "expr": "max(mm_live_enable)"}]}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from mmlint.problem import Finding, Severity
from mmlint.project import Panel, Project
from mmlint.sources.grafana import PROMETHEUS_TYPES, Datasources
from mmlint.sources.positions import node_at

ID = "dashboard/no-targets"
SEVERITY = Severity.WARNING

DATA_PANEL_TYPES = frozenset(
    {"timeseries", "graph", "stat", "singlestat", "gauge", "bargauge", "table", "table-old", "heatmap",
     "piechart", "barchart", "histogram", "state-timeline", "status-history", "trend", "xychart",
     "candlestick", "logs"}
)  # fmt: skip
QUERY_KEYS = ("expr", "query", "expression", "target", "rawSql", "queryText")


def runs(target: object, panel: Mapping[str, object], datasources: Datasources) -> bool:
    if not isinstance(target, Mapping) or target.get("hide") is True:
        return False
    plugin = datasources.target_plugin(panel, target)
    if plugin == "dashboard" or target.get("panelId") is not None:
        return True
    if plugin is not None and plugin not in PROMETHEUS_TYPES:
        return True
    if plugin is not None:
        # Grafana's Prometheus data source runs `expr` and nothing else: `query` (InfluxDB's key) is ignored.
        return isinstance(target.get("expr"), str) and bool(str(target["expr"]).strip())
    return any(isinstance(target.get(key), str) and str(target[key]).strip() for key in QUERY_KEYS)


def misplaced_query(panel: Panel, datasources: Datasources) -> Finding | None:
    """A shown Prometheus target whose query sits under a key other than `expr`."""
    targets = panel.data.get("targets")
    for index, target in enumerate(targets if isinstance(targets, list) else ()):
        if not isinstance(target, Mapping) or target.get("hide") is True:
            continue
        if datasources.target_plugin(panel.data, target) not in PROMETHEUS_TYPES:
            continue
        for key in QUERY_KEYS[1:]:
            node = node_at(panel.node, ("targets", index, key))
            if isinstance(target.get(key), str) and str(target[key]).strip() and node is not None:
                return Finding(
                    node.location,
                    f"panel `{panel.title or panel.id}` has its query under `{key}`, which Grafana's "
                    "Prometheus data source does not read: it runs `expr`",
                )
    return None


def check(project: Project) -> Iterator[Finding]:
    for dashboard in project.dashboards:
        datasources = Datasources(dashboard.data)
        for panel in dashboard.panels:
            if panel.type not in DATA_PANEL_TYPES or panel.data.get("libraryPanel") is not None:
                continue
            targets = panel.data.get("targets")
            if isinstance(targets, list) and any(runs(t, panel.data, datasources) for t in targets):
                continue
            misplaced = misplaced_query(panel, datasources)
            if misplaced is not None:
                yield misplaced
                continue
            node = panel.node.get("targets")
            what = "no targets" if not targets else "no target that runs (all hidden or empty)"
            yield Finding(
                (node or panel.node.get("title") or panel.node).location,
                f"panel `{panel.title or panel.id}` has {what}",
                None,
            )

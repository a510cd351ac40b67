"""A dashboard whose panels, targets or query variables name a fixed data source instead of a variable.

A dashboard with Prometheus queries needs a data source template variable (`"type": "datasource"`,
`"query": "prometheus"`), and every panel with targets, every target that names its own data source, and
every query variable must go through such a variable: `"$datasource"`, `"${datasource}"` or
`{"type": "prometheus", "uid": "${datasource}"}`. Reported: a data source name or uid written out, a
missing data source (Grafana's default, whichever that is), an import input such as `${DS_PROMETHEUS}`
(replaced by a fixed uid when the dashboard is imported, even when a variable has the same name: the
importer replaces every `${<input>}` string), and a reference to something that is not a data source
variable. A Mixed panel (`-- Mixed --`) is fine when each of its targets names a variable;
Grafana's own data sources (`-- Grafana --`, `-- Dashboard --`) are exempt. This is
grafana/dashboard-linter's template-datasource-rule and panel-datasource-rule, extended to targets and
query variables.

Why: a fixed data source ties the dashboard to one Grafana instance and one Prometheus; staging, a second
cluster or a renamed data source shows "data source not found" instead of data.

Bad:

    "datasource": {"type": "prometheus", "uid": "P1809F7CD0C75ACF3"}

Good:

    "datasource": {"type": "prometheus", "uid": "${datasource}"}
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from mmlint.problem import Finding, Severity
from mmlint.project import Dashboard, Project
from mmlint.sources.positions import Mapping as MappingNode
from mmlint.sources.positions import Node, Sequence, node_at

ID = "dashboard/datasource"
SEVERITY = Severity.WARNING

_REFERENCE = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)\]\]", re.ASCII)
MIXED = "-- Mixed --"
GRAFANA_OWN = frozenset({"-- Grafana --", "-- Dashboard --", "grafana", "dashboard"})


def uid_of(value: object) -> str | None:
    """The name or uid a `datasource` value gives, None for the default data source."""
    if isinstance(value, Mapping):
        value = value.get("uid")
    return value if isinstance(value, str) and value and value != "default" else None


class Variables:
    """The dashboard's data source variables (name: plugin id) and import inputs, to judge references by."""

    def __init__(self, dashboard: Dashboard) -> None:
        entries = node_value(dashboard.data, "templating", "list")
        entries = entries if isinstance(entries, list) else []
        self.datasource = {
            str(e["name"]): str(e.get("query", ""))
            for e in entries
            if isinstance(e, Mapping) and e.get("type") == "datasource" and isinstance(e.get("name"), str)
        }
        inputs = dashboard.data.get("__inputs")
        inputs = inputs if isinstance(inputs, list) else []
        self.inputs = {str(e.get("name")) for e in inputs if isinstance(e, Mapping) and e.get("name")}
        prometheus = [name for name, plugin in self.datasource.items() if plugin == "prometheus"]
        self.example = "$" + (prometheus or sorted(self.datasource) or ["datasource"])[0]

    def problem(self, uid: str | None) -> str | None:
        """Why a data source reference is not a variable; None when it is one or is Grafana's own."""
        if uid is None:
            return "the default data source"
        if uid in GRAFANA_OWN or uid == MIXED:
            return None
        match = _REFERENCE.fullmatch(uid)
        name = match and (match.group(1) or match.group(2) or match.group(3))
        if not name:
            return f"data source `{uid}`"
        if name in self.datasource and name in self.inputs and uid == "${" + name + "}":
            # Grafana's importer replaces every exact `${input}` string, before any variable is seen.
            return f"`{uid}`, which import replaces with a fixed uid (an input shares the variable's name)"
        if name in self.datasource:
            return None
        if name in self.inputs:
            return f"import input `{uid}` (fixed when imported)"
        return f"`{uid}`, which is not a data source variable"


def node_value(data: object, *path: str) -> object:
    for key in path:
        data = data.get(key) if isinstance(data, Mapping) else None
    return data


def where(owner: MappingNode, fallback: str = "title") -> Node:
    found = owner.get("datasource")
    uid = found.get("uid") if isinstance(found, MappingNode) else None
    return uid or found or owner.get(fallback) or owner


def paired(node: Node | None, data: object) -> list[tuple[MappingNode, Mapping[str, object]]]:
    """The objects of a JSON list, each as its node and its plain value."""
    if not isinstance(node, Sequence) or not isinstance(data, list):
        return []
    return [
        (item, value)
        for item, value in zip(node.items, data, strict=False)
        if isinstance(item, MappingNode) and isinstance(value, Mapping)
    ]


def check_dashboard(dashboard: Dashboard) -> Iterator[Finding]:
    variables = Variables(dashboard)
    hint = f"use `{variables.example}`"
    has_prometheus = any(panel.queries for panel in dashboard.panels) or dashboard.variable_queries
    if has_prometheus and "prometheus" not in variables.datasource.values():
        node = dashboard.node.get("templating") or dashboard.node
        message = f"dashboard `{dashboard.title}` has no Prometheus data source variable"
        yield Finding(node.location, message, "add a variable of type `datasource` with query `prometheus`")
    for panel in dashboard.panels:
        targets = paired(panel.node.get("targets"), panel.data.get("targets"))
        panel_uid = uid_of(panel.data.get("datasource"))
        if not targets or panel_uid in GRAFANA_OWN:
            continue
        named = [(n, t) for n, t in targets if t.get("datasource") is not None or panel_uid == MIXED]
        problem = variables.problem(panel_uid)
        # No panel data source but every target names one: Grafana takes the targets'.
        if problem and not (panel_uid is None and len(named) == len(targets)):
            yield Finding(where(panel.node).location, f"panel `{panel.title}` uses {problem}", hint)
        for node, target in named:
            uid = uid_of(target.get("datasource"))
            target_problem = variables.problem(uid)
            if target_problem and (panel_uid in (None, MIXED) or uid != panel_uid):
                message = f"target {target.get('refId', '?')} of panel `{panel.title}` uses {target_problem}"
                yield Finding(where(node, "refId").location, message, hint)
    entries = node_at(dashboard.node, ("templating", "list"))
    for node, entry in paired(entries, node_value(dashboard.data, "templating", "list")):
        problem = variables.problem(uid_of(entry.get("datasource")))
        if entry.get("type") == "query" and problem:
            message = f"variable `{entry.get('name')}` uses {problem}"
            yield Finding(where(node, "name").location, message, hint)


def check(project: Project) -> Iterator[Finding]:
    for dashboard in project.dashboards:
        yield from check_dashboard(dashboard)

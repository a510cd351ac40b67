"""A dashboard export whose `__inputs` or `__requires` disagree with what the dashboard uses.

Grafana's "Export for sharing externally" writes `__inputs`, the values the importer asks for (`DS_<NAME>`
for each data source used directly, `VAR_<NAME>` for each constant), and replaces each use with
`${DS_<NAME>}`; on import every `${NAME}` is replaced by the answer. It also writes `__requires`: Grafana's
version, each data source plugin and each panel plugin the dashboard uses (rows are not listed).
Reported: an input no string of the dashboard references; a `${DS_...}` or `${VAR_...}` reference that no
input declares (it stays literal after import); and, when `__requires` is present, a panel type or data
source plugin used but not listed, one listed but unused, and a missing `grafana` entry.

Why: an unused input makes the importer ask a question that changes nothing; an undeclared one leaves
`${DS_PROMETHEUS}` as the data source uid after import; a wrong `__requires` hides a missing plugin until
the panel fails to render.

Bad:

    "__requires": [{"type": "panel", "id": "graph"}]          (the panels are `timeseries`)

Good:

    "__requires": [{"type": "panel", "id": "timeseries"}]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mmlint.problem import Finding, Severity
from mmlint.project import Dashboard, Project
from mmlint.sources.dashboard import panel_nodes
from mmlint.sources.grafana import PROMETHEUS_TYPES, Datasources
from mmlint.sources.positions import Mapping, Node, Scalar, Sequence

ID = "dashboard/inputs-requires"
SEVERITY = Severity.WARNING

_INPUT_REFERENCE = re.compile(r"\$\{(\w+)\}", re.ASCII)
_EXPORTED_NAME = re.compile(r"(?:DS|VAR)_\w+", re.ASCII)
GRAFANA_OWN = frozenset({None, "mixed", "grafana", "dashboard", "datasource", "__expr__"})


def strings(node: Node) -> Iterator[Scalar]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Scalar):
            if isinstance(current.value, str):
                yield current
        else:
            children = current.items if isinstance(current, Sequence) else [v for _, v in current.items]
            stack.extend(reversed(children))


def entries(dashboard: Dashboard, key: str) -> list[Mapping]:
    found = dashboard.node.get(key)
    return [e for e in found.items if isinstance(e, Mapping)] if isinstance(found, Sequence) else []


def text(node: Mapping, key: str) -> str | None:
    found = node.string(key)
    return str(found.value) if found is not None else None


def check_inputs(dashboard: Dashboard) -> Iterator[Finding]:
    declared = {text(e, "name"): e for e in entries(dashboard, "__inputs") if text(e, "name")}
    variables = {v.get("name") for v in dashboard_variables(dashboard)}
    used: set[str] = set()
    for key, child in dashboard.node.items:
        if key.value == "__inputs":
            continue
        for scalar in strings(child):
            for match in _INPUT_REFERENCE.finditer(str(scalar.value)):
                name = match.group(1)
                used.add(name)
                if name not in declared and name not in variables and _EXPORTED_NAME.fullmatch(name):
                    location = scalar.text.location(match.start())
                    yield Finding(location, f"`${{{name}}}` is not declared in `__inputs`", None)
    for name, entry in declared.items():
        if name not in used:
            where = entry.get("name") or entry
            yield Finding(where.location, f"input `{name}` is declared in `__inputs` but never used", None)


def dashboard_variables(dashboard: Dashboard) -> list[dict[str, object]]:
    templating = dashboard.data.get("templating")
    found = templating.get("list") if isinstance(templating, dict) else None
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def used_plugins(dashboard: Dashboard) -> set[str]:
    datasources = Datasources(dashboard.data)
    variables = dashboard_variables(dashboard)
    refs: list[object] = [v.get("datasource") for v in variables if v.get("type") == "query"]
    refs += [v.get("query") for v in variables if v.get("type") == "datasource"]
    for panel in dashboard.panels:
        refs.append(panel.data.get("datasource"))
        targets = panel.data.get("targets")
        for target in targets if isinstance(targets, list) else []:
            refs.append(target.get("datasource") if isinstance(target, dict) else None)
    plugins = {datasources.plugin(ref) for ref in refs}
    return {
        "prometheus" if p in PROMETHEUS_TYPES else p
        for p in plugins
        if p is not None and p not in GRAFANA_OWN
    }


def check_requires(dashboard: Dashboard) -> Iterator[Finding]:
    requires = dashboard.node.get("__requires")
    if not isinstance(requires, Sequence):
        return
    listed: dict[tuple[str, str], Mapping] = {}
    for entry in entries(dashboard, "__requires"):
        kind, plugin = text(entry, "type"), text(entry, "id")
        if kind and plugin:
            listed[(kind, plugin)] = entry
    if not any(kind == "grafana" for kind, _ in listed):
        yield Finding(requires.location, "`__requires` has no `grafana` entry with the Grafana version", None)
    panels: dict[str, str] = {}
    for panel in panel_nodes(dashboard.node):
        kind = text(panel, "type")
        if kind and kind != "row" and panel.get("repeatPanelId") is None:
            panels.setdefault(kind, text(panel, "title") or "")
    used = {("panel", kind) for kind in panels} | {("datasource", p) for p in used_plugins(dashboard)}
    for kind, plugin in sorted(used - set(listed)):
        whose = f" (panel `{panels[plugin]}`)" if kind == "panel" else ""
        yield Finding(requires.location, f"`__requires` does not list {kind} `{plugin}`{whose}", None)
    for kind, plugin in sorted(set(listed) - used):
        if kind in ("panel", "datasource"):
            where = listed[(kind, plugin)].get("id") or listed[(kind, plugin)]
            yield Finding(where.location, f"`__requires` lists {kind} `{plugin}`, which no panel uses", None)


def check(project: Project) -> Iterator[Finding]:
    for dashboard in project.dashboards:
        yield from check_inputs(dashboard)
        yield from check_requires(dashboard)

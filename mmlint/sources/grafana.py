"""A Grafana dashboard, as json.loads gives it, walked for its panels, Prometheus targets and variable
queries. Nothing here raises on malformed input: what cannot be read is skipped with an Issue.

Panels:

- The modern schema lists `panels`; a `row` panel groups the panels after it until the next row, or,
  when collapsed, carries them in its own `panels`. Row panels themselves are containers, not yielded.
- The legacy schema (before schema version 16) lists `rows`, each with its `panels`.
- `repeat` names the variable a panel (or its enclosing row) is repeated by; clones Grafana saved
  (`repeatPanelId` set) are dropped, as Grafana drops them on load.
- A library panel (`libraryPanel`) stored without its model is yielded, with no targets.

Targets are yielded only when they go to Prometheus. The data source is the panel's, unless the panel is
Mixed (`-- Mixed --`) or has none, where the target's own counts. No data source at all is the default
one, assumed to be Prometheus. A reference `$var`, `${var}` or `[[var]]` resolves through the datasource
variable's `query` (its plugin id) or the `__inputs` entry's `pluginId`; an unresolvable reference or a
bare data source name is assumed to be Prometheus, unless the name is a well-known other plugin id.
Grafana built-ins (`-- Grafana --`, `-- Dashboard --`) are not. Hidden targets (`hide: true`) are yielded;
targets whose query is empty are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from mmlint.sources.grafana_variables import (
    Issue,
    JsonPath,
    Substituted,
    Variable,
    pin_repeat,
    read_variables,
    select,
    substitute,
)

__all__ = [
    "Datasources",
    "Issue",
    "PanelRef",
    "Substituted",
    "TargetRef",
    "Variable",
    "VariableQuery",
    "iter_panels",
    "iter_targets",
    "iter_variable_queries",
    "pin_repeat",
    "promql_in_variable_query",
    "read_variables",
    "select",
    "substitute",
]

PROMETHEUS_TYPES = frozenset(
    {"prometheus", "grafana-amazonprometheus-datasource", "grafana-azureprometheus-datasource"}
)
_OTHER_TYPES = frozenset(
    {"loki", "elasticsearch", "influxdb", "graphite", "mysql", "postgres", "mssql", "tempo", "jaeger",
     "zipkin", "cloudwatch", "stackdriver", "testdata", "alertmanager", "opentsdb"}
)  # fmt: skip
_MIXED = "-- Mixed --"
_BUILTIN_NAMES = {
    _MIXED: "mixed",
    "-- Grafana --": "grafana",
    "grafana": "grafana",
    "-- Dashboard --": "dashboard",
}
_REFERENCE = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)\]\]", re.ASCII)
_EXPR_KEYS = ("expr", "query", "expression")

# Grafana's Prometheus variable query functions (migrations/variableMigration.ts).
_LABEL_NAMES = re.compile(r"label_names\(.*\)\s*")
_LABEL_VALUES = re.compile(r"label_values\((?:(.+),\s*)?([a-zA-Z_$][a-zA-Z0-9_]*)\)\s*")
_METRICS = re.compile(r"metrics\((.+)\)\s*")
_QUERY_RESULT = re.compile(r"query_result\((.+)\)\s*")


@dataclass(frozen=True)
class PanelRef:
    """A panel and where it sits: `path` is its JSON path, e.g. ("panels", 3, "panels", 0)."""

    path: JsonPath
    panel: Mapping[str, object]
    title: str
    id: int | None
    row_title: str | None
    repeated_by: str | None


@dataclass(frozen=True)
class TargetRef:
    """A Prometheus target of a panel: `target[expr_key]` is its PromQL, `expr`."""

    panel: PanelRef
    path: JsonPath
    ref_id: str
    expr_key: str
    target: Mapping[str, object]
    expr: str


class VariableQuery(NamedTuple):
    """The PromQL in query variable `name`: `expr` is `object_at(path)[key][start:start + len(expr)]`, so a
    character at `i` of `expr` (or of its substitution's source_offsets) is at `start + i` of the string."""

    name: str
    path: JsonPath
    key: str
    start: int
    expr: str


def iter_panels(dashboard: Mapping[str, object], *, issues: list[Issue] | None = None) -> Iterator[PanelRef]:
    """Every panel, in document order; what cannot be walked is appended to `issues`."""
    sink: list[Issue] = [] if issues is None else issues
    if not isinstance(dashboard, Mapping):
        sink.append(Issue((), "dashboard is not a JSON object"))
        return
    panels = dashboard.get("panels")
    if panels is not None:
        yield from _walk(panels, ("panels",), None, None, sink)
    rows = dashboard.get("rows")
    if rows is None:
        return
    if not isinstance(rows, list):
        sink.append(Issue(("rows",), "`rows` is not a list"))
        return
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            sink.append(Issue(("rows", index), "row is not an object"))
            continue
        title, repeat = _string(row.get("title")), _string(row.get("repeat"))
        yield from _walk(row.get("panels", []), ("rows", index, "panels"), title, repeat, sink)


def _walk(
    panels: object, path: JsonPath, row_title: str | None, row_repeat: str | None, sink: list[Issue]
) -> Iterator[PanelRef]:
    if not isinstance(panels, list):
        sink.append(Issue(path, "`panels` is not a list"))
        return
    for index, panel in enumerate(panels):
        here = (*path, index)
        if not isinstance(panel, Mapping):
            sink.append(Issue(here, "panel is not an object"))
            continue
        if panel.get("type") == "row":
            row_title, row_repeat = _string(panel.get("title")), _string(panel.get("repeat"))
            yield from _walk(panel.get("panels", []), (*here, "panels"), row_title, row_repeat, sink)
            continue
        if panel.get("repeatPanelId") is not None:
            continue
        panel_id = panel.get("id")
        yield PanelRef(
            path=here,
            panel=panel,
            title=_string(panel.get("title")) or "",
            id=panel_id if isinstance(panel_id, int) and not isinstance(panel_id, bool) else None,
            row_title=row_title,
            repeated_by=_string(panel.get("repeat")) or row_repeat,
        )


def iter_targets(
    dashboard: Mapping[str, object], *, issues: list[Issue] | None = None
) -> Iterator[TargetRef]:
    """Every Prometheus target with a query, in document order; see the module docstring for which."""
    sink: list[Issue] = [] if issues is None else issues
    datasources = Datasources(dashboard)
    for ref in iter_panels(dashboard, issues=sink):
        targets = ref.panel.get("targets")
        if targets is None:
            continue
        if not isinstance(targets, list):
            sink.append(Issue((*ref.path, "targets"), "`targets` is not a list"))
            continue
        taken = {t["refId"] for t in targets if isinstance(t, Mapping) and isinstance(t.get("refId"), str)}
        for index, target in enumerate(targets):
            path = (*ref.path, "targets", index)
            if not isinstance(target, Mapping):
                sink.append(Issue(path, "target is not an object"))
                continue
            plugin = datasources.target_plugin(ref.panel, target)
            if plugin is not None and plugin not in PROMETHEUS_TYPES:
                continue
            key = next((k for k in _EXPR_KEYS if isinstance(target.get(k), str)), None)
            if key is None:
                if target.get("expr") is not None:
                    sink.append(Issue((*path, "expr"), "`expr` is not a string"))
                continue
            expr = str(target[key])
            if not expr.strip():
                continue
            ref_id = target.get("refId")
            if not isinstance(ref_id, str) or not ref_id:
                ref_id = _next_ref_id(taken)
                taken.add(ref_id)
            yield TargetRef(ref, path, ref_id, key, target, expr)


def _next_ref_id(taken: set[str]) -> str:
    # Grafana's getNextRefId: the first letter, then letter pair, no other target of the panel uses.
    letters = [chr(code) for code in range(ord("A"), ord("Z") + 1)]
    for candidate in letters + [a + b for a in letters for b in letters]:
        if candidate not in taken:
            return candidate
    return f"target{len(taken)}"


def iter_variable_queries(dashboard: Mapping[str, object]) -> Iterator[VariableQuery]:
    """The PromQL inside each query variable whose data source is Prometheus, both in the string form
    (`"query": "label_values(...)"`) and the object form (`"query": {"query": "label_values(...)"}`).
    Malformed templating entries are skipped here; read_variables reports them."""
    datasources = Datasources(dashboard)
    for index, entry in enumerate(_templating_entries(dashboard)):
        if not isinstance(entry, Mapping) or entry.get("type") != "query":
            continue
        name = entry.get("name")
        plugin = datasources.plugin(entry.get("datasource"))
        if not isinstance(name, str) or (plugin is not None and plugin not in PROMETHEUS_TYPES):
            continue
        path: JsonPath = ("templating", "list", index)
        query = entry.get("query")
        if isinstance(query, Mapping):
            path, query = (*path, "query"), query.get("query")
        if not isinstance(query, str):
            continue
        found = promql_in_variable_query(query)
        if found is not None:
            yield VariableQuery(name, path, "query", found[0], found[1])


def promql_in_variable_query(query: str) -> tuple[int, str] | None:
    """The offset and text of the PromQL in a Prometheus variable query, None when there is none:
    `label_values(selector, label)` -> the selector; `query_result(expr)` -> expr; `label_names(...)`,
    `metrics(regex)` and `label_values(label)` -> None; anything else is sent by Grafana as a series
    selector (`match[]`), so it is all PromQL."""
    if not query.strip() or _LABEL_NAMES.fullmatch(query) or _METRICS.fullmatch(query):
        return None
    if query in ("label_values()", "metrics()", "query_result()"):
        return None
    for pattern in (_LABEL_VALUES, _QUERY_RESULT):
        match = pattern.fullmatch(query)
        if match:
            return None if match.group(1) is None else (match.start(1), match.group(1))
    return 0, query


class Datasources:
    """Resolves a panel's, target's or variable's `datasource` to a plugin id; None is the default one."""

    def __init__(self, dashboard: Mapping[str, object]) -> None:
        self.by_name: dict[str, str] = {}
        inputs = dashboard.get("__inputs") if isinstance(dashboard, Mapping) else None
        for entry in inputs if isinstance(inputs, list) else []:
            if isinstance(entry, Mapping) and entry.get("type") == "datasource":
                self._add(entry.get("name"), entry.get("pluginId"))
        for entry in _templating_entries(dashboard):
            if isinstance(entry, Mapping) and entry.get("type") == "datasource":
                self._add(entry.get("name"), entry.get("query"))

    def _add(self, name: object, plugin: object) -> None:
        if isinstance(name, str) and isinstance(plugin, str):
            self.by_name[name] = plugin

    def target_plugin(self, panel: Mapping[str, object], target: Mapping[str, object]) -> str | None:
        """The plugin a panel's target queries: the panel's, or the target's own when the panel is Mixed or
        names none."""
        plugin = self.plugin(panel.get("datasource"))
        return self.plugin(target.get("datasource")) if plugin in (None, "mixed") else plugin

    def plugin(self, ref: object) -> str | None:
        if isinstance(ref, Mapping):
            kind, uid = ref.get("type"), ref.get("uid")
            if isinstance(uid, str) and (uid in _BUILTIN_NAMES and kind in (None, "datasource", "grafana")):
                return _BUILTIN_NAMES[uid]
            if isinstance(kind, str) and kind and not kind.startswith("$"):
                return kind
            ref = uid
        if not isinstance(ref, str) or not ref or ref == "default":
            return None
        if ref in _BUILTIN_NAMES:
            return _BUILTIN_NAMES[ref]
        match = _REFERENCE.fullmatch(ref)
        if match:
            return self.by_name.get(match.group(1) or match.group(2) or match.group(3))
        return ref.lower() if ref.lower() in _OTHER_TYPES | PROMETHEUS_TYPES else None


def _templating_entries(dashboard: object) -> list[object]:
    templating = dashboard.get("templating") if isinstance(dashboard, Mapping) else None
    entries = templating.get("list") if isinstance(templating, Mapping) else None
    return entries if isinstance(entries, list) else []


def _string(value: object) -> str | None:
    return value if isinstance(value, str) and value else None

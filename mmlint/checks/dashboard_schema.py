"""A dashboard whose `schemaVersion` or panel types do not fit the Grafana version it declares.

The Grafana version is the `grafana` entry of `__requires`; without one it is inferred as the first
release that writes the dashboard's `schemaVersion`. Reported:

- a `schemaVersion` newer than the declared Grafana writes: that Grafana does not understand the file;
- a core panel type younger than the Grafana version (`timeseries` needs 7.4);
- a deprecated panel type when the version has its replacement: `graph` from 8.0 (use `timeseries`;
  Grafana 11 migrates it when Angular is off, 12 drops Angular), `singlestat` and `table-old` from 7.0;
- a panel type that is neither a core panel nor a plugin listed in `__requires`.

The release tables are Grafana's: panel introductions from its release notes ("What's new in v6.6":
stat, "v7.4": time series, ...), schema versions from the migrations in DashboardMigrator.ts (one
`schemaVersion` bump per migration; summarised at https://wener.me/notes/service/observability/grafana/faq).

Why: an import into an older Grafana fails or shows "Panel plugin not found"; deprecated panels vanish
or change look on upgrade.

Bad:

    "__requires": [{"type": "grafana", "id": "grafana", "version": "7.0.0"}], "schemaVersion": 30

Good:

    "__requires": [{"type": "grafana", "id": "grafana", "version": "8.0.0"}], "schemaVersion": 30
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from mmlint.problem import Finding, Severity
from mmlint.project import Dashboard, Project
from mmlint.sources.dashboard import panel_nodes
from mmlint.sources.positions import Scalar

ID = "dashboard/schema"
SEVERITY = Severity.WARNING

Version = tuple[int, int]
# The highest schemaVersion each Grafana release writes (releases not listed write the previous one's).
SCHEMA_BY_RELEASE: tuple[tuple[Version, int], ...] = (
    ((4, 2), 14), ((5, 0), 16), ((6, 0), 17), ((6, 1), 18), ((6, 3), 19), ((6, 4), 20), ((6, 5), 21),
    ((6, 6), 22), ((7, 0), 25), ((7, 1), 26), ((7, 4), 27), ((8, 0), 30), ((8, 2), 31), ((8, 3), 33),
    ((8, 4), 35), ((8, 5), 36), ((9, 1), 37), ((9, 5), 38), ((10, 3), 39), ((11, 3), 40), ((11, 6), 41),
    ((12, 2), 42),
)  # fmt: skip
# Core panel types and the release that brought each.
CORE_PANELS: dict[str, Version] = {
    "graph": (2, 0), "singlestat": (2, 0), "text": (2, 0), "dashlist": (2, 0), "table": (2, 5),
    "pluginlist": (3, 0), "alertlist": (4, 2), "heatmap": (4, 3), "row": (5, 0), "gauge": (6, 0),
    "bargauge": (6, 2), "logs": (6, 4), "news": (6, 4), "annolist": (6, 4), "gettingstarted": (6, 6),
    "welcome": (6, 0), "stat": (6, 6), "table-old": (7, 0), "nodeGraph": (7, 4), "timeseries": (7, 4),
    "barchart": (7, 5), "piechart": (7, 5), "histogram": (8, 0), "state-timeline": (8, 0),
    "status-history": (8, 0), "geomap": (8, 1), "xychart": (8, 1), "candlestick": (8, 3), "canvas": (8, 4),
    "traces": (9, 0), "flamegraph": (9, 4), "trend": (9, 4), "datagrid": (10, 0),
}  # fmt: skip
DEPRECATED: dict[str, tuple[Version, str]] = {
    "graph": ((8, 0), "timeseries"),
    "singlestat": ((7, 0), "stat"),
    "table-old": ((7, 0), "table"),
}
_VERSION = re.compile(r"v?(\d+)\.(\d+)")


def shown(version: Version) -> str:
    return f"{version[0]}.{version[1]}"


def max_schema(version: Version) -> int | None:
    """The newest schemaVersion `version` writes; None before the first release in the table."""
    index = bisect.bisect_right([release for release, _ in SCHEMA_BY_RELEASE], version) - 1
    return SCHEMA_BY_RELEASE[index][1] if index >= 0 else None


def first_release(schema: int) -> Version | None:
    return next((release for release, top in SCHEMA_BY_RELEASE if top >= schema), None)


def declared(dashboard: Dashboard) -> Version | None:
    """The Grafana version `__requires` names, as (major, minor)."""
    requires = dashboard.data.get("__requires")
    for entry in requires if isinstance(requires, list) else ():
        if isinstance(entry, dict) and entry.get("type") == "grafana":
            match = _VERSION.match(str(entry.get("version", "")))
            if match:
                return int(match.group(1)), int(match.group(2))
    return None


def plugins(dashboard: Dashboard) -> set[str]:
    requires = dashboard.data.get("__requires")
    found = requires if isinstance(requires, list) else []
    return {str(e.get("id")) for e in found if isinstance(e, dict) and e.get("type") == "panel"}


def check_dashboard(dashboard: Dashboard) -> Iterator[Finding]:
    schema_node = dashboard.node.get("schemaVersion")
    schema = schema_node.value if isinstance(schema_node, Scalar) else None
    schema = schema if isinstance(schema, int) and not isinstance(schema, bool) else None
    found = declared(dashboard)
    version = found or (first_release(schema) if schema is not None else None)
    source = f"Grafana {shown(version)}" if version else ""
    if found and schema is not None and schema_node is not None:
        top = max_schema(found)
        if top is not None and schema > top:
            yield Finding(
                schema_node.location,
                f"`schemaVersion` {schema} is newer than {source} writes ({top})",
                "raise the `grafana` version in `__requires` to the release that saved the dashboard",
            )
    elif version and not found:
        source = f"Grafana {shown(version)} (inferred from `schemaVersion` {schema})"
    listed = plugins(dashboard)
    for panel in panel_nodes(dashboard.node):
        kind_node = panel.string("type")
        if kind_node is None or panel.get("repeatPanelId") is not None:
            continue
        kind = str(kind_node.value)
        introduced = CORE_PANELS.get(kind)
        if introduced is None:
            if kind not in listed:
                message = (
                    f"panel type `{kind}` is not a core Grafana panel nor a plugin listed in `__requires`"
                )
                yield Finding(kind_node.location, message, None)
        elif version and version < introduced:
            message = f"panel type `{kind}` needs Grafana {shown(introduced)}, newer than {source}"
            yield Finding(kind_node.location, message, None)
        elif version and kind in DEPRECATED and version >= DEPRECATED[kind][0]:
            since, replacement = DEPRECATED[kind]
            message = f"panel type `{kind}` is deprecated since Grafana {shown(since)}: use `{replacement}`"
            yield Finding(kind_node.location, message, None)


def check(project: Project) -> Iterator[Finding]:
    for dashboard in project.dashboards:
        yield from check_dashboard(dashboard)

"""A dashboard panel without a description.

Grafana shows a panel's `description` as the (i) tooltip beside its title: the place to say what the panel
measures, what normal looks like and what to do when it is not. Rows and text panels are exempt (a row
only groups; a text panel is its own description), as are library panels stored without their model.
This is the description half of grafana/dashboard-linter's panel-title-description-rule.

Why: whoever opens the dashboard during an incident has the title and the graph; the description is
where the author's knowledge of what the line means survives.

Bad:

    {"type": "timeseries", "title": "Freeze Events", "targets": [...]}

Good:

    {"type": "timeseries", "title": "Freeze Events",
     "description": "Times quoting was frozen by a safety guard. Normal: 0.", "targets": [...]}
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.problem import Finding, Severity
from mmlint.project import Project

ID = "dashboard/description"
SEVERITY = Severity.WARNING

EXEMPT_TYPES = frozenset({"", "row", "text", "news", "dashlist", "welcome", "gettingstarted"})


def check(project: Project) -> Iterator[Finding]:
    for dashboard in project.dashboards:
        for panel in dashboard.panels:
            if panel.type in EXEMPT_TYPES or panel.data.get("libraryPanel") is not None:
                continue
            description = panel.data.get("description")
            if isinstance(description, str) and description.strip():
                continue
            where = panel.node.get("description") or panel.node.get("title") or panel.node
            yield Finding(
                where.location,
                f"panel `{panel.title or panel.id}` has no description",
                "say what it measures, what normal looks like and what to do otherwise",
            )

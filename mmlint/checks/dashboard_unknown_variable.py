"""A dashboard query references a variable that the dashboard does not define.

Grafana substitutes `$name`, `${name}`, `${name:format}` and `[[name]]` in every query before sending it. A
name that is neither one of the dashboard's template variables nor a Grafana built-in (`$__rate_interval`,
`$__range`, ...) is left in the text as is, and Prometheus rejects the query or matches nothing. Also
reported: an ad hoc filter variable written into a query (Grafana expands it to nothing there; its filters
go into every selector on their own) and an unknown format after the colon (Grafana falls back to glob).
`$1` and a name that is a capture group of the same query (`label_replace` replacements) are not references.

Why: a renamed or deleted variable leaves panels that show "No data" or a parse error only when opened.

Bad:

    "expr": "sum(rate(mm_fills_total{symbol=~\\"$pair\\"}[$__rate_interval]))"   (the variable is `symbol`)

Good:

    "expr": "sum(rate(mm_fills_total{symbol=~\\"$symbol\\"}[$__rate_interval]))"
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.problem import Finding, Severity
from mmlint.project import Project

ID = "dashboard/unknown-variable"
SEVERITY = Severity.ERROR


def check(project: Project) -> Iterator[Finding]:
    for dashboard in project.dashboards:
        queries = [query for panel in dashboard.panels for query in panel.queries]
        for query in (*queries, *dashboard.variable_queries):
            for issue in query.variable_issues:
                hint = "define it under Variables, or fix the name" if issue.kind == "unknown" else None
                yield Finding(issue.location, f"{issue.message} ({query.origin})", hint)

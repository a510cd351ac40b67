"""A PromQL expression that does not parse, in a rule or in a dashboard after Grafana's variables are
substituted.

Reported at the line and column in the file where the parser's error lies (an unclosed bracket, an
unknown function, a function given the wrong type, a bad duration), with the parser's own message.

Why: Prometheus rejects a rule file with one bad expression; Grafana shows an error instead of the panel.

Bad:

    expr: sum by (type) (increase(mm_recon_divergence_total[10m]) > 0

Good:

    expr: sum by (type) (increase(mm_recon_divergence_total[10m])) > 0
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.problem import Finding, Severity
from mmlint.project import Project
from mmlint.promql.locate import error_offset

ID = "syntax/promql"
SEVERITY = Severity.ERROR


def check(project: Project) -> Iterator[Finding]:
    for query in project.queries():
        if query.error is not None:
            location = query.location(error_offset(query.text, query.error))
            yield Finding(location, f"cannot parse the expression of {query.origin}: {query.error}")

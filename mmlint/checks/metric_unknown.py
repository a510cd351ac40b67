"""A metric that nothing defines: not the registry, not a recording rule, not `known-metrics` in config.

Every selector's metric name is looked up among the series the registry exposes (`_total`, `_bucket`,
`_sum`, `_count`, ... as prometheus_client names them), the recording rules of the project, the series
Prometheus writes itself (`ALERTS`), and the metrics declared in `[tool.mmlint] known-metrics` (exporters,
`up`). A close match is suggested.

Why: a renamed or misspelt metric returns nothing: the panel shows "No data" and the alert can never fire,
and nobody notices until the day it should have.

Bad:

    expr: sum by (type) (increase(mm_recon_divergences_total[10m])) > 0

Good:

    expr: sum by (type) (increase(mm_recon_divergence_total[10m])) > 0
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.metrics import known_series
from mmlint.problem import Finding, Severity
from mmlint.project import Project
from mmlint.promql.selectors import located_selectors
from mmlint.suggest import Suggester

ID = "metric/unknown"
SEVERITY = Severity.ERROR


def check(project: Project) -> Iterator[Finding]:
    if project.registry is None and not project.config.known_metrics:
        return
    known = known_series(project)
    suggester = Suggester(known, cutoff=0.75)
    for query in project.queries():
        for selector in located_selectors(query):
            if selector.name is None or selector.name in known:
                continue
            close = suggester.closest(selector.name)
            yield Finding(
                selector.location,
                f"metric `{selector.name}` in {query.origin} is not defined in the registry, "
                "a recording rule, or known-metrics",
                f"did you mean `{close}`?"
                if close
                else "declare it in [tool.mmlint] known-metrics if it comes from an exporter",
            )

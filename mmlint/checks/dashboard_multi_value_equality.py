"""A `=` or `!=` matcher on a dashboard variable that can hold several values.

Grafana writes a variable with `multi` or `includeAll` into a Prometheus query as a regex: two symbols
become `(BTCUSDT|ETHUSDT)` and All becomes its `allValue` (`.*`) or every option joined by `|`. An equality
matcher takes that text literally, so as soon as a user picks two values or All, the selector matches no
series. Only references with the default format are reported (`${symbol:raw}` and the other explicit
formats are the author's choice).

Why: the panel works in review with one symbol selected and shows "No data" for everyone who opens it at
the default, All.

Bad:

    "expr": "mm_net_pnl_bps{symbol=\\"$symbol\\"}"        (symbol: multi, includeAll)

Good:

    "expr": "mm_net_pnl_bps{symbol=~\\"$symbol\\"}"
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from mmlint.problem import Finding, Severity
from mmlint.project import Project, Query
from mmlint.promql.nodes import matcher_values
from mmlint.sources.grafana_variables import Variable, read_variables, references

ID = "dashboard/multi-value-equality"
SEVERITY = Severity.ERROR

REGEX_OP = {"=": "=~", "!=": "!~"}


def query_findings(query: Query, variables: Mapping[str, Variable]) -> Iterator[Finding]:
    offsets = query.offsets
    if offsets is None:
        return
    for matcher in matcher_values(query):
        if matcher.op not in REGEX_OP or matcher.written:
            continue
        raw = query.source.value[offsets[matcher.start] : offsets[min(matcher.end, len(offsets) - 1)] + 1]
        for name, fmt in references(raw):
            variable = variables.get(name)
            if fmt is not None or variable is None or not (variable.multi or variable.include_all):
                continue
            can = "several values" if variable.multi else "All, every option"
            yield Finding(
                query.location(matcher.start),
                f"`{matcher.name}{matcher.op}` compares with `${name}`, which can hold {can}: Grafana writes "
                f"those as a regex that `{matcher.op}` matches literally ({query.origin})",
                f"use `{matcher.name}{REGEX_OP[matcher.op]}`",
            )


def check(project: Project) -> Iterator[Finding]:
    for dashboard in project.dashboards:
        variables, _ = read_variables(dashboard.data)
        queries = [query for panel in dashboard.panels for query in panel.queries]
        for query in (*queries, *dashboard.variable_queries):
            yield from query_findings(query, variables)

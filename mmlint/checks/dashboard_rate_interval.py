"""A dashboard panel takes `rate`, `irate` or `increase` over a fixed range instead of `$__rate_interval`.

Grafana computes `$__rate_interval` per panel as max(`$__interval` + scrape interval, 4 x scrape interval):
wide enough to always hold two samples, whatever the time range and resolution, and never so wide that it
smooths away what the panel's step can show. A fixed `[5m]` is too short when zoomed out (points are
skipped between steps) and too long when zoomed in; `$__interval` alone can hold fewer than two samples
and draws gaps. This is grafana/dashboard-linter's target-rate-interval-rule. `$__range` is accepted too
(`increase(x[$__range])`: the total over the dashboard's time range, a stat panel's usual query); option
`allowed` lists the accepted variables, `functions` the functions checked. The check reads the query as
written in the dashboard, before Grafana's variables are substituted.

Why: a rate over a fixed window makes the panel wrong at most zoom levels, silently.

Bad:

    "expr": "sum(rate(mm_fills_total[5m]))"

Good:

    "expr": "sum(rate(mm_fills_total[$__rate_interval]))"
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import promql_parser

from mmlint.problem import Finding, Severity
from mmlint.project import Project, Query
from mmlint.promql.locate import range_offsets
from mmlint.promql.tree import preorder

ID = "dashboard/rate-interval"
SEVERITY = Severity.WARNING

_REFERENCE = re.compile(r"\$(\w+)|\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::\w+)?\]\]", re.ASCII)
_DURATION = re.compile(r"[^\]:\s]+")


@dataclass(frozen=True)
class Options:
    functions: frozenset[str] = frozenset({"rate", "irate", "increase"})
    allowed: frozenset[str] = frozenset({"__rate_interval", "__range"})


def checked_ranges(expr: promql_parser.Expr, functions: frozenset[str]) -> list[str | None]:
    """Per MatrixSelector in walk order, the checked function taking it, or None. Walk is pre-order, so a
    call's argument is the node visited right after the call."""
    found: list[str | None] = []
    calling: str | None = None
    for node in preorder(expr):
        if isinstance(node, promql_parser.MatrixSelector):
            found.append(calling)
        name = node.func.name if isinstance(node, promql_parser.Call) else None
        calling = name if name in functions else None
    return found


def fixed_ranges(query: Query, options: Options) -> Iterator[tuple[int, str, str]]:
    """(offset in `query.text`, function, range as written) for each checked range not written as an
    allowed variable."""
    if query.expr is None or query.offsets is None:
        return
    functions = checked_ranges(query.expr, options.functions)
    offsets = range_offsets(query.text)
    if len(offsets) != len(functions):
        return  # the lexer and the parser disagree on this text: nothing reliable to say
    raw = query.source.value
    for function, offset in zip(functions, offsets, strict=True):
        if function is None:
            continue
        match = _DURATION.match(query.text, offset)
        end = match.end() if match else offset
        written = raw[query.offsets[offset] : query.offsets[min(end, len(query.offsets) - 1)]]
        reference = _REFERENCE.fullmatch(written)
        name = reference and (reference.group(1) or reference.group(2) or reference.group(3))
        if name not in options.allowed:
            yield offset, function, written


def check(project: Project, options: Options) -> Iterator[Finding]:
    allowed = options.allowed or frozenset({"__rate_interval"})
    preferred = "$" + ("__rate_interval" if "__rate_interval" in allowed else min(allowed))
    for dashboard in project.dashboards:
        for panel in dashboard.panels:
            for query in panel.queries:
                for offset, function, written in fixed_ranges(query, options):
                    yield Finding(
                        query.location(offset),
                        f"`{function}` over `[{written}]` in {query.origin}: use `{preferred}`",
                        "Grafana sizes `$__rate_interval` to the panel's step and the scrape interval",
                    )

"""A ratio whose two sides read the same metrics over different ranges.

For `a / b` where both sides take `rate`, `increase` or `irate` of the same metric names (the share of
one label value in all of them, a hit rate, an error ratio), every range on the left must equal every range
on the right. Reported at the `/`, naming both ranges. Dashboard ranges are compared after Grafana's
variables are substituted, so `$__rate_interval` on both sides agrees.

Why: the numerator and the denominator then count different windows: after a burst the "share" can pass 1,
and the alert's `for` and the summary's "over the last 15m" describe neither side. It happens when one
window is edited and the other, a line below, is not.

Bad:

    sum(rate(mm_fills_total{liquidity="maker"}[15m])) / sum(rate(mm_fills_total[5m]))

Good:

    sum(rate(mm_fills_total{liquidity="maker"}[15m])) / sum(rate(mm_fills_total[15m]))
"""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser

from mmlint.duration import format_duration
from mmlint.problem import Finding, Severity
from mmlint.project import Project, Query
from mmlint.promql.nodes import binaries, preorder

ID = "promql/ratio-ranges"
SEVERITY = Severity.WARNING

COUNTING = frozenset({"rate", "irate", "increase"})


def counted(expr: promql_parser.Expr) -> tuple[frozenset[str], frozenset[float]]:
    """The metric names and the range lengths (seconds) of the `rate`-like calls in `expr`."""
    names: set[str] = set()
    seconds: set[float] = set()
    for node, _ in preorder(expr):
        if isinstance(node, promql_parser.Call) and node.func.name in COUNTING and node.args:
            argument = node.args[0]
            if isinstance(argument, promql_parser.MatrixSelector) and argument.vector_selector.name:
                names.add(argument.vector_selector.name)
                seconds.add(argument.range.total_seconds())
    return frozenset(names), frozenset(seconds)


def query_findings(query: Query) -> Iterator[Finding]:
    for node, offset in binaries(query):
        if str(node.op) != "/":
            continue
        (left_names, left), (right_names, right) = counted(node.lhs), counted(node.rhs)
        if not left_names or left_names != right_names or len(left) != 1 or len(right) != 1 or left == right:
            continue
        shown = [f"`[{format_duration(next(iter(side)))}]`" for side in (left, right)]
        metrics = ", ".join(f"`{name}`" for name in sorted(left_names))
        yield Finding(
            query.location(offset),
            f"the sides of `/` in {query.origin} read {metrics} over different ranges, {shown[0]} and "
            f"{shown[1]}",
            "use one range on both sides",
        )


def check(project: Project) -> Iterator[Finding]:
    for query in project.queries():
        if query.expr is not None and "/" in query.text:  # without a `/` there is no ratio to judge
            yield from query_findings(query)

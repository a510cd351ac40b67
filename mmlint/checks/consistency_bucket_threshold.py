"""A quantile compared with a threshold that is not one of the histogram's bucket bounds.

For `histogram_quantile(φ, ...X_bucket...) > T` where the registry gives X's buckets, T must be one of the
bucket bounds (`le`), since the estimate is exact only there: between two bounds Prometheus interpolates
linearly (promql/quantile.go, bucketQuantile), as if observations were spread evenly over the bucket, so
the alert fires at a latency that can be off by up to the bucket's width. A threshold above the largest
finite bound can never be crossed: a quantile that falls in the `+Inf` bucket is reported as that bound.

Why: "p99 above 100 ms" with buckets 50 and 250 fires when the estimate, not the latency, crosses 100: the
real p99 can be anywhere from 50 to 250. Put a bucket bound at every threshold.

Bad:

    buckets=(10.0, 50.0, 250.0, 1000.0)
    expr: histogram_quantile(0.99, sum by (le) (rate(mm_exchange_latency_ms_bucket[5m]))) > 100

Good:

    buckets=(10.0, 50.0, 90.0, 100.0, 110.0, 250.0, 1000.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping

import promql_parser

from mmlint.problem import Finding, Severity
from mmlint.project import Project, Query
from mmlint.promql.canonical import threshold
from mmlint.promql.nodes import binaries, preorder
from mmlint.promql.tree import unwrap
from mmlint.sources.registry import format_bound

ID = "consistency/bucket-threshold"
SEVERITY = Severity.WARNING


def bucket_bounds(project: Project) -> dict[str, tuple[float, ...]]:
    """`X_bucket` -> the finite upper bounds of histogram X."""
    if project.registry is None:
        return {}
    return {
        f"{metric.name}_bucket": tuple(b for b in metric.buckets if math.isfinite(b))
        for metric in project.registry.metrics
        if metric.buckets is not None and f"{metric.name}_bucket" in metric.series
    }


def read_buckets(
    expr: promql_parser.Expr, bounds: Mapping[str, tuple[float, ...]]
) -> tuple[str, tuple[float, ...]] | None:
    """The one histogram `histogram_quantile(...)` reads, if `expr` is such a call on a known histogram."""
    expr = unwrap(expr)
    if (
        not isinstance(expr, promql_parser.Call)
        or expr.func.name != "histogram_quantile"
        or len(expr.args) < 2
    ):
        return None
    names = {n.name for n, _ in preorder(expr.args[1]) if isinstance(n, promql_parser.VectorSelector)}
    if len(names) != 1:
        return None
    name = names.pop()
    return (name, bounds[name]) if name is not None and bounds.get(name) else None


def problem(name: str, bounds: tuple[float, ...], op: str, value: float) -> str | None:
    written = f"{value:g}"
    shown = f"`{written}`"
    if value in bounds or op in ("==", "!=") or value <= 0:
        return None  # 0 is the first bucket's lower edge: `> 0` asks for any observation at all
    if value > bounds[-1]:
        return (
            f"threshold {shown} is above the largest finite bucket bound `{format_bound(bounds[-1])}` of "
            f"`{name}`: histogram_quantile never returns more, so `{op} {written}` "
            + ("is never true" if op in (">", ">=") else "is always true")
        )
    lower = max((b for b in bounds if b < value), default=0.0)
    upper = min(b for b in bounds if b > value)
    return (
        f"threshold {shown} falls between the bucket bounds `{format_bound(lower)}` and "
        f"`{format_bound(upper)}` of `{name}`: the quantile there is interpolated, not measured"
    )


def query_findings(query: Query, bounds: Mapping[str, tuple[float, ...]]) -> Iterator[Finding]:
    for node, offset in binaries(query):
        found = threshold(node)
        read = read_buckets(found.expr, bounds) if found is not None else None
        if found is None or read is None:
            continue
        message = problem(read[0], read[1], found.op, found.value)
        if message is not None:
            yield Finding(
                query.location(offset), message, "make the threshold a bucket bound (`le`) in the registry"
            )


def check(project: Project) -> Iterator[Finding]:
    bounds = bucket_bounds(project)
    for query in project.queries() if bounds else ():
        if query.expr is not None:
            yield from query_findings(query, bounds)

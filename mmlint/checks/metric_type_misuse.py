"""A series used against its metric type: rate of a gauge, a raw counter compared, quantiles without buckets.

The registry says what each exposed series is. A counter's `_total`, and a histogram's or summary's
`_bucket`, `_sum` and `_count`, only grow, and drop to 0 when the process restarts; everything else (a
gauge, a summary's quantiles, `_created`, an info or enum series) goes up and down. mmlint reports:

- `rate`, `irate`, `increase` or `resets` of a gauge: they treat every decrease as a counter reset;
- `delta`, `idelta`, `deriv`, `predict_linear` or `holt_winters` of a counter: Prometheus documents them
  for gauges only, as a reset turns into a huge drop (judged on the series the range reads, so
  `deriv(rate(x_total[5m])[1h:])` is fine);
- a counter compared raw (`x_total > 0`, `sum(x_total) >= 3`): true from the first event until the next
  restart, whatever happens meanwhile;
- a counter that is a dashboard panel's result as it is, without `rate`, `increase` or another function
  that turns it into a per-window figure: the plot is a sawtooth of restarts;
- `histogram_quantile` over a series that is no histogram `_bucket` series, or whose aggregation drops `le`
  (`sum by (instance) (...)`): Prometheus skips series without `le`, so the result is empty.

Only series the registry defines are judged; recording rules and other metrics are not guessed at.
Functions that keep a sample's value (`sum`, `max`, `abs`, `label_replace`, `last_over_time`, ...) pass the
type through; any other ends it, so `count`, `timestamp`, `absent`, `changes` or `present_over_time` of a
counter, and a difference or ratio of two counters, are fine. Severity error: each case above yields
wrong numbers or none at all.

Bad:

    expr: mm_orders_blocked_total > 0
    expr: rate(mm_net_pnl_bps[5m]) < 0

Good:

    expr: increase(mm_orders_blocked_total[5m]) > 0
    expr: deriv(mm_net_pnl_bps[30m]) < 0
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import promql_parser

from mmlint.metrics import known_series
from mmlint.problem import Finding, Severity
from mmlint.project import PanelOrigin, Project, Query
from mmlint.promql.clauses import spots
from mmlint.promql.labelsets import BUCKET_LABEL, Labels, LabelSets, vector_argument
from mmlint.promql.raw_samples import COMPARISONS, Typing
from mmlint.sources.registry import Registry

ID = "metric/type-misuse"
SEVERITY = Severity.ERROR

COUNTER_ONLY = frozenset({"rate", "irate", "increase", "resets"})
# Prometheus documents each of these "should only be used with gauges".
GAUGE_ONLY = frozenset({"deriv", "predict_linear", "delta", "idelta", "holt_winters"})
GAUGE_ONLY |= {"double_exponential_smoothing"}


RESET_HINT = "use `rate` or `increase`, which handle counter resets"
BUCKET_HINT = "aggregate `rate(..._bucket[window])` with `le` kept: `sum by (le, ...)`"


def bucket_findings(
    call: promql_parser.Call, typing: Typing, at: Mapping[int, int]
) -> Iterator[tuple[int, str, str]]:
    """Why `histogram_quantile(q, v)` finds no buckets in v, if the registry tells."""
    node, dropping = call.args[1], None
    while not isinstance(node, promql_parser.VectorSelector):
        if isinstance(node, promql_parser.AggregateExpr):
            labels = typing.sets.labels(node)
            if labels is not None and BUCKET_LABEL not in labels:
                dropping = node  # the innermost aggregation without `le` is where it was lost
        elif isinstance(node, promql_parser.Call) and (argument := vector_argument(node)) is not None:
            node = argument
            continue
        elif not isinstance(
            node, promql_parser.ParenExpr | promql_parser.MatrixSelector | promql_parser.SubqueryExpr
        ):
            return  # a binary operation or a literal: not one series to judge
        node = node.vector_selector if isinstance(node, promql_parser.MatrixSelector) else node.expr
    name = node.name or ""
    if typing.kind(node) is None:
        return
    if BUCKET_LABEL not in (typing.sets.labels(node) or frozenset()):
        yield (
            at.get(id(node), 0),
            f"`histogram_quantile` reads `{name}`, which has no `le` buckets",
            BUCKET_HINT,
        )
    elif dropping is not None:
        message = f"`{dropping.op}` drops `le` before `histogram_quantile` reads `{name}`"
        yield at.get(id(dropping), 0), message, BUCKET_HINT


def query_findings(
    query: Query, registry: Registry, shadowed: frozenset[str], series: Mapping[str, Labels]
) -> Iterator[tuple[int, str, str]]:
    assert query.expr is not None
    typing = Typing(registry, shadowed, LabelSets(query.expr, series))
    found = spots(query.text, query.expr)
    at = {id(spot.node): spot.offset for spot in found}
    for spot in found:
        node = spot.node
        if isinstance(node, promql_parser.Call) and node.args:
            name = node.func.name
            if name in COUNTER_ONLY and (gauge := typing.raw_of(node.args[0], "gauge")) is not None:
                message = f"`{name}` of gauge `{gauge.name}` reads every decrease as a counter reset"
                yield spot.offset, message, "use `deriv` or `delta` for the change of a gauge"
            if name in GAUGE_ONLY and (counter := typing.raw_of(node.args[0], "counter")) is not None:
                message = f"`{name}` of counter `{counter.name}` is thrown off by every counter reset"
                yield spot.offset, message, RESET_HINT
            if name == "histogram_quantile" and len(node.args) == 2:
                yield from bucket_findings(node, typing, at)
        elif isinstance(node, promql_parser.BinaryExpr) and str(node.op) in COMPARISONS:
            sides = [typing.raw_of(node.lhs, "counter"), typing.raw_of(node.rhs, "counter")]
            counters = [side for side in sides if side is not None]
            if len(counters) == 1:
                message = f"counter `{counters[0].name}` is compared raw: it only grows until a restart"
                yield at.get(id(counters[0]), 0), message, RESET_HINT
    if isinstance(query.origin, PanelOrigin) and (top := typing.raw_of(query.expr, "counter")) is not None:
        message = f"counter `{top.name}` is plotted raw in {query.origin}"
        yield at.get(id(top), 0), message, "plot its `rate(...[$__rate_interval])` or `increase(...)`"


def check(project: Project) -> Iterator[Finding]:
    if project.registry is None:
        return
    shadowed = frozenset(rule.name for rule in project.rules() if rule.kind == "record")
    series = {name: known.labels for name, known in known_series(project).items()}
    for query in project.queries():
        if query.expr is None:
            continue
        try:
            found = list(dict.fromkeys(query_findings(query, project.registry, shadowed, series)))
        except RecursionError:
            continue  # nested deeper than Python recurses (thousands of levels): not judged
        for offset, message, hint in found:
            yield Finding(query.location(offset), message, hint)

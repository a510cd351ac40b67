"""Which registry series the values of an expression are raw samples of, and of which type.

A counter's `_total`, and a histogram's or summary's `_bucket`, `_sum` and `_count`, are counters: they only
grow, and drop to 0 when the process restarts. Every other series the registry exposes (a gauge, `_created`,
an info or enum series) is a gauge. `Typing.raw(expr)` follows an expression down the nodes whose values
are one of their input's sample values, or a plain transform of it (`sum`, `max`, `abs`, `label_replace`,
`last_over_time`, a filter, arithmetic with a scalar), to the selector those values come from; any other
node (`rate`, `count`, `timestamp`, `absent`, two vectors combined) ends the trail.
"""

from __future__ import annotations

import promql_parser

from mmlint.promql.labelsets import LabelSets, vector_argument
from mmlint.sources.registry import Registry

COMPARISONS = frozenset({"==", "!=", ">", "<", ">=", "<="})
COUNTER_SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count")}
COUNTER_SUFFIXES |= {"summary": ("_sum", "_count")}
# Aggregations and functions whose result is one of their input sample values (or a plain transform of it).
KEEPING = frozenset({"sum", "min", "max", "avg", "topk", "bottomk", "quantile", "limitk", "limit_ratio"})
KEEPING |= {"abs", "ceil", "floor", "round", "clamp", "clamp_min", "clamp_max", "sort", "sort_desc"}
KEEPING |= {"sort_by_label", "sort_by_label_desc", "label_replace", "label_join", "last_over_time"}
KEEPING |= {"max_over_time", "min_over_time", "avg_over_time", "quantile_over_time"}


def sample_kind(registry: Registry, name: str) -> str | None:
    """Whether the registry exposes `name` as a "counter" or a "gauge" series; None if it does not."""
    metric = registry.series(name)
    if metric is None:
        return None
    suffix = name.removeprefix(metric.name)
    return "counter" if suffix in COUNTER_SUFFIXES.get(metric.type, ()) else "gauge"


class Typing:
    """Which registry series an expression's values are raw samples of, down value-keeping nodes."""

    def __init__(self, registry: Registry, shadowed: frozenset[str], sets: LabelSets) -> None:
        """`shadowed`: names recording rules write, not judged; `sets`: of the expression to be traced."""
        self.registry, self.shadowed, self.sets = registry, shadowed, sets
        self._raw: dict[int, promql_parser.VectorSelector | None] = {}

    def kind(self, selector: promql_parser.VectorSelector) -> str | None:
        name = selector.name
        return None if not name or name in self.shadowed else sample_kind(self.registry, name)

    def raw(self, expr: promql_parser.Expr) -> promql_parser.VectorSelector | None:
        if id(expr) not in self._raw:
            self._raw[id(expr)] = self._trace(expr)
        return self._raw[id(expr)]

    def _trace(self, expr: promql_parser.Expr) -> promql_parser.VectorSelector | None:
        match expr:
            case promql_parser.VectorSelector():
                return expr if self.kind(expr) else None
            case promql_parser.MatrixSelector():
                return self.raw(expr.vector_selector)
            case promql_parser.ParenExpr() | promql_parser.UnaryExpr() | promql_parser.SubqueryExpr():
                return self.raw(expr.expr)
            case promql_parser.AggregateExpr() if str(expr.op) in KEEPING:
                return self.raw(expr.expr)
            case promql_parser.Call() if expr.func.name in KEEPING:
                argument = vector_argument(expr)
                return None if argument is None else self.raw(argument)
            case promql_parser.BinaryExpr():
                return self._binary(expr)
        return None

    def _binary(self, expr: promql_parser.BinaryExpr) -> promql_parser.VectorSelector | None:
        op = str(expr.op).lower()
        if op in COMPARISONS and self._bool(expr):
            return None  # 0 or 1
        if op in COMPARISONS and self.sets.scalar(expr.lhs):
            return self.raw(expr.rhs)  # `1 < x` keeps the samples of x
        if op in ("and", "unless") or op in COMPARISONS:
            return self.raw(expr.lhs)  # the left samples, filtered
        if op == "or":
            return self.raw(expr.lhs) or self.raw(expr.rhs)
        if self.sets.scalar(expr.lhs) != self.sets.scalar(expr.rhs):
            return self.raw(expr.rhs if self.sets.scalar(expr.lhs) else expr.lhs)
        return None  # two vectors combined: a difference of counters is no counter

    @staticmethod
    def _bool(expr: promql_parser.BinaryExpr) -> bool:
        return expr.modifier is not None and expr.modifier.return_bool

    def raw_of(self, expr: promql_parser.Expr, kind: str) -> promql_parser.VectorSelector | None:
        found = self.raw(expr)
        return found if found is not None and self.kind(found) == kind else None

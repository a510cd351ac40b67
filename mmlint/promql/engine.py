"""mmlint's PromQL engine: instant queries over float samples, with Prometheus 2.42's semantics
(promql/engine.go), or Prometheus 3's left-open windows under compat 3.

An expression is first turned into a plan (plan.py: plain nodes with everything read from the parser's
tree once), then evaluated with one small function per node kind. Every node is
evaluated at one timestamp; a subquery evaluates its expression at each of its steps, which gives the
results Prometheus's step-wise range evaluation gives. `@` pins a selector or subquery to an absolute time
(`start()` and `end()` are the query's time), `offset` shifts it back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import promql_parser

from mmlint.promql import plan
from mmlint.promql.aggregations import aggregate
from mmlint.promql.binops import (
    scalar_binop,
    vector_and,
    vector_binop,
    vector_or,
    vector_scalar_binop,
    vector_unless,
)
from mmlint.promql.call import Call, Implementation
from mmlint.promql.functions import IMPLEMENTATIONS
from mmlint.promql.storage import Storage
from mmlint.promql.values import (
    Labels,
    Matrix,
    ParseError,
    PromQLError,
    Sample,
    Scalar,
    Series,
    String,
    Value,
    Vector,
    drop_name,
)

__all__ = ["EngineOptions", "ParseError", "PromQLError", "instant_query", "parse"]

# Subquery steps evaluated per query, nested ones multiplied out: each step is a whole evaluation of the
# inner expression, so this bounds the time a query can take (a day at 1s resolution is 86,400 steps).
MAX_SUBQUERY_STEPS = 1_000_000


@dataclass(frozen=True)
class EngineOptions:
    compat: int = 2
    lookback_ms: int = 300_000
    max_samples: int = 50_000_000  # bound on points loaded per query -> PromQLError
    # A subquery without a step uses this one (Prometheus: the global evaluation interval).
    subquery_step_ms: int = 60_000


def _register_holt_winters() -> None:
    """promql_parser follows Prometheus 2.45+, where holt_winters was renamed double_exponential_smoothing
    (3.0); Prometheus 2.42 has it, so the parser is taught it (a process-wide registration)."""
    try:
        promql_parser.parse("holt_winters(x[1m], 0.5, 0.5)")
    except ValueError:
        vt = promql_parser.ValueType
        signature = promql_parser.Function("holt_winters", [vt.Matrix, vt.Scalar, vt.Scalar], vt.Vector)
        promql_parser.register_extra_functions([signature])


_register_holt_winters()


@functools.lru_cache(maxsize=4096)
def parse(expr: str) -> promql_parser.Expr:
    """The parsed expression; ParseError with the parser's message."""
    try:
        return promql_parser.parse(expr)
    except ValueError as error:
        raise ParseError(str(error)) from None
    except BaseException as error:  # promql_parser's Rust panics derive from BaseException
        if isinstance(error, KeyboardInterrupt | SystemExit | MemoryError):
            raise
        raise ParseError(f"cannot parse expression: {error}") from None


def instant_query(
    expr: str | promql_parser.Expr,
    storage: Storage,
    ts: int,
    options: EngineOptions = EngineOptions(),
    *,
    start: int | None = None,
    end: int | None = None,
    functions: Mapping[str, Implementation] | None = None,
) -> Value:
    """Evaluate `expr` at `ts` (ms). `start` and `end` are what `@ start()` and `@ end()` mean (a range
    query's bounds when this is one of its steps; `ts` by default). `functions` replaces the function
    table (tests)."""
    node = parse(expr) if isinstance(expr, str) else expr
    if functions is None:
        functions = IMPLEMENTATIONS
    bounds = (ts if start is None else start, ts if end is None else end)
    evaluator = _Evaluator(storage, options, bounds, functions)
    try:
        return evaluator.eval(plan.plan_for(node, options.compat), ts)
    except RecursionError:
        raise PromQLError("expression is nested too deeply") from None


def _check_unique(vector: Vector) -> Vector:
    if len(vector) > 1 and len({sample.labels for sample in vector}) != len(vector):
        raise PromQLError("vector cannot contain metrics with the same labelset")
    return vector


class _Evaluator:
    def __init__(
        self,
        storage: Storage,
        options: EngineOptions,
        bounds: tuple[int, int],
        functions: Mapping[str, Implementation],
    ) -> None:
        self.storage = storage
        self.options = options
        self.start, self.end = bounds
        self.functions = functions
        self.compat = options.compat
        self.lookback = options.lookback_ms
        self.left_open = options.compat >= 3
        # Guarded shortcuts vouch for the default functions only (tests replace them).
        self.shortcuts = functions is IMPLEMENTATIONS
        self.samples = 0
        self.steps = 0

    def count(self, samples: int) -> None:
        self.samples += samples
        if self.samples > self.options.max_samples:
            raise PromQLError("query processing would load too many samples into memory in query execution")

    def eval(self, node: plan.Plan, ts: int) -> Value:
        return _DISPATCH[type(node)](self, node, ts)

    def number(self, node: plan.Number, ts: int) -> Value:
        return Scalar(ts, node.value)

    def text(self, node: plan.Text, ts: int) -> Value:
        return String(ts, node.value)

    def guarded(self, node: plan.Guarded, ts: int) -> Value:
        if self.shortcuts:
            try:
                select = self.storage.select
                if not any(select(selector) for selector in node.selectors):
                    return Vector()
            except PromQLError:
                pass  # a selection that fails: the evaluation reports it where Prometheus would
        return _DISPATCH[type(node.plan)](self, node.plan, ts)

    def too_deep(self, node: plan.TooDeep, ts: int) -> Value:
        raise PromQLError(f"expression nested deeper than {plan.MAX_DEPTH} levels")

    def unknown(self, node: plan.Unknown, ts: int) -> Value:
        raise PromQLError(f"unexpected expression {node.node}")

    def at(self, at: plan.At, ts: int) -> int:
        """The time a selector or subquery is evaluated at, in ms: its `@` time, else `ts`."""
        if at is None:
            return ts
        if isinstance(at, int):
            return at
        return self.start if at == "start" else self.end

    def vector_selector(self, node: plan.VectorSel, ts: int, *, sample_times: bool = False) -> Vector:
        """The newest sample of each series within the lookback window (vectorSelectorSingle); with
        `sample_times`, samples keep their own timestamps (for timestamp())."""
        ref = self.at(node.at, ts)
        # Prometheus (2.42 and 3.x) replaces the offset of a pinned selector inside timestamp() by the
        # distance to the `@` time, so `timestamp(x @ t offset d)` ignores `offset d`.
        if not sample_times or node.at is None:
            ref -= node.offset_ms
        out = Vector()
        lookback, left_open = self.lookback, self.left_open
        for series in self.storage.select(node.selector):
            found = series.last_at(ref, lookback, left_open=left_open)
            if found is not None:
                out.append(Sample(series.labels, found[0] if sample_times else ts, found[1]))
        if out:
            self.count(len(out))
        return out

    def matrix_selector(self, node: plan.MatrixSel, ts: int) -> tuple[Matrix, int, int]:
        """The samples of each series in the range window, and the window's bounds."""
        selector = node.vector
        maxt = self.at(selector.at, ts) - selector.offset_ms
        mint = maxt - node.range_ms
        out = Matrix()
        left_open = self.left_open
        for series in self.storage.select(selector.selector):
            points = series.window(mint, maxt, left_open=left_open)
            if points:
                self.count(len(points))
                out.append(Series(series.labels, tuple(points)))
        return out, mint, maxt

    def matrix(self, node: plan.MatrixSel, ts: int) -> Value:
        return self.matrix_selector(node, ts)[0]

    def subquery(self, node: plan.Subquery, ts: int) -> tuple[Matrix, int, int]:
        """The expression evaluated at every step in the window: steps are multiples of the step in
        absolute time, from the first at (compat 2) or after (compat 3) the window's start."""
        end = self.at(node.at, ts) - node.offset_ms
        window = node.range_ms
        step = node.step_ms or self.options.subquery_step_ms
        if step <= 0:
            raise PromQLError("zero or negative subquery step")
        first = -(-(end - window) // step) * step
        if self.left_open and first == end - window:
            first += step
        steps = max(0, (end - first) // step + 1)
        self.steps += steps
        if self.steps > MAX_SUBQUERY_STEPS:
            raise PromQLError(
                f"subqueries would evaluate more than {MAX_SUBQUERY_STEPS:,} steps in this query "
                f"(`{node.node}` alone has {steps:,}); use a larger subquery step"
            )
        points: dict[Labels, list[tuple[int, float]]] = {}
        for t in range(first, end + 1, step):
            value = self.eval(node.expr, t)
            if isinstance(value, Scalar):
                points.setdefault((), []).append((t, value.v))
                continue
            if not isinstance(value, Vector):
                raise PromQLError("subquery is only allowed on instant vector")
            for sample in value:
                points.setdefault(sample.labels, []).append((t, sample.v))
        matrix = Matrix(Series(labels, tuple(found)) for labels, found in points.items())
        return matrix, end - window, end

    def subquery_value(self, node: plan.Subquery, ts: int) -> Value:
        return self.subquery(node, ts)[0]

    def unary(self, node: plan.Unary, ts: int) -> Value:
        value = self.eval(node.expr, ts)
        if isinstance(value, Scalar):
            return Scalar(ts, -value.v)
        if not isinstance(value, Vector):
            raise PromQLError("unary expression only allowed on expressions of type scalar or instant vector")
        return _check_unique(Vector(Sample(drop_name(s.labels), s.t, -s.v) for s in value))

    def binary(self, node: plan.Binary, ts: int) -> Value:
        op = node.op
        # The dispatch is written out in the hot paths: a call less per node, at every node of every rule.
        lhs = _DISPATCH[type(node.lhs)](self, node.lhs, ts)
        rhs = _DISPATCH[type(node.rhs)](self, node.rhs, ts)
        return_bool = node.return_bool
        compat = self.compat
        if isinstance(lhs, Scalar) and isinstance(rhs, Scalar):
            return Scalar(ts, scalar_binop(op, lhs.v, rhs.v))
        if isinstance(lhs, Vector) and isinstance(rhs, Scalar):
            result = vector_scalar_binop(op, lhs, rhs.v, swap=False, return_bool=return_bool, compat=compat)
            return _check_unique(result)
        if isinstance(lhs, Scalar) and isinstance(rhs, Vector):
            result = vector_scalar_binop(op, rhs, lhs.v, swap=True, return_bool=return_bool, compat=compat)
            return _check_unique(result)
        if not isinstance(lhs, Vector) or not isinstance(rhs, Vector):
            raise PromQLError("binary expression must contain only scalar and instant vector types")
        matching = node.matching
        if op == "and":
            return _check_unique(vector_and(lhs, rhs, matching))
        if op == "or":
            return _check_unique(vector_or(lhs, rhs, matching))
        if op == "unless":
            return _check_unique(vector_unless(lhs, rhs, matching))
        return _check_unique(
            vector_binop(op, lhs, rhs, matching, return_bool=return_bool, compat=compat, ts=ts)
        )

    def aggregation(self, node: plan.Aggregate, ts: int) -> Value:
        op = node.op
        if op not in _AGGREGATIONS:
            if self.compat < 3:
                raise ParseError(f"{op} is not an aggregation in Prometheus 2.42")
            raise PromQLError(f"{op} is experimental in Prometheus 3 and not supported by mmlint's engine")
        param: float | str | None = None
        if node.param is not None:
            value = self.eval(node.param, ts)
            if isinstance(value, String):
                param = value.s
            elif isinstance(value, Scalar):
                param = value.v
            else:
                raise PromQLError(f"expected scalar or string parameter for {op}")
        vector = _DISPATCH[type(node.expr)](self, node.expr, ts)
        if not isinstance(vector, Vector):
            raise PromQLError(f"expected instant vector for {op}")
        return _check_unique(
            aggregate(
                op,
                vector,
                grouping=node.grouping,
                without=node.without,
                param=param,
                ts=ts,
                compat=self.compat,
            )
        )

    def call(self, node: plan.FunctionCall, ts: int) -> Value:
        name = node.name
        implementation = self.functions.get(name)
        if not node.available:
            # The parser knows every dialect's functions; Prometheus's own parser knows only its own.
            raise ParseError(f'unknown function with name "{name}"')
        if implementation is None:
            raise PromQLError(f"function {name}() is not supported by mmlint's engine")
        args: list[Value] = []
        range_start: int | None = None
        range_end: int | None = None
        for arg in node.args:
            kind, inner = arg.kind, arg.plan
            if kind == "timestamp":
                assert isinstance(inner, plan.VectorSel)
                # Prometheus passes the samples' own timestamps to timestamp(), not the evaluation time.
                args.append(self.vector_selector(inner, ts, sample_times=True))
            elif kind == "matrix":
                assert isinstance(inner, plan.MatrixSel)
                matrix, range_start, range_end = self.matrix_selector(inner, ts)
                args.append(matrix)
            elif kind == "subquery":
                assert isinstance(inner, plan.Subquery)
                matrix, range_start, range_end = self.subquery(inner, ts)
                args.append(Matrix(series for series in matrix if series.points))
            else:
                args.append(_DISPATCH[type(inner)](self, inner, ts))
        call = Call(ts, node.exprs, range_start, range_end, self.compat)
        result = implementation(args, call)
        if isinstance(result, Vector):
            _check_unique(result)
        return result


_DISPATCH: dict[type, Callable[[_Evaluator, Any, int], Value]] = {
    plan.Number: _Evaluator.number,
    plan.Text: _Evaluator.text,
    plan.VectorSel: _Evaluator.vector_selector,
    plan.MatrixSel: _Evaluator.matrix,
    plan.Subquery: _Evaluator.subquery_value,
    plan.Unary: _Evaluator.unary,
    plan.Binary: _Evaluator.binary,
    plan.Aggregate: _Evaluator.aggregation,
    plan.FunctionCall: _Evaluator.call,
    plan.Guarded: _Evaluator.guarded,
    plan.TooDeep: _Evaluator.too_deep,
    plan.Unknown: _Evaluator.unknown,
}

_AGGREGATIONS = frozenset(
    {"sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "count_values"}
    | {"quantile"}
)

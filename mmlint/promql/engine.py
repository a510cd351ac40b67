"""mmlint's PromQL engine: instant queries over float samples, with Prometheus 2.42's semantics
(promql/engine.go), or Prometheus 3's left-open windows under compat 3.

Evaluation is a `match` over promql_parser's node kinds, one small function per kind. Every node is
evaluated at one timestamp; a subquery evaluates its expression at each of its steps, which gives the
results Prometheus's step-wise range evaluation gives. `@` pins a selector or subquery to an absolute time
(`start()` and `end()` are the query's time), `offset` shifts it back.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

import promql_parser

from mmlint.promql.aggregations import aggregate
from mmlint.promql.binops import (
    SET_OPERATORS,
    Matching,
    scalar_binop,
    vector_and,
    vector_binop,
    vector_or,
    vector_scalar_binop,
    vector_unless,
)
from mmlint.promql.call import Call, Implementation
from mmlint.promql.functions import IMPLEMENTATIONS
from mmlint.promql.signatures import SIGNATURES
from mmlint.promql.storage import Matcher, Storage
from mmlint.promql.values import (
    NAME,
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

MAX_DEPTH = 400  # nesting of expressions; Python's stack, not Prometheus, sets this bound
# Subquery steps evaluated per query, nested ones multiplied out: each step is a whole evaluation of the
# inner expression, so this bounds the time a query can take (a day at 1s resolution is 86,400 steps).
MAX_SUBQUERY_STEPS = 1_000_000
_MATCH_OPS = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~", "MatchOp.NotRe": "!~"}
# promql_parser panics converting an `@` before 1970 to a datetime, so the time is read from the node's
# debug text, where it is a (seconds, nanoseconds) pair.
_AT_TIME = re.compile(r"at: Some\(\s*At\(\s*SystemTime \{\s*tv_sec: (-?\d+),\s*tv_nsec: (\d+)")
_CARDINALITY = {
    "VectorMatchCardinality.OneToOne": "one-to-one",
    "VectorMatchCardinality.ManyToOne": "many-to-one",
    "VectorMatchCardinality.OneToMany": "one-to-many",
    "VectorMatchCardinality.ManyToMany": "many-to-many",
}


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
        return evaluator.eval(node, ts)
    except RecursionError:
        raise PromQLError("expression is nested too deeply") from None


def _ms(delta: timedelta | None) -> int:
    if delta is None:
        return 0
    return (delta.days * 86_400_000_000 + delta.seconds * 1_000_000 + delta.microseconds) // 1000


def _unwrap(node: promql_parser.Expr) -> promql_parser.Expr:
    while isinstance(node, promql_parser.ParenExpr):
        node = node.expr
    return node


def _matchers(node: promql_parser.VectorSelector, compat: int) -> list[Matcher]:
    found = []
    for m in node.matchers.matchers:
        op = _MATCH_OPS[str(m.op)]
        # Prometheus 3 lets `.` match a newline in label matchers; 2.42 (Go's RE2 default) does not.
        value = f"(?s:{m.value})" if compat >= 3 and op in ("=~", "!~") else m.value
        found.append(Matcher(m.name, op, value))
    if node.name is not None:
        found.insert(0, Matcher(NAME, "=", node.name))
    return found


def _check_unique(vector: Vector) -> Vector:
    if len({sample.labels for sample in vector}) != len(vector):
        raise PromQLError("vector cannot contain metrics with the same labelset")
    return vector


def _grouping(node: promql_parser.AggregateExpr) -> tuple[tuple[str, ...], bool]:
    modifier = node.modifier
    if modifier is None:
        return (), False
    return tuple(modifier.labels), str(modifier.type).endswith("Without")


def _matching(modifier: promql_parser.BinModifier | None, *, set_operator: bool) -> Matching:
    if modifier is None or not hasattr(modifier, "card"):
        return Matching("many-to-many" if set_operator else "one-to-one", on=False, labels=())
    labels: tuple[str, ...] = ()
    on = False
    if modifier.matching is not None:
        labels = tuple(modifier.matching.labels)
        on = str(modifier.matching.type).endswith("Include")
    return Matching(_CARDINALITY[str(modifier.card)], on, labels, tuple(modifier.group_labels or ()))


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
        self.left_open = options.compat >= 3
        self.samples = 0
        self.steps = 0
        self.depth = 0

    def count(self, samples: int) -> None:
        self.samples += samples
        if self.samples > self.options.max_samples:
            raise PromQLError("query processing would load too many samples into memory in query execution")

    def eval(self, node: promql_parser.Expr, ts: int) -> Value:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise PromQLError(f"expression nested deeper than {MAX_DEPTH} levels")
        try:
            match node:
                case promql_parser.NumberLiteral():
                    return Scalar(ts, node.val)
                case promql_parser.StringLiteral():
                    return String(ts, node.val)
                case promql_parser.ParenExpr():
                    return self.eval(node.expr, ts)
                case promql_parser.VectorSelector():
                    return self.vector_selector(node, ts)
                case promql_parser.MatrixSelector():
                    return self.matrix_selector(node, ts)[0]
                case promql_parser.SubqueryExpr():
                    return self.subquery(node, ts)[0]
                case promql_parser.UnaryExpr():
                    return self.unary(node, ts)
                case promql_parser.BinaryExpr():
                    return self.binary(node, ts)
                case promql_parser.AggregateExpr():
                    return self.aggregation(node, ts)
                case promql_parser.Call():
                    return self.call(node, ts)
            raise PromQLError(f"unexpected expression {node}")
        finally:
            self.depth -= 1

    def at(self, node: promql_parser.Expr, modifier: promql_parser.AtModifier | None) -> int | None:
        """The `@` time of a selector or subquery in ms, or None without `@`."""
        if modifier is None:
            return None
        kind = str(modifier.type)
        if kind.endswith(".Start"):
            return self.start
        if kind.endswith(".End"):
            return self.end
        # The node's own `@` is the last in its debug text (a subquery prints its expression first).
        seconds, nanos = _AT_TIME.findall(repr(node))[-1]
        return (int(seconds) * 1_000_000_000 + int(nanos) + 500_000) // 1_000_000

    def reference_time(self, node: promql_parser.VectorSelector, ts: int) -> int:
        pinned = self.at(node, node.at)
        return (ts if pinned is None else pinned) - _ms(node.offset)

    def vector_selector(
        self, node: promql_parser.VectorSelector, ts: int, *, sample_times: bool = False
    ) -> Vector:
        """The newest sample of each series within the lookback window (vectorSelectorSingle); with
        `sample_times`, samples keep their own timestamps (for timestamp())."""
        pinned = self.at(node, node.at)
        if sample_times and pinned is not None:
            # Prometheus (2.42 and 3.x) replaces the offset of a pinned selector inside timestamp() by the
            # distance to the `@` time, so `timestamp(x @ t offset d)` ignores `offset d`.
            ref = pinned
        else:
            ref = (ts if pinned is None else pinned) - _ms(node.offset)
        out = Vector()
        for series in self.storage.select(_matchers(node, self.options.compat)):
            found = series.last_at(ref, self.options.lookback_ms, left_open=self.left_open)
            if found is not None:
                out.append(Sample(series.labels, found[0] if sample_times else ts, found[1]))
        self.count(len(out))
        return out

    def matrix_selector(self, node: promql_parser.MatrixSelector, ts: int) -> tuple[Matrix, int, int]:
        """The samples of each series in the range window, and the window's bounds."""
        selector = node.vector_selector
        maxt = self.reference_time(selector, ts)
        mint = maxt - _ms(node.range)
        out = Matrix()
        for series in self.storage.select(_matchers(selector, self.options.compat)):
            points = series.window(mint, maxt, left_open=self.left_open)
            if points:
                self.count(len(points))
                out.append(Series(series.labels, tuple(points)))
        return out, mint, maxt

    def subquery(self, node: promql_parser.SubqueryExpr, ts: int) -> tuple[Matrix, int, int]:
        """The expression evaluated at every step in the window: steps are multiples of the step in
        absolute time, from the first at (compat 2) or after (compat 3) the window's start."""
        pinned = self.at(node, node.at)
        end = (ts if pinned is None else pinned) - _ms(node.offset)
        window = _ms(node.range)
        step = _ms(node.step) or self.options.subquery_step_ms
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
                f"(`{node}` alone has {steps:,}); use a larger subquery step"
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

    def unary(self, node: promql_parser.UnaryExpr, ts: int) -> Value:
        value = self.eval(node.expr, ts)
        if isinstance(value, Scalar):
            return Scalar(ts, -value.v)
        if not isinstance(value, Vector):
            raise PromQLError("unary expression only allowed on expressions of type scalar or instant vector")
        return _check_unique(Vector(Sample(drop_name(s.labels), s.t, -s.v) for s in value))

    def binary(self, node: promql_parser.BinaryExpr, ts: int) -> Value:
        op = str(node.op)
        modifier = node.modifier
        lhs = self.eval(node.lhs, ts)
        rhs = self.eval(node.rhs, ts)
        return_bool = bool(modifier is not None and modifier.return_bool)
        compat = self.options.compat
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
        matching = _matching(modifier, set_operator=op in SET_OPERATORS)
        if op == "and":
            return _check_unique(vector_and(lhs, rhs, matching))
        if op == "or":
            return _check_unique(vector_or(lhs, rhs, matching))
        if op == "unless":
            return _check_unique(vector_unless(lhs, rhs, matching))
        return _check_unique(
            vector_binop(op, lhs, rhs, matching, return_bool=return_bool, compat=compat, ts=ts)
        )

    def aggregation(self, node: promql_parser.AggregateExpr, ts: int) -> Value:
        op = str(node.op)
        if op not in _AGGREGATIONS:
            if self.options.compat < 3:
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
        vector = self.eval(node.expr, ts)
        if not isinstance(vector, Vector):
            raise PromQLError(f"expected instant vector for {op}")
        grouping, without = _grouping(node)
        return _check_unique(
            aggregate(
                op, vector, grouping=grouping, without=without, param=param, ts=ts, compat=self.options.compat
            )
        )

    def call(self, node: promql_parser.Call, ts: int) -> Value:
        name = node.func.name
        implementation = self.functions.get(name)
        signature = SIGNATURES.get(name)
        if signature is not None and not signature.available(self.options.compat):
            # The parser knows every dialect's functions; Prometheus's own parser knows only its own.
            raise ParseError(f'unknown function with name "{name}"')
        if implementation is None:
            raise PromQLError(f"function {name}() is not supported by mmlint's engine")
        exprs = tuple(node.args)
        args: list[Value] = []
        range_start: int | None = None
        range_end: int | None = None
        for expr in exprs:
            inner = _unwrap(expr)
            if name == "timestamp" and isinstance(inner, promql_parser.VectorSelector):
                # Prometheus passes the samples' own timestamps to timestamp(), not the evaluation time.
                args.append(self.vector_selector(inner, ts, sample_times=True))
            elif isinstance(inner, promql_parser.MatrixSelector):
                matrix, range_start, range_end = self.matrix_selector(inner, ts)
                args.append(matrix)
            elif isinstance(inner, promql_parser.SubqueryExpr):
                matrix, range_start, range_end = self.subquery(inner, ts)
                args.append(Matrix(series for series in matrix if series.points))
            else:
                args.append(self.eval(inner, ts))
        call = Call(ts, exprs, range_start, range_end, self.options.compat)
        result = implementation(args, call)
        if isinstance(result, Vector):
            _check_unique(result)
        return result


_AGGREGATIONS = frozenset(
    {"sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "count_values"}
    | {"quantile"}
)

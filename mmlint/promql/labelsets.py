"""Which labels the result of a PromQL expression can carry, worked out from the expression alone.

`result_labels(expr, series)` answers with a frozenset of label names (a series of the result may lack some
of them, but carries no other) or None when it cannot tell: a selector of a metric `series` does not know,
a selector without a name, a function whose labels depend on data (`info`). Unknown is never narrowed by a
guess, so a check that flags a label missing from a known set does not flag what it cannot know.

The rules follow Prometheus's engine (promql/engine.go, functions.go):
- an aggregation keeps its `by` labels (those the input has) or drops its `without` labels, and without
  either keeps none; `topk`, `bottomk`, `limitk` and `limit_ratio` return input samples unchanged, and
  `count_values` adds its label;
- a binary operation between vectors returns the left operand's labels (the right one's for group_right);
  with one-to-one matching `on(...)` keeps only the `on` labels and `ignoring(...)` drops the ignored ones
  (resultMetric); `group_left(...)`/`group_right(...)` labels are copied from the "one" side; `and` and
  `unless` return the left samples, `or` those of both sides; with a scalar, the vector's labels;
- `label_replace` and `label_join` add their destination label, `histogram_quantile` drops `le`, `absent`
  and `absent_over_time` return the labels of the selector's equality matchers, `vector`, `time` and the
  other scalar-valued functions none; any other function keeps the labels of its vector or range argument.

The metric name `__name__` is not tracked: it is no label a grouping can lose by mistake.
"""

from __future__ import annotations

from collections.abc import Mapping

import promql_parser

from mmlint.promql.tree import children

Labels = frozenset[str] | None  # None: any label may appear

NONE: frozenset[str] = frozenset()
# Aggregations that return input samples with their labels, only selecting among them.
SELECTING = frozenset({"topk", "bottomk", "limitk", "limit_ratio"})
# Functions whose result labels are not those of their argument.
ADDING_LABEL = frozenset({"label_replace", "label_join"})
ABSENT = frozenset({"absent", "absent_over_time"})
# Experimental functions that copy labels from other series: unknowable offline.
DATA_DEPENDENT = frozenset({"info"})
BUCKET_LABEL = "le"


def is_scalar(expr: promql_parser.Expr) -> bool:
    """Whether `expr` evaluates to a scalar (or a string): a value without labels. The same answer as
    `LabelSets(expr, {}).scalar(expr)`, reading only the operators and parentheses on top."""
    stack = [expr]
    while stack:
        match stack.pop():
            case promql_parser.NumberLiteral() | promql_parser.StringLiteral():
                continue
            case promql_parser.ParenExpr() | promql_parser.UnaryExpr() as node:
                stack.append(node.expr)
            case promql_parser.BinaryExpr() as node:
                stack.extend((node.lhs, node.rhs))
            case promql_parser.Call() as node if node.func.return_type == promql_parser.ValueType.Scalar:
                continue
            case _:
                return False
    return True


def equality_labels(expr: promql_parser.Expr) -> frozenset[str]:
    """The labels `absent(expr)` returns: the selector's `=` matchers (createLabelsForAbsentFunction)."""
    if isinstance(expr, promql_parser.MatrixSelector):
        expr = expr.vector_selector
    if not isinstance(expr, promql_parser.VectorSelector):
        return NONE
    # Every `=` label, even one also matched otherwise (which Prometheus then drops): an upper bound.
    matchers = expr.matchers.matchers
    return frozenset(m.name for m in matchers if m.name != "__name__" and str(m.op) == "MatchOp.Equal")


def vector_argument(call: promql_parser.Call) -> promql_parser.Expr | None:
    """The argument whose series a function returns: its first vector or range-vector argument."""
    kinds = (promql_parser.ValueType.Vector, promql_parser.ValueType.Matrix)
    types = list(call.func.arg_types)
    for index, arg in enumerate(call.args):
        kind = types[min(index, len(types) - 1)] if types else None
        if any(kind == k for k in kinds):
            return arg  # type: ignore[no-any-return]
    return None


class LabelSets:
    """The labels every node of one expression can carry, worked out once, bottom-up, without recursion (a
    chain `a + b + ...` nests deeper than Python's recursion limit). A node of another tree is unknown."""

    def __init__(self, expr: promql_parser.Expr, series: Mapping[str, Labels]) -> None:
        self.series = series
        self._labels: dict[int, Labels] = {}
        self._scalar: dict[int, bool] = {}
        self._nodes: list[promql_parser.Expr] = []  # kept alive, so that no other object reuses an id
        stack: list[tuple[promql_parser.Expr, bool]] = [(expr, False)]
        while stack:
            node, ready = stack.pop()
            if not ready:
                stack.append((node, True))
                stack.extend((child, False) for child in children(node))
                continue
            self._nodes.append(node)
            self._scalar[id(node)] = self._is_scalar(node)
            self._labels[id(node)] = self._node_labels(node)

    def labels(self, node: promql_parser.Expr) -> Labels:
        return self._labels.get(id(node))

    def scalar(self, node: promql_parser.Expr) -> bool:
        return self._scalar.get(id(node), False)

    def _is_scalar(self, node: promql_parser.Expr) -> bool:
        match node:
            case promql_parser.NumberLiteral() | promql_parser.StringLiteral():
                return True
            case promql_parser.ParenExpr() | promql_parser.UnaryExpr():
                return self.scalar(node.expr)
            case promql_parser.BinaryExpr():
                return self.scalar(node.lhs) and self.scalar(node.rhs)
            case promql_parser.Call():
                return bool(node.func.return_type == promql_parser.ValueType.Scalar)
        return False

    def _node_labels(self, node: promql_parser.Expr) -> Labels:
        match node:
            case promql_parser.VectorSelector():
                return self.series.get(node.name) if node.name else None
            case promql_parser.MatrixSelector():
                return self.labels(node.vector_selector)
            case promql_parser.ParenExpr() | promql_parser.UnaryExpr() | promql_parser.SubqueryExpr():
                return self.labels(node.expr)
            case promql_parser.NumberLiteral() | promql_parser.StringLiteral():
                return NONE
            case promql_parser.AggregateExpr():
                return self._aggregation(node)
            case promql_parser.Call():
                return self._call(node)
            case promql_parser.BinaryExpr():
                return self._binary(node)
        return None

    def _aggregation(self, expr: promql_parser.AggregateExpr) -> Labels:
        inner = self.labels(expr.expr)
        op = str(expr.op)
        if op in SELECTING:
            return inner
        modifier = expr.modifier
        if modifier is None:
            grouped: Labels = NONE
        elif modifier.type == promql_parser.AggModifierType.By:
            grouped = frozenset(modifier.labels) if inner is None else inner & frozenset(modifier.labels)
        else:
            grouped = None if inner is None else inner - frozenset(modifier.labels)
        if (
            op == "count_values"
            and grouped is not None
            and isinstance(expr.param, promql_parser.StringLiteral)
        ):
            return grouped | {expr.param.val}
        return grouped

    def _call(self, expr: promql_parser.Call) -> Labels:
        name = expr.func.name
        if name in DATA_DEPENDENT:
            return None
        if name in ABSENT:
            return equality_labels(expr.args[0])
        argument = vector_argument(expr)
        if argument is None or self.scalar(expr):
            return NONE  # vector(s), time(), scalar(v), pi(): no labels
        inner = self.labels(argument)
        if inner is None:
            return None
        if name in ADDING_LABEL and isinstance(expr.args[1], promql_parser.StringLiteral):
            return inner | {expr.args[1].val}
        if name == "histogram_quantile":
            return inner - {BUCKET_LABEL}
        return inner

    def _binary(self, expr: promql_parser.BinaryExpr) -> Labels:
        lhs, rhs = self.labels(expr.lhs), self.labels(expr.rhs)
        if self.scalar(expr.lhs) or self.scalar(expr.rhs):
            return NONE if self.scalar(expr) else lhs if self.scalar(expr.rhs) else rhs
        op = str(expr.op).lower()
        if op in ("and", "unless"):
            return lhs
        if op == "or":
            return None if lhs is None or rhs is None else lhs | rhs
        modifier = expr.modifier
        card = modifier.card if modifier is not None else None
        if card == promql_parser.VectorMatchCardinality.OneToMany:
            lhs, rhs = rhs, lhs  # group_right: the right side is the "many" side whose labels are kept
        elif card is None or card == promql_parser.VectorMatchCardinality.OneToOne:
            matching = modifier.matching if modifier is not None else None
            if matching is None:
                return lhs
            listed = frozenset(matching.labels)
            if matching.type == promql_parser.LabelModifierType.Include:
                return listed if lhs is None else lhs & listed
            return None if lhs is None else lhs - listed
        included = frozenset(modifier.group_labels or ()) if modifier is not None else NONE
        if lhs is None:
            return None
        # An included label is copied from the "one" side, and deleted where that side lacks it.
        return (lhs - included) | (included if rhs is None else included & rhs)


def result_labels(expr: promql_parser.Expr, series: Mapping[str, Labels]) -> Labels:
    """The labels the result of `expr` can carry; `series` gives them per metric name (a name missing from
    it, or mapped to None, is unknown)."""
    return LabelSets(expr, series).labels(expr)

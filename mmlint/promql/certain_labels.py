"""Which labels every series of a PromQL expression's result is sure to carry: the lower bound that
mmlint.promql.labelsets' upper bound leaves open.

`certain_labels(expr, series)` answers per node with a frozenset; `series` gives the labels each metric's
series always carry (a registry metric's label names: prometheus_client exports every child with all of
them). A metric it does not list, target labels (`job`, `instance`: promtool's input series may lack them)
and anything data-dependent guarantee nothing, so the answer errs towards fewer labels. A selector's `=`
matcher with a non-empty value guarantees its label. The rules mirror labelsets (Prometheus's
promql/engine.go): an aggregation keeps the certain labels among its `by` labels, or those not `without`;
one-to-one matching keeps the left side's (only the `on` labels, or not the `ignoring` ones); `group_left`
copies its labels from the right side; `and`/`unless` keep the left side, `or` what both sides share.
"""

from __future__ import annotations

from collections.abc import Mapping

import promql_parser

from mmlint.promql.labelsets import (
    ABSENT,
    ADDING_LABEL,
    BUCKET_LABEL,
    NONE,
    SELECTING,
    is_scalar,
    vector_argument,
)
from mmlint.promql.tree import children


def _postorder(expr: promql_parser.Expr) -> list[promql_parser.Expr]:
    """Every node after all of its children (no recursion: a long chain nests deeper than the limit)."""
    order: list[promql_parser.Expr] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(children(node))
    return order[::-1]


class CertainLabels:
    """The certain labels of every node of one expression, worked out once, bottom-up."""

    def __init__(self, expr: promql_parser.Expr, series: Mapping[str, frozenset[str]]) -> None:
        self.series = series
        self._labels: dict[int, frozenset[str]] = {}
        self._nodes = _postorder(expr)  # kept alive, so that no other object reuses an id
        for node in self._nodes:
            self._labels[id(node)] = self._node(node)

    def labels(self, node: promql_parser.Expr) -> frozenset[str]:
        return self._labels.get(id(node), NONE)

    def _node(self, node: promql_parser.Expr) -> frozenset[str]:
        match node:
            case promql_parser.VectorSelector():
                matchers = node.matchers.matchers
                equal = {m.name for m in matchers if str(m.op) == "MatchOp.Equal" and m.value}
                return (self.series.get(node.name, NONE) if node.name else NONE) | (equal - {"__name__"})
            case promql_parser.MatrixSelector():
                return self.labels(node.vector_selector)
            case promql_parser.ParenExpr() | promql_parser.UnaryExpr() | promql_parser.SubqueryExpr():
                return self.labels(node.expr)
            case promql_parser.AggregateExpr():
                return self._aggregation(node)
            case promql_parser.Call():
                return self._call(node)
            case promql_parser.BinaryExpr():
                return self._binary(node)
        return NONE

    def _aggregation(self, expr: promql_parser.AggregateExpr) -> frozenset[str]:
        inner = self.labels(expr.expr)
        if str(expr.op) in SELECTING:
            return inner
        modifier = expr.modifier
        if modifier is None:
            grouped = NONE
        elif modifier.type == promql_parser.AggModifierType.By:
            grouped = inner & frozenset(modifier.labels)
        else:
            grouped = inner - frozenset(modifier.labels)
        if str(expr.op) == "count_values" and isinstance(expr.param, promql_parser.StringLiteral):
            return grouped | {expr.param.val}
        return grouped

    def _call(self, expr: promql_parser.Call) -> frozenset[str]:
        argument = vector_argument(expr)
        if expr.func.name in ABSENT or argument is None or is_scalar(expr):
            return NONE
        inner = self.labels(argument)
        if expr.func.name in ADDING_LABEL and isinstance(expr.args[1], promql_parser.StringLiteral):
            return inner - {expr.args[1].val}  # an empty replacement deletes the label
        if expr.func.name == "histogram_quantile":
            return inner - {BUCKET_LABEL}
        return inner

    def _binary(self, expr: promql_parser.BinaryExpr) -> frozenset[str]:
        lhs, rhs = self.labels(expr.lhs), self.labels(expr.rhs)
        if is_scalar(expr.lhs) or is_scalar(expr.rhs):
            return NONE if is_scalar(expr) else lhs if is_scalar(expr.rhs) else rhs
        op = str(expr.op).lower()
        if op in ("and", "unless"):
            return lhs
        if op == "or":
            return lhs & rhs
        modifier = expr.modifier
        card = modifier.card if modifier is not None else None
        if card == promql_parser.VectorMatchCardinality.OneToMany:
            lhs, rhs = rhs, lhs
        elif card is None or card == promql_parser.VectorMatchCardinality.OneToOne:
            matching = modifier.matching if modifier is not None else None
            if matching is None:
                return lhs
            listed = frozenset(matching.labels)
            include = matching.type == promql_parser.LabelModifierType.Include
            return lhs & listed if include else lhs - listed
        included = frozenset(modifier.group_labels or ()) if modifier is not None else NONE
        return (lhs - included) | (included & rhs)


def certain_labels(expr: promql_parser.Expr, series: Mapping[str, frozenset[str]]) -> CertainLabels:
    return CertainLabels(expr, series)

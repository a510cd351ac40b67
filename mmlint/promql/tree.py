"""Walking and reading a parsed expression, for every module that does. promql_parser's own `walk` takes
quadratic time on a long chain `a + b + ...` (0.9 s at 200 terms, minutes at 800), and a recursive walk
overflows Python's stack there, so mmlint walks with an explicit stack over `children`."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser


def children(node: promql_parser.Expr) -> list[promql_parser.Expr]:
    """The child nodes in text order, as `promql_parser.walk` visits them."""
    match node:
        case promql_parser.AggregateExpr():
            return [node.param, node.expr] if node.param is not None else [node.expr]
        case promql_parser.BinaryExpr():
            return [node.lhs, node.rhs]
        case promql_parser.Call():
            return list(node.args)
        case promql_parser.MatrixSelector():
            return [node.vector_selector]
        case promql_parser.ParenExpr() | promql_parser.UnaryExpr() | promql_parser.SubqueryExpr():
            return [node.expr]
    return []


def preorder(expr: promql_parser.Expr) -> Iterator[promql_parser.Expr]:
    """Every node, parents before children and children in text order: `promql_parser.walk`'s order."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def unwrap(expr: promql_parser.Expr) -> promql_parser.Expr:
    """`expr` without the parentheses around it."""
    while isinstance(expr, promql_parser.ParenExpr):
        expr = expr.expr
    return expr


def number(expr: promql_parser.Expr) -> float | None:
    """The value of a number literal, through parentheses and unary minus; None for anything else."""
    sign = 1.0
    while True:
        expr = unwrap(expr)
        if not isinstance(expr, promql_parser.UnaryExpr):
            break
        sign, expr = -sign, expr.expr
    return sign * float(expr.val) if isinstance(expr, promql_parser.NumberLiteral) else None

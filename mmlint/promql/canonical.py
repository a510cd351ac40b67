"""Comparing two PromQL expressions for meaning rather than spelling: a canonical text in which whitespace,
parentheses, matcher and grouping order, range durations and chosen label matchers no longer show; the
top-level comparison of an alert (`expr > threshold`); a panel's top-level scaling (`expr * 100`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import promql_parser

from mmlint.promql.selectors import NAME_LABEL, match_op, vector_selectors
from mmlint.promql.tree import number, unwrap

COMPARISONS = frozenset({"==", "!=", ">", "<", ">=", "<="})
# `a > 0.85` read from the literal's side: `0.85 < a`.
FLIPPED = {"==": "==", "!=": "!=", ">": "<", "<": ">", ">=": "<=", "<=": ">="}
MATCH_ALL = frozenset({".*", "(.*)", "^.*$"})


@dataclass(frozen=True)
class Threshold:
    """`expr op value`, the literal read on the right whatever side it was written on."""

    expr: promql_parser.Expr
    op: str
    value: float


def binary_op(expr: promql_parser.BinaryExpr) -> str:
    return str(expr.op).strip()


def threshold(expr: promql_parser.Expr) -> Threshold | None:
    """The threshold of an alert: the number on one side of its top-level comparison, if it has one."""
    expr = unwrap(expr)
    if not isinstance(expr, promql_parser.BinaryExpr) or binary_op(expr) not in COMPARISONS:
        return None
    right, left = number(expr.rhs), number(expr.lhs)
    if right is not None and left is None:
        return Threshold(expr.lhs, binary_op(expr), right)
    if left is not None and right is None:
        return Threshold(expr.rhs, FLIPPED[binary_op(expr)], left)
    return None


@dataclass(frozen=True)
class Product:
    """A top-level chain of `*` and `/` read as `coefficient * (above...) / (below...)`: `100 * a / b` and
    `a / b * 100` are both 100 times `a / b`."""

    coefficient: float
    above: tuple[promql_parser.Expr, ...]
    below: tuple[promql_parser.Expr, ...]


def plain(modifier: promql_parser.BinModifier | None) -> bool:
    """No `bool`, `on`/`ignoring` or `group_left`/`group_right`: reordering the factors keeps the result."""
    if modifier is None:
        return True
    return not modifier.return_bool and modifier.matching is None and kind(modifier.card) == "onetoone"


def product(expr: promql_parser.Expr) -> Product:
    expr = unwrap(expr)
    value = number(expr)
    if value is not None:
        return Product(value, (), ())
    if isinstance(expr, promql_parser.BinaryExpr) and binary_op(expr) in ("*", "/") and plain(expr.modifier):
        left, right = product(expr.lhs), product(expr.rhs)
        if binary_op(expr) == "*":
            return Product(
                left.coefficient * right.coefficient, left.above + right.above, left.below + right.below
            )
        if right.coefficient != 0:
            return Product(
                left.coefficient / right.coefficient, left.above + right.below, left.below + right.above
            )
    return Product(1.0, (expr,), ())


def coefficient(expr: promql_parser.Expr) -> float:
    """The number a top-level product multiplies by (`100 * a / b`: 100); 1 for anything else."""
    return product(expr).coefficient or 1.0


def kept(matcher: promql_parser.Matcher, ignored_labels: frozenset[str]) -> bool:
    """Matchers that select every series (`=~".*"`, what Grafana writes for All) or that are on a label a
    dashboard variable chooses do not change what is being measured."""
    op = match_op(matcher)
    if matcher.name in ignored_labels:
        return False
    return not ((op == "=~" and matcher.value in MATCH_ALL) or (op == "!~" and matcher.value == ""))


def selector_key(node: promql_parser.VectorSelector, ignored_labels: frozenset[str]) -> str:
    matchers = sorted(
        f"{m.name}{match_op(m)}{m.value!r}"
        for m in node.matchers.matchers
        if kept(m, ignored_labels) and not (m.name == NAME_LABEL and node.name)
    )
    offset = f" offset {node.offset}" if node.offset else ""
    return f"{node.name or ''}{{{','.join(matchers)}}}{offset}"


def canonical(expr: promql_parser.Expr, *, ignored_labels: frozenset[str] = frozenset()) -> str:
    """One text for every spelling of the same expression, ranges written as `[range]`, and the coefficient
    of a top-level product left out (see `coefficient`): `100 * a / b` reads as `a / b`."""
    factors = product(expr)
    if factors.coefficient == 0 or (len(factors.above) == 1 and not factors.below):
        return "".join(_canonical(expr if factors.coefficient == 0 else factors.above[0], ignored_labels))
    above = sorted("".join(_canonical(e, ignored_labels)) for e in factors.above)
    below = sorted("".join(_canonical(e, ignored_labels)) for e in factors.below)
    return f"product({' * '.join(above)} / {' * '.join(below)})"


def _canonical(expr: promql_parser.Expr, ignored: frozenset[str]) -> Iterator[str]:
    sub: Callable[[promql_parser.Expr], Iterator[str]] = lambda e: _canonical(e, ignored)  # noqa: E731
    expr = unwrap(expr)
    if isinstance(expr, promql_parser.VectorSelector):
        yield selector_key(expr, ignored)
    elif isinstance(expr, promql_parser.MatrixSelector):
        yield selector_key(expr.vector_selector, ignored) + "[range]"
    elif isinstance(expr, promql_parser.SubqueryExpr):
        yield "("
        yield from sub(expr.expr)
        yield ")[range:step]"
    elif isinstance(expr, promql_parser.NumberLiteral):
        yield repr(float(expr.val))
    elif isinstance(expr, promql_parser.StringLiteral):
        yield repr(expr.val)
    elif isinstance(expr, promql_parser.UnaryExpr):
        yield "-("
        yield from sub(expr.expr)
        yield ")"
    elif isinstance(expr, promql_parser.Call):
        yield f"{expr.func.name}("
        for index, arg in enumerate(expr.args):
            yield "," if index else ""
            yield from sub(arg)
        yield ")"
    elif isinstance(expr, promql_parser.AggregateExpr):
        modifier = expr.modifier
        grouping = f" {kind(modifier.type)}{sorted(modifier.labels)}" if modifier else ""
        yield f"{str(expr.op).strip()}{grouping}("
        if expr.param is not None:
            yield from sub(expr.param)
            yield ","
        yield from sub(expr.expr)
        yield ")"
    elif isinstance(expr, promql_parser.BinaryExpr):
        yield "("
        yield from sub(expr.lhs)
        yield f" {binary_op(expr)}{binary_modifier(expr.modifier)} "
        yield from sub(expr.rhs)
        yield ")"
    else:
        yield str(expr)


def kind(enum_value: object) -> str:
    """An enum member's name: `by`, `without`, `include` (on), `exclude` (ignoring), `manytoone`, ..."""
    return str(enum_value).rsplit(".", 1)[-1].lower()


def binary_modifier(modifier: promql_parser.BinModifier | None) -> str:
    if modifier is None:
        return ""
    parts = []
    if modifier.return_bool:
        parts.append("bool")
    if modifier.matching is not None:
        parts.append(f"{kind(modifier.matching.type)}{sorted(modifier.matching.labels)}")
    card = kind(modifier.card)
    if card not in ("onetoone", "manytomany"):
        parts.append(f"{card}{sorted(modifier.group_labels or [])}")
    return " " + " ".join(parts) if parts else ""


def selector_keys(
    expr: promql_parser.Expr, *, ignored_labels: frozenset[str] = frozenset()
) -> frozenset[str]:
    return frozenset(selector_key(node, ignored_labels) for node in vector_selectors(expr))


def metric_names(expr: promql_parser.Expr) -> frozenset[str]:
    return frozenset(node.name for node in vector_selectors(expr) if node.name)

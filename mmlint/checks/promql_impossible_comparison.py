"""A comparison that can never be true, an alert condition that is always true, or a quantile outside [0, 1].

Reported only when the shape of the query proves it (see mmlint.promql.bounds for what is known):

- a side that cannot reach the other: `rate(x[5m]) < 0` (never negative), `count(x) == 0` (an empty
  `count` returns no sample, not 0), `absent(x) > 1` (absent is 1), `(x > bool 0) > 1` (0 or 1),
  `(x > 5) < 3` (only samples above 5 are left);
- `x > 5 and x < 3`: both sides filter the same expression, matched on all labels, by conditions no
  value meets;
- two numbers compared with `bool`: the result is the same constant at every evaluation;
- `histogram_quantile`, `quantile` or `quantile_over_time` with a φ below 0 or above 1: the result is
  always -Inf or +Inf;
- an alert whose condition, a comparison with a number, is always true: `increase(x[10m]) >= 0` fires on
  every series that exists, not on an increase.

Reported at the comparison operator (the `and`, the function or aggregation name).

Why: an alert on a comparison that is never true never fires; `count(up{job="mm-bot"}) == 0` is the
classic, and it does not catch the job disappearing.

Bad:

    expr: count(up{job="mm-bot"}) == 0

Good:

    expr: absent(up{job="mm-bot"})
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import promql_parser

from mmlint.problem import Finding, Severity
from mmlint.project import Project, Query
from mmlint.promql.bounds import COMPARISONS, FLIPPED, Interval, bounds, passing, possible
from mmlint.promql.nodes import aggregations, binaries, calls
from mmlint.promql.tree import number, unwrap

ID = "promql/impossible-comparison"
SEVERITY = Severity.WARNING
QUANTILE_CALLS = frozenset({"histogram_quantile", "quantile_over_time"})


# The comparison that holds exactly when `op` does not.
NEGATED = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "==": "!=", "!=": "=="}


def check(project: Project) -> Iterator[Finding]:
    conditions = {
        id(rule.query): rule.name for rule in project.rules() if rule.kind == "alert" and rule.query
    }
    # The same expression recurs across rule files, and what is found depends on its text alone, and on
    # whether it is an alert's condition.
    found_in: dict[tuple[str, str | None], list[tuple[int, str]]] = {}
    for query in project.queries():
        key = (query.text, conditions.get(id(query)))
        found = found_in.get(key)
        if found is None:
            found = found_in[key] = list(_problems(query, key[1]))
        for offset, message in found:
            yield Finding(query.location(offset), message)


def _problems(query: Query, alert: str | None) -> Iterator[tuple[int, str]]:
    """Each problem of the query as its offset in the text and its message; `alert` names the alert whose
    condition the query is."""
    top = unwrap(query.expr) if query.expr is not None else None
    for node, offset in binaries(query):
        message = _comparison(node) if str(node.op) in COMPARISONS else _conjunction(node)
        if message is None and node is top and alert is not None:
            message = _always_true(node, alert)
        if message is not None:
            yield offset, message
    yield from _quantiles(query)


def _always_true(node: promql_parser.BinaryExpr, alert: str) -> str | None:
    """An alert condition `expr op number` that no value of expr fails: the alert fires on every series."""
    op = str(node.op)
    if op not in COMPARISONS or (node.modifier is not None and node.modifier.return_bool):
        return None
    lhs, rhs = number(node.lhs), number(node.rhs)
    if (lhs is None) == (rhs is None):
        return None
    expr, value = (node.lhs, rhs) if rhs is not None else (node.rhs, lhs)
    op = op if rhs is not None else FLIPPED[op]
    assert value is not None
    interval = bounds(expr)
    # A constant side (`absent(x) == 1`) is how an alert on a sample's presence is written: no mistake.
    if (
        interval.empty
        or interval.lo == interval.hi
        or possible(NEGATED[op], interval, Interval(value, value))
    ):
        return None
    return (
        f"`{_short(expr)} {op} {_number(value)}` is always true: `{_short(expr)}` is {_describe(interval)}, "
        f"so alert `{alert}` fires on every series it sees"
    )


def _comparison(node: promql_parser.BinaryExpr) -> str | None:
    op, lhs, rhs = str(node.op), number(node.lhs), number(node.rhs)
    if lhs is not None and rhs is not None:
        result = int(possible(op, Interval(lhs, lhs), Interval(rhs, rhs)))
        written = f"{_short(node.lhs)} {op} bool {_short(node.rhs)}"
        return f"`{written}` compares two numbers: it is always {result}"
    left, right = bounds(node.lhs), bounds(node.rhs)
    if left.empty or right.empty or possible(op, left, right):
        return None
    sides = [(node.lhs, left), (node.rhs, right)]
    reason = " and ".join(f"`{_short(e)}` is {_describe(i)}" for e, i in sides if number(e) is None)
    return f"`{_short(node.lhs)} {op} {_short(node.rhs)}` can never be true: {reason}"


def _conjunction(node: promql_parser.BinaryExpr) -> str | None:
    """`A op1 c1 and A op2 c2` with conditions on the same A that no value meets."""
    if str(node.op) != "and" or (node.modifier is not None and node.modifier.matching is not None):
        return None
    left, right = _condition(node.lhs), _condition(node.rhs)
    if left is None or right is None or str(left[0]) != str(right[0]) or not left[1].meet(right[1]).empty:
        return None
    written = f"{_short(node.lhs)} and {_short(node.rhs)}"
    return f"`{written}` can never be true: no value of `{_short(left[0])}` meets both"


def _condition(expr: promql_parser.Expr) -> tuple[promql_parser.Expr, Interval] | None:
    """For a filtering comparison of an expression with a number: the expression and the values kept."""
    while isinstance(expr, promql_parser.ParenExpr):
        expr = expr.expr
    if not isinstance(expr, promql_parser.BinaryExpr) or str(expr.op) not in COMPARISONS:
        return None
    if expr.modifier is not None and expr.modifier.return_bool:
        return None
    op, lhs, rhs = str(expr.op), number(expr.lhs), number(expr.rhs)
    if rhs is not None and lhs is None:
        return expr.lhs, passing(op, Interval(rhs, rhs))
    if lhs is not None and rhs is None:
        return expr.rhs, passing(FLIPPED[op], Interval(lhs, lhs))
    return None


def _quantiles(query: Query) -> Iterator[tuple[int, str]]:
    found: list[tuple[str, promql_parser.Expr | None, int]] = [
        (node.func.name, node.args[0] if node.args else None, offset)
        for node, offset in calls(query)
        if node.func.name in QUANTILE_CALLS
    ]
    found += [(str(node.op), node.param, offset) for node, offset in aggregations(query)]
    for name, param, offset in found:
        quantile = name in QUANTILE_CALLS or name == "quantile"
        phi = number(param) if quantile and param is not None else None
        if phi is not None and not 0 <= phi <= 1:
            yield (
                offset,
                f"`{name}` with φ `{_number(phi)}` outside [0, 1] is always {'-' if phi < 0 else '+'}Inf",
            )


def _describe(interval: Interval) -> str:
    lo, hi = _number(interval.lo), _number(interval.hi)
    if interval.lo == interval.hi:
        return f"always {lo}"
    if interval.hi == math.inf:
        return f"{'above' if interval.lo_open else 'at least'} {lo}"
    if interval.lo == -math.inf:
        return f"{'below' if interval.hi_open else 'at most'} {hi}"
    return f"between {lo} and {hi}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return str(int(value)) if value.is_integer() else str(value)


def _short(expr: promql_parser.Expr) -> str:
    """A short name for a side of a comparison: `rate(...)`, `count(...)`, `0.5`, `x`."""
    value = number(expr)
    if value is not None:
        return _number(value)
    match expr:
        case promql_parser.Call():
            return f"{expr.func.name}(...)"
        case promql_parser.AggregateExpr():
            return f"{expr.op}(...)"
        case promql_parser.VectorSelector() if expr.name:
            return str(expr.name)
        case promql_parser.BinaryExpr():
            is_bool = expr.modifier is not None and expr.modifier.return_bool
            op = f"{expr.op} bool" if is_bool else str(expr.op)
            return f"{_short(expr.lhs)} {op} {_short(expr.rhs)}"
        case promql_parser.ParenExpr():
            return f"({_short(expr.expr)})"
    return "..."

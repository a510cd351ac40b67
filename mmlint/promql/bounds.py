"""What values an expression can take, as far as its shape alone proves: an interval every non-NaN sample
value of the expression lies in (NaN compares false with everything but `!=`, so a comparison the
interval rules out is false for NaN too).

Only what Prometheus's functions guarantee whatever the input is narrowed: `rate`, `increase` and
`irate` of a counter are never negative (they treat every drop as a reset), `count` is at least 1 (an
empty group yields no sample, not 0), `absent` is exactly 1, a `bool` comparison is 0 or 1, a comparison
without `bool` keeps only samples that pass it, and `x / x` is 1 and `x - x` is 0 (the same expression on
both sides, a copy-paste slip in a ratio). Everything else is unbounded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import promql_parser

from mmlint.promql.tree import number

INF = math.inf


@dataclass(frozen=True)
class Interval:
    lo: float = -INF
    hi: float = INF
    lo_open: bool = False
    hi_open: bool = False

    @property
    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open))

    def negated(self) -> Interval:
        return Interval(-self.hi, -self.lo, self.hi_open, self.lo_open)

    def meet(self, other: Interval) -> Interval:
        # The larger lower bound and the smaller upper bound; on a tie the open one.
        lo = max((self.lo, self.lo_open), (other.lo, other.lo_open))
        hi = min((self.hi, not self.hi_open), (other.hi, not other.hi_open))
        return Interval(lo[0], hi[0], lo[1], not hi[1])

    def hull(self, other: Interval) -> Interval:
        # The smaller lower bound and the larger upper bound; on a tie the closed one.
        lo = min((self.lo, self.lo_open), (other.lo, other.lo_open))
        hi = max((self.hi, not self.hi_open), (other.hi, not other.hi_open))
        return Interval(lo[0], hi[0], lo[1], not hi[1])


ANY = Interval()
NON_NEGATIVE = Interval(0.0)
AT_LEAST_ONE = Interval(1.0)
ONE = Interval(1.0, 1.0)
BOOLEAN = Interval(0.0, 1.0)
COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}

# Functions whose result is bounded whatever their argument.
CALLS = {
    "rate": NON_NEGATIVE,
    "increase": NON_NEGATIVE,
    "irate": NON_NEGATIVE,
    "changes": NON_NEGATIVE,
    "resets": NON_NEGATIVE,
    "abs": NON_NEGATIVE,
    "sqrt": NON_NEGATIVE,
    "exp": NON_NEGATIVE,
    "stddev_over_time": NON_NEGATIVE,
    "stdvar_over_time": NON_NEGATIVE,
    "count_over_time": AT_LEAST_ONE,
    "absent": ONE,
    "absent_over_time": ONE,
    "present_over_time": ONE,
}
# Functions whose samples are values of their argument at this index.
SAME_AS_ARGUMENT = {
    "avg_over_time": 0,
    "min_over_time": 0,
    "max_over_time": 0,
    "last_over_time": 0,
    "sort": 0,
    "sort_desc": 0,
    "label_replace": 0,
    "label_join": 0,
    "scalar": 0,
    "vector": 0,
}
AGGREGATIONS = {"count": AT_LEAST_ONE, "count_values": AT_LEAST_ONE, "group": ONE}
AGGREGATIONS |= {"stddev": NON_NEGATIVE, "stdvar": NON_NEGATIVE}
SAME_AS_OPERAND = frozenset({"avg", "min", "max", "topk", "bottomk"})


def is_scalar(expr: promql_parser.Expr) -> bool:
    match expr:
        case promql_parser.NumberLiteral():
            return True
        case promql_parser.ParenExpr() | promql_parser.UnaryExpr():
            return is_scalar(expr.expr)
        case promql_parser.Call():
            return str(expr.func.return_type).endswith("Scalar")
        case promql_parser.BinaryExpr():
            return is_scalar(expr.lhs) and is_scalar(expr.rhs)
    return False


def bounds(expr: promql_parser.Expr) -> Interval:
    """An interval holding every non-NaN value `expr` can produce (ANY when nothing is proven)."""
    try:
        return _bounds(expr)
    except RecursionError:
        return ANY


def _bounds(expr: promql_parser.Expr) -> Interval:
    value = number(expr)
    if value is not None:
        return ANY if math.isnan(value) else Interval(value, value)
    match expr:
        case promql_parser.ParenExpr():
            return _bounds(expr.expr)
        case promql_parser.UnaryExpr():
            return _bounds(expr.expr).negated()
        case promql_parser.Call():
            name = expr.func.name
            if name in CALLS:
                return CALLS[name]
            index = SAME_AS_ARGUMENT.get(name)
            return _bounds(expr.args[index]) if index is not None and len(expr.args) > index else ANY
        case promql_parser.AggregateExpr():
            return _aggregation(str(expr.op), expr.expr)
        case promql_parser.BinaryExpr():
            return _binary(expr)
    return ANY


def _aggregation(op: str, operand: promql_parser.Expr) -> Interval:
    if op in AGGREGATIONS:
        return AGGREGATIONS[op]
    if op in SAME_AS_OPERAND:
        return _bounds(operand)
    if op == "sum":
        # A group has at least one sample: a sum of values >= lo >= 0 is >= lo, likewise below hi <= 0.
        inner = _bounds(operand)
        lo = (inner.lo, inner.lo_open) if inner.lo >= 0 else (-INF, False)
        hi = (inner.hi, inner.hi_open) if inner.hi <= 0 else (INF, False)
        return Interval(lo[0], hi[0], lo[1], hi[1])
    return ANY


def _binary(expr: promql_parser.BinaryExpr) -> Interval:
    op = str(expr.op).lower()
    lhs, rhs = _bounds(expr.lhs), _bounds(expr.rhs)
    if op in COMPARISONS:
        if expr.modifier is not None and expr.modifier.return_bool:
            return BOOLEAN
        # Without bool a comparison filters; the samples kept are the vector side's (the lhs of two).
        if is_scalar(expr.lhs) and not is_scalar(expr.rhs):
            return rhs.meet(passing(FLIPPED[op], lhs))
        return lhs.meet(passing(op, rhs))
    if op in ("and", "unless"):
        return lhs
    if op == "or":
        return lhs.hull(rhs)
    if op in ("/", "-") and expr.modifier is None and str(expr.lhs) == str(expr.rhs):
        # The same expression on both sides: each sample meets itself (0/0 and Inf/Inf are NaN).
        return ONE if op == "/" else Interval(0.0, 0.0)
    if op in ("+", "-"):
        if op == "-":
            rhs = rhs.negated()
        lo, hi = lhs.lo + rhs.lo, lhs.hi + rhs.hi
        if math.isnan(lo) or math.isnan(hi):
            return ANY
        return Interval(lo, hi, lhs.lo_open or rhs.lo_open, lhs.hi_open or rhs.hi_open)
    if op in ("*", "/") and lhs.lo >= 0 and rhs.lo >= 0:
        return NON_NEGATIVE
    return ANY


def passing(op: str, other: Interval) -> Interval:
    """The values `v` for which `v op o` holds for some `o` in `other`."""
    match op:
        case ">":
            return Interval(other.lo, INF, True, False)
        case ">=":
            return Interval(other.lo, INF, other.lo_open, False)
        case "<":
            return Interval(-INF, other.hi, False, True)
        case "<=":
            return Interval(-INF, other.hi, False, other.hi_open)
        case "==":
            return other
    return ANY


def possible(op: str, lhs: Interval, rhs: Interval) -> bool:
    """Whether `l op r` holds for some `l` in `lhs` and `r` in `rhs`."""
    if op == "!=":
        return not (lhs.lo == lhs.hi == rhs.lo == rhs.hi)
    return not lhs.meet(passing(op, rhs)).empty

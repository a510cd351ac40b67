"""Binary operators: float arithmetic with Go's semantics, comparisons, vector matching and set operators,
as Prometheus's engine.go (scalarBinop, vectorElemBinop, VectorBinop, VectorAnd/Or/Unless, resultMetric)
defines them."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from mmlint.promql.functions_gomath import go_atan, go_div, go_exp, go_log
from mmlint.promql.values import (
    NAME,
    Labels,
    PromQLError,
    Sample,
    Vector,
    drop_name,
    format_labels,
    get_label,
)

ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "^", "atan2"})
COMPARISON = frozenset({"==", "!=", ">", "<", ">=", "<="})
SET_OPERATORS = frozenset({"and", "or", "unless"})


def go_mod(lhs: float, rhs: float) -> float:
    """Go's math.Mod: the sign of the dividend, NaN for x%0 and ±Inf%y, x for x%±Inf."""
    try:
        return math.fmod(lhs, rhs)
    except ValueError:
        return math.nan


def _is_odd_integer(y: float) -> bool:
    return math.isfinite(y) and y.is_integer() and int(y) % 2 == 1


def go_pow(x: float, y: float) -> float:
    """Go's math.Pow, step for step (its integer part is repeated squaring, so results can differ from
    C's pow in the last bit; Prometheus renders those bits in `$value`)."""
    if y == 0 or x == 1:
        return 1.0
    if y == 1:
        return x
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0:
        if y < 0:
            return math.copysign(math.inf, x) if _is_odd_integer(y) else math.inf
        return x if _is_odd_integer(y) else 0.0
    if math.isinf(y):
        if x == -1:
            return 1.0
        if (abs(x) < 1) == (y > 0):
            return 0.0
        return math.inf
    if math.isinf(x):
        if x < 0:
            return go_pow(1 / x, -y)  # Pow(-0, -y)
        return 0.0 if y < 0 else math.inf
    if y == 0.5:
        return math.sqrt(x) if x >= 0 else math.nan
    if y == -0.5:
        return 1 / math.sqrt(x) if x >= 0 else math.nan
    yf, yi = math.modf(abs(y))
    if yf != 0 and x < 0:
        return math.nan
    if yi >= 1 << 63:
        if x == -1:
            return 1.0
        if (abs(x) < 1) == (y > 0):
            return 0.0
        return math.inf
    a1, ae = 1.0, 0
    if yf != 0:
        if yf > 0.5:
            yf -= 1
            yi += 1
        a1 = go_exp(yf * go_log(x))
    x1, xe = math.frexp(x)
    i = int(yi)
    while i != 0:
        if xe < -(1 << 12) or xe > (1 << 12):
            # Catastrophic over- or underflow: Go lets Ldexp saturate.
            ae += xe
            break
        if i & 1 == 1:
            a1 *= x1
            ae += xe
        x1 *= x1
        xe <<= 1
        if x1 < 0.5:
            x1 += x1
            xe -= 1
        i >>= 1
    if y < 0:
        a1 = 1 / a1
        ae = -ae
    return _go_ldexp(a1, ae)


def _go_ldexp(frac: float, exp: int) -> float:
    try:
        return math.ldexp(frac, exp)
    except OverflowError:
        return math.copysign(math.inf, frac)


_THREE_PI_4 = 2.356194490192345  # Go's untyped constant 3*Pi/4, rounded once


def go_atan2(y: float, x: float) -> float:
    """Go's math.Atan2: its special cases, then Atan(y/x) moved to the right quadrant."""
    if math.isnan(y) or math.isnan(x):
        return math.nan
    if y == 0:
        return math.copysign(0.0, y) if x >= 0 and math.copysign(1.0, x) > 0 else math.copysign(math.pi, y)
    if x == 0:
        return math.copysign(math.pi / 2, y)
    if math.isinf(x):
        if x > 0:
            return math.copysign(math.pi / 4, y) if math.isinf(y) else math.copysign(0.0, y)
        return math.copysign(_THREE_PI_4, y) if math.isinf(y) else math.copysign(math.pi, y)
    if math.isinf(y):
        return math.copysign(math.pi / 2, y)
    q = go_atan(y / x)
    if x < 0:
        return q + math.pi if q <= 0 else q - math.pi
    return q


_ARITHMETIC_FUNCS: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": go_div,
    "%": go_mod,
    "^": go_pow,
    "atan2": go_atan2,
}
_COMPARISON_FUNCS: dict[str, Callable[[float, float], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
}


def scalar_binop(op: str, lhs: float, rhs: float) -> float:
    """Scalar <op> scalar; comparisons (which the parser only allows with `bool`) give 0 or 1."""
    if op in _COMPARISON_FUNCS:
        return 1.0 if _COMPARISON_FUNCS[op](lhs, rhs) else 0.0
    return _ARITHMETIC_FUNCS[op](lhs, rhs)


def element_binop(op: str, lhs: float, rhs: float) -> tuple[float, bool]:
    """vectorElemBinop: the value and whether to keep the element (comparisons filter, keeping lhs)."""
    compare = _COMPARISON_FUNCS.get(op)
    if compare is not None:
        return lhs, compare(lhs, rhs)
    return _ARITHMETIC_FUNCS[op](lhs, rhs), True


def drops_name(op: str, compat: int) -> bool:
    """Prometheus 2.42 drops the metric name for + - * / % ^ only; Prometheus 3 also for atan2."""
    return op in ("+", "-", "*", "/", "%", "^") or (op == "atan2" and compat >= 3)


def vector_scalar_binop(
    op: str, vector: Vector, scalar: float, *, swap: bool, return_bool: bool, compat: int
) -> Vector:
    """Vector <op> scalar, or scalar <op> vector when `swap` (VectorscalarBinop)."""
    out = Vector()
    drop = drops_name(op, compat) or return_bool
    for sample in vector:
        lv, rv = (scalar, sample.v) if swap else (sample.v, scalar)
        value, keep = element_binop(op, lv, rv)
        if op in COMPARISON and swap:
            # The vector element's value is the output even when the vector is on the right.
            value = rv
        if return_bool:
            value, keep = (1.0 if keep else 0.0), True
        if keep:
            labels = drop_name(sample.labels) if drop else sample.labels
            out.append(Sample(labels, sample.t, value))
    return out


@dataclass(frozen=True, slots=True)
class Matching:
    """How two vectors are matched: `card` is one-to-one, many-to-one, one-to-many or many-to-many;
    `on` says whether `labels` lists the matching labels (on) or the ignored ones (ignoring); `include`
    are the group_left/group_right labels copied from the "one" side."""

    card: str
    on: bool
    labels: tuple[str, ...]
    include: tuple[str, ...] = ()

    def signature(self, labels: Labels) -> Hashable:
        if self.on:
            return tuple(get_label(labels, name) for name in self.labels)
        ignored = {*self.labels, NAME}
        return tuple(pair for pair in labels if pair[0] not in ignored)

    def matched_labels(self, labels: Labels) -> Labels:
        """The labels a match group is reported by (Labels.MatchLabels)."""
        if self.on:
            return tuple(pair for pair in labels if pair[0] in self.labels)
        ignored = {*self.labels, NAME}
        return tuple(pair for pair in labels if pair[0] not in ignored)


def _result_labels(lhs: Labels, rhs: Labels, op: str, matching: Matching, compat: int) -> Labels:
    """resultMetric: labels of the many (or left) side, reduced for one-to-one matching, plus the
    group_x labels taken from the one side."""
    result = dict(lhs)
    if drops_name(op, compat):
        result.pop(NAME, None)
    if matching.card == "one-to-one":
        if matching.on:
            result = {name: value for name, value in result.items() if name in matching.labels}
        else:
            for name in matching.labels:
                result.pop(name, None)
    for name in matching.include:
        value = get_label(rhs, name)
        if value:
            result[name] = value
        else:
            result.pop(name, None)
    return tuple(sorted(result.items()))


_ONE_TO_ONE_DUPLICATE = (
    "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
)


def vector_binop(
    op: str, lhs: Vector, rhs: Vector, matching: Matching, *, return_bool: bool, compat: int, ts: int
) -> Vector:
    """Vector <op> vector for arithmetic and comparison operators (VectorBinop)."""
    if not lhs or not rhs:
        # Prometheus returns at once when a side is empty, before it looks for duplicate series.
        return Vector()
    if matching.card == "one-to-many":
        lhs, rhs = rhs, lhs
    right: dict[Hashable, Sample] = {}
    for sample in rhs:
        sig = matching.signature(sample.labels)
        duplicate = right.get(sig)
        if duplicate is not None:
            side = "left" if matching.card == "one-to-many" else "right"
            group = format_labels(matching.matched_labels(sample.labels))
            pair = f"[{format_labels(sample.labels)}, {format_labels(duplicate.labels)}]"
            raise PromQLError(
                f"found duplicate series for the match group {group} on the {side} hand-side of the "
                f"operation: {pair};many-to-many matching not allowed: matching labels must be unique on "
                "one side"
            )
        right[sig] = sample
    matched: dict[Hashable, set[Labels] | None] = {}
    out = Vector()
    for sample in lhs:
        sig = matching.signature(sample.labels)
        other = right.get(sig)
        if other is None:
            continue
        vl, vr = (other.v, sample.v) if matching.card == "one-to-many" else (sample.v, other.v)
        value, keep = element_binop(op, vl, vr)
        if return_bool:
            value = 1.0 if keep else 0.0
        elif not keep and compat < 3:
            # 2.42 filters before it checks the match; 3.x checks every match, filtered or not.
            continue
        labels = _result_labels(sample.labels, other.labels, op, matching, compat)
        if return_bool:
            labels = drop_name(labels)
        if matching.card == "one-to-one":
            if sig in matched:
                raise PromQLError(_ONE_TO_ONE_DUPLICATE)
            matched[sig] = None
        else:
            inserted = matched.setdefault(sig, set())
            assert inserted is not None
            if labels in inserted:
                raise PromQLError("multiple matches for labels: grouping labels must ensure unique matches")
            inserted.add(labels)
        if keep or return_bool:
            out.append(Sample(labels, ts, value))
    return out


def vector_and(lhs: Vector, rhs: Vector, matching: Matching) -> Vector:
    if not lhs or not rhs:
        return Vector()
    right = {matching.signature(sample.labels) for sample in rhs}
    return Vector(sample for sample in lhs if matching.signature(sample.labels) in right)


def vector_or(lhs: Vector, rhs: Vector, matching: Matching) -> Vector:
    if not lhs or not rhs:
        return Vector(lhs or rhs)
    left = {matching.signature(sample.labels) for sample in lhs}
    return Vector([*lhs, *(sample for sample in rhs if matching.signature(sample.labels) not in left)])


def vector_unless(lhs: Vector, rhs: Vector, matching: Matching) -> Vector:
    if not lhs or not rhs:
        return Vector(lhs)
    right = {matching.signature(sample.labels) for sample in rhs}
    return Vector(sample for sample in lhs if matching.signature(sample.labels) not in right)

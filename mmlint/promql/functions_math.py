"""Per-sample math functions (Prometheus promql/functions.go simpleFunc and friends): the metric name is
dropped, values follow Go's math package, whose special cases differ from Python's (Go returns NaN or
±Inf where Python raises, and Go computes log2/log10 from Log with its own constants)."""

from __future__ import annotations

import math
from collections.abc import Callable

from mmlint.promql.call import Call
from mmlint.promql.functions_output import map_values, scalar_arg, unique, vector_arg
from mmlint.promql.values import Sample, Scalar, Value, Vector, drop_name

# Go's untyped constants 1/Ln2 and 1/Ln10, rounded to float64 once (Python's 1/math.log(10) is one ulp off).
INV_LN2 = 1.4426950408889634
INV_LN10 = 0.4342944819032518


def go_div(a: float, b: float) -> float:
    """IEEE division as Go does it: x/0 is ±Inf (NaN for 0/0 and NaN/0) instead of an exception."""
    if b != 0:
        return a / b
    if a == 0 or math.isnan(a):
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def go_min(x: float, y: float) -> float:
    """math.Min: -Inf wins over NaN, NaN over numbers, -0 over +0."""
    if x == -math.inf or y == -math.inf:
        return -math.inf
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0 and y == 0:
        return x if math.copysign(1.0, x) < 0 else y
    return x if x < y else y


def go_max(x: float, y: float) -> float:
    """math.Max: +Inf wins over NaN, NaN over numbers, +0 over -0."""
    if x == math.inf or y == math.inf:
        return math.inf
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0 and y == 0:
        return y if math.copysign(1.0, x) < 0 else x
    return x if x > y else y


def go_floor(v: float) -> float:
    # Go keeps ±0, NaN and ±Inf as they are; Python's math.floor raises on the last two.
    if v == 0 or not math.isfinite(v):
        return v
    return float(math.floor(v))


def go_ceil(v: float) -> float:
    return -go_floor(-v)  # as Go defines it, so ceil(-0.5) is -0


def go_log(v: float) -> float:
    if math.isnan(v) or v < 0:
        return math.nan
    if v == 0:
        return -math.inf
    return math.log(v)


def go_log2(v: float) -> float:
    # Go: exact for powers of two, otherwise Log(frac)/Ln2 + exp.
    frac, exp = math.frexp(v)
    if frac == 0.5:
        return float(exp - 1)
    return go_log(frac) * INV_LN2 + exp


def go_log10(v: float) -> float:
    return go_log(v) * INV_LN10


def go_sqrt(v: float) -> float:
    return math.nan if v < 0 or math.isnan(v) else math.sqrt(v)


def go_exp(v: float) -> float:
    try:
        return math.exp(v)
    except OverflowError:
        return math.inf


def _domain(fn: Callable[[float], float]) -> Callable[[float], float]:
    """fn with NaN for arguments outside its domain (Go's trig functions), ±Inf on overflow."""

    def wrapped(v: float) -> float:
        try:
            return fn(v)
        except ValueError:
            return math.nan
        except OverflowError:
            return math.copysign(math.inf, v) if fn is math.sinh else math.inf

    return wrapped


def go_atanh(v: float) -> float:
    if v in (1.0, -1.0):
        return math.copysign(math.inf, v)
    return _domain(math.atanh)(v)


def _sgn(v: float) -> float:
    if v < 0:
        return -1.0
    if v > 0:
        return 1.0
    return v  # ±0 and NaN unchanged


def abs_(args: list[Value], call: Call) -> Value:
    """abs(v instant-vector) instant-vector"""
    return map_values(args, call, math.fabs)


def ceil(args: list[Value], call: Call) -> Value:
    """ceil(v instant-vector) instant-vector"""
    return map_values(args, call, go_ceil)


def floor(args: list[Value], call: Call) -> Value:
    """floor(v instant-vector) instant-vector"""
    return map_values(args, call, go_floor)


def exp(args: list[Value], call: Call) -> Value:
    """exp(v instant-vector) instant-vector"""
    return map_values(args, call, go_exp)


def sqrt(args: list[Value], call: Call) -> Value:
    """sqrt(v instant-vector) instant-vector"""
    return map_values(args, call, go_sqrt)


def ln(args: list[Value], call: Call) -> Value:
    """ln(v instant-vector) instant-vector"""
    return map_values(args, call, go_log)


def log2(args: list[Value], call: Call) -> Value:
    """log2(v instant-vector) instant-vector"""
    return map_values(args, call, go_log2)


def log10(args: list[Value], call: Call) -> Value:
    """log10(v instant-vector) instant-vector"""
    return map_values(args, call, go_log10)


def sgn(args: list[Value], call: Call) -> Value:
    """sgn(v instant-vector) instant-vector"""
    return map_values(args, call, _sgn)


def deg(args: list[Value], call: Call) -> Value:
    """deg(v instant-vector) instant-vector"""
    return map_values(args, call, lambda v: v * 180 / math.pi)


def rad(args: list[Value], call: Call) -> Value:
    """rad(v instant-vector) instant-vector"""
    return map_values(args, call, lambda v: v * math.pi / 180)


def _trig(name: str, fn: Callable[[float], float]) -> Callable[[list[Value], Call], Value]:
    def implementation(args: list[Value], call: Call) -> Value:
        return map_values(args, call, fn)

    implementation.__name__ = implementation.__qualname__ = name
    implementation.__doc__ = f"{name}(v instant-vector) instant-vector"
    return implementation


sin = _trig("sin", _domain(math.sin))
cos = _trig("cos", _domain(math.cos))
tan = _trig("tan", _domain(math.tan))
asin = _trig("asin", _domain(math.asin))
acos = _trig("acos", _domain(math.acos))
atan = _trig("atan", math.atan)
sinh = _trig("sinh", _domain(math.sinh))
cosh = _trig("cosh", _domain(math.cosh))
tanh = _trig("tanh", math.tanh)
asinh = _trig("asinh", math.asinh)
acosh = _trig("acosh", _domain(math.acosh))
atanh = _trig("atanh", go_atanh)


def pi(args: list[Value], call: Call) -> Value:
    """pi() scalar"""
    return Scalar(call.ts, math.pi)


def _clamped(vector: Vector, low: float, high: float, call: Call) -> Vector:
    if high < low:
        return Vector()  # Prometheus returns nothing for an empty interval
    return unique(Sample(drop_name(s.labels), call.ts, go_max(low, go_min(high, s.v))) for s in vector)


def clamp(args: list[Value], call: Call) -> Value:
    """clamp(v instant-vector, min scalar, max scalar) instant-vector"""
    return _clamped(vector_arg(args, 0), scalar_arg(args, 1), scalar_arg(args, 2), call)


def clamp_max(args: list[Value], call: Call) -> Value:
    """clamp_max(v instant-vector, max scalar) instant-vector"""
    # 2.42 computes Min(max, v) alone; 3.x clamps to [-Inf, max], which gives the same values.
    high = scalar_arg(args, 1)
    return unique(Sample(drop_name(s.labels), call.ts, go_min(high, s.v)) for s in vector_arg(args, 0))


def clamp_min(args: list[Value], call: Call) -> Value:
    """clamp_min(v instant-vector, min scalar) instant-vector"""
    low = scalar_arg(args, 1)
    return unique(Sample(drop_name(s.labels), call.ts, go_max(low, s.v)) for s in vector_arg(args, 0))


def round_(args: list[Value], call: Call) -> Value:
    """round(v instant-vector[, to_nearest scalar]) instant-vector"""
    to_nearest = scalar_arg(args, 1) if len(args) >= 2 else 1.0
    # Prometheus multiplies by the inverse ("fewer floating point accuracy issues") and breaks ties upwards.
    inverse = go_div(1.0, to_nearest)
    return map_values(args, call, lambda v: go_div(go_floor(v * inverse + 0.5), inverse))


def max_of(args: list[Value], call: Call) -> Value:
    """max_of(a scalar, b scalar) scalar"""
    return Scalar(call.ts, go_max(scalar_arg(args, 0), scalar_arg(args, 1)))


def min_of(args: list[Value], call: Call) -> Value:
    """min_of(a scalar, b scalar) scalar"""
    return Scalar(call.ts, go_min(scalar_arg(args, 0), scalar_arg(args, 1)))

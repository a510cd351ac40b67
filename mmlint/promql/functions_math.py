"""Per-sample math functions (Prometheus promql/functions.go simpleFunc and friends): the metric name is
dropped, values are computed as Go's math package computes them (mmlint.promql.functions_gomath)."""

from __future__ import annotations

import math
from collections.abc import Callable

from mmlint.promql.call import Call
from mmlint.promql.functions_gomath import (
    go_atan,
    go_ceil,
    go_div,
    go_exp,
    go_floor,
    go_log,
    go_log2,
    go_log10,
    go_max,
    go_min,
    go_sqrt,
)
from mmlint.promql.functions_gotrig import (
    go_acos,
    go_acosh,
    go_asin,
    go_asinh,
    go_atanh,
    go_cos,
    go_cosh,
    go_sin,
    go_sinh,
    go_tan,
    go_tanh,
)
from mmlint.promql.functions_output import map_samples, map_values, scalar_arg, vector_arg
from mmlint.promql.values import Scalar, Value, Vector


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


sin = _trig("sin", go_sin)
cos = _trig("cos", go_cos)
tan = _trig("tan", go_tan)
asin = _trig("asin", go_asin)
acos = _trig("acos", go_acos)
atan = _trig("atan", go_atan)


def sinh(args: list[Value], call: Call) -> Value:
    """sinh(v instant-vector) instant-vector"""
    return map_values(args, call, lambda v: go_sinh(v, go_1_19=call.compat < 3))


def cosh(args: list[Value], call: Call) -> Value:
    """cosh(v instant-vector) instant-vector"""
    return map_values(args, call, lambda v: go_cosh(v, go_1_19=call.compat < 3))


tanh = _trig("tanh", go_tanh)
asinh = _trig("asinh", go_asinh)
acosh = _trig("acosh", go_acosh)
atanh = _trig("atanh", go_atanh)


def pi(args: list[Value], call: Call) -> Value:
    """pi() scalar"""
    return Scalar(call.ts, math.pi)


def _clamped(vector: Vector, low: float, high: float, call: Call) -> Vector:
    if high < low:
        return Vector()  # Prometheus returns nothing for an empty interval
    return map_samples(vector, call, lambda s: go_max(low, go_min(high, s.v)))


def clamp(args: list[Value], call: Call) -> Value:
    """clamp(v instant-vector, min scalar, max scalar) instant-vector"""
    return _clamped(vector_arg(args, 0), scalar_arg(args, 1), scalar_arg(args, 2), call)


def clamp_max(args: list[Value], call: Call) -> Value:
    """clamp_max(v instant-vector, max scalar) instant-vector"""
    # 2.42 computes Min(max, v) alone; 3.x clamps to [-Inf, max], which gives the same values.
    high = scalar_arg(args, 1)
    return map_values(args, call, lambda v: go_min(high, v))


def clamp_min(args: list[Value], call: Call) -> Value:
    """clamp_min(v instant-vector, min scalar) instant-vector"""
    low = scalar_arg(args, 1)
    return map_values(args, call, lambda v: go_max(low, v))


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

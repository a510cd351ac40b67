"""The <aggregation>_over_time functions (Prometheus promql/functions.go aggrOverTime and friends): one value
per series from the points in its window, metric name dropped except by last_over_time and
first_over_time, with Prometheus's summation order and compensation."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from mmlint.promql.call import Call
from mmlint.promql.functions_gomath import go_max, go_min, go_sqrt
from mmlint.promql.functions_labels import absent_labels
from mmlint.promql.functions_output import matrix_arg, over_series, scalar_arg
from mmlint.promql.kahan import kahan_inc
from mmlint.promql.values import Sample, Series, Value, Vector


def _values(series: Series) -> list[float]:
    return [v for _, v in series.points]


def quantile(q: float, values: Sequence[float]) -> float:
    """Prometheus's quantile(): linear interpolation between the closest ranks of the sorted values (NaNs
    sort first); NaN for no values or q NaN, -Inf/+Inf for q below 0/above 1."""
    if not values or math.isnan(q):
        return math.nan
    if q < 0:
        return -math.inf
    if q > 1:
        return math.inf
    ordered = sorted(values, key=lambda v: (not math.isnan(v), v))
    n = float(len(ordered))
    rank = q * (n - 1)
    lower = go_max(0, math.floor(rank))
    upper = go_min(n - 1, lower + 1)
    weight = rank - math.floor(rank)
    return ordered[int(lower)] * (1 - weight) + ordered[int(upper)] * weight


def _avg_242(values: list[float]) -> float:
    # 2.42: an incremental mean with compensation that stays at ±Inf once it got there. kahan_inc is
    # written out (the same operations in the same order): windows of hundreds of points are common.
    mean = count = c = 0.0
    isinf = math.isinf
    for v in values:
        count += 1
        if isinf(mean):
            if isinf(v) and (mean > 0) == (v > 0):
                continue
            if not isinf(v) and not math.isnan(v):
                continue
        inc = v / count - mean / count
        t = mean + inc
        if abs(mean) >= abs(inc):
            c += (mean - t) + inc
        else:
            c += (inc - t) + mean
        mean = t
    return mean if isinf(mean) else mean + c


def _avg_3(values: list[float]) -> float:
    # 3.x: a compensated sum divided at the end, switching to an incremental mean if the sum overflows.
    total, count = values[0], 1.0
    mean = c = 0.0
    incremental = False
    for i, v in enumerate(values[1:]):
        count = float(i + 2)
        if not incremental:
            new_total, new_c = kahan_inc(v, total, c, compat=3)
            if not math.isinf(new_total):
                total, c = new_total, new_c
                continue
            incremental = True
            mean = total / (count - 1)
            c /= count - 1
        q = (count - 1) / count
        mean, c = kahan_inc(v / count, q * mean, q * c, compat=3)
    if incremental:
        return mean + c
    return total / count + c / count


def _sum(values: list[float], compat: int) -> float:
    if compat >= 3:
        total = c = 0.0
        for v in values:
            total, c = kahan_inc(v, total, c, compat=compat)
        return total if math.isinf(total) else total + c
    # 2.42's kahan_inc written out (the same operations in the same order), for long windows.
    total = c = 0.0
    for v in values:
        t = total + v
        if abs(total) >= abs(v):
            c += (total - t) + v
        else:
            c += (v - t) + total
        total = t
    return total if math.isinf(total) else total + c


def _variance(values: list[float], compat: int) -> float:
    # Welford's running mean and sum of squares, both compensated, as Prometheus computes them.
    count = mean = c_mean = aux = c_aux = 0.0
    for v in values:
        count += 1
        delta = v - (mean + c_mean)
        mean, c_mean = kahan_inc(delta / count, mean, c_mean, compat=compat)
        aux, c_aux = kahan_inc(delta * (v - (mean + c_mean)), aux, c_aux, compat=compat)
    return (aux + c_aux) / count


def _extreme(values: list[float], better: Callable[[float, float], bool]) -> float:
    best = values[0]
    for v in values:
        if better(v, best) or math.isnan(best):
            best = v
    return best


def _time_of_extreme(series: Series, better: Callable[[float, float], bool]) -> float:
    best_t, best = series.points[0]
    for t, v in series.points:
        if better(v, best) or math.isnan(best):
            best_t, best = t, v
    return float(best_t) / 1000


def _over_time(
    name: str, fn: Callable[[Series, Call], float], *, keep_name: bool = False
) -> Callable[[list[Value], Call], Value]:
    def implementation(args: list[Value], call: Call) -> Value:
        return over_series(matrix_arg(args, 0), call, lambda series: fn(series, call), keep_name=keep_name)

    implementation.__name__ = implementation.__qualname__ = name
    implementation.__doc__ = f"{name}(v range-vector) instant-vector"
    return implementation


avg_over_time = _over_time(
    "avg_over_time", lambda s, call: _avg_3(_values(s)) if call.compat >= 3 else _avg_242(_values(s))
)
count_over_time = _over_time("count_over_time", lambda s, _: float(len(s.points)))
sum_over_time = _over_time("sum_over_time", lambda s, call: _sum(_values(s), call.compat))
max_over_time = _over_time("max_over_time", lambda s, _: _extreme(_values(s), lambda v, best: v > best))
min_over_time = _over_time("min_over_time", lambda s, _: _extreme(_values(s), lambda v, best: v < best))
stdvar_over_time = _over_time("stdvar_over_time", lambda s, call: _variance(_values(s), call.compat))
stddev_over_time = _over_time("stddev_over_time", lambda s, call: go_sqrt(_variance(_values(s), call.compat)))
present_over_time = _over_time("present_over_time", lambda s, _: 1.0)
last_over_time = _over_time("last_over_time", lambda s, _: s.points[-1][1], keep_name=True)
first_over_time = _over_time("first_over_time", lambda s, _: s.points[0][1], keep_name=True)
ts_of_first_over_time = _over_time("ts_of_first_over_time", lambda s, _: float(s.points[0][0]) / 1000)
ts_of_last_over_time = _over_time("ts_of_last_over_time", lambda s, _: float(s.points[-1][0]) / 1000)
# Ties go to the latest sample (Prometheus 3 compares with >= and <=).
ts_of_max_over_time = _over_time("ts_of_max_over_time", lambda s, _: _time_of_extreme(s, lambda v, b: v >= b))
ts_of_min_over_time = _over_time("ts_of_min_over_time", lambda s, _: _time_of_extreme(s, lambda v, b: v <= b))


def _median_absolute_deviation(series: Series, call: Call) -> float:
    values = _values(series)
    if any(math.isnan(v) for v in values):
        return math.nan
    median = quantile(0.5, values)
    return quantile(0.5, [abs(v - median) for v in values])


mad_over_time = _over_time("mad_over_time", _median_absolute_deviation)


def quantile_over_time(args: list[Value], call: Call) -> Value:
    """quantile_over_time(q scalar, v range-vector) instant-vector"""
    q = scalar_arg(args, 0)
    return over_series(matrix_arg(args, 1), call, lambda series: quantile(q, _values(series)))


def absent_over_time(args: list[Value], call: Call) -> Value:
    """absent_over_time(v range-vector) instant-vector"""
    # One sample, labelled from the selector's equality matchers, when no series has a point in the window.
    if any(series.points for series in matrix_arg(args, 0)):
        return Vector()
    return Vector([Sample(absent_labels(call.exprs[0] if call.exprs else None), call.ts, 1.0)])

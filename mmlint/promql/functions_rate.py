"""Range-vector functions about change: rate, increase, delta (Prometheus's extrapolatedRate), irate and
idelta (instantValue), deriv and predict_linear (linearRegression), holt_winters (renamed
double_exponential_smoothing in Prometheus 3), resets and changes. Every series with too few points in the
window gives no output sample; the metric name is dropped."""

from __future__ import annotations

import itertools
import math

from mmlint.promql.call import Call
from mmlint.promql.functions_gomath import go_div
from mmlint.promql.functions_output import matrix_arg, over_series, scalar_arg
from mmlint.promql.kahan import kahan_inc
from mmlint.promql.values import PromQLError, Series, Value

Points = tuple[tuple[int, float], ...]


def range_seconds(call: Call) -> tuple[int, int, float]:
    """The window's start and end (ms) and its length in seconds as Go's Duration.Seconds() computes it."""
    if call.range_start is None or call.range_end is None:
        raise ValueError("a range-vector function was called without its window bounds")
    length = call.range_end - call.range_start
    return call.range_start, call.range_end, float(length // 1000) + float(length % 1000 * 1_000_000) / 1e9


def extrapolated_rate(points: Points, call: Call, *, is_counter: bool, is_rate: bool) -> float | None:
    """Prometheus's extrapolatedRate: the change over the window, corrected for counter resets and
    extrapolated towards the window's edges when the first/last sample is near them (within 1.1 average
    sample intervals), never below a counter's zero point."""
    if len(points) < 2:
        return None
    range_start, range_end, seconds = range_seconds(call)
    (first_t, first_v), (last_t, last_v) = points[0], points[-1]
    result = last_v - first_v
    if is_counter:
        previous = first_v
        for _, value in points[1:]:
            if value < previous:
                result += previous
            previous = value
    duration_to_start = float(first_t - range_start) / 1000
    duration_to_end = float(range_end - last_t) / 1000
    sampled_interval = float(last_t - first_t) / 1000
    average_interval = sampled_interval / float(len(points) - 1)
    threshold = average_interval * 1.1
    if call.compat >= 3:
        # 3.x caps the start at half an interval first, then at the counter's zero point.
        if duration_to_start >= threshold:
            duration_to_start = average_interval / 2
        if is_counter and result > 0 and first_v >= 0:
            duration_to_start = min(duration_to_start, sampled_interval * (first_v / result))
        if duration_to_end >= threshold:
            duration_to_end = average_interval / 2
        factor = (sampled_interval + duration_to_start + duration_to_end) / sampled_interval
    else:
        if is_counter and result > 0 and first_v >= 0:
            duration_to_zero = sampled_interval * (first_v / result)
            if duration_to_zero < duration_to_start:
                duration_to_start = duration_to_zero
        interval = sampled_interval
        interval += duration_to_start if duration_to_start < threshold else average_interval / 2
        interval += duration_to_end if duration_to_end < threshold else average_interval / 2
        factor = interval / sampled_interval
    if is_rate:
        factor /= seconds
    return result * factor


def rate(args: list[Value], call: Call) -> Value:
    """rate(v range-vector) instant-vector"""

    def value(series: Series) -> float | None:
        return extrapolated_rate(series.points, call, is_counter=True, is_rate=True)

    return over_series(matrix_arg(args, 0), call, value)


def increase(args: list[Value], call: Call) -> Value:
    """increase(v range-vector) instant-vector"""

    def value(series: Series) -> float | None:
        return extrapolated_rate(series.points, call, is_counter=True, is_rate=False)

    return over_series(matrix_arg(args, 0), call, value)


def delta(args: list[Value], call: Call) -> Value:
    """delta(v range-vector) instant-vector"""

    def value(series: Series) -> float | None:
        return extrapolated_rate(series.points, call, is_counter=False, is_rate=False)

    return over_series(matrix_arg(args, 0), call, value)


def instant_value(points: Points, *, is_rate: bool) -> float | None:
    """Prometheus's instantValue: from the last two samples; irate treats a decrease as a counter reset."""
    if len(points) < 2:
        return None
    (previous_t, previous_v), (last_t, last_v) = points[-2], points[-1]
    value = last_v if is_rate and last_v < previous_v else last_v - previous_v
    interval = last_t - previous_t
    if interval == 0:
        return None
    return value / (float(interval) / 1000) if is_rate else value


def irate(args: list[Value], call: Call) -> Value:
    """irate(v range-vector) instant-vector"""
    return over_series(matrix_arg(args, 0), call, lambda s: instant_value(s.points, is_rate=True))


def idelta(args: list[Value], call: Call) -> Value:
    """idelta(v range-vector) instant-vector"""
    return over_series(matrix_arg(args, 0), call, lambda s: instant_value(s.points, is_rate=False))


def linear_regression(points: Points, intercept_time: int, *, compat: int) -> tuple[float, float]:
    """Prometheus's linearRegression: least squares over (seconds since intercept_time, value) with
    compensated sums; the slope and the value at intercept_time. A constant series has slope 0 (NaN when
    the constant is infinite)."""
    n = 0.0
    sum_x = c_x = sum_y = c_y = sum_xy = c_xy = sum_x2 = c_x2 = 0.0
    first_y = points[0][1]
    constant = True
    for i, (t, v) in enumerate(points):
        if constant and i > 0 and v != first_y:
            constant = False
        n += 1.0
        x = float(t - intercept_time) / 1e3
        sum_x, c_x = kahan_inc(x, sum_x, c_x, compat=compat)
        sum_y, c_y = kahan_inc(v, sum_y, c_y, compat=compat)
        sum_xy, c_xy = kahan_inc(x * v, sum_xy, c_xy, compat=compat)
        sum_x2, c_x2 = kahan_inc(x * x, sum_x2, c_x2, compat=compat)
    if constant:
        if math.isinf(first_y):
            return math.nan, math.nan
        return 0.0, first_y
    sum_x += c_x
    sum_y += c_y
    sum_xy += c_xy
    sum_x2 += c_x2
    cov_xy = sum_xy - sum_x * sum_y / n
    var_x = sum_x2 - sum_x * sum_x / n
    slope = go_div(cov_xy, var_x)
    intercept = sum_y / n - slope * sum_x / n
    return slope, intercept


def deriv(args: list[Value], call: Call) -> Value:
    """deriv(v range-vector) instant-vector"""

    def slope(series: Series) -> float | None:
        if len(series.points) < 2:
            return None
        # The first sample's time as intercept keeps x small (prometheus#2674).
        return linear_regression(series.points, series.points[0][0], compat=call.compat)[0]

    return over_series(matrix_arg(args, 0), call, slope)


def predict_linear(args: list[Value], call: Call) -> Value:
    """predict_linear(v range-vector, t scalar) instant-vector"""
    duration = scalar_arg(args, 1)

    def predict(series: Series) -> float | None:
        if len(series.points) < 2:
            return None
        slope, intercept = linear_regression(series.points, call.ts, compat=call.compat)
        return slope * duration + intercept

    return over_series(matrix_arg(args, 0), call, predict)


def _go_percent_f(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return f"{value:f}"


def _smoothing(args: list[Value], call: Call) -> Value:
    smoothing, trend = scalar_arg(args, 1), scalar_arg(args, 2)

    def smooth(series: Series) -> float | None:
        # Prometheus validates the factors only when it has a series to smooth.
        if not 0 < smoothing < 1:
            raise PromQLError(
                f"invalid smoothing factor. Expected: 0 < sf < 1, got: {_go_percent_f(smoothing)}"
            )
        if not 0 < trend < 1:
            raise PromQLError(f"invalid trend factor. Expected: 0 < tf < 1, got: {_go_percent_f(trend)}")
        values = [v for _, v in series.points]
        if len(values) < 2:
            return None
        # Double exponential smoothing as Prometheus computes it (calcTrendValue's order of operations).
        s0, s1 = 0.0, values[0]
        b = values[1] - values[0]
        for i in range(1, len(values)):
            x = smoothing * values[i]
            if i > 1:
                b = trend * (s1 - s0) + (1 - trend) * b
            y = (1 - smoothing) * (s1 + b)
            s0, s1 = s1, x + y
        return s1

    return over_series(matrix_arg(args, 0), call, smooth)


def holt_winters(args: list[Value], call: Call) -> Value:
    """holt_winters(v range-vector, sf scalar, tf scalar) instant-vector"""
    return _smoothing(args, call)


def double_exponential_smoothing(args: list[Value], call: Call) -> Value:
    """double_exponential_smoothing(v range-vector, sf scalar, tf scalar) instant-vector"""
    return _smoothing(args, call)


def resets(args: list[Value], call: Call) -> Value:
    """resets(v range-vector) instant-vector"""

    def count(series: Series) -> float:
        values = [v for _, v in series.points]
        return float(sum(1 for previous, current in itertools.pairwise(values) if current < previous))

    return over_series(matrix_arg(args, 0), call, count)


def changes(args: list[Value], call: Call) -> Value:
    """changes(v range-vector) instant-vector"""

    def count(series: Series) -> float:
        values = [v for _, v in series.points]
        return float(
            sum(
                1
                for previous, current in itertools.pairwise(values)
                if current != previous and not (math.isnan(current) and math.isnan(previous))
            )
        )

    return over_series(matrix_arg(args, 0), call, count)

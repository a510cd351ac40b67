"""Histogram functions over classic buckets (series with an `le` label), as Prometheus's
promql/quantile.go computes them: histogram_quantile, and in Prometheus 3 histogram_quantiles and
histogram_fraction. The native-histogram functions (histogram_count, histogram_sum, and 3.x's
histogram_avg/stddev/stdvar) skip float samples, so on mmlint's float-only data they return nothing."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from mmlint.promql.call import Call
from mmlint.promql.functions_gomath import go_div
from mmlint.promql.functions_output import drop_metric_name, scalar_arg, string_arg, unique, vector_arg
from mmlint.promql.values import Labels, Sample, Value, Vector, get_label

BUCKET_LABEL = "le"
# Prometheus 3 treats bucket counts this close (relative) as equal: float noise, not a decrease.
SMALL_DELTA_TOLERANCE = 1e-12
_MIN_NORMAL = 2.2250738585072014e-308

_DECIMAL = re.compile(r"[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)([eE][+-]?\d+)?")


@functools.lru_cache(maxsize=1024)
def parse_go_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64), or None when Go rejects it (including values out of float64 range)."""
    lowered = text.lower()
    if lowered.lstrip("+-") in ("inf", "infinity") and len(lowered) - len(lowered.lstrip("+-")) <= 1:
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == "nan":  # Go accepts no sign on NaN
        return math.nan
    try:
        if lowered.lstrip("+-").startswith("0x"):
            # Go's hexadecimal floats need a p exponent.
            value = float.fromhex(text.replace("_", "")) if "p" in lowered else None
        else:
            value = float(text) if _DECIMAL.fullmatch(text) else None
    except (ValueError, OverflowError):
        return None
    return None if value is None or math.isinf(value) else value


@dataclass
class _Histogram:
    labels: Labels
    buckets: list[tuple[float, float]] = field(default_factory=list)  # (upper bound, count)


def _classic_histograms(vector: Vector, call: Call) -> list[_Histogram]:
    """Bucket samples grouped by their labels without `le`, in first-seen order; samples without a
    parseable `le` are skipped. A group's labels lose `le` and the metric name."""
    groups: dict[Labels, _Histogram] = {}
    for sample in vector:
        upper = parse_go_float(get_label(sample.labels, BUCKET_LABEL))
        if upper is None:
            continue
        key = tuple(pair for pair in sample.labels if pair[0] != BUCKET_LABEL)
        if key not in groups:
            groups[key] = _Histogram(drop_metric_name(key, call))
        groups[key].buckets.append((upper, sample.v))
    return list(groups.values())


def _coalesce(buckets: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sorted by upper bound, buckets with the same bound merged (summing their counts)."""
    out: list[tuple[float, float]] = []
    for upper, count in sorted(buckets, key=lambda b: b[0]):
        if out and out[-1][0] == upper:
            out[-1] = (upper, out[-1][1] + count)
        else:
            out.append((upper, count))
    return out


def _almost_equal(a: float, b: float, epsilon: float) -> bool:
    if (math.isnan(a) and math.isnan(b)) or a == b:
        return True
    total = abs(a) + abs(b)
    diff = abs(a - b)
    if a == 0 or b == 0 or total < _MIN_NORMAL:
        return diff < epsilon * _MIN_NORMAL
    return diff / min(total, 1.7976931348623157e308) < epsilon


def _monotonic(buckets: list[tuple[float, float]], compat: int) -> list[tuple[float, float]]:
    """Counts made non-decreasing: rate()d buckets scraped non-atomically can dip, which would break the
    binary search. Prometheus 3 also flattens differences within SMALL_DELTA_TOLERANCE."""
    out = [buckets[0]]
    highest = buckets[0][1]
    for upper, count in buckets[1:]:
        if compat >= 3:
            if count != highest and (_almost_equal(highest, count, SMALL_DELTA_TOLERANCE) or count < highest):
                count = highest
            highest = count
        elif count > highest:
            highest = count
        elif count < highest:
            count = highest
        out.append((upper, count))
    return out


def _search(n: int, predicate: Callable[[int], bool]) -> int:
    # Go's sort.Search, step for step: a NaN count makes the predicate non-monotonic.
    low, high = 0, n
    while low < high:
        middle = (low + high) // 2
        if predicate(middle):
            high = middle
        else:
            low = middle + 1
    return low


def bucket_quantile(q: float, raw: list[tuple[float, float]], *, compat: int = 2) -> float:
    """Prometheus's bucketQuantile: linear interpolation inside the bucket holding rank q*count; the lowest
    bucket starts at 0 unless its bound is not positive; a rank in the +Inf bucket gives the second-highest
    bound. NaN without a +Inf bucket, with fewer than two buckets or no observations."""
    if math.isnan(q):
        return math.nan
    if q < 0:
        return -math.inf
    if q > 1:
        return math.inf
    buckets = _coalesce(raw) if raw else []
    if not buckets or not math.isinf(buckets[-1][0]) or buckets[-1][0] < 0:
        return math.nan
    buckets = _monotonic(buckets, compat)
    if len(buckets) < 2:
        return math.nan
    observations = buckets[-1][1]
    if observations == 0:
        return math.nan
    rank = q * observations
    b = _search(len(buckets) - 1, lambda i: buckets[i][1] >= rank)
    if b == len(buckets) - 1:
        return buckets[-2][0]
    if b == 0 and buckets[0][0] <= 0:
        return buckets[0][0]
    start, end, count = 0.0, buckets[b][0], buckets[b][1]
    if b > 0:
        start = buckets[b - 1][0]
        count -= buckets[b - 1][1]
        rank -= buckets[b - 1][1]
    return start + (end - start) * go_div(rank, count)


def _interpolate(v: float, bound: float, top: float, rank: float, cumulative: float) -> float:
    # No interpolation inside a bucket reaching down to -Inf: it counts whole, as the +Inf one counts nothing.
    if bound == -math.inf:
        return cumulative
    return rank + (cumulative - rank) * (v - bound) / (top - bound)


def bucket_fraction(lower: float, upper: float, raw: list[tuple[float, float]]) -> float:
    """Prometheus 3's BucketFraction: the share of observations between lower and upper, interpolating
    linearly inside buckets (not inside a bucket with an infinite bound)."""
    buckets = _coalesce(raw)
    if not math.isinf(buckets[-1][0]) or buckets[-1][0] < 0:
        return math.nan
    count = buckets[-1][1]
    if count == 0 or math.isnan(lower) or math.isnan(upper):
        return math.nan
    if lower >= upper:
        return 0.0
    rank = 0.0
    lower_rank: float | None = None
    upper_rank: float | None = None
    bound = 0.0 if buckets[0][0] > 0 else -math.inf
    for i, (top, cumulative) in enumerate(buckets):
        if i > 0:
            bound = buckets[i - 1][0]
        if lower_rank is None and bound >= lower:
            lower_rank = rank
        if upper_rank is None and bound >= upper:
            upper_rank = rank
        if lower_rank is not None and upper_rank is not None:
            break
        if lower_rank is None and bound < lower < top:
            lower_rank = _interpolate(lower, bound, top, rank, cumulative)
        if upper_rank is None and bound < upper < top:
            upper_rank = _interpolate(upper, bound, top, rank, cumulative)
        if lower_rank is not None and upper_rank is not None:
            break
        rank = cumulative
    if lower_rank is None or lower_rank > count:
        lower_rank = count
    if upper_rank is None or upper_rank > count:
        upper_rank = count
    return (upper_rank - lower_rank) / count


def histogram_quantile(args: list[Value], call: Call) -> Value:
    """histogram_quantile(q scalar, b instant-vector) instant-vector"""
    q = scalar_arg(args, 0)
    return unique(
        Sample(h.labels, call.ts, bucket_quantile(q, h.buckets, compat=call.compat))
        for h in _classic_histograms(vector_arg(args, 1), call)
    )


def format_openmetrics_float(value: float) -> str:
    """labels.FormatOpenMetricsFloat: Go's shortest %g (exponent form below 1e-4 and from 1e6 up), with
    `.0` added when that has neither a point nor an exponent."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "0.0"
    sign, digit_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple))
    point = len(digits) + exponent  # where the decimal point goes, Go's decimal.dp
    if not -4 <= point - 1 < 6:
        text = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        text += f"e{'-' if point - 1 < 0 else '+'}{abs(point - 1):02d}"
    elif point <= 0:
        text = "0." + "0" * -point + digits
    elif point >= len(digits):
        text = digits + "0" * (point - len(digits))
    else:
        text = digits[:point] + "." + digits[point:]
    text = ("-" if sign else "") + text
    return text if "e" in text or "." in text else text + ".0"


def histogram_quantiles(args: list[Value], call: Call) -> Value:
    """histogram_quantiles(b instant-vector, label string, q scalar, q scalar...) instant-vector"""
    label = string_arg(args, 1)
    quantiles = [scalar_arg(args, i) for i in range(2, len(args))]
    histograms = _classic_histograms(vector_arg(args, 0), call)
    out = []
    for q in quantiles:
        q_text = format_openmetrics_float(q)
        for h in histograms:
            labels = tuple(sorted([*(pair for pair in h.labels if pair[0] != label), (label, q_text)]))
            out.append(Sample(labels, call.ts, bucket_quantile(q, h.buckets, compat=call.compat)))
    return unique(out)


def histogram_fraction(args: list[Value], call: Call) -> Value:
    """histogram_fraction(lower scalar, upper scalar, b instant-vector) instant-vector"""
    if call.compat < 3:
        return Vector()  # 2.42 computes it for native histograms only
    lower, upper = scalar_arg(args, 0), scalar_arg(args, 1)
    return unique(
        Sample(h.labels, call.ts, bucket_fraction(lower, upper, h.buckets))
        for h in _classic_histograms(vector_arg(args, 2), call)
    )


def _native_only(name: str) -> Callable[[list[Value], Call], Value]:
    def implementation(args: list[Value], call: Call) -> Value:
        vector_arg(args, 0)
        return Vector()  # every sample is a float sample, which these functions skip

    implementation.__name__ = implementation.__qualname__ = name
    implementation.__doc__ = f"{name}(v instant-vector) instant-vector"
    return implementation


histogram_count = _native_only("histogram_count")
histogram_sum = _native_only("histogram_sum")
histogram_avg = _native_only("histogram_avg")
histogram_stddev = _native_only("histogram_stddev")
histogram_stdvar = _native_only("histogram_stdvar")

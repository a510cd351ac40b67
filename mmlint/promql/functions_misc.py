"""Conversions, time and ordering: vector, scalar, time, timestamp, absent, sort, sort_desc, the Prometheus 3
sort_by_label(_desc), and the date functions (Prometheus promql/functions.go dateWrapper)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import cmp_to_key

from mmlint.promql.call import Call
from mmlint.promql.functions_labels import absent_labels
from mmlint.promql.functions_output import map_samples, map_values, scalar_arg, string_arg, vector_arg
from mmlint.promql.values import Sample, Scalar, Value, Vector, get_label


def vector(args: list[Value], call: Call) -> Value:
    """vector(s scalar) instant-vector"""
    return Vector([Sample((), call.ts, scalar_arg(args, 0))])


def scalar(args: list[Value], call: Call) -> Value:
    """scalar(v instant-vector) scalar"""
    samples = vector_arg(args, 0)
    return Scalar(call.ts, samples[0].v if len(samples) == 1 else math.nan)


def time(args: list[Value], call: Call) -> Value:
    """time() scalar"""
    return Scalar(call.ts, float(call.ts) / 1000)


def timestamp(args: list[Value], call: Call) -> Value:
    """timestamp(v instant-vector) instant-vector"""
    # Sample.t is the sample's own time when the argument is a plain selector (the engine selects it so, as
    # Prometheus special-cases timestamp()), otherwise the evaluation time.
    return map_samples(vector_arg(args, 0), call, lambda s: float(s.t) / 1000)


def absent(args: list[Value], call: Call) -> Value:
    """absent(v instant-vector) instant-vector"""
    if vector_arg(args, 0):
        return Vector()
    return Vector([Sample(absent_labels(call.exprs[0] if call.exprs else None), call.ts, 1.0)])


def sort(args: list[Value], call: Call) -> Value:
    """sort(v instant-vector) instant-vector"""
    # Ascending, NaN last (Prometheus sorts descending with NaN first and reverses).
    return Vector(sorted(vector_arg(args, 0), key=lambda s: (math.isnan(s.v), s.v)))


def sort_desc(args: list[Value], call: Call) -> Value:
    """sort_desc(v instant-vector) instant-vector"""
    return Vector(sorted(vector_arg(args, 0), key=lambda s: (math.isnan(s.v), -s.v)))


_CHUNK = re.compile(r"[0-9]+|[^0-9]+")  # Go's \d is ASCII only
_MAX_INT64 = 2**63 - 1


def natural_less(a: str, b: str) -> bool:
    """facette/natsort's Compare, which Prometheus 3's sort_by_label uses: chunk by runs of digits and
    non-digits, compare digit runs as numbers and the rest as strings."""
    chunks_a, chunks_b = _CHUNK.findall(a), _CHUNK.findall(b)
    for i, chunk_a in enumerate(chunks_a):
        if i >= len(chunks_b):
            return False
        chunk_b = chunks_b[i]
        # strconv.Atoi: digit runs that overflow int64 compare as strings.
        if _numeric(chunk_a) and _numeric(chunk_b):
            if int(chunk_a) != int(chunk_b):
                return bool(int(chunk_a) < int(chunk_b))
        elif chunk_a != chunk_b:
            return bool(chunk_a < chunk_b)
        if i == len(chunks_a) - 1:
            return True
        if i == len(chunks_b) - 1:
            return False
    return False


def _numeric(chunk: str) -> bool:
    return chunk[0].isdigit() and int(chunk) <= _MAX_INT64


def _by_labels(names: list[str], descending: bool) -> Callable[[Sample, Sample], int]:
    def compare(a: Sample, b: Sample) -> int:
        for name in names:
            value_a, value_b = get_label(a.labels, name), get_label(b.labels, name)
            if value_a != value_b:
                less = natural_less(value_a, value_b)
                return (1 if less else -1) if descending else (-1 if less else 1)
        # Ties fall back to comparing the whole label sets (labels.Compare).
        order = (a.labels > b.labels) - (a.labels < b.labels)
        return -order if descending else order

    return compare


def sort_by_label(args: list[Value], call: Call) -> Value:
    """sort_by_label(v instant-vector, label string...) instant-vector"""
    names = [string_arg(args, i) for i in range(1, len(args))]
    return Vector(sorted(vector_arg(args, 0), key=cmp_to_key(_by_labels(names, descending=False))))


def sort_by_label_desc(args: list[Value], call: Call) -> Value:
    """sort_by_label_desc(v instant-vector, label string...) instant-vector"""
    names = [string_arg(args, i) for i in range(1, len(args))]
    return Vector(sorted(vector_arg(args, 0), key=cmp_to_key(_by_labels(names, descending=True))))


def _go_int64(v: float) -> int:
    # Go's float64 -> int64 on amd64: truncation, and the minimum int64 for NaN and out-of-range values.
    if math.isnan(v) or not -(2.0**63) <= v < 2.0**63:
        return -(2**63)
    return int(v)


Civil = tuple[int, int, int, int, int, int, int]


# Go's time package counts from an "absolute" zero year, -292277022399, in unsigned 64-bit seconds; Unix
# seconds become absolute ones by adding this offset, wrapping around 2**64 (which is what year(Inf) shows).
_UNIX_TO_ABSOLUTE = 9223372028715321600
_DAYS_400, _DAYS_100, _DAYS_4 = 146097, 36524, 1461
_ABSOLUTE_ZERO_YEAR = -292277022399


def civil(seconds: int) -> Civil:
    """(year, month, day, hour, minute, weekday with Sunday 0, day of year) of Unix `seconds` in UTC, as Go
    1.19's time package computes them (its absDate, absClock and absWeekday)."""
    absolute = (seconds + _UNIX_TO_ABSOLUTE) % 2**64
    second_of_day = absolute % 86400
    weekday = (absolute + 86400) % 2**64 % 604800 // 86400  # the absolute zero day was a Monday
    d = absolute // 86400
    n = d // _DAYS_400
    y, d = 400 * n, d - _DAYS_400 * n
    n = d // _DAYS_100
    n -= n >> 2  # the last day of a 400-year cycle
    y, d = y + 100 * n, d - _DAYS_100 * n
    n = d // _DAYS_4
    y, d = y + 4 * n, d - _DAYS_4 * n
    n = d // 365
    n -= n >> 2  # the last day of a 4-year cycle
    y, d = y + n, d - 365 * n
    year, day_of_year = y + _ABSOLUTE_ZERO_YEAR, d
    day = day_of_year
    if _leap(year) and day >= 31 + 28:
        if day == 31 + 28:
            return year, 2, 29, second_of_day // 3600, second_of_day % 3600 // 60, weekday, day_of_year + 1
        day -= 1
    month = day // 31  # an estimate, at most one month low
    if day >= _CUMULATIVE_DAYS[month + 1]:
        month += 1
    day = day - _CUMULATIVE_DAYS[month] + 1
    return year, month + 1, day, second_of_day // 3600, second_of_day % 3600 // 60, weekday, day_of_year + 1


_CUMULATIVE_DAYS = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    return 29 if month == 2 and _leap(year) else _MONTH_DAYS[month - 1]


def _date_function(
    name: str, field: Callable[[tuple[int, ...]], int]
) -> Callable[[list[Value], Call], Value]:
    def implementation(args: list[Value], call: Call) -> Value:
        # Without an argument: the evaluation time, as vector(time()).
        if not args:
            seconds = call.ts // 1000 if call.ts >= 0 else -(-call.ts // 1000)  # Go's / truncates
            return Vector([Sample((), call.ts, float(field(civil(seconds))))])
        return map_values(args, call, lambda v: float(field(civil(_go_int64(v)))))

    implementation.__name__ = implementation.__qualname__ = name
    implementation.__doc__ = f"{name}([v instant-vector]) instant-vector"
    return implementation


year = _date_function("year", lambda c: c[0])
month = _date_function("month", lambda c: c[1])
day_of_month = _date_function("day_of_month", lambda c: c[2])
hour = _date_function("hour", lambda c: c[3])
minute = _date_function("minute", lambda c: c[4])
day_of_week = _date_function("day_of_week", lambda c: c[5])
day_of_year = _date_function("day_of_year", lambda c: c[6])
days_in_month = _date_function("days_in_month", lambda c: _days_in_month(c[0], c[1]))

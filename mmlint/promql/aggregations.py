"""Aggregation operators, as Prometheus 2.42's engine.go `aggregation` computes them: same grouping, same
order of float operations (avg and stddev are running means), same heap for topk/bottomk so that ties
come out in Prometheus's order. Under compat 3, sum and avg use Prometheus 3's compensated (Kahan) sums
and stddev/stdvar of a NaN or infinite first sample is NaN, as 3.x computes them."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from mmlint.promql.kahan import kahan_inc
from mmlint.promql.values import NAME, Labels, PromQLError, Sample, Vector, quote

_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")
# Go's maxInt64 and minInt64 as float64 constants in engine.go.
MAX_INT64_FLOAT = 9223372036854774784.0
MIN_INT64_FLOAT = -9223372036854775808.0


def format_value(value: float) -> str:
    """Go's strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def group_labels(labels: Labels, grouping: tuple[str, ...], without: bool) -> Labels:
    if without:
        dropped = {*grouping, NAME}
        return tuple(pair for pair in labels if pair[0] not in dropped)
    return tuple(pair for pair in labels if pair[0] in grouping)


# Go's container/heap over vectorByValueHeap (Less: NaN first, then ascending) and its reverse.
Less = Callable[[Sample, Sample], bool]


def _value_less(a: Sample, b: Sample) -> bool:
    return math.isnan(a.v) or a.v < b.v


def _reverse_value_less(a: Sample, b: Sample) -> bool:
    return math.isnan(a.v) or a.v > b.v


def _heap_up(heap: list[Sample], j: int, less: Less) -> None:
    while True:
        i = (j - 1) // 2
        if i == j or j <= 0 or not less(heap[j], heap[i]):
            break
        heap[i], heap[j] = heap[j], heap[i]
        j = i


def _heap_down(heap: list[Sample], i0: int, n: int, less: Less) -> None:
    i = i0
    while True:
        j1 = 2 * i + 1
        if j1 >= n or j1 < 0:
            break
        j = j1
        j2 = j1 + 1
        if j2 < n and less(heap[j2], heap[j1]):
            j = j2
        if not less(heap[j], heap[i]):
            break
        heap[i], heap[j] = heap[j], heap[i]
        i = j


def _heap_push(heap: list[Sample], sample: Sample, less: Less) -> None:
    heap.append(sample)
    _heap_up(heap, len(heap) - 1, less)


def _heap_pop(heap: list[Sample], less: Less) -> None:
    n = len(heap) - 1
    heap[0], heap[n] = heap[n], heap[0]
    _heap_down(heap, 0, n, less)
    heap.pop()


def _sort_reverse(heap: list[Sample], less: Less) -> list[Sample]:
    """sort.Sort(sort.Reverse(heap)); Go sorts short slices (all topk results in practice) by insertion,
    which this reproduces; longer ones get a stable sort, which may order ties differently."""
    items = list(heap)
    if len(items) <= 12:
        for i in range(1, len(items)):
            j = i
            while j > 0 and less(items[j - 1], items[j]):
                items[j], items[j - 1] = items[j - 1], items[j]
                j -= 1
        return items
    nan_first = less is _value_less
    return sorted(items, key=lambda s: (not math.isnan(s.v), s.v) if nan_first else (math.isnan(s.v), -s.v))


def quantile(q: float, values: list[float]) -> float:
    """Prometheus's quantile(): linear interpolation between the closest ranks; q outside [0, 1] gives
    -Inf or +Inf."""
    if not values or math.isnan(q):
        return math.nan
    if q < 0:
        return -math.inf
    if q > 1:
        return math.inf
    ordered = sorted(values, key=lambda v: (not math.isnan(v), v))
    n = len(ordered)
    rank = q * (n - 1)
    lower = max(0.0, math.floor(rank))
    upper = min(n - 1.0, lower + 1)
    weight = rank - math.floor(rank)
    return ordered[int(lower)] * (1 - weight) + ordered[int(upper)] * weight


@dataclass(slots=True)
class _Group:
    labels: Labels
    value: float
    mean: float
    count: int = 1
    samples: list[Sample] = field(default_factory=list)
    compensation: float = 0.0  # Kahan compensation of `value` (or of `mean` once incremental), compat 3
    incremental_mean: bool = False  # compat 3's avg switched to a running mean after the sum overflowed


def _add_v3(op: str, group: _Group, v: float) -> None:
    """sum and avg as Prometheus 3 adds a sample."""
    if op == "sum":
        group.value, group.compensation = kahan_inc(v, group.value, group.compensation, compat=3)
        return
    group.count += 1
    if not group.incremental_mean:
        total, compensation = kahan_inc(v, group.value, group.compensation, compat=3)
        if not math.isinf(total):
            group.value, group.compensation = total, compensation
            return
        group.incremental_mean = True
        group.mean = group.value / (group.count - 1)
        group.compensation /= group.count - 1
    q = (group.count - 1) / group.count
    group.mean, group.compensation = kahan_inc(
        v / group.count, q * group.mean, q * group.compensation, compat=3
    )


def _add(op: str, group: _Group, sample: Sample, k: int, compat: int) -> None:
    v = sample.v
    if compat >= 3 and op in ("sum", "avg"):
        _add_v3(op, group, v)
    elif op == "sum":
        group.value += v
    elif op == "avg":
        group.count += 1
        if math.isinf(group.mean):
            if math.isinf(v) and (group.mean > 0) == (v > 0):
                return
            if not math.isinf(v) and not math.isnan(v):
                return
        # Each side of the `-` divided by the count, as Prometheus does to avoid overflow.
        group.mean += v / group.count - group.mean / group.count
    elif op == "max":
        if group.value < v or math.isnan(group.value):
            group.value = v
    elif op == "min":
        if group.value > v or math.isnan(group.value):
            group.value = v
    elif op in ("count", "count_values"):
        group.count += 1
    elif op in ("stddev", "stdvar"):
        group.count += 1
        delta = v - group.mean
        group.mean += delta / group.count
        group.value += delta * (v - group.mean)
    elif op in ("topk", "bottomk"):
        less = _value_less if op == "topk" else _reverse_value_less
        heap = group.samples
        top = heap[0].v
        better = top < v if op == "topk" else top > v
        if len(heap) < k or better or math.isnan(top):
            if len(heap) == k:
                if k == 1:
                    heap[0] = sample
                    return
                _heap_pop(heap, less)
            _heap_push(heap, sample, less)
    elif op == "quantile":
        group.samples.append(sample)


def go_format_v(value: float) -> str:
    """A float as Go's %v prints it: shortest digits, an exponent below 1e-4 and from 1e21 up."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0 or 1e-4 <= abs(value) < 1e21:
        return format_value(value)
    return repr(value)


def _k(param: float, compat: int) -> int:
    """topk/bottomk's k, checked as Prometheus checks it; 0 when no element can be returned."""
    if compat >= 3:
        if param < 1:
            return 0
        if math.isnan(param):
            raise PromQLError("Parameter value is NaN")
        if param >= MAX_INT64_FLOAT:
            raise PromQLError(f"Scalar value {go_format_v(param)} overflows int64")
    elif math.isnan(param) or not MIN_INT64_FLOAT <= param <= MAX_INT64_FLOAT:
        raise PromQLError(f"Scalar value {go_format_v(param)} overflows int64")
    return max(0, int(param))


def aggregate(
    op: str,
    vector: Vector,
    *,
    grouping: tuple[str, ...],
    without: bool,
    param: float | str | None,
    ts: int,
    compat: int = 2,
) -> Vector:
    """`op` over `vector` grouped by (or without) `grouping`; `param` is topk/bottomk's k, quantile's phi
    or count_values' label name."""
    k = 0
    if op in ("topk", "bottomk"):
        k = _k(float(param or 0), compat)
        if k < 1:
            return Vector()
    value_label = ""
    if op == "count_values":
        value_label = str(param)
        if not _LABEL_NAME.match(value_label):
            raise PromQLError(f"invalid label name {quote(value_label)}")
        if not without:
            grouping = (*grouping, value_label)
    groups: dict[Labels, _Group] = {}
    for sample in vector:
        labels = sample.labels
        if op == "count_values":
            pairs = dict(labels)
            pairs[value_label] = format_value(sample.v)
            labels = tuple(sorted(pairs.items()))
        key = group_labels(labels, grouping, without)
        group = groups.get(key)
        if group is None:
            group = _Group(key, sample.v, sample.v)
            if op in ("stddev", "stdvar"):
                group.value = math.nan if compat >= 3 and not math.isfinite(sample.v) else 0.0
            elif op == "group":
                group.value = 1.0
            if op in ("topk", "bottomk", "quantile"):
                group.samples.append(sample)
            groups[key] = group
            continue
        _add(op, group, sample, k, compat)
    out = Vector()
    for group in groups.values():
        if op in ("topk", "bottomk"):
            less = _value_less if op == "topk" else _reverse_value_less
            ordered = _sort_reverse(group.samples, less) if len(group.samples) > 1 else group.samples
            out.extend(Sample(s.labels, ts, s.v) for s in ordered)
            continue
        value = group.value
        if compat >= 3 and op == "sum":
            value = group.value + group.compensation
        elif compat >= 3 and op == "avg":
            if group.incremental_mean:
                value = group.mean + group.compensation
            else:
                value = group.value / group.count + group.compensation / group.count
        elif op == "avg":
            value = group.mean
        elif op in ("count", "count_values"):
            value = float(group.count)
        elif op == "stdvar":
            value = group.value / group.count
        elif op == "stddev":
            value = math.sqrt(group.value / group.count)
        elif op == "quantile":
            value = quantile(float(param or 0), [s.v for s in group.samples])
        out.append(Sample(group.labels, ts, value))
    return out

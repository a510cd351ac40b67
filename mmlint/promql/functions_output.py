"""How the function implementations read their arguments and build their results, as Prometheus's
engine does around every call: per-series evaluation of range-vector arguments (series without points in
the window are not evaluated), dropping the metric name, and the check that a result never holds two
samples with the same labels."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mmlint.promql.call import Call
from mmlint.promql.values import (
    NAME,
    Labels,
    Matrix,
    PromQLError,
    Sample,
    Scalar,
    Series,
    String,
    Value,
    Vector,
)

SAME_LABELSET = "vector cannot contain metrics with the same labelset"


# Prometheus 3 drops the type-and-unit metadata labels together with the metric name (schema.IsMetadataLabel).
METADATA_LABELS = frozenset({NAME, "__type__", "__unit__"})


def drop_metric_name(labels: Labels, call: Call) -> Labels:
    """The labels without the metric name (and, in Prometheus 3, without __type__ and __unit__)."""
    if call.compat >= 3:
        return tuple(pair for pair in labels if pair[0] not in METADATA_LABELS)
    return tuple(pair for pair in labels if pair[0] != NAME)


def vector_arg(args: list[Value], index: int) -> Vector:
    value = args[index]
    if not isinstance(value, Vector):
        raise TypeError(f"argument {index + 1} is {type(value).__name__}, not an instant vector")
    return value


def matrix_arg(args: list[Value], index: int) -> Matrix:
    value = args[index]
    if not isinstance(value, Matrix):
        raise TypeError(f"argument {index + 1} is {type(value).__name__}, not a range vector")
    return value


def scalar_arg(args: list[Value], index: int) -> float:
    value = args[index]
    if not isinstance(value, Scalar):
        raise TypeError(f"argument {index + 1} is {type(value).__name__}, not a scalar")
    return value.v


def string_arg(args: list[Value], index: int) -> str:
    value = args[index]
    if not isinstance(value, String):
        raise TypeError(f"argument {index + 1} is {type(value).__name__}, not a string")
    return value.s


def unique(samples: Iterable[Sample]) -> Vector:
    """The samples as a Vector, or the engine's error when two share their labels (Prometheus checks
    every function result: rangeEval's and the range-vector path's ContainsSameLabelset)."""
    out = Vector(samples)
    seen: set[Labels] = set()
    for sample in out:
        if sample.labels in seen:
            raise PromQLError(SAME_LABELSET)
        seen.add(sample.labels)
    return out


def map_samples(vector: Vector, call: Call, fn: Callable[[Sample], float]) -> Vector:
    """fn of every sample, metric name dropped (Prometheus's simpleFunc and the functions built like it)."""
    return unique(Sample(drop_metric_name(s.labels, call), call.ts, fn(s)) for s in vector)


def map_values(args: list[Value], call: Call, fn: Callable[[float], float]) -> Vector:
    """fn applied to the value of every sample of the instant-vector argument, metric name dropped."""
    return map_samples(vector_arg(args, 0), call, lambda s: fn(s.v))


def over_series(
    matrix: Matrix,
    call: Call,
    fn: Callable[[Series], float | None],
    *,
    keep_name: bool = False,
) -> Vector:
    """fn evaluated for every series that has points in the window; None means no output sample.

    Prometheus drops the metric name from every range-vector function's result except last_over_time
    (and first_over_time in Prometheus 3), which act like an offset."""
    out = []
    for series in matrix:
        if not series.points:
            continue
        value = fn(series)
        if value is not None:
            labels = series.labels if keep_name else drop_metric_name(series.labels, call)
            out.append(Sample(labels, call.ts, value))
    return unique(out)

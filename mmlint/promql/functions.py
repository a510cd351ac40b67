"""The PromQL function implementations by name (Prometheus promql/functions.go FunctionCalls). Which
dialect has which function, and their argument types, is mmlint.promql.signatures.SIGNATURES; a test
checks that the two tables name the same functions.

An implementation takes the evaluated arguments in order (instant vectors as Vector, range vectors as
Matrix holding the points of each series' window, scalars as Scalar, strings as String) and the Call
context, and returns a Vector or a Scalar. Errors are PromQLError, worded as Prometheus words them.
"""

from __future__ import annotations

from mmlint.promql import functions_histogram as histogram
from mmlint.promql import functions_labels as labels
from mmlint.promql import functions_math as math
from mmlint.promql import functions_misc as misc
from mmlint.promql import functions_over_time as over_time
from mmlint.promql import functions_rate as rate
from mmlint.promql.call import Implementation
from mmlint.promql.signatures import SIGNATURES

IMPLEMENTATIONS: dict[str, Implementation] = {
    "abs": math.abs_,
    "absent": misc.absent,
    "absent_over_time": over_time.absent_over_time,
    "acos": math.acos,
    "acosh": math.acosh,
    "asin": math.asin,
    "asinh": math.asinh,
    "atan": math.atan,
    "atanh": math.atanh,
    "avg_over_time": over_time.avg_over_time,
    "ceil": math.ceil,
    "changes": rate.changes,
    "clamp": math.clamp,
    "clamp_max": math.clamp_max,
    "clamp_min": math.clamp_min,
    "cos": math.cos,
    "cosh": math.cosh,
    "count_over_time": over_time.count_over_time,
    "day_of_month": misc.day_of_month,
    "day_of_week": misc.day_of_week,
    "day_of_year": misc.day_of_year,
    "days_in_month": misc.days_in_month,
    "deg": math.deg,
    "delta": rate.delta,
    "deriv": rate.deriv,
    "double_exponential_smoothing": rate.double_exponential_smoothing,
    "exp": math.exp,
    "first_over_time": over_time.first_over_time,
    "floor": math.floor,
    "histogram_avg": histogram.histogram_avg,
    "histogram_count": histogram.histogram_count,
    "histogram_fraction": histogram.histogram_fraction,
    "histogram_quantile": histogram.histogram_quantile,
    "histogram_quantiles": histogram.histogram_quantiles,
    "histogram_stddev": histogram.histogram_stddev,
    "histogram_stdvar": histogram.histogram_stdvar,
    "histogram_sum": histogram.histogram_sum,
    "holt_winters": rate.holt_winters,
    "hour": misc.hour,
    "idelta": rate.idelta,
    "increase": rate.increase,
    "irate": rate.irate,
    "label_join": labels.label_join,
    "label_replace": labels.label_replace,
    "last_over_time": over_time.last_over_time,
    "ln": math.ln,
    "log10": math.log10,
    "log2": math.log2,
    "mad_over_time": over_time.mad_over_time,
    "max_of": math.max_of,
    "max_over_time": over_time.max_over_time,
    "min_of": math.min_of,
    "min_over_time": over_time.min_over_time,
    "minute": misc.minute,
    "month": misc.month,
    "pi": math.pi,
    "predict_linear": rate.predict_linear,
    "present_over_time": over_time.present_over_time,
    "quantile_over_time": over_time.quantile_over_time,
    "rad": math.rad,
    "rate": rate.rate,
    "resets": rate.resets,
    "round": math.round_,
    "scalar": misc.scalar,
    "sgn": math.sgn,
    "sin": math.sin,
    "sinh": math.sinh,
    "sort": misc.sort,
    "sort_by_label": misc.sort_by_label,
    "sort_by_label_desc": misc.sort_by_label_desc,
    "sort_desc": misc.sort_desc,
    "sqrt": math.sqrt,
    "stddev_over_time": over_time.stddev_over_time,
    "stdvar_over_time": over_time.stdvar_over_time,
    "sum_over_time": over_time.sum_over_time,
    "tan": math.tan,
    "tanh": math.tanh,
    "time": misc.time,
    "timestamp": misc.timestamp,
    "ts_of_first_over_time": over_time.ts_of_first_over_time,
    "ts_of_last_over_time": over_time.ts_of_last_over_time,
    "ts_of_max_over_time": over_time.ts_of_max_over_time,
    "ts_of_min_over_time": over_time.ts_of_min_over_time,
    "vector": misc.vector,
    "year": misc.year,
}


def lookup(name: str, compat: int) -> Implementation | None:
    """The implementation of `name` in the dialect `compat` (2: Prometheus 2.42, 3: Prometheus 3), None when
    that Prometheus has no such function (e.g. sort_by_label in 2.42, holt_winters in 3)."""
    signature = SIGNATURES.get(name)
    if signature is None or not signature.available(compat):
        return None
    return IMPLEMENTATIONS[name]

"""The PromQL function signatures: argument types, arity and return type of every function, and which
dialect has it (Prometheus 2.42, Prometheus 3 as of 3.14). Kept apart from the implementations
(mmlint.promql.functions) as Prometheus keeps promql/parser/functions.go apart from promql/functions.go;
tests/promql/test_signatures.py fails when the two tables disagree.

Arity follows Prometheus's parser: with `variadic` 0 the call takes exactly `len(arg_types)` arguments;
otherwise the last argument type is optional (variadic 1, e.g. round's to_nearest, the date functions'
vector) or repeats (variadic -1: any number; variadic n > 1: up to n more).
"""

from __future__ import annotations

from dataclasses import dataclass

# Value types as the Prometheus documentation names them.
SCALAR = "scalar"
STRING = "string"
INSTANT = "instant-vector"
RANGE = "range-vector"

PROMETHEUS_2 = frozenset({2})
PROMETHEUS_3 = frozenset({3})
BOTH = frozenset({2, 3})


@dataclass(frozen=True, slots=True)
class Signature:
    name: str
    arg_types: tuple[str, ...]
    return_type: str
    variadic: int = 0
    dialects: frozenset[int] = BOTH
    # Prometheus 3 only accepts it with --enable-feature=promql-experimental-functions.
    experimental: bool = False

    @property
    def min_args(self) -> int:
        return len(self.arg_types) if self.variadic == 0 else len(self.arg_types) - 1

    @property
    def max_args(self) -> int | None:
        """None when the last argument repeats without bound."""
        if self.variadic == 0:
            return len(self.arg_types)
        if self.variadic < 0:
            return None
        return len(self.arg_types) - 1 + self.variadic

    def arg_type(self, index: int) -> str:
        """The type of argument `index` (repeated arguments take the last declared type)."""
        return self.arg_types[min(index, len(self.arg_types) - 1)]

    def available(self, compat: int) -> bool:
        return compat in self.dialects


def _sig(
    name: str,
    args: tuple[str, ...],
    ret: str = INSTANT,
    *,
    variadic: int = 0,
    dialects: frozenset[int] = BOTH,
) -> tuple[str, Signature]:
    return name, Signature(name, args, ret, variadic, dialects)


def _experimental(
    name: str, args: tuple[str, ...], ret: str = INSTANT, *, variadic: int = 0
) -> tuple[str, Signature]:
    """A Prometheus 3 function behind --enable-feature=promql-experimental-functions."""
    return name, Signature(name, args, ret, variadic, PROMETHEUS_3, experimental=True)


_MATH = (
    "abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn", "deg", "rad",
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
)  # fmt: skip
_OVER_TIME = (
    "avg_over_time", "count_over_time", "last_over_time", "max_over_time", "min_over_time",
    "sum_over_time", "stddev_over_time", "stdvar_over_time", "present_over_time", "absent_over_time",
    "changes", "resets", "rate", "increase", "delta", "irate", "idelta", "deriv",
)  # fmt: skip
_DATE = ("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year")
# Native-histogram functions: on float samples they return nothing (mmlint stores no native histograms).
_NATIVE = ("histogram_count", "histogram_sum")
_NATIVE_3 = ("histogram_avg", "histogram_stddev", "histogram_stdvar")
_OVER_TIME_3_EXPERIMENTAL = (
    "mad_over_time", "ts_of_first_over_time", "ts_of_last_over_time", "ts_of_max_over_time",
    "ts_of_min_over_time",
)  # fmt: skip

SIGNATURES: dict[str, Signature] = dict(
    sorted(
        [
            *(_sig(name, (INSTANT,)) for name in _MATH),
            *(_sig(name, (RANGE,)) for name in _OVER_TIME),
            *(_sig(name, (INSTANT,), variadic=1) for name in _DATE),
            *(_sig(name, (INSTANT,)) for name in _NATIVE),
            _sig("absent", (INSTANT,)),
            _sig("clamp", (INSTANT, SCALAR, SCALAR)),
            _sig("clamp_max", (INSTANT, SCALAR)),
            _sig("clamp_min", (INSTANT, SCALAR)),
            _sig("histogram_fraction", (SCALAR, SCALAR, INSTANT)),
            _sig("histogram_quantile", (SCALAR, INSTANT)),
            _sig("holt_winters", (RANGE, SCALAR, SCALAR), dialects=PROMETHEUS_2),
            _sig("label_join", (INSTANT, STRING, STRING, STRING), variadic=-1),
            _sig("label_replace", (INSTANT, STRING, STRING, STRING, STRING)),
            _sig("pi", (), SCALAR),
            _sig("predict_linear", (RANGE, SCALAR)),
            _sig("quantile_over_time", (SCALAR, RANGE)),
            _sig("round", (INSTANT, SCALAR), variadic=1),
            _sig("scalar", (INSTANT,), SCALAR),
            _sig("sort", (INSTANT,)),
            _sig("sort_desc", (INSTANT,)),
            _sig("time", (), SCALAR),
            _sig("timestamp", (INSTANT,)),
            _sig("vector", (SCALAR,)),
            # Prometheus 3 additions (float semantics; the native-histogram ones return nothing on floats).
            _sig("first_over_time", (RANGE,), dialects=PROMETHEUS_3),
            *(_sig(name, (INSTANT,), dialects=PROMETHEUS_3) for name in _NATIVE_3),
            *(_experimental(name, (RANGE,)) for name in _OVER_TIME_3_EXPERIMENTAL),
            _experimental("double_exponential_smoothing", (RANGE, SCALAR, SCALAR)),
            _experimental("histogram_quantiles", (INSTANT, STRING, SCALAR, SCALAR), variadic=9),
            _experimental("max_of", (SCALAR, SCALAR), SCALAR),
            _experimental("min_of", (SCALAR, SCALAR), SCALAR),
            _experimental("sort_by_label", (INSTANT, STRING), variadic=-1),
            _experimental("sort_by_label_desc", (INSTANT, STRING), variadic=-1),
        ]
    )
)


# Prometheus 3 functions mmlint does not evaluate, and why; absent from SIGNATURES, so no dialect has them.
UNSUPPORTED: dict[str, str] = {
    "info": "it joins target_info series from the storage, which a function call does not see",
    "start": "it needs the range query's start, which a function call does not get",
    "end": "it needs the range query's end, which a function call does not get",
    "range": "it needs the range query's length, which a function call does not get",
    "step": "it needs the range query's step, which a function call does not get",
    "start_timestamp": "mmlint stores no start (created) timestamps",
}


def render(signature: Signature) -> str:
    """The signature as the implementations' docstrings write it: `name(type, type...) type`, optional
    arguments in brackets, a repeating last argument followed by `...`."""
    required = [*signature.arg_types[: signature.min_args]]
    text = ", ".join(required)
    if signature.variadic == 1:
        optional = signature.arg_types[-1]
        text = f"{text}[, {optional}]" if text else f"[{optional}]"
    elif signature.variadic != 0:
        text = f"{text}, {signature.arg_types[-1]}..."
    return f"{signature.name}({text}) {signature.return_type}"

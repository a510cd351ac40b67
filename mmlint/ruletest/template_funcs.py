"""The functions an alert template can call: Prometheus's (template/template.go, v2.42) and Go's builtins
(text/template/funcs.go), each with its Go signature, which the executor uses to convert arguments and
check their number and types as Go does.

A function reports an error, as its Go version returns one, by raising FuncError with Go's wording.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from mmlint.duration import DURATION_RE, UNITS_S
from mmlint.promql.values import PromQLError, Vector
from mmlint.ruletest import template_builtins as builtins
from mmlint.ruletest.goformat import HTML, format_value, go_quote, sprintf
from mmlint.ruletest.template_text import (
    FuncError,
    go_regexp,
    parse_go_float,
    re_replace_all,
    strip_domain,
    strip_port,
    title,
    to_lower,
    to_upper,
    url_query_escape,
)
from mmlint.ruletest.template_values import FuncSpec, GoMap, GoTime, QueryResult, SampleRef, string_map

__all__ = ["FUNCTION_NAMES", "FuncError", "FuncSpec", "functions"]

# Go types named in signatures: "interface {}" and "reflect.Value" take anything.
STRING, FLOAT, ANY, VALUE = "string", "float64", "interface {}", "reflect.Value"
RESULT, SAMPLE = "template.queryResult", "*template.sample"
NIL_DEREFERENCE = "runtime error: invalid memory address or nil pointer dereference"


def _sample(value: object) -> SampleRef:
    if not isinstance(value, SampleRef):
        raise FuncError(NIL_DEREFERENCE)
    return value


def to_float(value: object) -> float:
    """Prometheus's convertToFloat: float64, a string strconv.ParseFloat accepts, or an integer."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        kind = "<nil>" if value is None else getattr(value, "type_name", type(value).__name__)
        raise FuncError(f"can't convert {kind} to float")
    if isinstance(value, str):
        return parse_go_float(value)
    return float(value)


def _scaled(v: float, prefixes: str, step: float) -> tuple[float, str]:
    prefix = ""
    for candidate in prefixes.split():
        if abs(v) < step:
            break
        prefix, v = candidate, v / step
    return v, prefix


def _shrunk(v: float) -> tuple[float, str]:
    prefix = ""
    for candidate in ["m", "u", "n", "p", "f", "a", "z", "y"]:
        if abs(v) >= 1:
            break
        prefix, v = candidate, v * 1000
    return v, prefix


def humanize(value: object) -> str:
    v = to_float(value)
    if v == 0 or math.isnan(v) or math.isinf(v):
        return sprintf("%.4g", [v])
    v, prefix = _scaled(v, "k M G T P E Z Y", 1000) if abs(v) >= 1 else _shrunk(v)
    return sprintf("%.4g", [v]) + prefix


def humanize1024(value: object) -> str:
    v = to_float(value)
    if abs(v) <= 1 or math.isnan(v) or math.isinf(v):
        return sprintf("%.4g", [v])
    v, prefix = _scaled(v, "ki Mi Gi Ti Pi Ei Zi Yi", 1024)
    return sprintf("%.4g", [v]) + prefix


def _go_int64(v: float) -> int:
    """Go's int64(v) on amd64: truncation, and the "integer indefinite" value when out of range."""
    return int(v) if -(2.0**63) <= v < 2.0**63 else -(1 << 63)


def _quo_rem(a: int, b: int) -> tuple[int, int]:
    """Go's truncated integer division and remainder."""
    quotient = abs(a) // b * (1 if a >= 0 else -1)
    return quotient, a - b * quotient


def humanize_duration(value: object) -> str:
    v = to_float(value)
    if math.isnan(v) or math.isinf(v):
        return sprintf("%.4g", [v])
    if v == 0:
        return sprintf("%.4gs", [v])
    if abs(v) >= 1:
        sign = "-" if v < 0 else ""
        v = abs(v)
        minutes_total, seconds = _quo_rem(_go_int64(v), 60)
        hours_total, minutes = _quo_rem(minutes_total, 60)
        days, hours = _quo_rem(hours_total, 24)
        if days:
            return sprintf("%s%dd %dh %dm %ds", [sign, days, hours, minutes, seconds])
        if hours:
            return sprintf("%s%dh %dm %ds", [sign, hours, minutes, seconds])
        if minutes:
            return sprintf("%s%dm %ds", [sign, minutes, seconds])
        return sprintf("%s%.4gs", [sign, v])
    v, prefix = _shrunk(v)
    return sprintf("%.4g%ss", [v, prefix])


def to_time(value: object) -> GoTime:
    """Prometheus's floatToTime: seconds to a UTC time, kept at millisecond precision (model.Time)."""
    v = to_float(value)
    if math.isnan(v) or math.isinf(v):
        raise FuncError("value is NaN or Inf")
    nanos = v * 1e9
    if nanos > 2.0**63 or nanos < -(2.0**63):
        raise FuncError(
            f"{format_value(v)} cannot be represented as a nanoseconds timestamp since it overflows int64"
        )
    millis = _quo_rem(_go_int64(nanos), 1_000_000)[0]
    return GoTime(millis * 1_000_000)


def humanize_timestamp(value: object) -> str:
    v = to_float(value)
    if math.isnan(v) or math.isinf(v):
        return sprintf("%.4g", [v])
    return to_time(v).string()


def parse_duration(text: str) -> float:
    """model.ParseDuration in seconds, summed in whole milliseconds as Prometheus sums them."""
    match = DURATION_RE.match(text)
    if text == "0":
        return 0.0
    if not text or match is None:
        raise FuncError(f"not a valid duration string: {go_quote(text)}")
    units = zip(match.groups(), UNITS_S, strict=True)
    millis = sum(int(n) * round(UNITS_S[unit] * 1000) for n, unit in units if n)
    if millis > (1 << 63) // 1_000_000:
        raise FuncError("duration out of range")
    return millis * 1_000_000 / 1e9


def _query(run: Callable[[str], Vector] | None) -> Callable[[str], QueryResult]:
    def query(expr: str) -> QueryResult:
        if run is None:
            raise FuncError(NIL_DEREFERENCE)
        try:
            vector = run(expr)
        except PromQLError as error:
            raise FuncError(str(error)) from None
        return QueryResult(SampleRef(string_map(dict(sample.labels)), sample.v) for sample in vector)

    return query


def _first(result: QueryResult | None) -> SampleRef:
    if not result:
        raise FuncError("first() called on vector with no elements")
    return result[0]


def _sort_by_label(label: str, result: QueryResult | None) -> QueryResult:
    return QueryResult(sorted(result or (), key=lambda sample: str(sample.labels.get(label))))


def _args(*values: object) -> GoMap:
    return GoMap(
        {f"arg{i}": value for i, value in enumerate(values)}, type_name="map[string]interface {}", zero=None
    )


def _nil_url() -> str:
    # promtool evaluates rules without an external URL: Prometheus's function dereferences a nil *url.URL.
    raise FuncError(NIL_DEREFERENCE)


def _match(pattern: str, text: str) -> bool:
    return go_regexp(pattern, must=False).search(text) is not None


def functions(query: Callable[[str], Vector] | None = None) -> dict[str, FuncSpec]:
    """Every function a template can call; `query` runs PromQL at the alert's evaluation time."""
    table: dict[str, FuncSpec] = {
        "query": FuncSpec((STRING,), None, _query(query)),
        "first": FuncSpec((RESULT,), None, _first),
        "label": FuncSpec((STRING, SAMPLE), None, lambda name, s: _sample(s).labels.get(name)),
        "value": FuncSpec((SAMPLE,), None, lambda s: _sample(s).value),
        "strvalue": FuncSpec((SAMPLE,), None, lambda s: _sample(s).labels.get("__value__")),
        "args": FuncSpec((), ANY, _args),
        "reReplaceAll": FuncSpec((STRING, STRING, STRING), None, re_replace_all),
        "safeHtml": FuncSpec((STRING,), None, HTML),
        "match": FuncSpec((STRING, STRING), None, _match),
        "title": FuncSpec((STRING,), None, title),
        "toUpper": FuncSpec((STRING,), None, to_upper),
        "toLower": FuncSpec((STRING,), None, to_lower),
        "graphLink": FuncSpec((STRING,), None, lambda e: f"/graph?g0.expr={url_query_escape(e)}&g0.tab=0"),
        "tableLink": FuncSpec((STRING,), None, lambda e: f"/graph?g0.expr={url_query_escape(e)}&g0.tab=1"),
        "sortByLabel": FuncSpec((STRING, RESULT), None, _sort_by_label),
        "stripPort": FuncSpec((STRING,), None, strip_port),
        "stripDomain": FuncSpec((STRING,), None, strip_domain),
        "humanize": FuncSpec((ANY,), None, humanize),
        "humanize1024": FuncSpec((ANY,), None, humanize1024),
        "humanizeDuration": FuncSpec((ANY,), None, humanize_duration),
        "humanizePercentage": FuncSpec((ANY,), None, lambda v: sprintf("%.4g%%", [to_float(v) * 100])),
        "humanizeTimestamp": FuncSpec((ANY,), None, humanize_timestamp),
        "toTime": FuncSpec((ANY,), None, to_time),
        "pathPrefix": FuncSpec((), None, _nil_url),
        "externalURL": FuncSpec((), None, _nil_url),
        "parseDuration": FuncSpec((STRING,), None, parse_duration),
    }
    return {**BUILTINS, **table}


BUILTINS: Mapping[str, FuncSpec] = {
    "and": FuncSpec((VALUE,), VALUE, builtins.and_),
    "or": FuncSpec((VALUE,), VALUE, builtins.or_),
    "not": FuncSpec((VALUE,), None, builtins.not_),
    "call": FuncSpec((VALUE,), VALUE, builtins.call),
    "html": FuncSpec((), ANY, builtins.html),
    "js": FuncSpec((), ANY, builtins.js),
    "urlquery": FuncSpec((), ANY, lambda *a: url_query_escape(builtins.eval_args(a))),
    "index": FuncSpec((VALUE,), VALUE, builtins.index),
    "slice": FuncSpec((VALUE,), VALUE, builtins.slice_),
    "len": FuncSpec((VALUE,), None, builtins.length),
    "print": FuncSpec((), ANY, builtins.print_),
    "printf": FuncSpec((STRING,), ANY, lambda f, *a: sprintf(f, a)),
    "println": FuncSpec((), ANY, builtins.println),
    "eq": FuncSpec((VALUE,), VALUE, builtins.eq),
    "ne": FuncSpec((VALUE, VALUE), None, builtins.ne),
    "lt": FuncSpec((VALUE, VALUE), None, builtins.lt),
    "le": FuncSpec((VALUE, VALUE), None, builtins.le),
    "gt": FuncSpec((VALUE, VALUE), None, builtins.gt),
    "ge": FuncSpec((VALUE, VALUE), None, builtins.ge),
}

FUNCTION_NAMES: frozenset[str] = frozenset(functions())

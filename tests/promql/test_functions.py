"""The function implementations against values measured with promtool 2.42 (its `got:` output of
`promtool test rules`, printed with every digit), through a small evaluator that only knows function calls,
selectors and literals. Further tables cover errors, Prometheus 3 variants and edge cases."""

from __future__ import annotations

import datetime
import math

import promql_parser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mmlint.promql.call import Call
from mmlint.promql.functions import IMPLEMENTATIONS
from mmlint.promql.functions_misc import civil
from mmlint.promql.regex import full_match
from mmlint.promql.selectors import match_op
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
    format_labels,
    make_labels,
)

MINUTE = 60_000
LOOKBACK = 5 * MINUTE

# promtool series notation, one value a minute from t=0.
SERIES = {
    'x{a="1"}': "0 7 13 2 9 33 40",
    'x{a="2"}': "10 20 30 40 50 60 70",
    'g{a="1"}': "1.5 -3 2.25 8 0.1 0.7 1e3",
    "w": "1 11 21",
    "z": "100 110 120",
    "n": "1 NaN NaN 2 2",
    "i": "1 Inf 3 -Inf",
    'h_bucket{le="0.1"}': "0 1 2 3 4 5 6",
    'h_bucket{le="0.5"}': "0 3 5 6 9 11 13",
    'h_bucket{le="1"}': "0 4 6 8 10 12 14",
    'h_bucket{le="+Inf"}': "0 5 7 9 11 13 15",
    'm_bucket{le="1"}': "5",
    'm_bucket{le="2"}': "3",
    'm_bucket{le="+Inf"}': "8",
    'neg_bucket{le="-1"}': "2",
    'neg_bucket{le="1"}': "6",
    'neg_bucket{le="+Inf"}': "8",
    'noinf_bucket{le="1"}': "2",
    'noinf_bucket{le="2"}': "4",
    'v{job="a",instance="i1",src="foo-bar"}': "3",
    'v{job="b",instance="i2",src="baz"}': "4",
    'y{a="1"}': "1 2 3 4 5 6 7",
}


def _load() -> dict[Labels, tuple[tuple[int, float], ...]]:
    loaded = {}
    for text, values in SERIES.items():
        selector = promql_parser.parse(text)
        assert isinstance(selector, promql_parser.VectorSelector)
        pairs = [(m.name, m.value) for m in selector.matchers.matchers]
        if selector.name:
            pairs.append((NAME, selector.name))
        points = tuple((i * MINUTE, float(v)) for i, v in enumerate(values.split()))
        loaded[make_labels(pairs)] = points
    return loaded


STORAGE = _load()


def _matches(labels: Labels, selector: promql_parser.VectorSelector) -> bool:
    values = dict(labels)
    if selector.name and values.get(NAME) != selector.name:
        return False
    for matcher in selector.matchers.matchers:
        value, op = values.get(matcher.name, ""), match_op(matcher)
        matched = value == matcher.value if op in ("=", "!=") else full_match(matcher.value, value)
        if matched != (op in ("=", "=~")):
            return False
    return True


def evaluate(expr: promql_parser.Expr, ts: int, compat: int = 2, *, own_timestamps: bool = False) -> Value:
    """Just enough of an engine for function calls over selectors and literals."""
    if isinstance(expr, promql_parser.NumberLiteral):
        return Scalar(ts, float(expr.val))
    if isinstance(expr, promql_parser.StringLiteral):
        return String(ts, expr.val)
    if isinstance(expr, promql_parser.ParenExpr):
        return evaluate(expr.expr, ts, compat)
    if isinstance(expr, promql_parser.VectorSelector):
        samples = Vector()
        for labels, points in STORAGE.items():
            recent = [(t, v) for t, v in points if ts - LOOKBACK < t <= ts]
            if recent and _matches(labels, expr):
                samples.append(Sample(labels, recent[-1][0] if own_timestamps else ts, recent[-1][1]))
        return samples
    if isinstance(expr, promql_parser.MatrixSelector):
        start = ts - int(expr.range.total_seconds() * 1000)
        return Matrix(
            Series(labels, tuple((t, v) for t, v in points if start <= t <= ts))
            for labels, points in STORAGE.items()
            if _matches(labels, expr.vector_selector)
        )
    assert isinstance(expr, promql_parser.Call), f"not supported here: {expr}"
    name = expr.func.name
    if name == "double_exponential_smoothing" and compat == 2:
        name = "holt_winters"
    args = [evaluate(arg, ts, compat, own_timestamps=name == "timestamp") for arg in expr.args]
    ranges = [arg.range for arg in expr.args if isinstance(arg, promql_parser.MatrixSelector)]
    window_start = ts - int(ranges[0].total_seconds() * 1000) if ranges else None
    call = Call(ts, tuple(expr.args), window_start, ts if ranges else None, compat)
    return IMPLEMENTATIONS[name](args, call)


def run(text: str, minutes: float, compat: int = 2) -> list[tuple[str, str]]:
    """The result as promtool shows it: (labels, value) pairs, in the function's order."""
    # promql_parser knows holt_winters only by its Prometheus 3 name.
    parsed = promql_parser.parse(text.replace("holt_winters(", "double_exponential_smoothing("))
    value = evaluate(parsed, int(minutes * MINUTE), compat)
    if isinstance(value, Scalar):
        return [("{}", repr(value.v))]
    assert isinstance(value, Vector)
    return [(format_labels(s.labels), repr(s.v)) for s in value]


# (expression, evaluation time in minutes, what promtool 2.42 got).
PROMTOOL = [
    ("rate(x[5m])", 6, [('{a="1"}', "0.15333333333333335"), ('{a="2"}', "0.16666666666666669")]),
    ("rate(x[5m])", 3, [('{a="1"}', "0.05"), ('{a="2"}', "0.13333333333333333")]),
    ("rate(x[5m30s])", 6, [('{a="1"}', "0.15333333333333335"), ('{a="2"}', "0.16666666666666669")]),
    ("rate(x[2m])", 6, [('{a="1"}', "0.2583333333333333"), ('{a="2"}', "0.16666666666666666")]),
    ("increase(x[5m])", 6, [('{a="1"}', "46.0"), ('{a="2"}', "50.0")]),
    ("increase(w[5m])", 2, [("{}", "21.0")]),
    ("increase(z[5m])", 2, [("{}", "25.0")]),
    ("rate(w[1m])", 2, [("{}", "0.16666666666666666")]),
    ("delta(g[5m])", 6, [('{a="1"}', "1003.0")]),
    ("delta(g[3m30s])", 5, [('{a="1"}', "-1.8083333333333336")]),
    ("irate(x[5m])", 3, [('{a="1"}', "0.03333333333333333"), ('{a="2"}', "0.16666666666666666")]),
    ("irate(x[5m])", 6, [('{a="1"}', "0.11666666666666667"), ('{a="2"}', "0.16666666666666666")]),
    ("idelta(g[5m])", 6, [('{a="1"}', "999.3")]),
    ("deriv(g[6m])", 6, [('{a="1"}', "1.7861607142857143")]),
    ("deriv(x[3m])", 6, [('{a="1"}', "0.23"), ('{a="2"}', "0.16666666666666666")]),
    ("predict_linear(g[6m], 600)", 6, [('{a="1"}', "1537.4267857142859")]),
    ("predict_linear(x[4m], 3600)", 6, [('{a="1"}', "546.4"), ('{a="2"}', "670.0")]),
    ("holt_winters(g[6m], 0.3, 0.6)", 6, [('{a="1"}', "300.107101008")]),
    ("holt_winters(x[6m], 0.1, 0.9)", 6, [('{a="1"}', "32.41944238900001"), ('{a="2"}', "70.0")]),
    ("resets(x[6m])", 6, [('{a="1"}', "1.0"), ('{a="2"}', "0.0")]),
    ("changes(g[6m])", 6, [('{a="1"}', "6.0")]),
    ("changes(n[6m])", 6, [("{}", "2.0")]),
    ("resets(i[6m])", 6, [("{}", "2.0")]),
    ("avg_over_time(g[6m])", 6, [('{a="1"}', "144.2214285714286")]),
    ("avg_over_time(i[6m])", 6, [("{}", "nan")]),
    ("avg_over_time(i[2m])", 2, [("{}", "inf")]),
    ("sum_over_time(g[6m])", 6, [('{a="1"}', "1009.55")]),
    ("sum_over_time(i[6m])", 6, [("{}", "nan")]),
    ("stddev_over_time(g[6m])", 6, [('{a="1"}', "349.38355290542273")]),
    ("stdvar_over_time(g[6m])", 6, [('{a="1"}', "122068.86704081633")]),
    ("stddev_over_time(x[6m])", 6, [('{a="1"}', "14.376852143324713"), ('{a="2"}', "20.0")]),
    ("quantile_over_time(0.3, g[6m])", 6, [('{a="1"}', "0.5799999999999998")]),
    ("quantile_over_time(0.5, n[6m])", 6, [("{}", "1.0")]),
    ("quantile_over_time(-1, g[6m])", 6, [('{a="1"}', "-inf")]),
    ("quantile_over_time(2, g[6m])", 6, [('{a="1"}', "inf")]),
    ("min_over_time(g[6m])", 6, [('{a="1"}', "-3.0")]),
    ("max_over_time(n[6m])", 6, [("{}", "2.0")]),
    ("min_over_time(n[6m])", 6, [("{}", "1.0")]),
    ("count_over_time(x[3m])", 6, [('{a="1"}', "4.0"), ('{a="2"}', "4.0")]),
    ("last_over_time(g[6m])", 6, [('{__name__="g", a="1"}', "1000.0")]),
    ("present_over_time(g[1m])", 6, [('{a="1"}', "1.0")]),
    ("absent_over_time(g[1m])", 6, []),
    ('absent_over_time(nope{a="b",c=~"d"}[1m])', 6, [('{a="b"}', "1.0")]),
    ('absent(nope{a="b",a="c",d="e"})', 6, [('{d="e"}', "1.0")]),
    ("absent(g)", 6, []),
    ('absent(nope{a!="b",a="c"})', 6, [('{a="c"}', "1.0")]),
    ("abs(g)", 1, [('{a="1"}', "3.0")]),
    ("ceil(g)", 2, [('{a="1"}', "3.0")]),
    ("floor(g)", 1, [('{a="1"}', "-3.0")]),
    ("exp(g)", 6, [('{a="1"}', "inf")]),
    ("exp(g)", 3, [('{a="1"}', "2980.9579870417283")]),
    ("sqrt(g)", 6, [('{a="1"}', "31.622776601683793")]),
    ("sqrt(g)", 1, [('{a="1"}', "nan")]),
    ("ln(g)", 6, [('{a="1"}', "6.907755278982137")]),
    ("ln(g)", 1, [('{a="1"}', "nan")]),
    ("log2(g)", 6, [('{a="1"}', "9.965784284662087")]),
    ("log2(g)", 3, [('{a="1"}', "3.0")]),
    ("log10(g)", 6, [('{a="1"}', "3.0")]),
    ("log10(g)", 4, [('{a="1"}', "-0.9999999999999999")]),
    ("sgn(g)", 1, [('{a="1"}', "-1.0")]),
    ("deg(g)", 4, [('{a="1"}', "5.729577951308232")]),
    ("rad(g)", 4, [('{a="1"}', "0.0017453292519943296")]),
    ("sin(g)", 4, [('{a="1"}', "0.09983341664682815")]),
    ("cos(g)", 5, [('{a="1"}', "0.7648421872844884")]),
    ("tan(g)", 2, [('{a="1"}', "-1.2386276162240968")]),
    ("asin(g)", 5, [('{a="1"}', "0.775397496610753")]),
    ("acos(g)", 3, [('{a="1"}', "nan")]),
    ("atan(g)", 6, [('{a="1"}', "1.5697963271282296")]),
    ("sinh(g)", 3, [('{a="1"}', "1490.4788257895502")]),
    ("cosh(g)", 6, [('{a="1"}', "inf")]),
    ("tanh(g)", 1, [('{a="1"}', "-0.9950547536867305")]),
    ("asinh(g)", 1, [('{a="1"}', "-1.8184464592320668")]),
    ("acosh(g)", 3, [('{a="1"}', "2.7686593833135738")]),
    ("atanh(g)", 5, [('{a="1"}', "0.8673005276940531")]),
    ("round(g)", 0, [('{a="1"}', "2.0")]),
    ("round(g, 0.1)", 5, [('{a="1"}', "0.7")]),
    ("round(g, 5)", 2, [('{a="1"}', "0.0")]),
    ("round(g, 0)", 2, [('{a="1"}', "nan")]),
    ("clamp(g, -1, 2)", 1, [('{a="1"}', "-1.0")]),
    ("clamp(g, 2, -1)", 1, []),
    ("clamp_max(g, 1)", 3, [('{a="1"}', "1.0")]),
    ("clamp_min(g, 1)", 1, [('{a="1"}', "1.0")]),
    ("histogram_quantile(0.9, h_bucket)", 6, [("{}", "0.75")]),
    ("histogram_quantile(0.5, h_bucket)", 3, [("{}", "0.30000000000000004")]),
    ("histogram_quantile(0, h_bucket)", 3, [("{}", "0.0")]),
    ("histogram_quantile(1, h_bucket)", 3, [("{}", "1.0")]),
    ("histogram_quantile(0.9, h_bucket)", 0, [("{}", "nan")]),
    ("histogram_quantile(0.5, m_bucket)", 0, [("{}", "0.8")]),
    ("histogram_quantile(0.1, neg_bucket)", 0, [("{}", "-1.0")]),
    ("histogram_quantile(0.5, noinf_bucket)", 0, [("{}", "nan")]),
    ("histogram_quantile(1.5, h_bucket)", 3, [("{}", "inf")]),
    ("histogram_quantile(0.99, rate(h_bucket[5m]))", 6, [("{}", "0.4920000000000001")]),
    (
        'label_replace(v, "dst", "$1-${2}x$$", "src", "(\\\\w+)-(\\\\w+)")',
        0,
        [
            ('{__name__="v", dst="foo-barx$", instance="i1", job="a", src="foo-bar"}', "3.0"),
            ('{__name__="v", instance="i2", job="b", src="baz"}', "4.0"),
        ],
    ),
    (
        'label_replace(v, "job", "", "src", "baz")',
        0,
        [
            ('{__name__="v", instance="i1", job="a", src="foo-bar"}', "3.0"),
            ('{__name__="v", instance="i2", src="baz"}', "4.0"),
        ],
    ),
    (
        'label_replace(v, "new", "$name", "src", "(?P<name>f.o)-.*")',
        0,
        [
            ('{__name__="v", instance="i1", job="a", new="foo", src="foo-bar"}', "3.0"),
            ('{__name__="v", instance="i2", job="b", src="baz"}', "4.0"),
        ],
    ),
    (
        'label_join(v, "dst", ",", "job", "instance", "missing")',
        0,
        [
            ('{__name__="v", dst="a,i1,", instance="i1", job="a", src="foo-bar"}', "3.0"),
            ('{__name__="v", dst="b,i2,", instance="i2", job="b", src="baz"}', "4.0"),
        ],
    ),
    (
        'label_join(v, "job", "")',
        0,
        [
            ('{__name__="v", instance="i1", src="foo-bar"}', "3.0"),
            ('{__name__="v", instance="i2", src="baz"}', "4.0"),
        ],
    ),
    ("year(vector(1136239445))", 0, [("{}", "2006.0")]),
    ("month(vector(1456790399))", 0, [("{}", "2.0")]),
    ("day_of_month(vector(1456790399))", 0, [("{}", "29.0")]),
    ("day_of_week(vector(1136239445))", 0, [("{}", "1.0")]),
    ("day_of_year(vector(1483191420))", 0, [("{}", "366.0")]),
    ("days_in_month(vector(1454284800))", 0, [("{}", "29.0")]),
    ("hour(vector(1136239445))", 0, [("{}", "22.0")]),
    ("minute(vector(1136239445))", 0, [("{}", "4.0")]),
    ("days_in_month(vector(-86400))", 0, [("{}", "31.0")]),
    ("year(vector(-1e10))", 0, [("{}", "1653.0")]),
    ("day_of_week(g)", 6, [('{a="1"}', "4.0")]),
    ("hour()", 6, [("{}", "0.0")]),
    ("timestamp(g)", 6, [('{a="1"}', "360.0")]),
    ("timestamp(w)", 6, [("{}", "120.0")]),
    ("sort_desc(x)", 6, [('{__name__="x", a="1"}', "40.0"), ('{__name__="x", a="2"}', "70.0")]),
    ("scalar(g)", 6, [("{}", "1000.0")]),
    ("scalar(x)", 6, [("{}", "nan")]),
]


@pytest.mark.parametrize(
    ("text", "minutes", "expected"), [pytest.param(*row, id=f"{row[0]}@{row[1]}m") for row in PROMTOOL]
)
def test_matches_promtool(text: str, minutes: int, expected: list[tuple[str, str]]) -> None:
    # promtool prints results sorted by labels.
    assert sorted(run(text, minutes)) == sorted(expected)


ERRORS: list[tuple[str, str]] = [
    ('label_replace(v, "1bad", "", "src", "")', "invalid destination label name in label_replace(): 1bad"),
    ('label_replace(v, "dst", "", "src", "(")', "invalid regular expression in label_replace(): ("),
    ('label_replace(nope, "dst", "", "src", "(")', "invalid regular expression in label_replace(): ("),
    ('label_join(v, "dst", "", "1bad")', "invalid source label name in label_join(): 1bad"),
    ('label_join(v, "1bad", "", "job")', "invalid destination label name in label_join(): 1bad"),
    ('label_replace(x, "a", "same", "a", ".*")', "vector cannot contain metrics with the same labelset"),
    ('label_join(x, "a", "", "missing")', "vector cannot contain metrics with the same labelset"),
    ('rate({__name__=~"x|y"}[5m])', "vector cannot contain metrics with the same labelset"),
    ('abs({__name__=~"x|y"})', "vector cannot contain metrics with the same labelset"),
    ("holt_winters(g[6m], 1, 0.5)", "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000"),
    ("holt_winters(g[6m], 0.5, -0.25)", "invalid trend factor. Expected: 0 < tf < 1, got: -0.250000"),
]


@pytest.mark.parametrize(
    ("text", "message"), [pytest.param(text, message, id=text) for text, message in ERRORS]
)
def test_errors_worded_as_prometheus(text: str, message: str) -> None:
    # Wording as promtool 2.42 reports it.
    with pytest.raises(PromQLError) as raised:
        run(text, 6)
    assert str(raised.value) == message


def test_holt_winters_checks_factors_only_for_series() -> None:
    assert run("holt_winters(nope[6m], 1, 0.5)", 6) == []


def _series(name: str, *values: float, step: int = MINUTE, **labels: str) -> Series:
    return Series(make_labels({NAME: name, **labels}), tuple((i * step, v) for i, v in enumerate(values)))


def call_range(
    name: str, series: list[Series], *, at: int, window: int, compat: int = 2, scalars: tuple[float, ...] = ()
) -> list[tuple[Labels, float]]:
    """Call a range-vector function with the window (at - window, at] already selected."""
    matrix = Matrix(Series(s.labels, tuple(p for p in s.points if at - window <= p[0] <= at)) for s in series)
    args: list[Value] = [matrix, *(Scalar(at, v) for v in scalars)]
    if name == "quantile_over_time":
        args = [args[1], args[0]]
    result = IMPLEMENTATIONS[name](args, Call(at, (), at - window, at, compat))
    assert isinstance(result, Vector)
    return [(s.labels, s.v) for s in result]


def call_instant(name: str, samples: list[Sample], *extra: Value, compat: int = 2) -> Value:
    return IMPLEMENTATIONS[name]([Vector(samples), *extra], Call(0, (), compat=compat))


def _same(a: float, b: float) -> bool:
    return repr(a) == repr(b)  # NaN equals NaN, -0.0 differs from 0.0


# (function, values a minute apart, evaluation minute, window minutes, scalars, compat, expected or None)
RANGE_CASES = [
    pytest.param("rate", (5.0,), 0, 5, (), 2, None, id="rate-one-point-no-output"),
    pytest.param("irate", (5.0,), 0, 5, (), 2, None, id="irate-one-point-no-output"),
    pytest.param("deriv", (5.0,), 0, 5, (), 2, None, id="deriv-one-point-no-output"),
    pytest.param("deriv", (3.0, 3.0, 3.0), 2, 5, (), 2, 0.0, id="deriv-constant-is-zero"),
    pytest.param("deriv", (math.inf, math.inf), 1, 5, (), 2, math.nan, id="deriv-constant-infinite-is-nan"),
    pytest.param("predict_linear", (3.0, 3.0), 1, 5, (600.0,), 2, 3.0, id="predict-constant"),
    pytest.param("increase", (0.0, 10.0, 0.0, 10.0), 3, 3, (), 2, 20.0, id="increase-counter-reset"),
    pytest.param("resets", (5.0, 1.0, 2.0, 0.0), 3, 5, (), 2, 2.0, id="resets-two"),
    pytest.param(
        "changes", (math.nan, math.nan, 1.0), 2, 5, (), 2, 1.0, id="changes-nan-to-nan-is-no-change"
    ),
    # 2.42 caps the start at the counter's zero point (40s) before comparing with 1.1 intervals, so it
    # extrapolates 40s; 3.x first replaces the 180s gap by half an interval (30s), then takes the smaller.
    pytest.param("increase", (10.0, 20.0, 40.0), 2, 5, (), 2, 40.0, id="increase-zero-point-2.42"),
    pytest.param("increase", (10.0, 20.0, 40.0), 2, 5, (), 3, 37.5, id="increase-zero-point-3"),
    pytest.param("sum_over_time", (math.inf, 1.0), 1, 5, (), 2, math.inf, id="sum-inf"),
    pytest.param("sum_over_time", (math.inf, -math.inf), 1, 5, (), 2, math.nan, id="sum-inf-minus-inf"),
    pytest.param("avg_over_time", (1.0, 2.0, 3.0, 4.0), 3, 5, (), 3, 2.5, id="avg-3"),
    pytest.param("avg_over_time", (1e308, 1e308), 1, 5, (), 2, 1e308, id="avg-2.42-no-overflow"),
    pytest.param("avg_over_time", (1e308, 1e308), 1, 5, (), 3, 1e308, id="avg-3-incremental-on-overflow"),
    pytest.param("max_over_time", (math.nan, 1.0, math.nan), 2, 5, (), 2, 1.0, id="max-skips-nan"),
    pytest.param(
        "quantile_over_time", (1.0, 2.0, 3.0, 4.0), 3, 5, (0.25,), 2, 1.75, id="quantile-interpolates"
    ),
    pytest.param("quantile_over_time", (1.0, 2.0), 1, 5, (math.nan,), 2, math.nan, id="quantile-nan-q"),
    pytest.param(
        "stddev_over_time", (2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0), 7, 10, (), 2, 2.0, id="stddev"
    ),
    pytest.param("mad_over_time", (1.0, 2.0, 3.0, 4.0, 100.0), 4, 5, (), 3, 1.0, id="mad"),
    pytest.param("mad_over_time", (1.0, math.nan), 1, 5, (), 3, math.nan, id="mad-nan"),
    pytest.param("ts_of_max_over_time", (1.0, 5.0, 5.0, 2.0), 3, 5, (), 3, 120.0, id="ts-of-max-latest-tie"),
    pytest.param("ts_of_min_over_time", (1.0, 5.0, 1.0, 2.0), 3, 5, (), 3, 120.0, id="ts-of-min-latest-tie"),
    pytest.param("ts_of_first_over_time", (1.0, 5.0), 3, 2, (), 3, 60.0, id="ts-of-first-in-window"),
    pytest.param("ts_of_last_over_time", (1.0, 5.0), 3, 5, (), 3, 60.0, id="ts-of-last"),
    pytest.param("double_exponential_smoothing", (1.0, 2.0, 4.0), 2, 5, (0.5, 0.5), 3, 3.5, id="des"),
]


@pytest.mark.parametrize(("name", "values", "at", "window", "scalars", "compat", "expected"), RANGE_CASES)
def test_range_functions(
    name: str, values: tuple[float, ...], at: int, window: int, scalars: tuple[float, ...], compat: int,
    expected: float | None,
) -> None:  # fmt: skip
    result = call_range(
        name, [_series("m", *values)], at=at * MINUTE, window=window * MINUTE, compat=compat, scalars=scalars
    )
    if expected is None:
        assert result == []
    else:
        assert len(result) == 1 and _same(result[0][1], expected), result


@pytest.mark.parametrize(
    ("name", "keeps"), [("last_over_time", True), ("first_over_time", True), ("rate", False)]
)
def test_metric_name_kept_only_by_last_and_first(name: str, keeps: bool) -> None:
    result = call_range(name, [_series("m", 1.0, 2.0, a="1")], at=MINUTE, window=5 * MINUTE, compat=3)
    assert result[0][0] == (make_labels({NAME: "m", "a": "1"}) if keeps else (("a", "1"),))


def test_series_without_points_in_the_window_give_nothing() -> None:
    assert call_range("count_over_time", [_series("m", 1.0)], at=10 * MINUTE, window=MINUTE) == []
    assert call_range("count_over_time", [], at=0, window=MINUTE) == []


def test_absent_over_time_labels_from_equality_matchers() -> None:
    expr = promql_parser.parse('m{a="1", b=~"2", c="3"}[1m]')
    result = IMPLEMENTATIONS["absent_over_time"]([Matrix([_series("m")])], Call(0, (expr,), -MINUTE, 0))
    assert result == Vector([Sample((("a", "1"), ("c", "3")), 0, 1.0)])


def _samples(*values: float) -> list[Sample]:
    return [Sample((("i", str(i)),), 0, v) for i, v in enumerate(values)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("sort", [-math.inf, 1.0, 3.0, math.nan]), ("sort_desc", [3.0, 1.0, -math.inf, math.nan])],
)
def test_sort_puts_nan_last(name: str, expected: list[float]) -> None:
    result = call_instant(name, _samples(3.0, math.nan, 1.0, -math.inf))
    assert isinstance(result, Vector)
    assert all(_same(s.v, e) for s, e in zip(result, expected, strict=True))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sort_by_label", ["a1b", "a2", "a10", "b", "b"]),
        ("sort_by_label_desc", ["b", "b", "a10", "a2", "a1b"]),
    ],
)
def test_sort_by_label_is_natural(name: str, expected: list[str]) -> None:
    samples = [
        Sample(make_labels({"l": v, "i": str(i)}), 0, 0.0)
        for i, v in enumerate(["a10", "b", "a2", "a1b", "b"])
    ]
    result = call_instant(name, samples, String(0, "l"), compat=3)
    assert isinstance(result, Vector)
    assert [dict(s.labels)["l"] for s in result] == expected
    ties = [dict(s.labels)["i"] for s in result if dict(s.labels)["l"] == "b"]
    assert ties == (["1", "4"] if name == "sort_by_label" else ["4", "1"])


GO_MATH = [
    pytest.param("ln", 0.0, -math.inf, id="ln-zero"),
    pytest.param("ln", -1.0, math.nan, id="ln-negative"),
    pytest.param("log2", 8.0, 3.0, id="log2-power-of-two-exact"),
    pytest.param(
        "log10", 0.1, -0.9999999999999999, id="log10-as-go-computes-it"
    ),  # promtool: -9.999999999999999E-01
    pytest.param("exp", 1000.0, math.inf, id="exp-overflow"),
    pytest.param("sqrt", -1.0, math.nan, id="sqrt-negative"),
    pytest.param("atanh", 1.0, math.inf, id="atanh-one"),
    pytest.param("acosh", 0.5, math.nan, id="acosh-below-one"),
    pytest.param("sin", math.inf, math.nan, id="sin-inf"),
    pytest.param("sinh", -1000.0, -math.inf, id="sinh-overflow"),
    pytest.param("ceil", -0.5, -0.0, id="ceil-keeps-negative-zero"),
    pytest.param("floor", math.nan, math.nan, id="floor-nan"),
    pytest.param("round", -2.5, -2.0, id="round-half-up-negative"),
    pytest.param("round", 2.5, 3.0, id="round-half-up"),
    pytest.param("sgn", -0.0, -0.0, id="sgn-negative-zero"),
    pytest.param("abs", -math.inf, math.inf, id="abs-inf"),
]


@pytest.mark.parametrize(("name", "value", "expected"), GO_MATH)
def test_go_math_special_cases(name: str, value: float, expected: float) -> None:
    result = call_instant(name, [Sample(make_labels({NAME: "m"}), 0, value)])
    assert isinstance(result, Vector)
    assert result[0].labels == () and _same(result[0].v, expected)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(0.0, 1.0, [0.5]), (1.0, 0.0, []), (math.nan, 1.0, [math.nan]), (-math.inf, math.nan, [math.nan])],
)
def test_clamp(low: float, high: float, expected: list[float]) -> None:
    result = call_instant("clamp", _samples(0.5), Scalar(0, low), Scalar(0, high))
    assert isinstance(result, Vector)
    assert [repr(s.v) for s in result] == [repr(v) for v in expected]


def test_scalar_of_empty_vector_is_nan() -> None:
    result = call_instant("scalar", [])
    assert isinstance(result, Scalar) and math.isnan(result.v)


def test_date_functions_without_argument_use_evaluation_time() -> None:
    result = IMPLEMENTATIONS["day_of_week"]([], Call(86_400_000 * 3, ()))
    assert result == Vector([Sample((), 86_400_000 * 3, 0.0)])  # 1970-01-04 was a Sunday


@pytest.mark.parametrize(("compat", "kept"), [(2, ["__type__", "__unit__", "a"]), (3, ["a"])])
def test_prometheus_3_drops_type_and_unit_with_the_name(compat: int, kept: list[str]) -> None:
    labels = make_labels({NAME: "m", "__type__": "counter", "__unit__": "seconds", "a": "1"})
    result = call_instant("abs", [Sample(labels, 0, -1.0)], compat=compat)
    assert isinstance(result, Vector)
    assert [name for name, _ in result[0].labels] == kept


# Go's math functions, as promtool 2.42 (Go 1.19, amd64) computes them: (function, argument, result).
GO_PROMTOOL = [
    ("sin", 1e22, -0.8522008497671889),  # beyond 2**29: Payne-Hanek reduction
    ("cos", 1e300, -0.5753861119575491),
    ("tan", 123456789012.0, 0.08179647247388327),
    ("exp", 0.37, 1.4477346146633245),
    ("exp", -2.2, 0.11080315836233386),
    ("exp", 12.5, 268337.2865208745),
    ("ln", 0.1, -2.3025850929940455),
    ("ln", 7.3, 1.9878743481543455),
    ("ln", 123456.789, 11.723646487185881),
    ("log2", 0.1, -3.321928094887362),
    ("log2", 10.0, 3.321928094887362),
    ("log2", 3.3e-07, -21.531030639740447),
    ("log10", 0.1, -0.9999999999999999),
    ("log10", 7.0, 0.8450980400142568),
    ("log10", 1e-05, -5.0),
    ("sin", 0.37, 0.361615431964962),
    ("sin", -2.2, -0.8084964038195901),
    ("sin", 12.5, -0.06632189735120068),
    ("cos", 0.37, 0.9323273456060344),
    ("cos", -2.2, -0.5885011172553458),
    ("cos", 12.5, 0.9977982791785807),
    ("tan", 0.37, 0.38786316165584905),
    ("tan", -2.2, 1.3738230567687948),
    ("tan", 12.5, -0.06646824186327419),
    ("asin", 0.3, 0.3046926540153975),
    ("asin", -0.71, -0.7894982093461719),
    ("asin", 0.999, 1.5260712396261635),
    ("acos", 0.3, 1.266103672779499),
    ("acos", -0.71, 2.3602945361410685),
    ("acos", 0.999, 0.044725087168733024),
    ("atan", 0.37, 0.3543799191234378),
    ("atan", -2.2, -1.1441688336680205),
    ("atan", 12.5, 1.4909663410826592),
    ("sinh", 0.37, 0.37850014201298493),
    ("sinh", -2.2, -4.457105170535894),
    ("sinh", 12.5, 134168.64325857392),
    ("cosh", 0.37, 1.0692344726503396),
    ("cosh", -2.2, 4.567908328898228),
    ("cosh", 12.5, 134168.64326230055),
    ("tanh", 0.37, 0.35399171247704597),
    ("tanh", -2.2, -0.9757431300314515),
    ("tanh", 12.5, 0.9999999999722241),
    ("asinh", 0.37, 0.3620391212409711),
    ("asinh", -2.2, -1.529660495090404),
    ("asinh", 12.5, 3.220471998464453),
    ("acosh", 1.5, 0.9624236501192069),
    ("acosh", 3.7, 1.9826969446812033),
    ("acosh", 1000000000.0, 21.416413017506354),
    ("atanh", 0.3, 0.30951960420311175),
    ("atanh", -0.71, -0.8871838632580928),
    ("atanh", 0.999, 3.8002011672501994),
]


@pytest.mark.parametrize(
    ("name", "value", "expected"), [pytest.param(*row, id=f"{row[0]}({row[1]})") for row in GO_PROMTOOL]
)
def test_go_math_bit_for_bit(name: str, value: float, expected: float) -> None:
    result = call_instant(name, [Sample((), 0, value)])
    assert isinstance(result, Vector)
    assert repr(result[0].v) == repr(expected)


@given(st.integers(min_value=-62_135_596_800, max_value=253_402_300_799))
def test_civil_date_matches_the_gregorian_calendar(seconds: int) -> None:
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=seconds)
    expected = (moment.year, moment.month, moment.day, moment.hour, moment.minute)
    weekday = (moment.weekday() + 1) % 7  # Python counts from Monday, Go from Sunday
    assert civil(seconds) == (*expected, weekday, moment.timetuple().tm_yday)


# promtool 2.42: Inf and NaN become the minimum int64 seconds, which Go's time package wraps around.
@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [("year", math.inf, 292277026596.0), ("minute", math.nan, 30.0), ("month", -math.inf, 12.0)],
)
def test_date_of_non_finite_values_wraps_as_go_does(name: str, value: float, expected: float) -> None:
    result = call_instant(name, [Sample((), 0, value)])
    assert isinstance(result, Vector) and result[0].v == expected

"""The engine by tables: each case loads series in the test-script notation, evaluates one expression at
one time and compares as Prometheus's test scripts compare (labels, values within 1e-6, order when
asked)."""

from __future__ import annotations

import math

import pytest

from mmlint.promql.call import Implementation
from mmlint.promql.engine import EngineOptions, ParseError, PromQLError, instant_query
from mmlint.promql.scripts import Eval, Load, compare, parse_script
from mmlint.promql.series_notation import parse_series
from mmlint.promql.storage import Storage
from mmlint.promql.values import Matrix, Scalar, Series, Value, Vector

NO_FUNCTIONS: dict[str, Implementation] = {}

DATA = """
load 1m
    x{a="1"} 1 2 3 4 5 6 7 8 9 10
    x{a="2"} 10 20 30 40 50 60 70 80 90 100
    y{a="1", b="p"} 2 2 2 2 2 2 2 2 2 2
    y{a="2", b="q"} 0 0 0 0 0 0 0 0 0 0
    z{a="10"} 5 5 5 5 5 5 5 5 5 5
    stale_one 1 stale _ 4
    sparse 1 _ _ _ _ _ _ _ _ 2
    neg{a="1"} -7 -7 -7 -7 -7 -7 -7 -7 -7 -7
    other{a="1"} 1 1 1 1 1 1 1 1 1 1
    other{a="2"} 2 2 2 2 2 2 2 2 2 2
    many{a="1", b="1"} 1 1 1 1 1 1 1 1 1 1
    many{a="1", b="2"} 2 2 2 2 2 2 2 2 2 2
    one{a="1", c="k"} 10 10 10 10 10 10 10 10 10 10
    pre{} 1+1x10
"""


def storage() -> Storage:
    store = Storage()
    for command in parse_script(DATA):
        assert isinstance(command, Load)
        for series in command.series:
            store.add(
                series.labels,
                ((i * command.step_ms, v) for i, v in enumerate(series.values) if v is not None),
            )
    return store


STORE = storage()


def evaluate(expr: str, at_s: float, *, compat: int = 2, **options: int) -> Value:
    opts = EngineOptions(compat=compat, **options)
    return instant_query(expr, STORE, round(at_s * 1000), opts, functions=NO_FUNCTIONS)


def expect(expected: str, *, ordered: bool = False) -> Eval:
    """Expected lines in the script notation: `{a="1"} 5` per line, or one number for a scalar."""
    command = Eval(0, "", 0, ordered=ordered)
    for line in filter(None, (line.strip() for line in expected.splitlines())):
        try:
            command.scalar = float(line)
        except ValueError:
            command.expected.append(parse_series(line))
    return command


# (id, expr, time in seconds, expected lines); compat 2 unless the id says v3.
CASES = [
    ("selector", 'x{a="1"}', 120, 'x{a="1"} 3'),
    ("regex-anchored", 'x{a=~"1"}', 120, 'x{a="1"} 3'),
    ("regex-alternation", '{a=~"1|10", __name__=~"x|z"}', 0, 'x{a="1"} 1\nz{a="10"} 5'),
    ("not-regex", 'x{a!~"1"}', 0, 'x{a="2"} 10'),
    ("not-equal-missing-label", 'y{b!="p"}', 0, 'y{a="2", b="q"} 0'),
    ("lookback-inclusive-v2", "sparse", 300, "sparse 1"),
    ("lookback-past", "sparse", 301, ""),
    ("staleness-ends-series", "stale_one", 60, ""),
    ("before-stale-marker", "stale_one", 59, "stale_one 1"),
    ("after-stale-new-sample", "stale_one", 180, "stale_one 4"),
    ("offset", 'x{a="1"} offset 2m', 300, 'x{a="1"} 4'),
    ("negative-offset", 'x{a="1"} offset -2m', 60, 'x{a="1"} 4'),
    ("at", 'x{a="1"} @ 120', 540, 'x{a="1"} 3'),
    ("at-and-offset", 'x{a="1"} @ 240 offset 1m', 0, 'x{a="1"} 4'),
    ("at-start", 'x{a="1"} @ start()', 240, 'x{a="1"} 5'),
    ("at-before-1970", 'x{a="1"} @ -1', 600, ""),
    ("hex-literal", "0x1F", 0, "31"),
    ("inf-literal", "-Inf", 0, "-inf"),
    ("nan-literal", "NaN", 0, "nan"),
    ("precedence", "2 + 3 * 2 ^ 3 ^ 2 / 512", 0, "5"),
    ("unary-power", "-2 ^ 2", 0, "-4"),
    ("scalar-comparison-bool", "1 < bool 2", 0, "1"),
    ("division-by-zero", 'x{a="1"} / 0', 0, '{a="1"} +Inf'),
    ("zero-by-zero", 'y{a="2"} / 0', 0, '{a="2", b="q"} NaN'),
    ("negative-by-zero", "neg / 0", 0, '{a="1"} -Inf'),
    ("modulo-go", "neg % 3", 0, '{a="1"} -1'),
    ("power", "x ^ 2", 60, '{a="1"} 4\n{a="2"} 400'),
    ("atan2-keeps-name", 'x{a="1"} atan2 1', 0, 'x{a="1"} 0.7853981633974483'),
    ("filter-keeps-name", "x > 5", 60, 'x{a="2"} 20'),
    ("filter-scalar-left", "5 < x", 60, 'x{a="2"} 20'),
    ("bool-drops-name", "x > bool 5", 60, '{a="1"} 0\n{a="2"} 1'),
    ("vector-match", "x + other", 60, '{a="1"} 3\n{a="2"} 22'),
    ("vector-compare", "x > other", 0, 'x{a="2"} 10'),
    ("on", "x + on(a) y", 0, '{a="1"} 3\n{a="2"} 10'),
    ("ignoring", "y + ignoring(b) x", 0, '{a="1"} 3\n{a="2"} 10'),
    ("group-left", "many * on(a) group_left(c) one", 0, '{a="1", b="1", c="k"} 10\n{a="1", b="2", c="k"} 20'),
    ("group-right", "one * on(a) group_right many", 0, '{a="1", b="1"} 10\n{a="1", b="2"} 20'),
    ("and", "x and y", 0, ""),
    ("and-ignoring", "x and ignoring(b) y", 0, 'x{a="1"} 1\nx{a="2"} 10'),
    ("and-on", "x and on(a) y", 0, 'x{a="1"} 1\nx{a="2"} 10'),
    ("or", "y or on(a) x", 0, 'y{a="1", b="p"} 2\ny{a="2", b="q"} 0'),
    ("or-adds", "x or z", 0, 'x{a="1"} 1\nx{a="2"} 10\nz{a="10"} 5'),
    ("unless", 'x unless on(a) y{b="p"}', 0, 'x{a="2"} 10'),
    ("sum-by", "sum by (a) (x or y)", 0, '{a="1"} 3\n{a="2"} 10'),
    ("sum-without", "sum without (b) (y)", 0, '{a="1"} 2\n{a="2"} 0'),
    ("sum-by-name", "sum by (__name__) (y)", 0, "y 2"),
    ("avg", "avg(x)", 0, "{} 5.5"),
    ("count", "count(x)", 0, "{} 2"),
    ("min-max", "max(x) - min(x)", 0, "{} 9"),
    ("group", "group by (a) (x)", 0, '{a="1"} 1\n{a="2"} 1'),
    ("stddev", "stddev(x)", 0, "{} 4.5"),
    ("stdvar", "stdvar(x)", 0, "{} 20.25"),
    ("quantile", "quantile(0.5, x)", 0, "{} 5.5"),
    ("quantile-above-one", "quantile(1.5, x)", 0, "{} +Inf"),
    ("quantile-below-zero", "quantile(-1, x)", 0, "{} -Inf"),
    ("count-values", 'count_values("value", y)', 0, '{value="2"} 1\n{value="0"} 1'),
    ("count-values-by", 'count_values by (a) ("v", x)', 0, '{a="1", v="1"} 1\n{a="2", v="10"} 1'),
    ("topk-k-zero", "topk(0, x)", 0, ""),
    ("subquery-top-level", 'x{a="1"}[3m:1m]', 180, ""),
]


@pytest.mark.parametrize(("expr", "at_s", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_instant_query(expr: str, at_s: float, expected: str) -> None:
    result = evaluate(expr, at_s)
    if isinstance(result, Matrix):
        assert expected == "" and all(series.points for series in result)
        return
    assert isinstance(result, Vector | Scalar)
    assert compare(expect(expected), result) == ""


ORDERED = [
    ("topk", "topk(2, x or z)", 0, 'x{a="2"} 10\nz{a="10"} 5'),
    ("bottomk", "bottomk(2, x or z)", 0, 'x{a="1"} 1\nz{a="10"} 5'),
]


@pytest.mark.parametrize(("expr", "at_s", "expected"), [c[1:] for c in ORDERED], ids=[c[0] for c in ORDERED])
def test_ordered(expr: str, at_s: float, expected: str) -> None:
    result = evaluate(expr, at_s)
    assert isinstance(result, Vector)
    assert compare(expect(expected, ordered=True), result) == ""


# (id, expr, time s, compat 2 expected, compat 3 expected): Prometheus 3's windows are left-open.
WINDOWS = [
    ("lookback-edge", "sparse", 300, "sparse 1", ""),
    ("lookback-inside", "sparse", 299, "sparse 1", "sparse 1"),
]


@pytest.mark.parametrize(("expr", "at_s", "v2", "v3"), [c[1:] for c in WINDOWS], ids=[c[0] for c in WINDOWS])
def test_dialect_windows(expr: str, at_s: float, v2: str, v3: str) -> None:
    for compat, expected in ((2, v2), (3, v3)):
        result = evaluate(expr, at_s, compat=compat)
        assert isinstance(result, Vector)
        assert compare(expect(expected), result) == "", compat


def points(result: Value) -> list[tuple[int, float]]:
    assert isinstance(result, Matrix) and len(result) == 1
    series = result[0]
    assert isinstance(series, Series)
    return list(series.points)


@pytest.mark.parametrize(
    ("expr", "at_s", "compat", "expected"),
    [
        ('x{a="1"}[2m]', 180, 2, [(60_000, 2.0), (120_000, 3.0), (180_000, 4.0)]),
        ('x{a="1"}[2m]', 180, 3, [(120_000, 3.0), (180_000, 4.0)]),
        ('x{a="1"}[2m] offset 1m', 180, 2, [(0, 1.0), (60_000, 2.0), (120_000, 3.0)]),
        ('x{a="1"}[1m] @ 60', 600, 2, [(0, 1.0), (60_000, 2.0)]),
        ("stale_one[5m]", 240, 2, [(0, 1.0), (180_000, 4.0)]),
        # Subquery steps are multiples of the step in absolute time: 2m, 4m, 6m (and 2m only in v2).
        ('x{a="1"}[5m:2m]', 420, 2, [(120_000, 3.0), (240_000, 5.0), (360_000, 7.0)]),
        ('x{a="1"}[4m:2m]', 360, 2, [(120_000, 3.0), (240_000, 5.0), (360_000, 7.0)]),
        ('x{a="1"}[4m:2m]', 360, 3, [(240_000, 5.0), (360_000, 7.0)]),
        ('x{a="1"}[3m:1m] offset 1m', 240, 2, [(0, 1.0), (60_000, 2.0), (120_000, 3.0), (180_000, 4.0)]),
        ('x{a="1"}[2m:1m] @ 120', 600, 2, [(0, 1.0), (60_000, 2.0), (120_000, 3.0)]),
        ('(x{a="1"} + 1)[90s:30s]', 90, 2, [(0, 2.0), (30_000, 2.0), (60_000, 3.0), (90_000, 3.0)]),
    ],
)
def test_range_vectors(expr: str, at_s: float, compat: int, expected: list[tuple[int, float]]) -> None:
    assert points(evaluate(expr, at_s, compat=compat)) == expected


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("many + on(a) one", "many-to-one matching must be explicit"),
        ("one + on(a) many", 'found duplicate series for the match group {a="1"} on the right hand-side'),
        ("one + on(a) group_left many", 'found duplicate series for the match group {a="1"} on the right'),
        ("many * on(a) group_right one", 'found duplicate series for the match group {a="1"} on the left'),
        ("many * on(a) group_left one", ""),
        ('{__name__=~"x|other"} * 1', "vector cannot contain metrics with the same labelset"),
        ('-{__name__=~"x|other"}', "vector cannot contain metrics with the same labelset"),
        ('count_values("a-b", x)', 'invalid label name "a-b"'),
        ("topk(1e30, x)", "overflows int64"),
        ('x{a=~"(?<n>1)"}', ""),
    ],
)
def test_errors(expr: str, message: str) -> None:
    if not message:
        evaluate(expr, 0)
        return
    with pytest.raises(PromQLError, match=None) as raised:
        evaluate(expr, 0)
    assert message in str(raised.value)


def test_parse_error_is_a_promql_error() -> None:
    with pytest.raises(ParseError):
        evaluate("sum(", 0)
    assert issubclass(ParseError, PromQLError)


def test_bounds_give_errors_not_hangs() -> None:
    with pytest.raises(PromQLError, match="too many samples"):
        evaluate("x[10m]", 600, max_samples=5)
    with pytest.raises(PromQLError, match="nested deeper"):
        evaluate("(" * 500 + "1" + ")" * 500, 0)
    with pytest.raises(PromQLError, match="more than 1,000,000 steps"):
        evaluate("x[30d:1s]", 600)


def test_go_float_semantics() -> None:
    from mmlint.promql.binops import go_atan2, go_mod, go_pow
    from mmlint.promql.functions_gomath import go_div

    assert go_div(-1.0, 0.0) == -math.inf and go_div(1.0, -0.0) == -math.inf
    assert math.isnan(go_div(0.0, 0.0)) and math.isnan(go_mod(1.0, 0.0)) and math.isnan(go_mod(math.inf, 2))
    assert go_mod(-7.0, 3.0) == -1.0 and go_mod(5.0, math.inf) == 5.0
    assert go_pow(0.0, -1.0) == math.inf and go_pow(-0.0, -1.0) == -math.inf
    assert (
        math.isnan(go_pow(-8.0, 1 / 3))
        and go_pow(10.0, 400.0) == math.inf
        and go_pow(-10.0, 401.0) == -math.inf
    )
    assert go_pow(2.0, 10.0) == 1024.0 and go_pow(2.0, -2.0) == 0.25 and go_pow(9.0, 0.5) == 3.0
    # Go's repeated squaring rounds 1.1^10 differently from C's pow (2.5937424601000023); promtool 2.42
    # renders these three as `$value`.
    assert go_pow(1.1, 10.0) == 2.593742460100002
    assert go_pow(3.0, 0.3) == 1.3903891703159093 and go_pow(7.5, 13.7) == 9.735075151281027e11
    assert go_pow(42.01077747464309, 2.078096214979494) == 2363.196123156278  # C: 2363.1961231562777
    # Go's Atan2 is Cephes' atan, not C's: promtool 2.42 gives these (C gives -0.67272332046129 and
    # 1.651593813970557).
    assert go_atan2(-95.24089298036279, 119.5447721609919) == -0.6727233204612899
    assert go_atan2(848.4211680474587, -68.6998598004534) == 1.6515938139705568
    assert go_atan2(math.inf, -math.inf) == 3 * math.pi / 4 and math.copysign(1, go_atan2(-0.0, 1.0)) == -1


def test_storage_orders_and_replaces() -> None:
    store = Storage()
    labels = (("__name__", "m"),)
    store.add(labels, [(0, 1.0), (60_000, 2.0)])
    store.append(labels, 30_000, 5.0)
    store.append(labels, 60_000, 7.0)
    (series,) = store.series()
    assert series.times == [0, 30_000, 60_000] and series.values == [1.0, 5.0, 7.0]


def test_dialect_differences() -> None:
    store = Storage()
    store.add((("__name__", "nl"), ("a", "x\ny")), [(0, 1.0)])
    store.add((("__name__", "big"), ("i", "1")), [(0, 1e100)])
    store.add((("__name__", "big"), ("i", "2")), [(0, 1.0)])
    store.add((("__name__", "big"), ("i", "3")), [(0, -1e100)])
    store.add((("__name__", "many"), ("b", "1"), ("j", "t")), [(0, 0.0)])
    store.add((("__name__", "many"), ("b", "2"), ("j", "t")), [(0, 1.0)])
    store.add((("__name__", "one"), ("j", "t")), [(0, 1.0)])

    def run(expr: str, compat: int) -> Value:
        return instant_query(expr, store, 0, EngineOptions(compat=compat))

    # `.` matches a newline in Prometheus 3's matchers only.
    assert compare(expect(""), run('nl{a=~"x.y"}', 2)) == ""
    assert compare(expect('nl{a="x\\ny"} 1'), run('nl{a=~"x.y"}', 3)) == ""
    # Prometheus 3 sums with compensation: the 1 survives 1e100 - 1e100.
    assert compare(expect("{} 0"), run("sum(big)", 2)) == ""
    assert compare(expect("{} 1"), run("sum(big)", 3)) == ""
    # Prometheus 3 reports a many-to-one match even when the comparison filters it away.
    assert compare(expect('{j="t"} 1'), run("many >= on(j) one", 2)) == ""
    with pytest.raises(PromQLError, match="many-to-one matching must be explicit"):
        run("many >= on(j) one", 3)
    # Each dialect knows its own functions only.
    with pytest.raises(ParseError, match="holt_winters"):
        run("holt_winters(big[5m], 0.5, 0.5)", 3)
    with pytest.raises(ParseError, match="double_exponential_smoothing"):
        run("double_exponential_smoothing(big[5m], 0.5, 0.5)", 2)


def test_timestamp_uses_sample_times() -> None:
    result = instant_query("timestamp(sparse)", STORE, 240_000)
    assert compare(expect("{} 0"), result) == ""
    result = instant_query('timestamp(x{a="1"} offset 1m)', STORE, 240_000)
    assert compare(expect('{a="1"} 180'), result) == ""
    # As in Prometheus, a pinned selector inside timestamp() ignores its offset.
    result = instant_query('timestamp(x{a="1"} @ 120 offset 1m)', STORE, 540_000)
    assert compare(expect('{a="1"} 120'), result) == ""


def test_experimental_aggregations_are_rejected_clearly() -> None:
    with pytest.raises(ParseError, match=r"limitk is not an aggregation in Prometheus 2\.42"):
        evaluate("limitk(1, x)", 0)
    with pytest.raises(PromQLError, match="limit_ratio is experimental"):
        evaluate("limit_ratio(0.5, x)", 0, compat=3)

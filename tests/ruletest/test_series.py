"""Series notation as Prometheus 2.42's ParseSeriesDesc reads it, and its bounds."""

from __future__ import annotations

import math

import pytest

from mmlint.promql.values import is_stale
from mmlint.ruletest.series import SeriesError, parse_metric, parse_series_desc, points

N = None


@pytest.mark.parametrize(
    ("text", "labels", "values"),
    [
        pytest.param("x 1 2 3", (("__name__", "x"),), [1, 2, 3], id="plain"),
        pytest.param("x 1x3", (("__name__", "x"),), [1, 1, 1, 1], id="repeat-is-n-plus-one"),
        pytest.param("x 1+2x2", (("__name__", "x"),), [1, 3, 5], id="increment"),
        pytest.param("x 5-1x2", (("__name__", "x"),), [5, 4, 3], id="decrement"),
        pytest.param("x -1-0.5x2", (("__name__", "x"),), [-1, -1.5, -2], id="negative-start"),
        pytest.param("x _ 1 _x2 2", (("__name__", "x"),), [N, 1, N, N, 2], id="blanks-are-n"),
        pytest.param("x 010 1e3 .5 +7", (("__name__", "x"),), [8, 1000, 0.5, 7], id="go-numbers-octal"),
        pytest.param("x{a=\"b\", c='d'} 1", (("__name__", "x"), ("a", "b"), ("c", "d")), [1], id="labels"),
        pytest.param('{__name__="x",} 1', (("__name__", "x"),), [1], id="name-label-trailing-comma"),
        pytest.param("x", (("__name__", "x"),), [], id="no-values"),
        pytest.param("x 1 ", (("__name__", "x"),), [1], id="trailing-space"),
        pytest.param('x{a="\\"q\\" \\u00e9"} 1', (("__name__", "x"), ("a", '"q" é')), [1], id="escapes"),
    ],
)
def test_parse_series(text: str, labels: tuple[tuple[str, str], ...], values: list[float | None]) -> None:
    desc = parse_series_desc(text)
    assert desc.labels == labels
    assert desc.values(1000) == values
    assert len(desc) == len(values)


def test_special_values() -> None:
    desc = parse_series_desc("x stale Inf -Inf NaN")
    stale, inf, neg, nan = desc.values(10)
    assert stale is not None and is_stale(stale)
    assert inf == math.inf and neg == -math.inf
    assert nan is not None and math.isnan(nan) and not is_stale(nan)


def test_increment_adds_step_by_step_as_go_does() -> None:
    desc = parse_series_desc("x 0+0.1x3")
    assert desc.values(10) == [0.0, 0.1, 0.2, 0.30000000000000004]


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        pytest.param('x{a="b"}1', 8, id="no-space-after-labels"),
        pytest.param("x 1-1", 5, id="step-without-repeat"),
        pytest.param("x foo", 2, id="identifier"),
        pytest.param("x -stale", 3, id="signed-stale"),
        pytest.param('x{a=~"b"} 1', 3, id="regex-matcher"),
        pytest.param("x{a=b} 1", 4, id="unquoted-value"),
        pytest.param('x{a="b} 1', 4, id="unterminated-string"),
        pytest.param("x 1x", 4, id="missing-count"),
        pytest.param("x 1xa", 4, id="bad-count"),
        pytest.param("x 1a", 2, id="bad-number"),
        pytest.param("x _y", 3, id="blank-followed-by-junk"),
        pytest.param("1 2", 0, id="no-metric"),
    ],
)
def test_bad_series(text: str, offset: int) -> None:
    with pytest.raises(SeriesError) as error:
        parse_series_desc(text)
    assert error.value.offset == offset


def test_huge_repetitions_are_never_expanded_whole() -> None:
    desc = parse_series_desc("x 1+1x100000000 _x100000000 0x10000000")
    assert len(desc) == 100_000_001 + 100_000_000 + 10_000_001
    assert desc.values(3) == [1.0, 2.0, 3.0]
    assert points(desc, 60_000, steps=2) == [(0, 1.0), (60_000, 2.0)]


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("x", (("__name__", "x"),)),
        ("", ()),
        ('{job="a"}', (("job", "a"),)),
        ('job:rate5m{job="a"}', (("__name__", "job:rate5m"), ("job", "a"))),
    ],
)
def test_parse_metric(text: str, labels: tuple[tuple[str, str], ...]) -> None:
    assert parse_metric(text) == labels


def test_parse_metric_rejects_trailing_text() -> None:
    with pytest.raises(SeriesError):
        parse_metric('x{a="b"} 1')


def test_points_interval_and_omitted() -> None:
    desc = parse_series_desc("x 1 _ 3 4")
    assert points(desc, 60_000, steps=3) == [(0, 1.0), (120_000, 3.0)]


def test_points_without_interval_keep_the_first_value_at_zero() -> None:
    # promtool 2.42 loads `load 0s`: every value at t=0, the TSDB keeps the first one.
    desc = parse_series_desc("x _ 1 2 3")
    assert points(desc, 0, steps=4) == [(0, 1.0)]

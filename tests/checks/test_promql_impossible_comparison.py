"""Value bounds and the comparisons they rule out (mmlint.promql.bounds), one expression a row."""

from __future__ import annotations

import promql_parser
import pytest

from mmlint.promql.bounds import bounds, possible


def never_true(text: str) -> bool:
    expr = promql_parser.parse(text)
    assert isinstance(expr, promql_parser.BinaryExpr)
    return not possible(str(expr.op), bounds(expr.lhs), bounds(expr.rhs))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("rate(x[5m]) < 0", id="rate-negative"),
        pytest.param("irate(x[5m]) <= -1", id="irate-below-minus-one"),
        pytest.param("count(x) == 0", id="count-zero"),
        pytest.param("count(x) < 1", id="count-below-one"),
        pytest.param("count_over_time(x[5m]) <= 0", id="count-over-time-zero"),
        pytest.param("absent(x) > 1", id="absent-above-one"),
        pytest.param("absent(x) == 0", id="absent-zero"),
        pytest.param("group(x) != 1", id="group-not-one"),
        pytest.param("(x > bool 1) > 1", id="bool-above-one"),
        pytest.param("(x == bool 1) < 0", id="bool-negative"),
        pytest.param("(x > 5) < 3", id="filtered-above"),
        pytest.param("(x > 5) <= 5", id="filtered-open-bound"),
        pytest.param("(5 < x) <= 5", id="filtered-scalar-on-left"),
        pytest.param("sum(rate(x[5m])) < 0", id="sum-of-non-negative"),
        pytest.param("max(count(x) by (a)) < 1", id="max-keeps-bounds"),
        pytest.param("rate(x[5m]) + 1 < 1", id="plus-shifts"),
        pytest.param("-abs(x) > 0", id="negated"),
        pytest.param("(rate(x[5m]) or count(y)) < 0", id="or-hull"),
        pytest.param("abs(x) < 0", id="abs"),
    ],
)
def test_never_true(text: str) -> None:
    assert never_true(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("x < 0", id="unknown"),
        pytest.param("rate(x[5m]) >= 0", id="always-true-is-not-impossible"),
        pytest.param("rate(x[5m]) <= 0", id="rate-zero"),
        pytest.param("count(x) <= 1", id="count-one"),
        pytest.param("(x >= 5) <= 5", id="closed-bound"),
        pytest.param("-rate(x[5m]) < 0", id="negated-rate"),
        pytest.param("rate(x[5m]) - 1 < 0", id="minus-shifts"),
        pytest.param("sum(x) < 0", id="sum-unknown"),
        pytest.param("sum(-rate(x[5m])) < 0", id="sum-of-non-positive"),
        pytest.param("quantile(0.5, count(x)) < 1", id="quantile-unbounded"),
        pytest.param("(x > bool 1) >= 1", id="bool-one"),
        pytest.param("rate(x[5m]) * -1 < 0", id="times-negative"),
        pytest.param("absent(x) != 2", id="not-equal"),
    ],
)
def test_possible(text: str) -> None:
    assert not never_true(text)

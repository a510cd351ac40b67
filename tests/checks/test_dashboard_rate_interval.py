from __future__ import annotations

import pytest

from mmlint.checks import dashboard_rate_interval as check
from tests.checks.dashboards import project, with_expr

LINE, COLUMN = 20, 20


@pytest.mark.parametrize(
    ("expr", "flagged"),
    [
        pytest.param("rate(x[5m])", ["5m"], id="fixed"),
        pytest.param("rate(x[$__rate_interval])", [], id="rate-interval"),
        pytest.param("rate(x[${__rate_interval}])", [], id="braced"),
        pytest.param("irate(x[[[__rate_interval]]])", [], id="brackets"),
        pytest.param("increase(x[$__range])", [], id="range"),
        pytest.param("rate(x[$__interval])", ["$__interval"], id="interval"),
        pytest.param("delta(x[5m])", [], id="other-function"),
        pytest.param("rate(x[5m:1m])", [], id="subquery"),
        pytest.param("max_over_time(rate(x[1m])[5m:])", ["1m"], id="inside-subquery"),
        pytest.param("rate(x[5m] offset 1h) / increase(y[$__rate_interval])", ["5m"], id="offset"),
        pytest.param('sum(rate(x{a=~"$__rate_interval"}[2m]))', ["2m"], id="reference-elsewhere"),
    ],
)
def test_ranges(expr: str, flagged: list[str]) -> None:
    found = list(check.check(project(with_expr(expr)), check.Options()))
    # JSON escapes each `"` of the expression with one more character.
    starts = [expr.index(f"[{written}]") + 1 for written in flagged]
    columns = [COLUMN + start + expr[:start].count('"') for start in starts]
    assert [(f.location.line, f.location.column) for f in found] == [(LINE, c) for c in columns]


def test_options_choose_functions_and_variables() -> None:
    options = check.Options(functions=frozenset({"delta"}), allowed=frozenset({"__interval"}))
    expr = "delta(x[5m]) + delta(x[$__interval]) + rate(x[1m])"
    found = list(check.check(project(with_expr(expr)), options))
    assert [f.location.column for f in found] == [COLUMN + 8]
    assert "`$__interval`" in found[0].message

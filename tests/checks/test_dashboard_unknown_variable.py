from __future__ import annotations

import pytest

from mmlint.checks import dashboard_unknown_variable as check
from tests.checks.dashboards import project, with_expr

LINE, COLUMN = 20, 20


@pytest.mark.parametrize(
    ("expr", "culprits"),
    [
        pytest.param('up{a="$datasource"}', [], id="defined"),
        pytest.param("rate(up[$__rate_interval])", [], id="builtin"),
        pytest.param('up{a="$nope"}', ["$nope"], id="unknown"),
        pytest.param('up{a="${nope:csv}"}', ["${nope"], id="braced"),
        pytest.param('up{a="[[nope]]"}', ["[[nope"], id="brackets"),
        pytest.param("rate(up[$__rate_intervall])", ["$__rate"], id="builtin-typo"),
        pytest.param('up{a="${datasource:nosuch}"}', ["${data"], id="unknown-format"),
        pytest.param('label_replace(up, "b", "$1", "a", "(.*)")', [], id="group-number"),
        pytest.param('label_replace(up, "b", "$host", "a", "(?P<host>.*)")', [], id="named-group"),
    ],
)
def test_references(expr: str, culprits: list[str]) -> None:
    found = list(check.check(project(with_expr(expr))))
    # JSON escapes each `"` of the expression with one more character.
    columns = [COLUMN + expr.index(c) + expr[: expr.index(c)].count('"') for c in culprits]
    assert [(f.location.line, f.location.column) for f in found] == [(LINE, c) for c in columns]

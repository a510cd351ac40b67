"""`--rules=read`: only the rules a test group reads, found through metric names, transitively."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmlint.promql.engine import parse
from mmlint.ruletest.needed import metric_names, needed_rules
from mmlint.ruletest.rules_eval import LoadedGroup, load_groups

RULES = """\
groups:
  - name: g1
    rules:
      - record: a:sum
        expr: sum(a)
      - record: b:sum
        expr: sum(b)
      - record: ab
        expr: a:sum + b:sum
  - name: g2
    rules:
      - alert: HighA
        expr: a:sum > 1
      - alert: HighB
        expr: b:sum > 1
      - alert: Queries
        expr: c > 1
        annotations: {x: '{{ query "up" }}'}
      - record: alerts:count
        expr: count(ALERTS)
"""


ALL = ["a:sum", "b:sum", "ab", "HighA", "HighB", "Queries", "alerts:count"]


@pytest.fixture
def groups(tmp_path: Path) -> tuple[LoadedGroup, ...]:
    path = tmp_path / "r.yml"
    path.write_text(RULES)
    return load_groups([(path, "r.yml")], ())


def names(groups: tuple[LoadedGroup, ...]) -> list[str]:
    return [rule.name for group in groups for rule in group.rules]


@pytest.mark.parametrize(
    ("alerts", "exprs", "expected"),
    [
        pytest.param([], ["ab"], ["a:sum", "b:sum", "ab"], id="transitive"),
        pytest.param(["HighA"], [], ["a:sum", "HighA"], id="alert-and-its-input"),
        pytest.param([], ["a"], [], id="input-series-only"),
        # ALERTS reads every alerting rule, and `Queries` may query anything from its template.
        pytest.param([], ["alerts:count"], ALL, id="alerts-then-template-query"),
        pytest.param([], ['{__name__="b:sum"}'], ["b:sum"], id="name-matcher"),
        pytest.param(
            [], ['{job="x"}'], ["a:sum", "b:sum", "ab", "HighA", "HighB", "Queries", "alerts:count"], id="any"
        ),
        pytest.param([], ["sum("], [], id="unparsable-is-left-to-the-test"),
    ],
)
def test_needed_rules(
    groups: tuple[LoadedGroup, ...], alerts: list[str], exprs: list[str], expected: list[str]
) -> None:
    assert names(needed_rules(groups, alerts, exprs)) == expected


def test_metric_names() -> None:
    assert metric_names(parse("rate(x[5m]) / on() group_left y offset 1m")) == {"x", "y"}
    assert metric_names(parse('{__name__=~"x.*"}')) is None

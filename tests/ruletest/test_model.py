"""The unit-test file model: promtool's fields, Go's YAML scalars, strictness, positions."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from mmlint.ruletest.model import ModelError, TestFile, read_test_file

FULL = """\
rule_files: [rules.yml]
evaluation_interval: 30s
group_eval_order: [a, b]
tests:
  - name: first
    interval: 1m
    external_labels: {cluster: c1}
    external_url: http://example
    input_series:
      - series: up{job="x"}
        values: 1 0 0
    alert_rule_test:
      - eval_time: 5m
        alertname: Down
        exp_alerts:
          - exp_labels: {job: x, ratio: 1.0, flag: true, n: 010}
            exp_annotations: {summary: "down"}
          - {}
    promql_expr_test:
      - expr: up
        eval_time: 1m
        exp_samples:
          - labels: up{job="x"}
            value: 6E-01
          - value: 1e3
          - value: 0x10
          - value: .inf
          - value: 1_000
"""


def load(tmp_path: Path, text: str) -> TestFile:
    path = tmp_path / "t.yml"
    path.write_text(text)
    return read_test_file(path, "t.yml")


def test_full_file(tmp_path: Path) -> None:
    model = load(tmp_path, FULL)
    assert model.rule_files == ("rules.yml",)
    assert model.evaluation_interval_ms == 30_000
    assert model.group_eval_order == ("a", "b")
    (group,) = model.tests
    assert (group.name, group.interval_ms, group.external_url) == ("first", 60_000, "http://example")
    assert group.external_labels == (("cluster", "c1"),)
    assert group.input_series[0].values == "1 0 0"
    assert group.input_series[0].location.line == 10
    alert = group.alert_tests[0]
    assert (alert.eval_time_ms, alert.alertname, alert.location.line) == (300_000, "Down", 13)
    # Go's yaml keeps the text of a scalar decoded into a string: 1.0 stays "1.0", true stays "true".
    assert dict(alert.exp_alerts[0].labels) == {"job": "x", "ratio": "1.0", "flag": "true", "n": "010"}
    assert alert.exp_alerts[1].labels == ()
    values = [s.value for s in group.expr_tests[0].exp_samples]
    assert values == [0.6, 1000.0, 16.0, math.inf, 1000.0]
    assert group.max_eval_time_ms == 300_000


def test_defaults(tmp_path: Path) -> None:
    model = load(tmp_path, "rule_files: []\ntests:\n  - input_series: []\n")
    assert model.evaluation_interval_ms == 60_000
    assert model.tests[0].interval_ms is None
    assert model.tests[0].max_eval_time_ms == 0


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        pytest.param("groups: []\n", 1, "unknown field `groups`", id="rule-file-given"),
        pytest.param("tests:\n  - intervall: 1m\n", 2, "unknown field `intervall`", id="typo"),
        pytest.param("tests:\n  - interval: 60\n", 2, "not a valid duration", id="bare-number-duration"),
        pytest.param(
            "tests:\n  - promql_expr_test:\n      - expr: x\n        exp_samples:\n          - value: '1'\n",
            5,
            "must be a number",
            id="quoted-value",
        ),
        pytest.param("tests:\n  - input_series: {}\n", 2, "must be a list", id="series-not-list"),
        pytest.param("group_eval_order: [a, a]\n", 1, "repeated in evaluation order", id="order-repeated"),
        pytest.param("- 1\n", 1, "must be a mapping", id="top-level-list"),
        pytest.param("tests: [\n", 2, "", id="yaml-error"),
    ],
)
def test_rejected(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    with pytest.raises(ModelError) as error:
        load(tmp_path, text)
    assert error.value.location.line == line
    assert fragment in error.value.message


def test_unreadable(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot read"):
        read_test_file(tmp_path / "missing.yml", "missing.yml")

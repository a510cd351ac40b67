"""Edge cases of pairing panels with alerts: which spellings count as the same expression, where an alert's
threshold is, and how a panel's scaling and unit are read."""

from __future__ import annotations

import shutil
from pathlib import Path

import promql_parser
import pytest

from mmlint.checks.consistency_threshold_mismatch import check, metric_unit
from mmlint.config import load_config
from mmlint.lint import load_project
from mmlint.promql.canonical import canonical, coefficient, selector_keys, threshold

SYMBOL = frozenset({"symbol"})


@pytest.mark.parametrize(
    ("panel", "alert"),
    [
        pytest.param("sum by (a, b) (rate(x[1m]))", "sum  by (b,a)(rate(x[15m]))", id="grouping-order-range"),
        pytest.param('x{a="1", b="2"}', 'x{b="2",a="1"}', id="matcher-order"),
        pytest.param('x{symbol=~"BTC|ETH"}', "x", id="variable-label"),
        pytest.param('x{c=~".*"}', "x", id="match-all"),
        pytest.param("((a) / (b))", "a / b", id="parentheses"),
        pytest.param("rate(x[5m] offset 1m)", "rate(x[1h] offset 1m)", id="offset-kept"),
        pytest.param("100 * a / b", "a / b", id="coefficient"),
        pytest.param("a * 100 / b", "(a / b) * 100", id="coefficient-placement"),
        pytest.param("b * a / c", "a * b / c", id="factor-order"),
    ],
)
def test_same_expression(panel: str, alert: str) -> None:
    left = canonical(promql_parser.parse(panel), ignored_labels=SYMBOL)
    right = canonical(promql_parser.parse(alert), ignored_labels=SYMBOL)
    assert left == right


@pytest.mark.parametrize(
    ("panel", "alert"),
    [
        pytest.param("rate(x[5m])", "irate(x[5m])", id="function"),
        pytest.param('x{a="1"}', 'x{a="2"}', id="matcher-value"),
        pytest.param("a / b", "b / a", id="operand-order"),
        pytest.param("a / on (c) b", "a / b", id="vector-matching"),
        pytest.param("a / (b / c)", "a / b / c", id="nested-division"),
        pytest.param("rate(x[5m] offset 1m)", "rate(x[5m])", id="offset"),
    ],
)
def test_different_expression(panel: str, alert: str) -> None:
    assert canonical(promql_parser.parse(panel)) != canonical(promql_parser.parse(alert))


def test_selector_keys_ignore_grouping() -> None:
    panel = selector_keys(promql_parser.parse('sum(rate(x{s="c"}[1m])) / sum(rate(x[1m]))'))
    alert = selector_keys(promql_parser.parse('sum by (y) (rate(x{s="c"}[5m])) / sum by (y) (rate(x[5m]))'))
    assert panel == alert


@pytest.mark.parametrize(
    ("expr", "op", "value"),
    [
        ("a < 0.85", "<", 0.85),
        ("(a > 100)", ">", 100.0),
        ("0.85 > a", "<", 0.85),
        ("a >= -3", ">=", -3.0),
        ("a > bool 1", ">", 1.0),
    ],
)
def test_threshold(expr: str, op: str, value: float) -> None:
    found = threshold(promql_parser.parse(expr))
    assert found is not None
    assert (found.op, found.value) == (op, value)


@pytest.mark.parametrize("expr", ["a unless b == 1", "a > b", "a + 1", "1 > bool 2"])
def test_no_threshold(expr: str) -> None:
    assert threshold(promql_parser.parse(expr)) is None


@pytest.mark.parametrize(
    ("expr", "factor"),
    [
        ("100 * (a / b)", 100.0),
        ("a / b * 100", 100.0),
        ("100 * a / b", 100.0),
        ("a / 1000", 0.001),
        ("a / (b / 10)", 10.0),
        ("a * b", 1.0),
        ("a", 1.0),
        ("a * on (c) b * 3", 3.0),
        ("(a > bool b) * 3", 3.0),
        ("a * 0", 1.0),
    ],
)
def test_coefficient(expr: str, factor: float) -> None:
    assert coefficient(promql_parser.parse(expr)) == pytest.approx(factor)


@pytest.mark.parametrize(
    ("names", "unit"),
    [
        ({"mm_exchange_latency_ms_bucket"}, ("time", 1e-3)),
        ({"http_request_duration_seconds_sum", "http_request_duration_seconds_count"}, ("time", 1.0)),
        ({"mm_fills_total"}, None),
        ({"a_seconds", "b_ms"}, None),
    ],
)
def test_metric_unit(names: set[str], unit: tuple[str, float] | None) -> None:
    assert metric_unit(frozenset(names)) == unit


REPO = Path(__file__).resolve().parents[2]
DASHBOARD = "obs/grafana/MMBot_Dashboard.json"
ALERTS = "obs/prometheus/alerts_mm_bot.yml"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        pytest.param(DASHBOARD, '"value": 0.85', '"value": 0.9', (198, 26), id="maker-ratio-panel"),
        pytest.param(DASHBOARD, '"value": 100', '"value": 250', (675, 26), id="latency-panel"),
        pytest.param(ALERTS, "  < 0.85\n", "  < 0.8\n", (198, 26), id="maker-ratio-alert"),
        pytest.param(ALERTS, "mm_net_pnl_bps < 0", "mm_net_pnl_bps < -5", (282, 26), id="pnl-alert"),
        pytest.param(ALERTS, "  > 100\n", "  > 0.1\n", (675, 26), id="latency-alert"),
        pytest.param(ALERTS, "  < 0.8\n", "  < 0.75\n", (795, 26), id="cache-hit-alert"),
    ],
)
def test_mutated_threshold_in_obs(
    tmp_path: Path, file: str, old: str, new: str, expected: tuple[int, int]
) -> None:
    for name in ("obs", "tools"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    config = load_config(tmp_path / "pyproject.toml")
    project, _ = load_project([tmp_path / "obs"], config, tmp_path)
    found = [(f.location.line, f.location.column) for f in check(project)]
    assert found == [expected]
    assert [f.location.path.endswith(DASHBOARD) for f in check(project)] == [True]

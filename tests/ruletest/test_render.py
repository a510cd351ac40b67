"""promtool's layout and Go's duration and float formatting in failure reports."""

from __future__ import annotations

import pytest

from mmlint.problem import Location
from mmlint.promql.values import Sample, Vector
from mmlint.ruletest.compare import AlertMismatch, ExprMismatch, RuleFailure, compare_alerts, compare_samples
from mmlint.ruletest.model import AlertTest, ExpAlert, ExprTest, ExpSample
from mmlint.ruletest.render import file_text, go_duration, model_duration

HERE = Location("t.yml", 3, 5)


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "0s"),
        (300_000, "5m"),
        (90_000, "1m30s"),
        (86_400_000, "1d"),
        (1_209_600_000, "2w"),
        (1500, "1s500ms"),
    ],
)
def test_model_duration(ms: int, text: str) -> None:
    assert model_duration(ms) == text


@pytest.mark.parametrize(
    ("ms", "text"), [(0, "0s"), (500, "500ms"), (60_000, "1m0s"), (3_630_500, "1h0m30.5s"), (1000, "1s")]
)
def test_go_duration(ms: int, text: str) -> None:
    assert go_duration(ms) == text


def test_failing_alert_and_expr_as_promtool_prints_them() -> None:
    alert_test = AlertTest(0, "Test", (ExpAlert((), ()),), HERE)
    alert = compare_alerts("Failing test", alert_test, [])
    expr_test = ExprTest("test", 0, (ExpSample("test", 1.0, HERE),), HERE)
    expr = compare_samples(expr_test, Vector([Sample((("__name__", "test"),), 0, 0.0)]))
    assert isinstance(alert, AlertMismatch) and isinstance(expr, ExprMismatch)
    rule = RuleFailure("joined", 0, "boom", HERE)
    assert file_text("failing.yml", [alert, expr, rule]) == (
        "Unit Testing:  failing.yml\n"
        "  FAILED:\n"
        "    name: Failing test,\n"
        "    alertname: Test, time: 0s, \n"
        "        exp:[\n"
        "            0:\n"
        '              Labels:{alertname="Test"}\n'
        "              Annotations:{}\n"
        "            ], \n"
        "        got:[]\n"
        "\n"
        '    expr: "test", time: 0s,\n'
        '        exp: {__name__="test"} 1E+00\n'
        '        got: {__name__="test"} 0E+00\n'
        "\n"
        "    rule: joined, time: 0s, err: boom\n"
        "\n"
        "\n"
    )


def test_success() -> None:
    assert file_text("ok.yml", []) == "Unit Testing:  ok.yml\n  SUCCESS\n\n"


def test_alert_comparison_ignores_order_and_needs_equal_annotations() -> None:
    test = AlertTest(0, "A", (ExpAlert((("x", "2"),), ()), ExpAlert((("x", "1"),), (("s", "a"),))), HERE)
    got = [
        ((("alertname", "A"), ("x", "1")), (("s", "a"),)),
        ((("alertname", "A"), ("x", "2")), ()),
    ]
    assert compare_alerts("", test, got) is None
    assert compare_alerts("", test, [got[0]]) is not None
    assert compare_alerts("", test, [got[0], ((("alertname", "A"), ("x", "2")), (("s", ""),))]) is not None


def test_nan_never_matches() -> None:
    test = ExprTest("x", 0, (ExpSample("", float("nan"), HERE),), HERE)
    assert compare_samples(test, Vector([Sample((), 0, float("nan"))])) is not None


def test_bad_expected_labels_are_an_error_naming_them() -> None:
    test = ExprTest("x", 0, (ExpSample("x{", 1.0, HERE),), HERE)
    result = compare_samples(test, Vector())
    assert result is not None and 'labels "x{"' in getattr(result, "message", "")

"""The labels an expression's result can carry (mmlint.promql.labelsets), one PromQL rule a row.

`x` carries `a`, `b`, `le`; `y` carries `a`, `c`; `u` is unknown (a recording rule or an unknown metric).
"""

from __future__ import annotations

import promql_parser
import pytest

from mmlint.promql.labelsets import Labels, LabelSets, equality_labels, is_scalar, result_labels

SERIES: dict[str, Labels] = {"x": frozenset({"a", "b", "le"}), "y": frozenset({"a", "c"}), "u": None}

CASES = [
    ("x", {"a", "b", "le"}),
    ("u", None),
    ("not_in_registry", None),
    ('{__name__=~"x|y"}', None),
    ("x[5m]", {"a", "b", "le"}),
    ("rate(x[5m])", {"a", "b", "le"}),
    ("max_over_time(x[5m:1m])", {"a", "b", "le"}),
    ("-(x)", {"a", "b", "le"}),
    ("sum(x)", set()),
    ("sum by (a) (x)", {"a"}),
    ("sum(x) by (a, z)", {"a"}),
    ("sum by (a, z) (u)", {"a", "z"}),
    ("sum without (a) (x)", {"b", "le"}),
    ("sum without (a) (u)", None),
    ("topk(3, x)", {"a", "b", "le"}),
    ("topk by (a) (3, x)", {"a", "b", "le"}),
    ('count_values("v", x)', {"v"}),
    ('count_values by (a) ("v", x)', {"a", "v"}),
    ("count_values('v', u)", {"v"}),
    ("histogram_quantile(0.9, x)", {"a", "b"}),
    ("histogram_quantile(0.9, u)", None),
    ('label_replace(x, "d", "$1", "a", "(.*)")', {"a", "b", "d", "le"}),
    ('label_join(y, "d", ",", "a", "c")', {"a", "c", "d"}),
    ('label_replace(u, "d", "$1", "a", "(.*)")', None),
    ('absent(x{a="1", b=~"2", c!="3"})', {"a"}),
    ("absent(x)", set()),
    ('absent_over_time(x{b="2"}[5m])', {"b"}),
    ("absent(sum(x))", set()),
    ("vector(1)", set()),
    ("time()", set()),
    ("scalar(x)", set()),
    ("1 + 2", set()),
    ("x * 2", {"a", "b", "le"}),
    ("2 > bool y", {"a", "c"}),
    ("x + y", {"a", "b", "le"}),
    ("x > y", {"a", "b", "le"}),
    ("x + on (a) y", {"a"}),
    ("x + on (a, z) u", {"a"}),
    ("u + on (a, z) x", {"a", "z"}),
    ("x + ignoring (b) y", {"a", "le"}),
    ("u + ignoring (b) y", None),
    ("x * on (a) group_left (c) y", {"a", "b", "c", "le"}),
    ("x * on (a) group_left (b) y", {"a", "le"}),
    ("x * on (a) group_left (b) u", {"a", "b", "le"}),
    ("y * on (a) group_right (c) x", {"a", "b", "c", "le"}),
    ("y * on (a) group_right x", {"a", "b", "le"}),
    ("x and y", {"a", "b", "le"}),
    ("x unless on (a) y", {"a", "b", "le"}),
    ("x or y", {"a", "b", "c", "le"}),
    ("x or u", None),
    ("info(x)", None),
    ("sort_desc(clamp(x, 0, 1))", {"a", "b", "le"}),
    ("round(y, 5)", {"a", "c"}),
    ("quantile_over_time(0.5, y[5m])", {"a", "c"}),
    ("timestamp(y)", {"a", "c"}),
]


@pytest.mark.parametrize(("expr", "expected"), CASES, ids=[case[0] for case in CASES])
def test_result_labels(expr: str, expected: set[str] | None) -> None:
    found = result_labels(promql_parser.parse(expr), SERIES)
    assert found == (None if expected is None else frozenset(expected))


@pytest.mark.parametrize(
    ("expr", "scalar"),
    [
        *[("1", True), ("(1 + 2) * -3", True), ("time()", True), ("scalar(x)", True), ('"s"', True)],
        *[("x", False), ("x + 1", False), ("vector(1)", False), ("sum(x)", False)],
    ],
)
def test_is_scalar(expr: str, scalar: bool) -> None:
    assert is_scalar(promql_parser.parse(expr)) is scalar


def test_equality_labels_of_a_range() -> None:
    assert equality_labels(promql_parser.parse('x{a="1", a!="2"}[5m]')) == {"a"}


@pytest.mark.parametrize(
    "text",
    [
        "1+1",
        "scalar(x)",
        "x",
        "x+1",
        "sum(x)",
        "(1)",
        "-1",
        "time()",
        "x[5m]",
        '"a"',
        "x[5m:1m]",
        "vector(1)",
        "1 + scalar(x) * -(2)",
        "(1 > bool 2)",
        "1 + x",
        "time() - time()",
        "count(x) > 1",
        "-(x)",
    ],
)
def test_is_scalar_agrees_with_label_sets(text: str) -> None:
    expr = promql_parser.parse(text)
    assert is_scalar(expr) == LabelSets(expr, {}).scalar(expr)

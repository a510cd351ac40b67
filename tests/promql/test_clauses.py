"""Node and label-list offsets (mmlint.promql.clauses): where each node and each listed label is written."""

from __future__ import annotations

import promql_parser
import pytest

from mmlint.promql.clauses import spots
from mmlint.promql.tree import children

EXPRS = [
    "histogram_quantile(0.99, sum by (instance, le) (rate(x_bucket[5m])))",
    "sum(rate(x[5m])) by (a, b) / on(a) group_left(c) count without (z) (y)",
    "a + on(x) b * ignoring(y) group_right c",
    'topk(scalar(foo), bar) + on(a) group_left(b) -(x offset 1m) or rate(y[5m:1m]) and count_values("q", z)',
    'sum by (on, le) (foo{on="x"}) * on (by) group_left bar',
]


def walk_order(expr: promql_parser.Expr) -> list[str]:
    seen: list[str] = []
    promql_parser.walk(expr, lambda node: seen.append(type(node).__name__))
    return seen


def own_order(expr: promql_parser.Expr) -> list[str]:
    return [type(expr).__name__] + [name for child in children(expr) for name in own_order(child)]


@pytest.mark.parametrize("text", EXPRS)
def test_children_follow_walk_order(text: str) -> None:
    expr = promql_parser.parse(text)
    assert own_order(expr) == walk_order(expr)


def labels_at(text: str) -> list[tuple[str, str, str]]:
    """(node kind, keyword, label) for every listed label, the label read back at its offset."""
    found = []
    for spot in spots(text, promql_parser.parse(text)):
        for clause in spot.clauses:
            assert text[clause.offset :].startswith(clause.keyword)
            for label, offset in clause.labels:
                assert text[offset:].lstrip('"').startswith(label)  # a quoted label: at its quote
                found.append((type(spot.node).__name__, clause.keyword, label))
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sum by (a) (x)", [("AggregateExpr", "by", "a")]),
        ("sum(x) without (a, b)", [("AggregateExpr", "without", "a"), ("AggregateExpr", "without", "b")]),
        (
            "sum(sum(x) by (a)) by (b)",
            [("AggregateExpr", "by", "b"), ("AggregateExpr", "by", "a")],  # pre-order: outer first
        ),
        (
            "x * on (a) group_left (b) y",
            [("BinaryExpr", "on", "a"), ("BinaryExpr", "group_left", "b")],
        ),
        (
            "(x + on (a) y) / ignoring (c) z",
            [("BinaryExpr", "ignoring", "c"), ("BinaryExpr", "on", "a")],
        ),
        ("x + on (a) (y - on (b) z)", [("BinaryExpr", "on", "a"), ("BinaryExpr", "on", "b")]),
        ("x * on (a) group_right y", [("BinaryExpr", "on", "a")]),
        ('sum by ("a") (x)', [("AggregateExpr", "by", "a")]),
        ('sum by (on) (x{by="1"}) # by (z)', [("AggregateExpr", "by", "on")]),
        ("x + y", []),
    ],
)
def test_label_lists(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert labels_at(text) == expected


def test_anchors() -> None:
    text = "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m]))) > on () vector(1)"
    anchors = [
        (type(s.node).__name__, text[s.offset : s.offset + 4]) for s in spots(text, promql_parser.parse(text))
    ]
    assert anchors == [
        ("BinaryExpr", "on ("),
        ("Call", "hist"),
        ("AggregateExpr", "sum "),
        ("Call", "rate"),
        ("VectorSelector", "x_bu"),
        ("Call", "vect"),
    ]

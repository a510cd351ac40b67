"""The shared expression walkers and readers of mmlint.promql.tree."""

from __future__ import annotations

import promql_parser
import pytest

from mmlint.promql.tree import number, preorder, unwrap


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", 2.0),
        ("(2)", 2.0),
        ("-2", -2.0),
        ("-(-(2))", 2.0),
        ("(-(1.5))", -1.5),
        ("x", None),
        ("-x", None),
        ("1 + 1", None),
        ("0x10", 16.0),
    ],
)
def test_number_reads_literals_through_parentheses_and_minus(text: str, value: float | None) -> None:
    assert number(promql_parser.parse(text)) == value


def test_unwrap_removes_only_outer_parentheses() -> None:
    assert isinstance(unwrap(promql_parser.parse("((a + (b)))")), promql_parser.BinaryExpr)


def test_preorder_visits_a_long_chain_in_text_order() -> None:
    expr = promql_parser.parse(" + ".join(f"m{i}" for i in range(2000)))
    names = [node.name for node in preorder(expr) if isinstance(node, promql_parser.VectorSelector)]
    assert names == [f"m{i}" for i in range(2000)]

"""AST nodes paired with the offsets of their tokens (mmlint.promql.nodes), as the checks report them."""

from __future__ import annotations

import promql_parser

from mmlint.problem import Location
from mmlint.project import Query, RuleOrigin
from mmlint.promql import nodes
from mmlint.sources.text import Text


def query(text: str) -> Query:
    return Query(
        text,
        Text.at(text, Location("f", 1, 1)),
        RuleOrigin("g", "r", "alert"),
        None,
        promql_parser.parse(text),
    )


def test_binaries_in_operator_order() -> None:
    text = "(a > 5 and a < 3) or b / on (x) c - d"
    found = [(str(node.op), text[offset : offset + 3]) for node, offset in nodes.binaries(query(text))]
    assert found == [(">", "> 5"), ("and", "and"), ("<", "< 3"), ("or", "or "), ("/", "/ o"), ("-", "- d")]


def test_ranges_with_their_calls() -> None:
    text = "rate(a[5m]) + max_over_time(b[1h] offset 1m) + max_over_time(c[10m:1m])"
    with_rate = "rate(sum_over_time(x[2m])[10m:1m])"
    found = [(call_name(p), text[o : o + 4]) for _, p, o in nodes.ranges(query(text))]
    assert found == [("rate", "[5m]"), ("max_over_time", "[1h]")]
    ((_, parent, offset),) = nodes.ranges(query(with_rate))
    assert (call_name(parent), with_rate[offset : offset + 4]) == ("sum_over_time", "[2m]")


def call_name(node: promql_parser.Expr | None) -> str:
    assert isinstance(node, promql_parser.Call)
    return str(node.func.name)


def test_calls_and_aggregations() -> None:
    text = "sum by (a) (rate(x[5m])) / histogram_quantile(0.9, sum(y) by (le))"
    calls = [(node.func.name, text[o : o + 4]) for node, o in nodes.calls(query(text))]
    aggregations = [(str(node.op), text[o : o + 3]) for node, o in nodes.aggregations(query(text))]
    assert calls == [("rate", "rate"), ("histogram_quantile", "hist")]
    assert aggregations == [("sum", "sum"), ("sum", "sum")]
    assert [o for _, o in nodes.aggregations(query(text))] == [0, text.index("sum(y)")]


def test_matcher_values_span_the_string() -> None:
    text = 'up{job=~"a|b", instance!="x"} + {__name__=~"y"}'
    found = [(m.name, m.op, text[m.start : m.end], m.written) for m in nodes.matcher_values(query(text))]
    assert found == [
        ("job", "=~", '"a|b"', True),
        ("instance", "!=", '"x"', True),
        ("__name__", "=~", '"y"', True),
    ]


def test_substituted_value_is_not_written() -> None:
    # `$v` (source offsets 9..10) became `a|b`: its characters all map to the reference's start.
    text = 'up{job=~"a|b"}'
    offsets = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 11, 12, 13)
    source = Text.at('up{job=~"$v"}', Location("d.json", 1, 1))
    substituted = Query(text, source, RuleOrigin("g", "r", "alert"), offsets, promql_parser.parse(text))
    assert [m.written for m in nodes.matcher_values(substituted)] == [False]

"""The AST nodes of a Query that checks report on, each with the offset (into `Query.text`) of the token
that names it: a range's `[`, a binary operator, a function call's name, a matcher's value string.

The AST (promql_parser) carries no positions; mmlint.promql.locate finds the tokens in text order, and
this module pairs them with the nodes by traversing the AST in the same order. When the two disagree in
number (the lexer and the parser read the text differently), every node falls back to offset 0.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import promql_parser

from mmlint.project import Query
from mmlint.promql.locate import (
    aggregation_offsets,
    binary_offsets,
    call_offsets,
    matcher_value_spans,
    range_offsets,
)
from mmlint.promql.parsed import parse
from mmlint.promql.selectors import NAME_LABEL, match_op, vector_selectors
from mmlint.promql.tree import children

Expr = promql_parser.Expr


def preorder(expr: Expr) -> Iterator[tuple[Expr, Expr | None]]:
    """Every node with its parent, pre-order, children left to right (no recursion: deep nesting is fine)."""
    stack: list[tuple[Expr, Expr | None]] = [(expr, None)]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        stack.extend((child, node) for child in reversed(children(node)))


def inorder_binaries(expr: Expr) -> list[promql_parser.BinaryExpr]:
    """The BinaryExprs in the text order of their operators: lhs, then the operator, then rhs."""
    found: list[promql_parser.BinaryExpr] = []
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            assert isinstance(node, promql_parser.BinaryExpr)
            found.append(node)
        elif isinstance(node, promql_parser.BinaryExpr):
            stack.extend([(node.rhs, False), (node, True), (node.lhs, False)])
        else:
            stack.extend((child, False) for child in reversed(children(node)))
    return found


def _paired(nodes: list[Expr], offsets: list[int]) -> list[int]:
    return offsets if len(offsets) == len(nodes) else [0] * len(nodes)


def ranges(query: Query) -> list[tuple[promql_parser.MatrixSelector, Expr | None, int]]:
    """Each MatrixSelector with its parent (the call it is an argument of) and the offset of its `[`."""
    if query.expr is None:
        return []
    pairs = [(n, p) for n, p in preorder(query.expr) if isinstance(n, promql_parser.MatrixSelector)]
    durations = range_offsets(query.text)
    offsets = _paired([n for n, _ in pairs], [max(query.text.rfind("[", 0, d), 0) for d in durations])
    return [(node, parent, offset) for (node, parent), offset in zip(pairs, offsets, strict=True)]


def calls(query: Query) -> list[tuple[promql_parser.Call, int]]:
    """Each function call with the offset of its name."""
    if query.expr is None:
        return []
    nodes = [n for n, _ in preorder(query.expr) if isinstance(n, promql_parser.Call)]
    return list(zip(nodes, _paired(list(nodes), call_offsets(query.text)), strict=True))


def aggregations(query: Query) -> list[tuple[promql_parser.AggregateExpr, int]]:
    """Each aggregation with the offset of its operator keyword."""
    if query.expr is None:
        return []
    nodes = [n for n, _ in preorder(query.expr) if isinstance(n, promql_parser.AggregateExpr)]
    return list(zip(nodes, _paired(list(nodes), aggregation_offsets(query.text)), strict=True))


def binaries(query: Query) -> list[tuple[promql_parser.BinaryExpr, int]]:
    """Each binary operation with the offset of its operator."""
    if query.expr is None:
        return []
    nodes = inorder_binaries(query.expr)
    return list(zip(nodes, _paired(list(nodes), binary_offsets(query.text)), strict=True))


@dataclass(frozen=True)
class MatcherValue:
    """A label matcher and where its value string is in `Query.text`: `start`..`end` span the quoted
    string; `written` is False when a Grafana variable put any of it there."""

    selector: str | None
    name: str
    op: str
    value: str
    start: int
    end: int
    written: bool


def matcher_values(query: Query) -> list[MatcherValue]:
    """The matchers written in braces (not the name before them), with their value strings' spans."""
    if query.expr is None:
        return []
    return [
        MatcherValue(*fields, _written(query, fields[4], fields[5])) for fields in _matcher_spans(query.text)
    ]


@functools.lru_cache(maxsize=1 << 16)
def _matcher_spans(text: str) -> tuple[tuple[str | None, str, str, str, int, int], ...]:
    """matcher_values of a text that parses, but `written`: the same text recurs across files, and checks
    run one after another (so the cache holds a project's texts)."""
    selectors = vector_selectors(parse(text))
    value_spans = matcher_value_spans(text)
    if len(value_spans) != len(selectors):
        return ()
    found = []
    for selector, spans in zip(selectors, value_spans, strict=True):
        matchers = [m for m in selector.matchers.matchers if m.name != NAME_LABEL or selector.name is None]
        if len(spans) != len(matchers):
            continue
        for matcher, span in zip(matchers, spans, strict=True):
            if span is not None:
                found.append((selector.name, matcher.name, match_op(matcher), matcher.value, *span))
    return tuple(found)


def _written(query: Query, start: int, end: int) -> bool:
    """Whether text[start:end] maps to consecutive source characters: a substituted variable maps all of
    its characters to the reference's start, so a gap or a repeat shows it."""
    if query.offsets is None:
        return True
    offsets = query.offsets[start:end]
    return all(b == a + 1 for a, b in itertools.pairwise(offsets))

"""Offsets into a PromQL expression for the AST nodes promql_parser reports without one.

The grammar scan (mmlint.promql.scan) gives every node's tokens. Node offsets come in the order
`promql_parser.walk` visits the nodes. Walk visits pre-order, children in text order, and a node's name
comes before its children in the text (a call's name before its arguments, an aggregation's operator before
its parameter and expression), so that order is the text order.

Several checks ask for the offsets of the same query, and the scan is the costly part: each text is lexed
and scanned once, and its offsets (small tuples of integers) kept in a bounded cache.

Where to report a promql_parser error is mmlint.promql.locate_error's concern (`error_offset`, importable
from here too).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from mmlint.promql.lexer import Kind, tokenize
from mmlint.promql.locate_error import error_offset
from mmlint.promql.scan import Node, Scan

__all__ = [
    "Anchors",
    "aggregation_offsets",
    "anchors",
    "binary_offsets",
    "call_offsets",
    "error_offset",
    "matcher_offsets",
    "matcher_value_spans",
    "range_offsets",
    "selector_offsets",
]
# Checks run one after another over every query, so the cache must hold a whole project's queries for the
# second check to find the first one's work; entries are a few tuples of integers.
_CACHED_TEXTS = 1 << 16


@dataclass(frozen=True, slots=True)
class Anchors:
    """One text's node offsets by kind, each in text order (see the functions below)."""

    selectors: tuple[int, ...]
    matchers: tuple[tuple[int, ...], ...]
    matcher_values: tuple[tuple[tuple[int, int] | None, ...], ...]
    calls: tuple[int, ...]
    aggregations: tuple[int, ...]
    ranges: tuple[int, ...]
    binaries: tuple[int, ...]


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def anchors(text: str) -> Anchors:
    """The offsets of every kind of node of `text`, from one lexing and one scan."""
    scan = Scan(tokenize(text))
    tokens = scan.tokens
    by_kind: dict[str, list[Node]] = {}
    for node in sorted(scan.nodes, key=lambda n: n.anchor):  # stable: scan order among equal anchors
        by_kind.setdefault(node.kind, []).append(node)

    def starts(kind: str) -> tuple[int, ...]:
        return tuple(tokens[n.anchor].start for n in by_kind.get(kind, ()))

    def value(label: int) -> tuple[int, int] | None:
        token = tokens[label + 2] if label + 2 < len(tokens) else None  # label, operator, value
        return (token.start, token.end) if token is not None and token.kind is Kind.STRING else None

    selectors = by_kind.get("selector", [])
    return Anchors(
        selectors=starts("selector"),
        matchers=tuple(tuple(tokens[m].start for m in n.marks) for n in selectors),
        matcher_values=tuple(tuple(value(m) for m in n.marks) for n in selectors),
        calls=starts("call"),
        aggregations=starts("aggregation"),
        ranges=tuple(tokens[n.anchor + 1].start for n in by_kind.get("range", ())),
        binaries=starts("binary"),
    )


def selector_offsets(text: str) -> list[int]:
    """Where each VectorSelector starts (its name, or `{` without one), in `promql_parser.walk` order."""
    return list(anchors(text).selectors)


def call_offsets(text: str) -> list[int]:
    """Where each Call's function name starts, in `promql_parser.walk` order."""
    return list(anchors(text).calls)


def aggregation_offsets(text: str) -> list[int]:
    """Where each AggregateExpr's operator keyword starts, in `promql_parser.walk` order."""
    return list(anchors(text).aggregations)


def range_offsets(text: str) -> list[int]:
    """Where the duration of each MatrixSelector's range starts (after its `[`), in `promql_parser.walk`
    order: a matrix selector holds no other, so text order is walk order."""
    return list(anchors(text).ranges)


def matcher_offsets(text: str) -> list[list[int]]:
    """Per VectorSelector (as selector_offsets), where each of `selector.matchers.matchers` names its label.

    promql_parser keeps the matchers in text order, a `"name"` or `__name__=` matcher where it is written;
    the name written before `{` is no matcher. With `or` in the braces, promql_parser moves every matcher
    into `matchers.or_matchers` and `matchers.matchers` is empty: so is the list here.
    """
    return [list(offsets) for offsets in anchors(text).matchers]


def matcher_value_spans(text: str) -> list[list[tuple[int, int] | None]]:
    """Per VectorSelector and matcher (as matcher_offsets), the span of the matcher's value string: the
    token two after its label name, None when that is no string."""
    return [list(spans) for spans in anchors(text).matcher_values]


def binary_offsets(text: str) -> list[int]:
    """Where each BinaryExpr's operator is, in text order: the order of an in-order traversal of the AST
    (lhs, operator, rhs), not `promql_parser.walk`'s pre-order."""
    return list(anchors(text).binaries)

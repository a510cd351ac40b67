"""The vector selectors of a parsed Query, each with the file location of its name and of its matchers."""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass

import promql_parser

from mmlint.problem import Location
from mmlint.project import Query
from mmlint.promql.locate import matcher_offsets, selector_offsets
from mmlint.promql.parsed import parse
from mmlint.promql.tree import preorder

NAME_LABEL = "__name__"


@dataclass(frozen=True)
class LocatedMatcher:
    name: str
    op: str  # "=", "!=", "=~", "!~"
    value: str
    location: Location


@dataclass(frozen=True)
class LocatedSelector:
    name: str | None
    location: Location
    matchers: tuple[LocatedMatcher, ...]


OPS = {"Equal": "=", "NotEqual": "!=", "Re": "=~", "NotRe": "!~"}


def match_op(matcher: promql_parser.Matcher) -> str:
    text = str(matcher.op)
    return OPS.get(text.rsplit(".", 1)[-1], text)


def vector_selectors(expr: promql_parser.Expr) -> list[promql_parser.VectorSelector]:
    return [node for node in preorder(expr) if isinstance(node, promql_parser.VectorSelector)]


# Several checks ask for the same query's selectors; locating them lexes the text, so it is done once.
_LOCATED: weakref.WeakKeyDictionary[Query, tuple[LocatedSelector, ...]] = weakref.WeakKeyDictionary()


def located_selectors(query: Query) -> tuple[LocatedSelector, ...]:
    found = _LOCATED.get(query)
    if found is None:
        found = _LOCATED[query] = tuple(locate_selectors(query))
    return found


def locate_selectors(query: Query) -> list[LocatedSelector]:
    if query.expr is None:
        return []
    return [
        LocatedSelector(
            name=name,
            location=query.location(start),
            matchers=tuple(
                LocatedMatcher(label, op, value, query.location(offset))
                for label, op, value, offset in matchers
            ),
        )
        for name, start, matchers in _selector_offsets(query.text)
    ]


# (selector name, its offset, its matchers as (label, op, value, offset)) of one text.
_Offsets = tuple[tuple[str | None, int, tuple[tuple[str, str, str, int], ...]], ...]


@functools.lru_cache(maxsize=1 << 16)
def _selector_offsets(text: str) -> _Offsets:
    """The selectors of a text that parses, with offsets: the same text recurs across files, and only the
    locations the offsets map to differ (checks run one after another: the cache holds a project's texts)."""
    nodes = vector_selectors(parse(text))
    starts = selector_offsets(text)
    matcher_starts = matcher_offsets(text)
    if len(starts) != len(nodes) or len(matcher_starts) != len(nodes):
        # The lexer and the parser disagree on this text: fall back to the start of the expression.
        starts, matcher_starts = [0] * len(nodes), [[] for _ in nodes]
    result = []
    for node, start, offsets in zip(nodes, starts, matcher_starts, strict=True):
        matchers = [m for m in node.matchers.matchers if m.name != NAME_LABEL or node.name is None]
        if len(offsets) != len(matchers):
            offsets = [start] * len(matchers)
        located = tuple(
            (m.name, match_op(m), m.value, offset) for m, offset in zip(matchers, offsets, strict=True)
        )
        result.append((node.name, start, located))
    return tuple(result)

"""promql_parser.parse once per text: the same expression recurs across rule files (a mixin's rules copied
beside each of its tests), and the checks that work on a query's text alone find it parsed again."""

from __future__ import annotations

import functools

import promql_parser

# A project's texts, so that a check run after the loader finds every one; an entry is one parsed tree.
CACHED_TEXTS = 1 << 16


@functools.lru_cache(maxsize=CACHED_TEXTS)
def parse(text: str) -> promql_parser.Expr:
    """The parsed expression; promql_parser's ValueError for a text that does not parse (not cached).

    The tree is shared by every caller with the same text: nothing may change it (nothing does; the AST
    is read-only from Python)."""
    return promql_parser.parse(text)

"""Which of many expressions (the comparison sides of alerts) are like a given one (a panel's query): the same
canonical text, failing that the same selectors, failing that the same metric names, each once matchers on
chosen labels (a dashboard's variables) are set aside. See mmlint.promql.canonical for the keys."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import promql_parser

from mmlint.promql.canonical import canonical, metric_names, selector_keys
from mmlint.promql.nodes import preorder

Key = Callable[[promql_parser.Expr, frozenset[str]], object]
# Closest first. Sharing only metric names is weak evidence: it pairs a query with one expression at most.
KINDS: tuple[tuple[Key, bool], ...] = (
    (lambda expr, ignored: canonical(expr, ignored_labels=ignored), False),
    (lambda expr, ignored: selector_keys(expr, ignored_labels=ignored), False),
    (lambda expr, ignored: metric_names(expr), True),
)


def matcher_labels(expr: promql_parser.Expr) -> frozenset[str]:
    """The labels the selectors of `expr` match on: the only ones whose being ignored changes its keys."""
    return frozenset(
        matcher.name
        for node, _ in preorder(expr)
        if isinstance(node, promql_parser.VectorSelector)
        for matcher in node.matchers.matchers
    )


class Likeness:
    """`closest` for many queries and a few sets of ignored labels: each expression's key of each kind is
    computed once per set of ignored labels it matches on, which most dashboards share."""

    def __init__(self, exprs: Sequence[promql_parser.Expr]) -> None:
        self.exprs = exprs
        self.labels = [matcher_labels(expr) for expr in exprs]
        self.memo: dict[tuple[int, int, frozenset[str]], object] = {}
        self.lists: dict[tuple[int, frozenset[str]], list[object]] = {}

    def _key(self, index: int, kind: int, ignored: frozenset[str]) -> object:
        memo_key = (index, kind, ignored & self.labels[index])
        if memo_key not in self.memo:
            self.memo[memo_key] = KINDS[kind][0](self.exprs[index], memo_key[2])
        return self.memo[memo_key]

    def keys(self, kind: int, ignored: frozenset[str]) -> list[object]:
        found = self.lists.get((kind, ignored))
        if found is None:
            found = [self._key(index, kind, ignored) for index in range(len(self.exprs))]
            self.lists[(kind, ignored)] = found
        return found

    def closest(self, expr: promql_parser.Expr, ignored: frozenset[str]) -> list[int]:
        """The indexes of the expressions like `expr` by the closest kind of likeness any of them has."""
        for kind, (key, only_one) in enumerate(KINDS):
            wanted = key(expr, ignored)
            found = [index for index, got in enumerate(self.keys(kind, ignored)) if got == wanted]
            if found and (len(found) == 1 or not only_one):
                return found
        return []

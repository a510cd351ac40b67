"""A binary operation between two vectors whose sides can never match on their labels.

Without `on (...)`, Prometheus matches a left and a right series when all their labels but the metric name
(and the `ignoring` ones) are equal. If one side always carries a label that the other side can never carry,
no pair ever matches: arithmetic and comparisons return nothing, `and` returns nothing, `unless` removes
nothing. mmlint knows which labels a side always carries from the registry's label names (and `=` matchers),
and which it can carry as label/lost-in-aggregation does; metrics it does not know are never reported.
`on (...)` lists are left to label/lost-in-aggregation, and `or` always returns something.

Why: `sum by (symbol) (rate(a[5m])) / sum (rate(b[5m]))` is empty, so the alert on it never fires and the
panel stays blank, with no error anywhere.

Bad:

    expr: sum by (symbol) (rate(mm_fills_total{liquidity="maker"}[15m])) / sum(rate(mm_fills_total[15m]))

Good:

    expr: sum by (symbol) (rate(mm_fills_total{liquidity="maker"}[15m]))
      / sum by (symbol) (rate(mm_fills_total[15m]))
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import promql_parser

from mmlint.metrics import known_series
from mmlint.problem import Finding, Severity
from mmlint.project import Project, Query
from mmlint.promql.certain_labels import CertainLabels
from mmlint.promql.labelsets import Labels, LabelSets
from mmlint.promql.nodes import binaries

ID = "label/no-match"
SEVERITY = Severity.ERROR

SIDES = ("left", "right")


def certain_series(project: Project) -> dict[str, frozenset[str]]:
    """The labels each registry series always carries: its label names (and `le` on `_bucket`)."""
    if project.registry is None:
        return {}
    return {name: frozenset(labels) for m in project.registry.metrics for name, labels in m.series.items()}


def unmatched(expr: promql_parser.BinaryExpr, may: LabelSets, must: CertainLabels) -> tuple[str, int] | None:
    """A label one side always carries and the other never does, with the index of the side carrying it."""
    if str(expr.op).lower() == "or" or may.scalar(expr.lhs) or may.scalar(expr.rhs):
        return None
    matching = expr.modifier.matching if expr.modifier is not None else None
    ignored: frozenset[str] = frozenset()
    if matching is not None:
        if str(matching.type) == str(promql_parser.LabelModifierType.Include):
            return None  # `on (...)`: label/lost-in-aggregation
        ignored = frozenset(matching.labels)
    sides = (expr.lhs, expr.rhs)
    for index, side in enumerate(sides):
        other: Labels = may.labels(sides[1 - index])
        if other is None:
            continue
        for label in sorted(must.labels(side) - ignored - {"__name__"}):
            if label not in other:
                return label, index
    return None


def unmatched_sides(
    query: Query, may_series: Mapping[str, Labels], must_series: Mapping[str, frozenset[str]]
) -> list[tuple[int, str, str, int]]:
    """(operator offset, operator, label, index of the side that always carries it) per binary operation
    whose sides never match."""
    assert query.expr is not None
    may, must = LabelSets(query.expr, may_series), CertainLabels(query.expr, must_series)
    found = []
    for node, offset in binaries(query):
        sides = unmatched(node, may, must)
        if sides is not None:
            found.append((offset, str(node.op).lower(), *sides))
    return found


def query_findings(query: Query, found: list[tuple[int, str, str, int]]) -> Iterator[Finding]:
    for offset, op, label, index in found:
        yield Finding(
            query.location(offset),
            f"the sides of `{op}` in {query.origin} never match: the {SIDES[index]} one always carries "
            f"`{label}`, which the {SIDES[1 - index]} one never has",
            f"aggregate both sides by the same labels, or match with `ignoring ({label})` or `on (...)`",
        )


def check(project: Project) -> Iterator[Finding]:
    may_series = {name: known.labels for name, known in known_series(project).items()}
    must_series = certain_series(project)
    by_text: dict[str, list[tuple[int, str, str, int]]] = {}  # the same text never matches the same way
    for query in project.queries():
        if query.expr is not None:
            if query.text not in by_text:
                by_text[query.text] = unmatched_sides(query, may_series, must_series)
            yield from query_findings(query, by_text[query.text])

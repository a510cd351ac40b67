"""Which rules a test group reads: the alerting rules its alert tests name, the rules whose output its
expressions select, and, transitively, the rules those rules read. `mmlint test --rules=read` evaluates
only these; the others cannot change a result, only fail (an evaluation error that promtool reports)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import promql_parser

from mmlint.promql.engine import ParseError, parse
from mmlint.promql.selectors import vector_selectors
from mmlint.ruletest.alerts import ALERTS_METRIC, FOR_STATE_METRIC
from mmlint.ruletest.rules_eval import LoadedGroup, LoadedRule

NAME_LABEL = "__name__"


def metric_names(expr: promql_parser.Expr) -> set[str] | None:
    """The metric names `expr` selects; None when a selector can match any name (`{job="x"}`)."""
    names: set[str] = set()
    for selector in vector_selectors(expr):
        if selector.name:
            names.add(selector.name)
            continue
        equal = [
            m.value
            for m in selector.matchers.matchers
            if m.name == NAME_LABEL and str(m.op) in ("MatchOp.Equal", "=")
        ]
        if not equal:
            return None
        names.add(equal[0])
    return names


def outputs(rule: LoadedRule) -> set[str]:
    return {ALERTS_METRIC, FOR_STATE_METRIC} if rule.alert is not None else {rule.name}


def reads_any(rule: LoadedRule) -> bool:
    """A rule whose templates may run a query reads anything."""
    if rule.alert is None:
        return False
    return any("query" in text for _, text in (*rule.alert.labels, *rule.alert.annotations))


def needed_rules(
    groups: Sequence[LoadedGroup], alertnames: Iterable[str], exprs: Iterable[str]
) -> tuple[LoadedGroup, ...]:
    """`groups` with only the rules the tests read (all of them when something reads any series)."""
    rules = [rule for group in groups for rule in group.rules]
    wanted: set[str] = set()
    for text in exprs:
        try:
            names = metric_names(parse(text))
        except ParseError:
            continue  # reported when the expression test runs
        if names is None:
            return tuple(groups)
        wanted |= names
    names_of_alerts = set(alertnames)
    needed = {id(rule) for rule in rules if rule.alert is not None and rule.name in names_of_alerts}
    pending = [rule for rule in rules if id(rule) in needed]
    while True:
        for rule in pending:
            names = metric_names(rule.expr)
            if names is None or reads_any(rule):
                return tuple(groups)
            wanted |= names
        pending = [rule for rule in rules if id(rule) not in needed and outputs(rule) & wanted]
        if not pending:
            break
        needed.update(id(rule) for rule in pending)
    return tuple(
        LoadedGroup(group.file, group.name, tuple(r for r in group.rules if id(r) in needed), group.limit)
        for group in groups
    )

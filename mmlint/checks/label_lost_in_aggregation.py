"""A label used after the expression that feeds it has dropped it, or never had it.

From the registry's label names (plus the target labels `job` and `instance`, see `target-labels`) mmlint
works out which labels each part of an expression can carry: `sum by (a)` keeps only `a`, `without (a)`
drops it, `x / on (a) y` keeps only `a`, `group_left (b)` copies `b` from the right side,
`histogram_quantile` drops `le`, `label_replace` adds its label. It reports:

- `by (x)`, `on (x)` or `group_left (x)`/`group_right (x)` naming a label the expression inside (or either
  side, or the "one" side) cannot carry;
- `{{ $labels.x }}` (or `.Labels.x`) in an alert's labels or annotations when its expression cannot carry x;
- `{{x}}` in a dashboard target's `legendFormat` when the target's query cannot carry x.

Series whose labels are unknown (recording rules, metrics outside the registry and `known-metrics`) make
every label possible: nothing is reported for them. `without (x)` and `ignoring (x)` of a label that is
not there are harmless and not reported. In an alert, `$labels` holds the labels of the expression's
result only: not the rule's own `labels`, not `alertname`, not external labels.

Why: the label is empty. The grouping merges what was meant to be apart, the match finds nothing, the alert
says "on ``" and every legend entry reads the same.

Bad:

    expr: sum by (instance) (increase(mm_freeze_events_total[1h])) > 3
    annotations:
      summary: "Frequent {{ $labels.reason }} freezes"

Good:

    expr: sum by (instance, reason) (increase(mm_freeze_events_total[1h])) > 3
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import promql_parser

from mmlint.metrics import known_series
from mmlint.problem import Finding, Severity
from mmlint.project import Dashboard, Project
from mmlint.promql.clauses import INCLUDING, MATCHING, Clause, Spot, spots
from mmlint.promql.labelsets import Labels, LabelSets, result_labels
from mmlint.sources.positions import Scalar, node_at

ID = "label/lost-in-aggregation"
SEVERITY = Severity.ERROR

_ACTION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_ALERT_LABEL = re.compile(r"\$labels\.([A-Za-z_]\w*)|index\s+\$labels\s+\"([^\"]*)\"")
_DOT_LABEL = re.compile(r"(?<![\w$])\.Labels\.([A-Za-z_]\w*)")
# A `range` or `with` block rebinds the dot (to a query result, say): `.Labels` there is not the alert's.
_REBINDS_DOT = re.compile(r"\{\{-?\s*(range|with)\b")
_LEGEND_LABEL = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")


def carried(labels: frozenset[str]) -> str:
    return f"it can carry {', '.join(f'`{label}`' for label in sorted(labels))}" if labels else "it has none"


def missing(labels: Labels, label: str) -> bool:
    return labels is not None and label != "__name__" and label not in labels


def clause_operands(spot: Spot) -> Iterator[tuple[Clause, list[tuple[promql_parser.Expr, str]]]]:
    """Each label list of `spot` that names labels its operands must carry, with those operands."""
    node = spot.node
    if isinstance(node, promql_parser.AggregateExpr) and node.modifier is not None:
        clause = spot.clause(frozenset({"by"}))
        if clause is not None:
            yield clause, [(node.expr, "the aggregated expression")]
    elif isinstance(node, promql_parser.BinaryExpr):
        lhs, rhs = (node.lhs, "the left operand"), (node.rhs, "the right operand")
        matching = spot.clause(MATCHING)
        if matching is not None and matching.keyword == "on":
            yield matching, [lhs, rhs]
        including = spot.clause(INCLUDING)
        if including is not None:
            yield including, [rhs if including.keyword == "group_left" else lhs]


def clause_problems(
    text: str, expr: promql_parser.Expr, series: Mapping[str, Labels]
) -> list[tuple[int, str]]:
    """(offset in `text`, message) for each label a `by`/`on`/`group_*` list names that its operand cannot
    carry. Without such a list there is nothing to judge, so the label sets are not worked out."""
    lowered = text.lower()
    if not any(keyword in lowered for keyword in ("by", "on", "group_")):
        return []
    sets = LabelSets(expr, series)
    found = []
    for spot in spots(text, expr):
        for clause, operands in clause_operands(spot):
            carrying = [(sets.labels(operand), what) for operand, what in operands]
            for label, offset in clause.labels:
                lacking = [(labels, what) for labels, what in carrying if missing(labels, label)]
                if not lacking:
                    continue
                labels, what = lacking[0]
                named = f"`{clause.keyword} ({label})` names a label"
                found.append(
                    (
                        offset,
                        f"{named} neither operand can carry"
                        if len(lacking) > 1
                        else f"{named} {what} cannot carry ({carried(labels or frozenset())})",
                    )
                )
    return found


def references(text: str, *, legend: bool) -> Iterator[tuple[str, int]]:
    """The label names a template or legend reads, with the offset of each reference."""
    if legend:
        for match in _LEGEND_LABEL.finditer(text):
            yield match[1], match.start()
        return
    dot = not _REBINDS_DOT.search(text)
    for action in _ACTION.finditer(text):
        for match in _ALERT_LABEL.finditer(action[0]):
            yield match[1] or match[2], action.start() + match.start()
        for match in _DOT_LABEL.finditer(action[0]) if dot else ():
            yield match[1], action.start() + match.start()


def template_findings(
    scalar: Scalar, labels: Labels, where: str, *, legend: bool = False
) -> Iterator[Finding]:
    if labels is None or not isinstance(scalar.value, str) or "{{" not in scalar.value:
        return
    text = scalar.text
    for label, offset in references(text.value, legend=legend):
        if missing(labels, label):
            yield Finding(text.location(offset), f"`{label}` is not a label of {where} ({carried(labels)})")


def legend_findings(dashboard: Dashboard, series: Mapping[str, Labels]) -> Iterator[Finding]:
    for panel in dashboard.panels:
        targets = panel.data.get("targets")
        for index, target in enumerate(targets if isinstance(targets, list) else ()):
            ref_id = target.get("refId") if isinstance(target, dict) else None
            queries = [q for q in panel.queries if getattr(q.origin, "ref_id", None) == ref_id]
            legend = node_at(panel.node, ("targets", index, "legendFormat"))
            if len(queries) != 1 or queries[0].expr is None or not isinstance(legend, Scalar):
                continue
            labels = result_labels(queries[0].expr, series)
            yield from template_findings(legend, labels, f"the query of {queries[0].origin}", legend=True)


def check(project: Project) -> Iterator[Finding]:
    series = {name: known.labels for name, known in known_series(project).items()}
    by_text: dict[str, list[tuple[int, str]]] = {}  # the same text has the same problems wherever it is
    for query in project.queries():
        if query.expr is not None:
            if query.text not in by_text:
                by_text[query.text] = clause_problems(query.text, query.expr, series)
            for offset, message in by_text[query.text]:
                yield Finding(query.location(offset), message)
    for rule in project.rules():
        if rule.kind != "alert" or rule.query is None or rule.query.expr is None:
            continue
        labels = result_labels(rule.query.expr, series)
        for scalar in (*rule.labels.values(), *rule.annotations.values()):
            yield from template_findings(scalar, labels, f"the result of alert `{rule.name}`")
    for dashboard in project.dashboards:
        yield from legend_findings(dashboard, series)

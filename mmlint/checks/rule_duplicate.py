"""Two rules with the same name and the same labels, or two recording rules recording the same expression.

Two rules are duplicates, as promtool's `check rules` defines it, when both alert (or record) under the
same name with the same set of `labels`, whatever their expressions; mmlint compares them across groups
and across files too, since Prometheus loads them all into one server. It also reports a recording rule
whose expression (as parsed, so spacing and quoting do not matter) and labels are those of an earlier
recording rule of the same file under another name (files may serve different servers, which each need
their own). Each is reported at the later rule, naming where the first is.

Why: duplicate recording rules write the same series twice and Prometheus rejects one of the writes
with "duplicate sample"; a duplicate alert pages twice or hides one expression behind the other's
`ALERTS` series; the same expression recorded twice costs two evaluations and can drift apart.

Bad:

    - record: symbol:mm_fills:rate5m
      expr: sum by (symbol) (rate(mm_fills_total[5m]))
    - record: symbol:mm_fills:rate5m
      expr: sum by (symbol) (rate(mm_fills_total[10m]))

Good:

    - record: symbol:mm_fills:rate5m
      expr: sum by (symbol) (rate(mm_fills_total[5m]))
    - record: symbol:mm_fills:rate10m
      expr: sum by (symbol) (rate(mm_fills_total[10m]))
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.problem import Finding, Location, Severity
from mmlint.project import Project, Rule

ID = "rule/duplicate"
SEVERITY = Severity.WARNING

Labels = tuple[tuple[str, str], ...]


def check(project: Project) -> Iterator[Finding]:
    by_name: dict[tuple[str, str, Labels], Rule] = {}
    by_expr: dict[tuple[str, str, Labels], Rule] = {}
    printed: dict[str, str] = {}  # the same expression recurs across files: print it once
    for rule_file, rule in ((f, r) for f in project.rule_files for r in f.rules()):
        labels = tuple(sorted((name, value.written) for name, value in rule.labels.items()))
        first = by_name.setdefault((rule.kind, rule.name, labels), rule)
        if first is not rule:
            same = " and the same labels" if labels else ", both without labels"
            yield Finding(
                _name_location(rule),
                f"{rule.kind} `{rule.name}` is defined twice with the same name{same}: first at "
                f"{_name_location(first)}",
                "remove one, or tell them apart by a label" if rule.kind == "alert" else "remove one",
            )
            continue
        if rule.kind != "record" or rule.query is None or rule.query.expr is None:
            continue
        if rule.query.text not in printed:
            printed[rule.query.text] = str(rule.query.expr)
        first = by_expr.setdefault((rule_file.path, printed[rule.query.text], labels), rule)
        if first is not rule and first.name != rule.name:
            yield Finding(
                _name_location(rule),
                f"recording rule `{rule.name}` records the same expression as `{first.name}` at "
                f"{_name_location(first)}",
                f"use `{first.name}` instead of recording it again",
            )


def _name_location(rule: Rule) -> Location:
    return (rule.node.get(rule.kind) or rule.node).location

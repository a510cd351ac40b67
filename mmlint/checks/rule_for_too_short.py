"""A `for` or `keep_firing_for` shorter than the rule group's evaluation interval.

Prometheus looks at an alert only when it evaluates the group: every `interval` of the group, else the
global evaluation interval (`evaluation-interval` in `[tool.mmlint]`). An alert whose condition holds
turns pending at one evaluation and firing at the first later evaluation at least `for` after it, so a
non-zero `for` shorter than the interval waits one whole interval all the same. Likewise a firing alert
whose condition clears keeps firing until the first evaluation at least `keep_firing_for` later: one
whole interval at least. (A duration that is not a multiple of the interval is rounded up to the next
evaluation too, but by less than one interval; that is not reported.)

Why: `for: 10s` in a group evaluated every minute reads like "fire after 10 seconds" and fires after a
minute; `keep_firing_for: 30s` there keeps the alert firing for a minute.

Bad:

    groups:
      - name: mm-bot
        interval: 1m
        rules:
          - alert: MMLiveModeBotDown
            expr: up{job="mm-bot"} == 0
            for: 10s

Good:

    groups:
      - name: mm-bot
        interval: 1m
        rules:
          - alert: MMLiveModeBotDown
            expr: up{job="mm-bot"} == 0
            for: 1m
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.duration import format_duration
from mmlint.problem import Finding, Location, Severity
from mmlint.project import Project, Rule

ID = "rule/for-too-short"
SEVERITY = Severity.WARNING


def check(project: Project) -> Iterator[Finding]:
    for rule_file in project.rule_files:
        for group in rule_file.groups:
            interval = group.interval_s or project.config.evaluation_interval_s
            source = "" if group.interval_s else " (the default evaluation interval)"
            every = f"`{format_duration(interval)}`{source}"
            for rule in group.rules:
                if rule.kind != "alert":
                    continue
                if rule.for_s and rule.for_s < interval:
                    yield Finding(
                        _value(rule, "for"),
                        f"`for: {format_duration(rule.for_s)}` of alert `{rule.name}` is shorter than the "
                        f"evaluation interval {every} of group `{group.name}`: it fires after "
                        f"{format_duration(interval)}",
                        f"use `for: {format_duration(interval)}`, or drop `for` to fire at once",
                    )
                if rule.keep_firing_for_s and rule.keep_firing_for_s < interval:
                    yield Finding(
                        _value(rule, "keep_firing_for"),
                        f"`keep_firing_for: {format_duration(rule.keep_firing_for_s)}` of alert "
                        f"`{rule.name}` is shorter than the evaluation interval {every} of group "
                        f"`{group.name}`: the alert keeps firing for {format_duration(interval)}",
                        f"use at least `keep_firing_for: {format_duration(interval)}`",
                    )


def _value(rule: Rule, key: str) -> Location:
    node = rule.node.get(key)
    return (node or rule.node).location

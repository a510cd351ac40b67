"""An alerting rule without a `severity` label, or with a value outside the allowed set.

Every alerting rule must set the `severity` label (option `required`, on by default) to one of the
`allowed` values (default `critical`, `warning`, `info`; empty allows any value). Alertmanager routes,
inhibits and silences alerts by this label, and dashboards filter on it. A templated value (`{{ ... }}`)
is computed when the alert fires and is not checked.

Why: an alert with `severity: crit` or without `severity` matches no route meant for it and may page
nobody, or everybody.

Bad:

    - alert: MMNetPnLNegative
      expr: mm_net_pnl_bps < 0
      labels:
        severity: page

Good:

    - alert: MMNetPnLNegative
      expr: mm_net_pnl_bps < 0
      labels:
        severity: critical
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from mmlint.problem import Finding, Severity
from mmlint.project import Project
from mmlint.sources.rules import key_of

ID = "rule/severity-label"
SEVERITY = Severity.WARNING
LABEL = "severity"


@dataclass(frozen=True, kw_only=True)
class Options:
    allowed: tuple[str, ...] = ("critical", "warning", "info")
    required: bool = True


def check(project: Project, options: Options) -> Iterator[Finding]:
    allowed = ", ".join(f"`{value}`" for value in options.allowed)
    for rule in project.rules():
        if rule.kind != "alert":
            continue
        value = rule.labels.get(LABEL)
        if value is None:
            if options.required:
                where = key_of(rule.node, "alert") or rule.node
                yield Finding(
                    where.location,
                    f"alert `{rule.name}` has no `{LABEL}` label",
                    f"add `labels: {{{LABEL}: ...}}` with one of {allowed}" if allowed else None,
                )
            continue
        text = value.written
        if not options.allowed or text in options.allowed or "{{" in text:
            continue
        close = difflib.get_close_matches(text.lower(), options.allowed, n=1, cutoff=0.5)
        yield Finding(
            value.location,
            f"`{LABEL}` of alert `{rule.name}` is `{text}`, not one of {allowed}",
            f"did you mean `{close[0]}`?" if close else None,
        )

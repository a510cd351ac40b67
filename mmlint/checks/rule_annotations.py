"""An alerting rule without one of the required annotations, or with it empty.

Each alerting rule must carry every annotation named in the option `required` (default `summary`,
`description`, `runbook_url`) with a value that is not blank. A missing annotation is reported at the
rule's `alert` key, an empty one at its value.

Why: the summary and description are what the person paged reads first, and the runbook link is what
they open next; an alert without them arrives as a bare name at the worst moment.

Bad:

    - alert: MMFrequentFreezes
      expr: sum by (symbol, reason) (increase(mm_freeze_events_total[1h])) >= 3
      annotations:
        summary: "Frequent freezes on {{ $labels.symbol }}"
        description: ""

Good:

    - alert: MMFrequentFreezes
      expr: sum by (symbol, reason) (increase(mm_freeze_events_total[1h])) >= 3
      annotations:
        summary: "Frequent freezes on {{ $labels.symbol }}"
        description: "{{ $value }} {{ $labels.reason }} freezes in the last hour."
        runbook_url: RUNBOOK_SHADOW.md#mmfrequentfreezes
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mmlint.problem import Finding, Severity
from mmlint.project import Project
from mmlint.sources.rules import key_of

ID = "rule/annotations"
SEVERITY = Severity.WARNING


@dataclass(frozen=True, kw_only=True)
class Options:
    required: tuple[str, ...] = ("summary", "description", "runbook_url")


def check(project: Project, options: Options) -> Iterator[Finding]:
    for rule in project.rules():
        if rule.kind != "alert":
            continue
        for name in options.required:
            value = rule.annotations.get(name)
            if value is None:
                where = key_of(rule.node, "alert") or rule.node
                yield Finding(where.location, f"alert `{rule.name}` has no `{name}` annotation")
            elif not value.written.strip():
                yield Finding(value.location, f"annotation `{name}` of alert `{rule.name}` is empty")

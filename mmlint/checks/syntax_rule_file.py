"""A rule file that promtool would reject: its schema, not its YAML.

Checks what `promtool check rules` checks before evaluating anything: only `groups` at the top (or
`spec.groups` in a Kubernetes `PrometheusRule`), each group with a unique non-empty `name`, a valid
`interval` and a list of `rules`; each rule exactly one of `alert` or `record`, an `expr`, durations that
parse (`for`, `keep_firing_for`), recording rule names that are valid metric names and carry no `for` or
`annotations`, and `labels`/`annotations` that map valid names to strings. Unknown keys are errors, as in
promtool's strict decoding, and so is a key defined twice in one mapping (yaml.v3 refuses it).

Why: Prometheus refuses the whole file, so every alert in it stops firing after the next reload.

Bad:

    groups:
      - name: mm-bot
        rules:
          - alert: MMNetPnLNegative
            expr: mm_net_pnl_bps < 0
            for: 30 minutes          # not a Prometheus duration
            label: {severity: critical}   # unknown key: `labels`

Good:

    groups:
      - name: mm-bot
        rules:
          - alert: MMNetPnLNegative
            expr: mm_net_pnl_bps < 0
            for: 30m
            labels: {severity: critical}
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.checks._loaded import loaded
from mmlint.problem import Finding, Severity
from mmlint.project import Project

ID = "syntax/rule-file"
SEVERITY = Severity.ERROR


def check(project: Project) -> Iterator[Finding]:
    yield from loaded(project, ID)

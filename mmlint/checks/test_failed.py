"""A promtool unit test that fails.

`mmlint check` runs every promtool unit-test file it finds (`rule_files` + `tests`), offline, as
`mmlint test` does with its defaults (Prometheus 2.42 semantics), and reports each failing alert case,
expression case or rule evaluation at the test's line. The run is shared with coverage/alert-untested,
which reads from it which alerts the tests saw firing and silent.

Why: a rule change that breaks its unit tests is caught where the rules are linted, without promtool.

Bad:

    tests:
      - interval: 1m
        input_series:
          - series: up{job="mm-bot"}
            values: 0x10
        alert_rule_test:
          - eval_time: 10m
            alertname: MMBotDown
            exp_alerts: []          # the alert fires: the test fails

Good: expectations that match what the rules do (`exp_alerts` listing the firing alert).
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.problem import Finding, Severity
from mmlint.project import Project

ID = "test/failed"
SEVERITY = Severity.ERROR


def check(project: Project) -> Iterator[Finding]:
    from mmlint.ruletest.outcomes import evaluate
    from mmlint.ruletest.render import summary

    for test_file in project.unit_test_files:
        for failure in evaluate(test_file).failures:
            yield Finding(failure.location, summary(failure))

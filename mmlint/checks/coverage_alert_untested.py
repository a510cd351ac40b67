"""An alerting rule without a promtool unit test in which it fires and one in which it stays silent.

A unit-test file covers the rule files its `rule_files` load (paths relative to the test file, globs
allowed, as promtool resolves them). `mmlint check` runs each unit-test file once (the run test/failed
reports from) and, for each alerting rule of a covered file, looks for an `alert_rule_test` entry with its
`alertname` that saw it firing (the alert was firing at the entry's eval_time) and one that saw it silent
(none of that name firing then). A rule file that no test file loads has each of its alerts reported once,
as untested.

What counts is what the rules did under the test's input series, not what the test expected: a failing
test still shows whether the alert fired (test/failed reports the failure itself). So a test that expects
an alert to fire but whose series never make it fire does not cover its firing, and one that expects it
silent while it fires covers its firing. Where a test cannot run (the file is not a valid unit-test file, a
test group cannot start, a rule fails to evaluate before the entry's eval_time), its expectation stands in:
non-empty `exp_alerts` for firing, `exp_alerts: []` or none for silent.

Why: an alert that was never seen firing in a test may never fire (a typo in a label, a `for` longer than
the window); one never seen silent may fire all the time. Both are only found in production otherwise.

Bad:

    tests:
      - interval: 1m
        input_series:
          - series: mm_net_pnl_bps{symbol="BTCUSDT"}
            values: -5x30
        alert_rule_test:
          - eval_time: 30m
            alertname: MMNetPnLNegative
            exp_alerts: [{exp_labels: {severity: critical, symbol: BTCUSDT}}]

Good: also a test in which it stays silent:

    tests:
      - interval: 1m
        input_series:
          - series: mm_net_pnl_bps{symbol="BTCUSDT"}
            values: -5x30
        alert_rule_test:
          - eval_time: 30m
            alertname: MMNetPnLNegative
            exp_alerts: [{exp_labels: {severity: critical, symbol: BTCUSDT}}]
          - eval_time: 5m        # before its `for: 30m` has passed
            alertname: MMNetPnLNegative
            exp_alerts: []
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mmlint.problem import Finding, Severity
from mmlint.project import Project, Rule

if TYPE_CHECKING:
    from mmlint.ruletest.outcomes import Outcome

ID = "coverage/alert-untested"
SEVERITY = Severity.WARNING

HINT = "test it firing (exp_alerts) and not firing (exp_alerts: [])"


def untested(rule: Rule, outcomes: list[Outcome]) -> tuple[str, str] | None:
    """The message and hint for an alert the outcomes do not see both firing and silent."""
    fired = any(rule.name in o.fired for o in outcomes)
    silent = any(rule.name in o.silent for o in outcomes)
    if fired and silent:
        return None
    if not fired and not silent:
        message = (
            f"alert `{rule.name}` appears in no `alert_rule_test` of the unit tests that load its rule file"
        )
        return message, HINT
    if not fired:
        if any(rule.name in o.expected_fired for o in outcomes):
            hint = "a test expects it to fire, but its input series never make it fire by the eval_time"
            return f"alert `{rule.name}` is never seen firing in a unit test", hint
        return f"alert `{rule.name}` is never seen firing in a unit test", HINT
    if any(rule.name in o.expected_silent for o in outcomes):
        hint = "a test expects it to stay silent, but it fires at the eval_time"
        return f"alert `{rule.name}` is never seen silent in a unit test", hint
    return f"alert `{rule.name}` is never seen silent in a unit test", HINT


def check(project: Project) -> Iterator[Finding]:
    # Imported here, as in test/failed: the runner and its engine load only when a check runs.
    from mmlint.ruletest.outcomes import alert_outcomes, loads

    for rule_file in project.rule_files:
        test_files = [t for t in project.unit_test_files if loads(t, rule_file)]
        outcomes = [o for t in test_files for o in alert_outcomes(t)]
        for rule in rule_file.rules():
            if rule.kind != "alert":
                continue
            name = rule.node.get("alert")
            location = name.location if name is not None else rule.location
            if not test_files:
                yield Finding(
                    location,
                    f"alert `{rule.name}` has no unit test: no test file loads `{rule_file.path}`",
                    "add a promtool test file whose rule_files lists it",
                )
                continue
            found = untested(rule, outcomes)
            if found is not None:
                yield Finding(location, *found)

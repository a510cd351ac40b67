"""An alerting rule without a promtool unit test in which it fires and one in which it stays silent.

A unit-test file covers the rule files its `rule_files` load (paths relative to the test file, globs
allowed, as promtool resolves them). For each alerting rule of a covered file, some `alert_rule_test` entry
with its `alertname` must expect it firing (non-empty `exp_alerts`) and some entry must expect it silent
(`exp_alerts: []`, or no `exp_alerts`). A rule file that no test file loads has each of its alerts reported
once, as untested. Tests are read, not run: which alerts a test expects is what counts here.

Why: an alert that was never seen firing in a test may never fire (a typo in a label, a `for` longer than
the window); one never seen silent may fire all the time. Both are only found in production otherwise.

Bad:

    tests:
      - alert_rule_test:
          - eval_time: 30m
            alertname: MMNetPnLNegative
            exp_alerts: [{exp_labels: {severity: critical, symbol: BTCUSDT}}]

Good:

    tests:
      - alert_rule_test:
          - eval_time: 30m
            alertname: MMNetPnLNegative
            exp_alerts: [{exp_labels: {severity: critical, symbol: BTCUSDT}}]
          - eval_time: 5m
            alertname: MMNetPnLNegative
            exp_alerts: []
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mmlint.problem import Finding, Severity
from mmlint.project import Project, Rule, RuleFile, UnitTestFile
from mmlint.sources.positions import Mapping, Node, Scalar, Sequence

ID = "coverage/alert-untested"
SEVERITY = Severity.WARNING


@dataclass(frozen=True)
class Outcome:
    """What one test group of a unit-test file shows about alerts: which fired, which held silent."""

    fired: frozenset[str]
    silent: frozenset[str]


def alert_outcomes(test_file: UnitTestFile) -> list[Outcome]:
    """Per test group, the alerts it shows firing and silent, read from its `alert_rule_test` expectations.

    The one place that decides what a test shows; evaluating the tests instead of reading them replaces
    this function only."""
    outcomes = []
    tests = test_file.node.get("tests")
    for group in tests.items if isinstance(tests, Sequence) else ():
        entries = group.get("alert_rule_test") if isinstance(group, Mapping) else None
        fired, silent = set(), set()
        for entry in entries.items if isinstance(entries, Sequence) else ():
            name = entry.string("alertname") if isinstance(entry, Mapping) else None
            if name is None or not isinstance(entry, Mapping):
                continue
            expected = entry.get("exp_alerts")
            if isinstance(expected, Sequence) and expected.items:
                fired.add(str(name.value))
            elif expected is None or isinstance(expected, Sequence) or is_null(expected):
                silent.add(str(name.value))
        outcomes.append(Outcome(frozenset(fired), frozenset(silent)))
    return outcomes


def is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.value is None


def loads(test_file: UnitTestFile, rule_file: RuleFile) -> bool:
    """Whether one of the test file's `rule_files` patterns names the rule file (promtool joins a relative
    pattern to the test file's directory and globs it; `*` does not cross `/`)."""
    patterns = test_file.node.get("rule_files")
    target = Path(rule_file.path).resolve().parts
    for pattern in patterns.items if isinstance(patterns, Sequence) else ():
        if not isinstance(pattern, Scalar) or not isinstance(pattern.value, str):
            continue
        parts = (Path(test_file.path).parent / pattern.value).resolve().parts
        if len(parts) == len(target) and all(map(fnmatch.fnmatchcase, target, parts)):
            return True
    return False


def untested(rule: Rule, outcomes: list[Outcome]) -> str | None:
    fired = any(rule.name in o.fired for o in outcomes)
    silent = any(rule.name in o.silent for o in outcomes)
    if fired and silent:
        return None
    if not fired and not silent:
        return (
            f"alert `{rule.name}` appears in no `alert_rule_test` of the unit tests that load its rule file"
        )
    if not fired:
        return f"alert `{rule.name}` is never expected to fire in a unit test"
    return f"alert `{rule.name}` is never expected to stay silent in a unit test"


def check(project: Project) -> Iterator[Finding]:
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
            message = untested(rule, outcomes)
            if message is not None:
                yield Finding(
                    location,
                    message,
                    "test it firing (exp_alerts) and not firing (exp_alerts: [])",
                )

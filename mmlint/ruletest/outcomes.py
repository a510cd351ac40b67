"""What `mmlint check` learns from the project's unit-test files: each file run once (test/failed and
coverage/alert-untested share the run), which rule files it loads, and which alerts each test group saw
firing and silent.

An alert test *sees* an alert firing when the alert is among the firing alerts at its eval_time, silent when
none of that name fires then, whatever the test expected. Where a test cannot be run (the file is not a
valid unit-test file, a test group cannot start, a rule fails to evaluate before its eval_time), what it
expects stands in for what it would have seen."""

from __future__ import annotations

import fnmatch
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mmlint.project import RuleFile, UnitTestFile
from mmlint.ruletest.model import AlertTest
from mmlint.ruletest.runner import FileResult, GroupResult, RunOptions, run_file
from mmlint.sources.positions import Mapping, Node, Scalar, Sequence

# One run per unit-test file of a project; the entry goes with the project's UnitTestFile.
_RESULTS: weakref.WeakKeyDictionary[UnitTestFile, FileResult] = weakref.WeakKeyDictionary()


def evaluate(test_file: UnitTestFile) -> FileResult:
    """The file run as `mmlint test` runs it by default (Prometheus 2.42 semantics), once."""
    result = _RESULTS.get(test_file)
    if result is None:
        result = _RESULTS[test_file] = run_file(Path(test_file.path), test_file.path, RunOptions())
    return result


@dataclass(frozen=True)
class Outcome:
    """What one test group shows about alerts: which it saw firing and silent, and which it expected
    firing and silent (the two differ only where the group ran and the rules disagreed with it)."""

    fired: frozenset[str]
    silent: frozenset[str]
    expected_fired: frozenset[str]
    expected_silent: frozenset[str]


def alert_outcomes(test_file: UnitTestFile) -> list[Outcome]:
    """Per test group, the alerts it saw firing and silent: run, or read where it cannot run."""
    result = evaluate(test_file)
    if result.file_failures:
        return static_outcomes(test_file)
    return [group_outcome(group) for group in result.groups]


def group_outcome(result: GroupResult) -> Outcome:
    fired, silent = split(result.group.alert_tests)
    seen_fired = {g.test.alertname for g in result.alerts_got if g.got}
    seen_silent = {g.test.alertname for g in result.alerts_got if not g.got}
    # The tests the run did not reach (a setup or rule evaluation error stopped it) count as expected.
    reached = {id(g.test) for g in result.alerts_got}
    unreached_fired, unreached_silent = split([t for t in result.group.alert_tests if id(t) not in reached])
    return Outcome(
        frozenset(seen_fired | unreached_fired),
        frozenset(seen_silent | unreached_silent),
        frozenset(fired),
        frozenset(silent),
    )


def split(tests: Iterable[AlertTest]) -> tuple[set[str], set[str]]:
    """The alertnames the tests expect firing (some `exp_alerts`) and silent (none)."""
    fired: set[str] = set()
    silent: set[str] = set()
    for test in tests:
        if test.alertname:
            (fired if test.exp_alerts else silent).add(test.alertname)
    return fired, silent


def static_outcomes(test_file: UnitTestFile) -> list[Outcome]:
    """Per test group, the alerts its `alert_rule_test` entries expect, read from the YAML as written: the
    reading for a file promtool would refuse to run, as far as its shape allows."""
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
        outcomes.append(Outcome(frozenset(fired), frozenset(silent), frozenset(fired), frozenset(silent)))
    return outcomes


def is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.value is None


def loads(test_file: UnitTestFile, rule_file: RuleFile) -> bool:
    """Whether the test file loads the rule file: the files its run matched, or for a file that cannot
    run, its `rule_files` patterns matched as promtool globs them (relative to the test file's folder;
    `*` does not cross `/`)."""
    target = Path(rule_file.path).resolve()
    result = evaluate(test_file)
    if not result.file_failures:
        return any(path.resolve() == target for path in result.rule_files)
    patterns = test_file.node.get("rule_files")
    for pattern in patterns.items if isinstance(patterns, Sequence) else ():
        if not isinstance(pattern, Scalar) or not isinstance(pattern.value, str):
            continue
        parts = (Path(test_file.path).parent / pattern.value).resolve().parts
        if len(parts) == len(target.parts) and all(map(fnmatch.fnmatchcase, target.parts, parts)):
            return True
    return False

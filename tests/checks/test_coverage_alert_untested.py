"""Which rule files a unit-test file loads (promtool's relative paths and globs), and what each test group
shows about alerts, read from its expectations when it cannot run. What running the tests shows is in
tests/ruletest/test_outcomes.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmlint.project import RuleFile, UnitTestFile
from mmlint.ruletest.outcomes import Outcome, evaluate, loads, static_outcomes
from mmlint.sources.positions import Mapping, load_yaml_documents


def unit_test_file(path: str, text: str) -> UnitTestFile:
    node = load_yaml_documents(text.encode(), path)[0]
    assert isinstance(node, Mapping)
    return UnitTestFile(path, node)


@pytest.mark.parametrize(
    ("test_path", "pattern", "rule_path", "expected"),
    [
        ("obs/tests/a_test.yml", "../alerts.yml", "obs/alerts.yml", True),
        ("obs/tests/a_test.yml", "../*.yml", "obs/alerts.yml", True),
        ("obs/tests/a_test.yml", "../alert?.yml", "obs/alerts.yml", True),
        ("obs/tests/a_test.yml", "../[ab]lerts.yml", "obs/alerts.yml", True),
        ("obs/tests/a_test.yml", "alerts.yml", "obs/alerts.yml", False),
        # `*` stays within one path segment, as Go's filepath.Match.
        ("a_test.yml", "*.yml", "obs/alerts.yml", False),
        ("a_test.yml", "*/alerts.yml", "obs/alerts.yml", True),
        ("a_test.yml", "obs/other.yml", "obs/alerts.yml", False),
    ],
)
def test_loads(test_path: str, pattern: str, rule_path: str, expected: bool) -> None:
    unit = unit_test_file(test_path, f"rule_files: ['{pattern}']\ntests: []\n")
    assert loads(unit, RuleFile(rule_path, ())) is expected


def test_outcomes_per_group() -> None:
    unit = unit_test_file(
        "t.yml",
        """
rule_files: [r.yml]
tests:
  - alert_rule_test:
      - {alertname: A, eval_time: 1m, exp_alerts: [{exp_labels: {x: y}}]}
      - {alertname: B, eval_time: 1m, exp_alerts: []}
      - {alertname: C, eval_time: 1m}
      - {alertname: D, eval_time: 1m, exp_alerts: null}
  - input_series: []
  - alert_rule_test:
      - {alertname: A, eval_time: 9m, exp_alerts: []}
      - {eval_time: 9m, exp_alerts: []}
""",
    )
    assert static_outcomes(unit) == [
        Outcome(frozenset({"A"}), frozenset({"B", "C", "D"}), frozenset({"A"}), frozenset({"B", "C", "D"})),
        Outcome(frozenset(), frozenset(), frozenset(), frozenset()),
        Outcome(frozenset(), frozenset({"A"}), frozenset(), frozenset({"A"})),
    ]


def test_rule_files_relative_to_the_test_file(tmp_path: Path) -> None:
    unit = unit_test_file(str(tmp_path / "tests" / "t.yml"), "rule_files: ['../r.yml']\ntests: []\n")
    assert loads(unit, RuleFile(str(tmp_path / "r.yml"), ()))
    assert not loads(unit, RuleFile(str(tmp_path / "tests" / "r.yml"), ()))


def test_a_runnable_test_file_loads_what_its_run_matched(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    for name in ("rules.yml", "rules_extra.yml", "other.yml"):
        (tmp_path / name).write_text("groups: []\n")
    path = tmp_path / "tests" / "t.yml"
    path.write_text("rule_files: ['../rules*.yml']\ntests: []\n")
    unit = unit_test_file(str(path), path.read_text())
    names = ("rules.yml", "rules_extra.yml", "other.yml")
    assert {name for name in names if loads(unit, RuleFile(str(tmp_path / name), ()))} == set(names[:2])
    assert evaluate(unit).rule_files == tuple(tmp_path / "tests" / ".." / name for name in names[:2])

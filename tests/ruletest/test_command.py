"""`mmlint test`: promtool-like output and exit status, --run, --compat, --format, --junit, and bad input
that ends in a clear error naming file and line within a memory cap, never a hang or a traceback."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mmlint.cli import main

RULES = """\
groups:
  - name: g
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: Down
        expr: up == 0
        for: 2m
        labels: {severity: page}
        annotations:
          summary: "{{ $labels.instance }} down, value {{ $value }}"
"""

TESTS = """\
rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - name: passes
    interval: 1m
    input_series:
      - series: up{job="a", instance="i1"}
        values: 1 0 0 0 0
    alert_rule_test:
      - eval_time: 1m
        alertname: Down
        exp_alerts: []
      - eval_time: 3m
        alertname: Down
        exp_alerts:
          - exp_labels: {severity: page, job: a, instance: i1}
            exp_annotations: {summary: "i1 down, value 0"}
    promql_expr_test:
      - expr: job:up:sum
        eval_time: 4m
        exp_samples:
          - labels: job:up:sum{job="a"}
            value: 0
  - name: fails
    interval: 1m
    input_series:
      - series: up{job="a", instance="i1"}
        values: 1 1 1
    alert_rule_test:
      - eval_time: 2m
        alertname: Down
        exp_alerts:
          - exp_labels: {severity: page, job: a, instance: i1}
    promql_expr_test:
      - expr: up
        eval_time: 0m
        exp_samples:
          - labels: up{job="a", instance="i1"}
            value: 2
"""


@pytest.fixture
def suite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "rules.yml").write_text(RULES)
    (tmp_path / "tests.yml").write_text(TESTS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_text_output_and_exit(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "tests.yml"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Unit Testing:  tests.yml\n  FAILED:\n")
    assert "    name: fails,\n    alertname: Down, time: 2m, \n" in out
    assert '    expr: "up", time: 0s,\n' in out
    assert '        exp: {__name__="up", instance="i1", job="a"} 2E+00\n' in out
    assert "passes" not in out


def test_run_selects_groups(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "--run", "^pass", "tests.yml"]) == 0
    assert capsys.readouterr().out == "Unit Testing:  tests.yml\n  SUCCESS\n\n"


def test_json_format_points_at_each_failing_case(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "--format", "json", "tests.yml"]) == 1
    records = json.loads(capsys.readouterr().out)
    assert [(r["line"], r["id"]) for r in records] == [(30, "test/failed"), (35, "test/failed")]
    assert "`Down`" in records[0]["message"] and "`up`" in records[1]["message"]


def test_sarif_and_github_formats(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "--format", "sarif", "tests.yml"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    assert len(sarif["runs"][0]["results"]) == 2
    assert main(["test", "--format", "github", "tests.yml"]) == 1
    assert capsys.readouterr().out.count("::error file=tests.yml,line=") == 2


def test_junit(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "--junit", "out.xml", "tests.yml"]) == 1
    root = ET.parse(suite / "out.xml").getroot()
    suite_node = root.find("testsuite")
    assert suite_node is not None
    assert (suite_node.get("tests"), suite_node.get("failures")) == ("2", "1")
    cases = {case.get("name"): case.find("failure") for case in suite_node.iter("testcase")}
    assert cases["passes"] is None
    failure = cases["fails"]
    assert failure is not None and "alertname: Down" in (failure.text or "")


def test_compat_3_defaults_interval_to_evaluation_interval(suite: Path) -> None:
    text = "tests:\n  - input_series:\n      - series: x\n        values: 1 2 3\n"
    text += "    promql_expr_test:\n      - expr: x\n        eval_time: 2m\n"
    text += "        exp_samples: [{labels: x, value: 3}]\n"
    (suite / "t.yml").write_text(text)
    assert main(["test", "--compat", "3", "t.yml"]) == 0
    # 2.42 loads every value at t=0 when a test group has no interval: x is 1 for five minutes.
    assert main(["test", "t.yml"]) == 1


def test_unknown_field_is_a_positioned_failure(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (suite / "bad.yml").write_text("rule_files: []\ntests:\n  - start_timestamp: 0\n")
    assert main(["test", "bad.yml"]) == 1
    assert "bad.yml:3:5: unknown field `start_timestamp`" in capsys.readouterr().out


def test_bad_regex_is_a_usage_error(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "--run", "(", "tests.yml"]) == 2
    assert "--run" in capsys.readouterr().err


HOSTILE = {
    "expansion": (
        "tests:\n  - interval: 1s\n    input_series:\n      - series: x\n        values: 1+1x100000000\n"
        "    promql_expr_test:\n      - expr: x\n        eval_time: 1000d\n",
        "bad.yml:7:9:",
        "eval_time 1000d needs 1440001 evaluation steps of 1m",
    ),
    "points": (
        "evaluation_interval: 1d\ntests:\n  - interval: 1ms\n    input_series:\n      - series: x\n"
        "        values: 1+1x100000000\n    promql_expr_test:\n      - expr: x\n        eval_time: 1d\n",
        "bad.yml:5:17:",
        "over the limit",
    ),
    "far-future": (
        "tests:\n  - interval: 1m\n    alert_rule_test:\n      - eval_time: 100000y\n        alertname: A\n",
        "bad.yml:4:9:",
        "evaluation steps",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_fails_fast_within_a_memory_cap(case: str, tmp_path: Path) -> None:
    text, where, fragment = HOSTILE[case]
    (tmp_path / "bad.yml").write_text(text)
    cap = 1 << 30  # 1 GiB of address space

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    result = subprocess.run(
        [sys.executable, "-m", "mmlint", "test", "bad.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
        check=False,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert where in result.stdout and fragment in result.stdout


def test_rule_file_globs(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (suite / "more").mkdir()
    (suite / "more" / "b.yml").write_text(
        "groups:\n  - name: b\n    rules:\n      - record: two\n        expr: vector(2)\n"
    )
    text = "rule_files: ['more/*.yml', 'none/*.yml']\ntests:\n  - promql_expr_test:\n      - expr: two\n"
    text += "        exp_samples: [{labels: two, value: 2}]\n"
    (suite / "glob.yml").write_text(text)
    assert main(["test", "glob.yml"]) == 0
    assert capsys.readouterr().out == (
        "Unit Testing:  glob.yml\n  WARNING: no file match pattern none/*.yml\n  SUCCESS\n\n"
    )


def test_unreadable_test_file_is_a_failed_junit_case(suite: Path) -> None:
    assert main(["test", "--junit", "out.xml", "missing.yml"]) == 1
    case = ET.parse(suite / "out.xml").getroot().find("testsuite/testcase")
    assert case is not None and case.get("name") == "missing.yml"
    failure = case.find("failure")
    assert failure is not None and "cannot read" in (failure.get("message") or "")

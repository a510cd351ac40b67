"""What `mmlint check` learns by running the unit tests: each test file runs once for test/failed and
coverage/alert-untested together, the runner records what every alert test saw, and coverage counts what
the alerts did (fired or stayed silent at the eval_time), not what the tests expected, except where a test
cannot run."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mmlint.config import load_config
from mmlint.lint import load_project, run_checks
from mmlint.ruletest import outcomes
from mmlint.ruletest.runner import FileResult, RunOptions, run_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

RULES = """\
groups:
  - name: g
    rules:
      - alert: Slow
        expr: mm_x > 0
        for: 10m
"""


def write(tmp_path: Path, tests: str, rules: str = RULES) -> None:
    (tmp_path / "rules.yml").write_text(rules)
    (tmp_path / "rules_test.yml").write_text(textwrap.dedent(tests))


def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, str, str]]:
    monkeypatch.chdir(tmp_path)
    project, suppressions = load_project([Path(".")], load_config(FIXTURES / "default.toml"), tmp_path)
    problems = run_checks(project, suppressions)
    wanted = {"coverage/alert-untested", "test/failed"}
    return sorted(
        (p.location.line, p.location.column, p.check_id, p.message) for p in problems if p.check_id in wanted
    )


def unit_tests(body: str, series: str = "mm_x 1x20") -> str:
    return f"""\
rule_files: [rules.yml]
tests:
  - interval: 1m
    input_series:
      - series: '{series.split(" ")[0]}'
        values: '{series.split(" ", 1)[1]}'
    alert_rule_test:
{textwrap.indent(textwrap.dedent(body), "      ")}"""


def test_runner_records_what_each_alert_test_saw(tmp_path: Path) -> None:
    write(
        tmp_path,
        unit_tests("""\
            - {eval_time: 15m, alertname: Slow, exp_alerts: [{exp_labels: {wrong: label}}]}
            - {eval_time: 5m, alertname: Slow, exp_alerts: [{}]}
            - {eval_time: 15m, alertname: Other}
        """),
    )
    result = run_file(tmp_path / "rules_test.yml", "rules_test.yml", RunOptions())
    (group,) = result.groups
    seen = [(g.test.alertname, g.test.eval_time_ms, g.got) for g in group.alerts_got]
    firing = ((("alertname", "Slow"),), ())
    # In evaluation order (5m before 15m); failing tests are recorded too.
    assert seen == [("Slow", 300_000, ()), ("Slow", 900_000, (firing,)), ("Other", 900_000, ())]
    assert len(group.failures) == 2
    assert result.rule_files == (tmp_path / "rules.yml",)


# A recording rule that fails at t=0: two left-hand samples match the one on the right (many-to-many).
FAILING_RULES = (
    RULES
    + """\
      - record: many
        expr: >-
          (label_replace(mm_x, "a", "1", "", "") or label_replace(mm_x, "a", "2", "", ""))
          + on() vector(1)
"""
)


@pytest.mark.parametrize(
    ("body", "series", "expected"),
    [
        pytest.param(
            # The static reading calls this tested: one entry expects it firing, one silent. It never fires:
            # `for: 10m` has not passed at 5m.
            """\
            - {eval_time: 5m, alertname: Slow, exp_alerts: [{}]}
            - {eval_time: 1m, alertname: Slow, exp_alerts: []}
            """,
            "mm_x 1x20",
            [
                (4, 16, "coverage/alert-untested", "alert `Slow` is never seen firing in a unit test"),
                (8, 9, "test/failed", ""),
            ],
            id="expected-to-fire-never-fires",
        ),
        pytest.param(
            "- {eval_time: 5m, alertname: Slow, exp_alerts: []}\n",
            "mm_x 1x20",
            [(4, 16, "coverage/alert-untested", "alert `Slow` is never seen firing in a unit test")],
            id="tested-only-silent",
        ),
        pytest.param(
            """\
            - {eval_time: 15m, alertname: Slow, exp_alerts: [{}]}
            - {eval_time: 12m, alertname: Slow, exp_alerts: []}
            """,
            "mm_x 1x20",
            [
                (4, 16, "coverage/alert-untested", "alert `Slow` is never seen silent in a unit test"),
                (9, 9, "test/failed", ""),
            ],
            id="expected-silent-but-fires",
        ),
        pytest.param(
            # A failing test still shows the alert firing: only test/failed reports it.
            """\
            - {eval_time: 15m, alertname: Slow, exp_alerts: [{exp_labels: {wrong: label}}]}
            - {eval_time: 5m, alertname: Slow, exp_alerts: []}
            """,
            "mm_x 1x20",
            [(8, 9, "test/failed", "")],
            id="failing-test-still-covers-firing",
        ),
        pytest.param(
            # The group cannot start (bad series): its expectations stand in for what it would have seen.
            """\
            - {eval_time: 5m, alertname: Slow, exp_alerts: [{}]}
            - {eval_time: 1m, alertname: Slow, exp_alerts: []}
            """,
            "mm_x 1xx",
            [(5, 17, "test/failed", "")],
            id="unrunnable-group-falls-back-to-expectations",
        ),
        pytest.param(
            # A rule fails to evaluate at t=0, so no test is reached: expectations stand in.
            """\
            - {eval_time: 5m, alertname: Slow, exp_alerts: [{}]}
            - {eval_time: 1m, alertname: Slow, exp_alerts: []}
            """,
            "mm_x 1x20",
            [(3, 5, "test/failed", "")],
            id="rule-error-falls-back-to-expectations",
        ),
        pytest.param(
            # The rule fails once mm_x has samples (from 6m): the 1m test was reached and saw the alert
            # silent, though it expected it firing; the 30m one was not, its expectation (silent) stands.
            """\
            - {eval_time: 1m, alertname: Slow, exp_alerts: [{}]}
            - {eval_time: 30m, alertname: Slow, exp_alerts: []}
            """,
            "mm_x _x5 1x30",
            [
                (3, 5, "test/failed", ""),
                (4, 16, "coverage/alert-untested", "alert `Slow` is never seen firing in a unit test"),
                (8, 9, "test/failed", ""),
            ],
            id="rule-error-after-some-tests",
        ),
    ],
)
def test_coverage_counts_what_the_alerts_did(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    body: str,
    series: str,
    expected: list[tuple[int, int, str, str]],
) -> None:
    rules = FAILING_RULES if "rule-error" in request.node.callspec.id else RULES
    write(tmp_path, unit_tests(body, series), rules)
    found = check(tmp_path, monkeypatch)
    assert [
        (line, col, cid, msg if cid != "test/failed" else "") for line, col, cid, msg in found
    ] == expected


def test_one_run_per_test_file_for_both_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, unit_tests("- {eval_time: 5m, alertname: Slow, exp_alerts: [{}]}\n"))
    (tmp_path / "more_test.yml").write_text("rule_files: [rules.yml]\ntests: []\n")
    runs: list[str] = []

    def counting(path: Path, shown: str, options: RunOptions) -> FileResult:
        runs.append(shown)
        return run_file(path, shown, options)

    monkeypatch.setattr(outcomes, "run_file", counting)
    found = check(tmp_path, monkeypatch)
    assert {cid for _, _, cid, _ in found} == {"coverage/alert-untested", "test/failed"}
    assert sorted(runs) == ["more_test.yml", "rules_test.yml"]


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        pytest.param(
            "- {eval_time: 5m, alertname: Slow, exp_alerts: [{}]}\n- {eval_time: 1m, alertname: Slow}\n",
            "a test expects it to fire, but its input series never make it fire by the eval_time",
            id="expected-firing",
        ),
        pytest.param(
            "- {eval_time: 1m, alertname: Slow}\n",
            "test it firing (exp_alerts) and not firing (exp_alerts: [])",
            id="never-expected-firing",
        ),
        pytest.param(
            "- {eval_time: 15m, alertname: Slow, exp_alerts: []}\n",
            "a test expects it to stay silent, but it fires at the eval_time",
            id="expected-silent",
        ),
    ],
)
def test_hint_says_when_a_test_expected_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, hint: str
) -> None:
    write(tmp_path, unit_tests(body))
    monkeypatch.chdir(tmp_path)
    project, suppressions = load_project([Path(".")], load_config(FIXTURES / "default.toml"), tmp_path)
    hints = [p.hint for p in run_checks(project, suppressions) if p.check_id == "coverage/alert-untested"]
    assert hints == [hint]

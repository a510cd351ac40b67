"""Alert state and group stepping as Prometheus 2.42 does them, driven by scripted query results (no
engine): pending, firing after `for`, `keep_firing_for`, ALERTS and ALERTS_FOR_STATE, staleness markers,
recording rules feeding later rules, duplicate-sample errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import promql_parser
import pytest

from mmlint.promql.values import STALE_NAN, Labels, Sample, Vector, is_stale
from mmlint.ruletest import alerts
from mmlint.ruletest.alerts import AlertingRule, AlertingState, State
from mmlint.ruletest.rules_eval import Appender, GroupStepper, RuleLoadError, load_groups

MIN = 60_000
X: Labels = (("__name__", "x"), ("job", "a"))


def plain(text: str, labels: Labels, value: float) -> str:
    return text.replace("{{ $value }}", repr(value))


def run(rule: AlertingRule, present: list[bool]) -> list[State | None]:
    """The alert's state after each evaluation, one a minute; True where the expression returns x."""
    state = AlertingState()
    seen: list[State | None] = []
    for step, here in enumerate(present):
        result = Vector([Sample(X, step * MIN, 1.0)]) if here else Vector()
        alerts.step(rule, state, result, step * MIN, plain)
        found = list(state.active.values())
        seen.append(found[0].state if found else None)
    return seen


P, F, OFF = State.PENDING, State.FIRING, State.INACTIVE


@pytest.mark.parametrize(
    ("for_ms", "keep_ms", "present", "states"),
    [
        pytest.param(0, 0, [True, True, False], [F, F, OFF], id="no-for-fires-at-once"),
        pytest.param(2 * MIN, 0, [True, True, True, True], [P, P, F, F], id="for-2m"),
        pytest.param(2 * MIN, 0, [True, False, True], [P, None, P], id="pending-dropped"),
        pytest.param(0, 2 * MIN, [True, False, False, False], [F, F, F, OFF], id="keep-firing-for"),
        pytest.param(MIN, 2 * MIN, [True, False, False], [P, None, None], id="keep-firing-needs-firing"),
    ],
)
def test_alert_states(for_ms: int, keep_ms: int, present: list[bool], states: list[State | None]) -> None:
    rule = AlertingRule("A", for_ms, keep_ms, (), ())
    assert run(rule, present) == states


def test_inactive_alert_is_forgotten_after_15_minutes() -> None:
    rule = AlertingRule("A", 0, 0, (), ())
    states = run(rule, [True] + [False] * 17)
    assert states[1] == OFF and states[16] == OFF and states[17] is None


def test_labels_annotations_and_alerts_series() -> None:
    rule = AlertingRule(
        "A", MIN, 0, (("severity", "page"), ("v", "{{ $value }}"), ("gone", "")), (("s", "x"),)
    )
    state = AlertingState()
    out = alerts.step(rule, state, Vector([Sample(X, 0, 2.0)]), 0, plain)
    (alert,) = state.active.values()
    assert alert.labels == (("alertname", "A"), ("job", "a"), ("severity", "page"), ("v", "2.0"))
    assert alert.annotations == (("s", "x"),)
    by_name = {dict(s.labels)["__name__"]: s for s in out}
    assert dict(by_name["ALERTS"].labels)["alertstate"] == "pending"
    assert by_name["ALERTS"].v == 1.0
    assert "alertstate" not in dict(by_name["ALERTS_FOR_STATE"].labels)
    assert by_name["ALERTS_FOR_STATE"].v == 0.0
    out = alerts.step(rule, state, Vector([Sample(X, MIN, 2.0)]), MIN, plain)
    assert {dict(s.labels).get("alertstate") for s in out} == {"firing", None}
    assert state.firing() == [(alert.labels, alert.annotations)]


def test_duplicate_alert_labels_are_an_error() -> None:
    rule = AlertingRule("A", 0, 0, (), ())
    result = Vector([Sample((("__name__", "x"),), 0, 1.0), Sample((("__name__", "y"),), 0, 1.0)])
    with pytest.raises(alerts.RuleEvalError, match="same labelset after applying alert labels"):
        alerts.step(rule, AlertingState(), result, 0, plain)


RULES = """\
groups:
  - name: g
    rules:
      - record: job:x
        expr: x
        labels: {team: t}
      - alert: High
        expr: job:x > 1
        labels: {severity: page}
"""


def write_rules(tmp_path: Path, text: str) -> list[tuple[Path, str]]:
    path = tmp_path / "rules.yml"
    path.write_text(text)
    return [(path, "rules.yml")]


class Store:
    def __init__(self) -> None:
        self.samples: list[tuple[Labels, int, float]] = []

    def append(self, labels: Labels, t: int, v: float) -> None:
        self.samples.append((labels, t, v))

    def at(self, name: str, t: int) -> list[tuple[Labels, float]]:
        return [(ls, v) for ls, st, v in self.samples if st == t and dict(ls)["__name__"] == name]


def scripted(store: Store, inputs: dict[int, float]) -> Callable[[promql_parser.Expr, int], Vector]:
    """`x` is the scripted input; `job:x > 1` reads what the recording rule stored at the same time."""

    def query(expr: promql_parser.Expr, ts: int) -> Vector:
        if str(expr) in ("x", "x{}"):
            return Vector([Sample(X, ts, inputs[ts])] if ts in inputs else [])
        return Vector([Sample(ls, ts, v) for ls, v in store.at("job:x", ts) if not is_stale(v) and v > 1])

    return query


def test_recording_rule_feeds_the_alert_and_goes_stale(tmp_path: Path) -> None:
    groups = load_groups(write_rules(tmp_path, RULES), ())
    store = Store()
    stepper = GroupStepper(
        groups,
        query=scripted(store, {0: 2.0, MIN: 0.5}),
        appender=Appender(store.append),
        expander=lambda ts, name: plain,
    )
    assert stepper.eval_at(0) == []
    recorded = (("__name__", "job:x"), ("job", "a"), ("team", "t"))
    assert store.at("job:x", 0) == [(recorded, 2.0)]
    firing = stepper.firing({"High": True})["High"]
    assert firing == [((("alertname", "High"), ("job", "a"), ("severity", "page"), ("team", "t")), ())]
    assert stepper.eval_at(MIN) == []
    assert store.at("job:x", MIN) == [(recorded, 0.5)]
    assert stepper.firing({"High": True})["High"] == []
    assert stepper.eval_at(2 * MIN) == []
    ((labels, value),) = store.at("job:x", 2 * MIN)
    assert labels == recorded and is_stale(value)
    stale_alerts = [v for ls, v in store.at("ALERTS", MIN) + store.at("ALERTS", 2 * MIN)]
    assert any(is_stale(v) for v in stale_alerts)


def test_two_rules_writing_one_series_differently_fail(tmp_path: Path) -> None:
    text = "groups:\n  - name: g\n    rules:\n"
    text += "      - record: r\n        expr: x\n      - record: r\n        expr: y\n"
    groups = load_groups(write_rules(tmp_path, text), ())
    store = Store()

    def query(expr: promql_parser.Expr, ts: int) -> Vector:
        return Vector([Sample((), ts, 1.0 if str(expr) in ("x", "x{}") else 2.0)])

    stepper = GroupStepper(
        groups, query=query, appender=Appender(store.append), expander=lambda ts, name: plain
    )
    errors = stepper.eval_at(0)
    assert [(e.rule, e.message) for e in errors] == [("r", "duplicate sample for timestamp")]


def test_appender_accepts_identical_duplicates() -> None:
    store = Store()
    appender = Appender(store.append)
    assert appender.append(X, 0, 1.0) is None
    assert appender.append(X, 0, 1.0) is None
    assert appender.append(X, 0, STALE_NAN) == "duplicate sample for timestamp"
    assert appender.append(X, -1, 1.0) == "out of order sample"
    assert len(store.samples) == 1


def test_group_eval_order(tmp_path: Path) -> None:
    text = "groups:\n" + "".join(f"  - name: {n}\n    rules: []\n" for n in ("a", "b", "c"))
    groups = load_groups(write_rules(tmp_path, text), ("c", "a"))
    # Groups not named come first (promtool ranks them 0, with the first named group).
    assert [g.name for g in groups] == ["b", "c", "a"]


def test_rule_file_errors(tmp_path: Path) -> None:
    text = 'groups:\n  - name: g\n    rules:\n      - record: "bad name"\n        expr: sum(\n'
    with pytest.raises(RuleLoadError) as error:
        load_groups(write_rules(tmp_path, text), ())
    assert any("could not parse expression" in m for m in error.value.messages)
    assert any("invalid recording rule name" in m for m in error.value.messages)


def test_template_syntax_errors_refuse_the_rule(tmp_path: Path) -> None:
    text = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: x > 1\n"
    text += "        annotations:\n          summary: '{{ $value | nosuchfunction }}'\n"
    with pytest.raises(RuleLoadError) as error:
        load_groups(write_rules(tmp_path, text), ())
    (message,) = error.value.messages
    assert message.startswith("rules.yml:7:") and 'annotation "summary"' in message
    assert "nosuchfunction" in message


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("record: r", "exceeded limit of 1 with 2 series"),
        ("alert: A", "exceeded limit of 1 with 2 alerts"),
    ],
)
def test_group_limit(tmp_path: Path, rule: str, message: str) -> None:
    text = f"groups:\n  - name: g\n    limit: 1\n    rules:\n      - {rule}\n        expr: x\n"
    groups = load_groups(write_rules(tmp_path, text), ())
    store = Store()

    def query(expr: promql_parser.Expr, ts: int) -> Vector:
        return Vector([Sample((("job", job),), ts, 1.0) for job in JOBS])

    stepper = GroupStepper(
        groups, query=query, appender=Appender(store.append), expander=lambda ts, name: plain
    )
    assert [e.message for e in stepper.eval_at(0)] == [message]


JOBS = ("a", "b")


def test_a_rule_file_is_loaded_once_but_loaded_twice_it_has_rules_of_its_own(tmp_path: Path) -> None:
    paths = write_rules(tmp_path, RULES)
    first, again = load_groups(paths, ()), load_groups(paths, ())
    # What a file loads is immutable: test files loading the same rule file share it.
    assert [g.rules for g in first] == [g.rules for g in again]
    assert all(
        a is b for g, h in zip(first, again, strict=True) for a, b in zip(g.rules, h.rules, strict=True)
    )
    # Listed twice by one test, each copy is stepped with its own state, as Prometheus loads it twice.
    twice = load_groups([*paths, *paths], ())
    ids = [id(rule) for group in twice for rule in group.rules]
    assert len(twice) == 2 * len(first) and len(set(ids)) == len(ids)

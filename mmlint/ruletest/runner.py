"""Run a unit-test file as promtool 2.42 runs it (cmd/promtool/unittest.go), one small step per function:
load the series, step the rule groups from t=0 to the last eval_time, check the alerts at each step that
covers an `eval_time`, then query each `promql_expr_test` against what the run stored."""

from __future__ import annotations

import glob
import os
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import promql_parser
import re2

from mmlint.problem import Location
from mmlint.promql.engine import EngineOptions, ParseError, instant_query
from mmlint.promql.regex import RegexError, compile_re2
from mmlint.promql.storage import Storage
from mmlint.promql.values import Labels, PromQLError, Sample, Scalar, Value, Vector
from mmlint.ruletest import compare
from mmlint.ruletest.alerts import Expand, template_free
from mmlint.ruletest.model import AlertTest, ExprTest, ModelError, TestFile, TestGroup, read_test_file
from mmlint.ruletest.needed import needed_rules
from mmlint.ruletest.render import model_duration
from mmlint.ruletest.rules_eval import Appender, GroupStepper, LoadedGroup, RuleLoadError, load_groups
from mmlint.ruletest.series import SeriesError, parse_series_desc, points
from mmlint.ruletest.templates import TemplateData, expand_value


@dataclass(frozen=True)
class RunOptions:
    """How `mmlint test` runs: the Prometheus dialect, which test groups, and what a test may cost."""

    # 2: Prometheus 2.42 (closed windows; a test group without `interval` loads every sample at t=0).
    # 3: Prometheus 3 (left-open windows; `interval` defaults to `evaluation_interval`).
    compat: Literal[2, 3] = 2
    # Test groups whose `name` this RE2 regex finds (unanchored, as promtool's --run); None runs all.
    run: str | None = None
    max_points: int = 2_000_000  # input samples per test group
    max_steps: int = 200_000  # rule evaluations steps per test group (eval_time / evaluation_interval)
    # "all": every rule at every step, as promtool; "read": only the rules the tests read (needed.py),
    # faster, but an evaluation error in a rule no test reads goes unnoticed.
    rules: Literal["all", "read"] = "all"


@dataclass(frozen=True)
class AlertsGot:
    """What one `alert_rule_test` saw: the firing alerts named `test.alertname` at `test.eval_time_ms`,
    sorted, whether or not they matched its `exp_alerts`."""

    test: AlertTest
    got: compare.AlertList


@dataclass(frozen=True)
class GroupResult:
    group: TestGroup
    failures: tuple[compare.Failure, ...]
    # The alert tests the run reached, in evaluation order: none when the group could not start, fewer
    # than `group.alert_tests` when a rule evaluation error stopped it.
    alerts_got: tuple[AlertsGot, ...] = ()


@dataclass(frozen=True)
class FileResult:
    shown: str
    groups: tuple[GroupResult, ...] = ()
    # Failures of the whole file (unreadable, malformed), before any test group ran.
    file_failures: tuple[compare.Failure, ...] = ()
    warnings: tuple[str, ...] = ()
    # The rule files `rule_files` matched (globbed relative to the test file), in load order.
    rule_files: tuple[Path, ...] = ()

    @property
    def failures(self) -> tuple[compare.Failure, ...]:
        return self.file_failures + tuple(f for g in self.groups for f in g.failures)


@dataclass
class Run:
    """The state of one test group's run: storage, the input samples not yet loaded, the rule groups."""

    storage: Storage
    appender: Appender
    pending: list[tuple[int, Labels, float]]
    engine: EngineOptions
    cursor: int = 0

    def load_till(self, ts: int) -> None:
        """Append the input samples up to `ts` (promtool's lazy loader: later samples are not there yet)."""
        while self.cursor < len(self.pending) and self.pending[self.cursor][0] <= ts:
            t, labels, v = self.pending[self.cursor]
            self.appender.append(labels, t, v)
            self.cursor += 1

    def query(self, expr: str | promql_parser.Expr, ts: int) -> Vector:
        """An instant query as a vector (a scalar becomes one sample without labels, as promtool does)."""
        return as_vector(instant_query(expr, self.storage, ts, self.engine))


def as_vector(value: Value) -> Vector:
    if isinstance(value, Vector):
        return value
    if isinstance(value, Scalar):
        return Vector([Sample((), value.t, value.v)])
    raise PromQLError("rule result is not a vector or scalar")


def run_file(path: Path, shown: str, options: RunOptions) -> FileResult:
    try:
        model = read_test_file(path, shown)
    except ModelError as error:
        return FileResult(shown, file_failures=(compare.GroupError(error.message, error.location),))
    rule_paths, warnings = resolve_rule_files(model, path, shown)
    try:
        groups: tuple[LoadedGroup, ...] | RuleLoadError = load_groups(rule_paths, model.group_eval_order)
    except RuleLoadError as error:
        groups = error
    results = []
    for group in model.tests:
        if options.run is None or run_pattern(options.run).search(group.name):
            seen: list[AlertsGot] = []
            failures = run_group(model, group, groups, options, seen=seen)
            results.append(GroupResult(group, tuple(failures), tuple(seen)))
    return FileResult(
        shown, tuple(results), warnings=tuple(warnings), rule_files=tuple(p for p, _ in rule_paths)
    )


def run_pattern(pattern: str) -> re2._Regexp[str]:
    """`--run`'s regex, RE2 as Go's regexp (unanchored); ValueError when it does not compile."""
    try:
        return compile_re2(pattern)
    except RegexError as error:
        raise ValueError(f"invalid regular expression: {error}") from None


def resolve_rule_files(model: TestFile, path: Path, shown: str) -> tuple[list[tuple[Path, str]], list[str]]:
    """`rule_files` globbed relative to the test file's folder, each match in name order."""
    base, shown_base = path.parent, os.path.dirname(shown)
    found: list[tuple[Path, str]] = []
    warnings = []
    for pattern in model.rule_files:
        absolute = os.path.isabs(pattern)
        full = pattern if absolute else os.path.join(base, pattern)
        matches = sorted(glob.glob(full, include_hidden=True))  # Go's filepath.Glob matches dotfiles
        if not matches:
            warnings.append(
                f"no file match pattern {pattern if absolute else os.path.join(shown_base, pattern)}"
            )
        for match in matches:
            relative = os.path.relpath(match, base)
            found.append(
                (Path(match), match if absolute else os.path.normpath(os.path.join(shown_base, relative)))
            )
    return found, warnings


def run_group(
    model: TestFile,
    group: TestGroup,
    groups: tuple[LoadedGroup, ...] | RuleLoadError,
    options: RunOptions,
    *,
    seen: list[AlertsGot] | None = None,
) -> list[compare.Failure]:
    """One test group's failures, in promtool's order: setup errors alone, else rule errors, alert
    mismatches as their eval_time passes, then expression results. What each alert test saw goes to
    `seen`."""
    interval = group.interval_ms or 0
    if interval == 0 and options.compat == 3:
        interval = model.evaluation_interval_ms
    try:
        run = start_run(group, interval, model.evaluation_interval_ms, options)
    except SetupError as error:
        return [compare.GroupError(error.message, error.location)]
    if isinstance(groups, RuleLoadError):
        return [compare.RuleFileError(message, group.location) for message in groups.messages]
    for test in group.alert_tests:
        if not test.alertname:
            where = f" (in TestGroup {group.name})" if group.name else ""
            message = "an item under alert_rule_test misses required attribute alertname"
            text = f"{message} at eval_time {model_duration(test.eval_time_ms)}{where}"
            return [compare.GroupError(text, test.location)]
    if options.rules == "read":
        alertnames = [t.alertname for t in group.alert_tests]
        groups = needed_rules(groups, alertnames, [t.expr for t in group.expr_tests])
    stepper = GroupStepper(groups, query=run.query, appender=run.appender, expander=expander_for(run, group))
    failures = step_and_check_alerts(model, group, run, stepper, seen=seen)
    if any(isinstance(f, compare.RuleFailure) for f in failures):
        return failures
    return failures + check_exprs(group, run)


class SetupError(Exception):
    def __init__(self, location: Location, message: str) -> None:
        super().__init__(message)
        self.location, self.message = location, message


def start_run(group: TestGroup, interval: int, eval_interval: int, options: RunOptions) -> Run:
    """Fresh storage with the group's input series parsed and waiting to be loaded; bounds checked."""
    steps = group.max_eval_time_ms // eval_interval + 1
    if steps > options.max_steps:
        cases: list[AlertTest | ExprTest] = [*group.alert_tests, *group.expr_tests]
        last = max(cases, key=lambda test: test.eval_time_ms)
        raise SetupError(
            last.location,
            f"eval_time {model_duration(last.eval_time_ms)} needs {steps} evaluation steps of "
            f"{model_duration(eval_interval)}, over the limit of {options.max_steps}",
        )
    series: dict[Labels, list[tuple[int, float]]] = {}
    # promtool's lazy loader only ever loads samples up to the last evaluation step.
    last_ts = group.max_eval_time_ms // eval_interval * eval_interval
    needed = last_ts // interval + 1 if interval else 1
    budget = options.max_points
    for item in group.input_series:
        try:
            desc = parse_series_desc(f"{item.series} {item.values}")
        except SeriesError as error:
            raise SetupError(item.location, f"input series `{item.series}`: {error.message}") from None
        wanted = min(len(desc), needed)
        if wanted > budget:
            raise SetupError(
                item.location,
                f"input series `{item.series}` needs {wanted} samples up to the last eval_time: over the "
                f"limit of {options.max_points} samples in a test group",
            )
        loaded = points(desc, interval, steps=needed)
        budget -= len(loaded)
        # A series given twice keeps its last definition (promql's loadCmd.set).
        series[desc.labels] = loaded
    pending = sorted(((t, labels, v) for labels, pts in series.items() for t, v in pts), key=lambda s: s[0])
    storage = Storage()
    engine = EngineOptions(compat=options.compat, subquery_step_ms=eval_interval)
    return Run(storage, Appender(storage.append), pending, engine)


def eval_times(group: TestGroup, eval_interval: int) -> Iterator[int]:
    for step in range(group.max_eval_time_ms // eval_interval + 1):
        yield step * eval_interval


def step_and_check_alerts(
    model: TestFile, group: TestGroup, run: Run, stepper: GroupStepper, *, seen: list[AlertsGot] | None = None
) -> list[compare.Failure]:
    """Evaluate every rule group at each step; at the step `ts <= eval_time < ts + interval` compare the
    firing alerts with each alert test for that eval_time."""
    interval = model.evaluation_interval_ms
    by_time: dict[int, list[int]] = {}
    for index, test in enumerate(group.alert_tests):
        by_time.setdefault(test.eval_time_ms, []).append(index)
    times = sorted(by_time)
    failures: list[compare.Failure] = []
    current = 0
    for ts in eval_times(group, interval):
        run.load_till(ts)
        errors = stepper.eval_at(ts)
        if errors:
            return failures + [compare.RuleFailure(e.rule, e.ts, e.message, group.location) for e in errors]
        while current < len(times) and ts <= times[current] < ts + interval:
            tests = [group.alert_tests[i] for i in by_time[times[current]]]
            got = stepper.firing({t.alertname: True for t in tests})
            for test in tests:
                if seen is not None:
                    seen.append(AlertsGot(test, tuple(sorted(got.get(test.alertname, [])))))
                mismatch = compare.compare_alerts(group.name, test, got.get(test.alertname, []))
                if mismatch is not None:
                    failures.append(mismatch)
            current += 1
    return failures


def check_exprs(group: TestGroup, run: Run) -> list[compare.Failure]:
    failures: list[compare.Failure] = []
    for test in group.expr_tests:
        try:
            got = run.query(test.expr, test.eval_time_ms)
        except (ParseError, PromQLError) as error:
            failures.append(compare.ExprError(test, str(error)))
            continue
        result = compare.compare_samples(test, got)
        if result is not None:
            failures.append(result)
    return failures


def expander_for(run: Run, group: TestGroup) -> Callable[[int, str], Expand]:
    """Alert templates for an evaluation at `ts`, with the group's external labels and URL; an error
    becomes the text Prometheus puts in its place. A template that cannot query expands the same for the
    same labels and value, so its expansion is remembered across steps."""
    external = dict(group.external_labels)
    cache: dict[tuple[str, str, Labels, bytes], str] = {}

    def at(ts: int, alertname: str) -> Expand:
        def query(text: str) -> Vector:
            return run.query(text, ts)

        def expand_one(text: str, labels: Labels, value: float) -> str:
            if template_free(text):
                return text
            key = (alertname, text, labels, struct.pack("<d", value))
            if key in cache:
                return cache[key]
            data = TemplateData(dict(labels), value, external, group.external_url)
            result = expand_value(text, data, name=f"__alert_{alertname}", query=query)
            if "query" not in text:
                cache[key] = result
            return result

        return expand_one

    return at

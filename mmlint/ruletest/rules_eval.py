"""Rule groups loaded for a test and stepped as Prometheus 2.42 steps them (rules/manager.go Group.Eval):
rules run in order at each timestamp, each writing its output to storage before the next rule runs, so a
recording rule feeds the rules after it; a series a rule stopped returning gets a staleness marker."""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import promql_parser

from mmlint.problem import Location
from mmlint.project import Rule
from mmlint.promql.locate import error_offset
from mmlint.promql.values import NAME, STALE_NAN, Labels, PromQLError, Sample, Vector, make_labels
from mmlint.ruletest import alerts
from mmlint.ruletest.templates import check_syntax
from mmlint.sources.positions import Mapping as MappingNode
from mmlint.sources.positions import Scalar, SourceError, load_yaml_documents
from mmlint.sources.positions import Sequence as SequenceNode
from mmlint.sources.rules import read_rule_file

# (expression, evaluation time in ms) -> instant vector; raises PromQLError.
Query = Callable[[promql_parser.Expr, int], Vector]
# The template expander for one alerting rule (by name) evaluated at a timestamp.
ExpanderAt = Callable[[int, str], alerts.Expand]


@dataclass(frozen=True)
class LoadedRule:
    name: str
    expr: promql_parser.Expr
    # Recording rules: their labels; alerting rules: `alert` is set.
    labels: tuple[tuple[str, str], ...] = ()
    alert: alerts.AlertingRule | None = None


@dataclass(frozen=True)
class LoadedGroup:
    file: str
    name: str
    rules: tuple[LoadedRule, ...]
    # The group's `limit`: more series or alerts than this from one rule is an error; 0 is no limit.
    limit: int = 0


class RuleLoadError(Exception):
    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = tuple(messages)


def load_groups(paths: Sequence[tuple[Path, str]], order: Sequence[str]) -> tuple[LoadedGroup, ...]:
    """The groups of every rule file (path, name shown), ordered by `group_eval_order` (groups it does not
    name come first, in file order); RuleLoadError with every problem found."""
    groups: list[LoadedGroup] = []
    errors: list[str] = []
    seen: set[tuple[bytes, str]] = set()
    for path, shown in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            errors.append(f"{shown}: cannot read the rule file: {error.strerror}")
            continue
        # A file loaded twice by one test gets rules of its own the second time: rule state is per rule.
        found, problems = (load_file.__wrapped__ if (data, shown) in seen else load_file)(data, shown)
        seen.add((data, shown))
        groups.extend(found)
        errors.extend(problems)
    if errors:
        raise RuleLoadError(errors)
    rank = {name: index for index, name in enumerate(order)}
    return tuple(sorted(groups, key=lambda g: rank.get(g.name, 0)))


# Test files of one project often load the same rule file (`mmlint check` runs each of them); what is
# loaded is immutable, so the same bytes shown under the same name are read once per process.
@functools.lru_cache(maxsize=32)
def load_file(data: bytes, shown: str) -> tuple[tuple[LoadedGroup, ...], tuple[str, ...]]:
    """The groups of one rule file's content, and the problems that would stop Prometheus loading it."""
    try:
        documents = load_yaml_documents(data, shown)
    except SourceError as error:
        return (), (str(error),)
    if not documents:
        return (), ()
    first = documents[0]
    if not isinstance(first, MappingNode) or first.get("groups") is None:
        return (), (f"{first.location}: not a rule file: the top level must be a mapping with `groups`",)
    errors: list[str] = []
    groups: list[LoadedGroup] = []
    rule_file, findings = read_rule_file(shown, documents[:1])
    nulls = null_label_values(first)
    errors.extend(f"{f.location}: {f.message}" for _, f in findings if f.location not in nulls)
    for group in rule_file.groups:
        loaded = [load_rule(rule, group.name, errors) for rule in group.rules]
        limit = group.node.get("limit")
        size = limit.value if isinstance(limit, Scalar) and isinstance(limit.value, int) else 0
        groups.append(LoadedGroup(shown, group.name, tuple(r for r in loaded if r is not None), size))
    return tuple(groups), tuple(errors)


def load_rule(rule: Rule, group: str, errors: list[str]) -> LoadedRule | None:
    """The rule ready to evaluate; None (with its errors added) when Prometheus would refuse to load it."""
    where = f'group "{group}", rule "{rule.name}"'
    if rule.query is None or rule.query.expr is None:
        if rule.query is not None:
            location = rule.query.location(error_offset(rule.query.text, rule.query.error or ""))
            errors.append(f"{location}: {where}: could not parse expression: {rule.query.error}")
        return None
    labels = {name: scalar.text.value for name, scalar in rule.labels.items()}
    annotations = {name: scalar.text.value for name, scalar in rule.annotations.items()}
    if rule.kind == "record":
        return LoadedRule(rule.name, rule.query.expr, tuple(sorted(labels.items())))
    # rulefmt parses an alerting rule's templates when it loads the rule (testTemplateParsing).
    failed = False
    for kind, scalars in (("label", rule.labels), ("annotation", rule.annotations)):
        for name, scalar in scalars.items():
            error = check_syntax(scalar.text.value, name=f"__alert_{rule.name}")
            if error is not None:
                location = scalar.text.location(error.offset or 0)
                errors.append(f'{location}: {where}: {kind} "{name}": {error.message}')
                failed = True
    if failed:
        return None
    alert = alerts.rule_from(
        rule.name,
        for_s=rule.for_s,
        keep_firing_for_s=rule.keep_firing_for_s,
        labels=labels,
        annotations=annotations,
    )
    return LoadedRule(rule.name, rule.query.expr, tuple(sorted(labels.items())), alert)


def null_label_values(root: MappingNode) -> set[Location]:
    """Where a rule's label or annotation is written without a value (`job_name:`): Prometheus's rule
    loader reads it as "" (a label set to "" is removed), so the test runs where `mmlint check` objects."""
    found: set[Location] = set()
    groups = root.get("groups")
    for group in groups.items if isinstance(groups, SequenceNode) else ():
        rules = group.get("rules") if isinstance(group, MappingNode) else None
        for rule in rules.items if isinstance(rules, SequenceNode) else ():
            for key in ("labels", "annotations"):
                values = rule.get(key) if isinstance(rule, MappingNode) else None
                for _, value in values.items if isinstance(values, MappingNode) else ():
                    if isinstance(value, Scalar) and value.value is None:
                        found.add(value.location)
    return found


class Appender:
    """Writes to storage as the TSDB head accepts samples: a sample older than the series' last one is out
    of order, one at the same time with other bits is a duplicate, an identical one is a no-op."""

    def __init__(self, append: Callable[[Labels, int, float], None]) -> None:
        self._append = append
        self.last: dict[Labels, tuple[int, float]] = {}

    def append(self, labels: Labels, t: int, v: float) -> str | None:
        """None when stored (or identical to what is stored), else the TSDB's error text."""
        last = self.last.get(labels)
        if last is not None:
            if t < last[0]:
                return "out of order sample"
            if t == last[0]:
                return None if same_bits(v, last[1]) else "duplicate sample for timestamp"
        self._append(labels, t, v)
        self.last[labels] = (t, v)
        return None


def same_bits(a: float, b: float) -> bool:
    return struct.pack("<d", a) == struct.pack("<d", b)


@dataclass
class RuleState:
    previous: set[Labels] = field(default_factory=set)
    alerting: alerts.AlertingState = field(default_factory=alerts.AlertingState)


@dataclass(frozen=True)
class RuleError:
    rule: str
    ts: int
    message: str


class GroupStepper:
    """Every loaded group with the state of each of its rules, evaluated one timestamp at a time."""

    def __init__(
        self, groups: Sequence[LoadedGroup], *, query: Query, appender: Appender, expander: ExpanderAt
    ):
        self.groups = groups
        self.query = query
        self.appender = appender
        self.expander = expander
        self.states = {id(rule): RuleState() for group in groups for rule in group.rules}

    def eval_at(self, ts: int) -> list[RuleError]:
        """Evaluate every group at `ts`, in order; the rules that failed (promtool stops the test there)."""
        errors: list[RuleError] = []
        for group in self.groups:
            for rule in group.rules:
                message = self.eval_rule(rule, self.states[id(rule)], ts, group.limit)
                if message is not None:
                    errors.append(RuleError(rule.name, ts, message))
        return errors

    def eval_rule(self, rule: LoadedRule, state: RuleState, ts: int, limit: int) -> str | None:
        try:
            result = self.query(rule.expr, ts)
            if not result and not state.previous and (rule.alert is None or not state.alerting.active):
                return None  # nothing to write, nothing gone stale, no alert to advance
            if rule.alert is not None:
                output = alerts.step(rule.alert, state.alerting, result, ts, self.expander(ts, rule.name))
                alerts.check_limit(state.alerting, limit)
            else:
                output = record(rule, result, ts)
                if limit and len(output) > limit:
                    raise alerts.RuleEvalError(f"exceeded limit of {limit} with {len(output)} series")
        except (PromQLError, alerts.RuleEvalError) as error:
            return str(error)
        failed: str | None = None
        returned: set[Labels] = set()
        for sample in output:
            failure = self.appender.append(sample.labels, ts, sample.v)
            if failure is None:
                returned.add(sample.labels)
            else:
                failed = failure
        for labels in state.previous - returned:
            # Errors are expected here when another rule writes the same series; Prometheus ignores them.
            self.appender.append(labels, ts, STALE_NAN)
        state.previous = returned
        return failed

    def firing(self, names: Mapping[str, object]) -> dict[str, list[tuple[Labels, Labels]]]:
        """Firing (labels, annotations) of every alerting rule whose name is in `names`, across groups."""
        got: dict[str, list[tuple[Labels, Labels]]] = {}
        for group in self.groups:
            for rule in group.rules:
                if rule.alert is not None and rule.name in names:
                    got.setdefault(rule.name, []).extend(self.states[id(rule)].alerting.firing())
        return got


def record(rule: LoadedRule, result: Vector, ts: int) -> Vector:
    """A recording rule's output: the result renamed and relabelled (RecordingRule.Eval)."""
    output = Vector()
    seen: set[Labels] = set()
    for sample in result:
        labels = dict(sample.labels)
        labels[NAME] = rule.name
        labels.update(rule.labels)
        key = make_labels(labels)
        if key in seen:
            raise alerts.RuleEvalError(
                "vector contains metrics with the same labelset after applying rule labels"
            )
        seen.add(key)
        output.append(Sample(key, ts, sample.v))
    return output

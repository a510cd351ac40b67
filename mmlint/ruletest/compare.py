"""What a test expected against what the rules produced, compared as promtool 2.42 compares them: alerts as
sorted (labels, annotations) lists with `alertname` added to the expected labels; samples as sorted
(labels, value) lists, values equal only when `==` says so (a NaN never matches)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mmlint.problem import Location
from mmlint.promql.values import Labels, Vector
from mmlint.ruletest.alerts import ALERT_NAME
from mmlint.ruletest.model import AlertTest, ExprTest
from mmlint.ruletest.series import SeriesError, parse_metric

AlertList = tuple[tuple[Labels, Labels], ...]
SampleList = tuple[tuple[Labels, float], ...]


@dataclass(frozen=True)
class AlertMismatch:
    group_name: str
    test: AlertTest
    exp: AlertList
    got: AlertList

    @property
    def location(self) -> Location:
        return self.test.location


@dataclass(frozen=True)
class ExprMismatch:
    test: ExprTest
    exp: SampleList
    got: SampleList

    @property
    def location(self) -> Location:
        return self.test.location


@dataclass(frozen=True)
class ExprError:
    test: ExprTest
    message: str

    @property
    def location(self) -> Location:
        return self.test.location


@dataclass(frozen=True)
class RuleFailure:
    """A rule failed to evaluate: promtool stops the test group at that timestamp."""

    rule: str
    ts: int
    message: str
    location: Location


@dataclass(frozen=True)
class GroupError:
    """The test group (or the whole file) cannot run: bad series, rule files, a missing alertname."""

    message: str
    location: Location


@dataclass(frozen=True)
class RuleFileError:
    """A rule file the test names cannot be loaded; the message starts with the rule file's position."""

    message: str
    location: Location


Failure = AlertMismatch | ExprMismatch | ExprError | RuleFailure | GroupError | RuleFileError


def expected_alerts(test: AlertTest) -> AlertList:
    # Expected labels keep empty values (labels.FromMap does), so `{a: ""}` never matches a real alert.
    return tuple(
        sorted(
            (tuple(sorted({**dict(e.labels), ALERT_NAME: test.alertname}.items())), e.annotations)
            for e in test.exp_alerts
        )
    )


def compare_alerts(
    group_name: str, test: AlertTest, got: Sequence[tuple[Labels, Labels]]
) -> AlertMismatch | None:
    exp = expected_alerts(test)
    actual = tuple(sorted(got))
    return None if exp == actual else AlertMismatch(group_name, test, exp, actual)


def compare_samples(test: ExprTest, got: Vector) -> ExprMismatch | ExprError | None:
    exp: list[tuple[Labels, float]] = []
    for sample in test.exp_samples:
        try:
            exp.append((parse_metric(sample.labels), sample.value))
        except SeriesError as error:
            return ExprError(
                test, f'labels "{sample.labels}": {error.offset + 1}: parse error: {error.message}'
            )
    exp_sorted = tuple(sorted(exp, key=lambda pair: pair[0]))
    got_sorted = tuple(sorted(((s.labels, s.v) for s in got), key=lambda pair: pair[0]))
    same = len(exp_sorted) == len(got_sorted) and all(
        a[0] == b[0] and a[1] == b[1] for a, b in zip(exp_sorted, got_sorted, strict=True)
    )
    return None if same else ExprMismatch(test, exp_sorted, got_sorted)

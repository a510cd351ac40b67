"""Which regex matchers promql/regex reports, one matcher a row (the message's first words say which kind)."""

from __future__ import annotations

import pytest

from mmlint.checks.promql_regex import problem
from mmlint.promql.nodes import MatcherValue


def found(op: str, value: str, name: str = "job") -> str | None:
    result = problem(MatcherValue("up", name, op, value, 0, 0, True))
    return None if result is None else result[0]


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        pytest.param("=~", "mm-bot", "matches one value", id="literal"),
        pytest.param("!~", "mm-bot", "matches one value", id="negated-literal"),
        pytest.param("=~", "", "matches one value", id="empty"),
        pytest.param("=~", r"a\.b\-c", "matches one value", id="escaped-punctuation"),
        pytest.param("=~", "^mm-bot$", "matches one value", id="anchored-literal"),
        pytest.param("=~", r"a\|a", "matches one value", id="escaped-bar"),
        pytest.param("=~", r"price\$", "matches one value", id="escaped-dollar"),
        pytest.param("=~", ".*", "matches every series", id="dot-star"),
        pytest.param("=~", "^.*$", "matches every series", id="anchored-dot-star"),
        pytest.param("=~", "(.*)", "matches every series", id="grouped-dot-star"),
        pytest.param("!~", ".*", "matches no series", id="negated-dot-star"),
        pytest.param("=~", "^a|b", "anchors in", id="leading-anchor"),
        pytest.param("=~", "a.+$", "anchors in", id="trailing-anchor"),
        pytest.param("=~", "a|b|a", "lists the alternative", id="repeated-alternative"),
        pytest.param("=~", "(a|b)|(a|b)", "lists the alternative", id="repeated-group"),
    ],
)
def test_reported(op: str, value: str, expected: str) -> None:
    message = found(op, value)
    assert message is not None and expected in message


@pytest.mark.parametrize(
    ("op", "value"),
    [
        pytest.param("=~", "a|b", id="alternation"),
        pytest.param("=~", "mm-.*", id="wildcard"),
        pytest.param("=~", ".+", id="dot-plus"),
        pytest.param("=~", r"a\d", id="class-escape"),
        pytest.param("=~", r"price\$[0-9]", id="escaped-dollar-is-no-anchor"),
        pytest.param("=~", "(a|b)c|(a|b)d", id="alternatives-in-groups-differ"),
        pytest.param("=~", "[a|a]x", id="bar-in-class"),
        pytest.param("=~", "(?i)mm-bot", id="flags"),
    ],
)
def test_silent(op: str, value: str) -> None:
    assert found(op, value) is None


def test_name_regex_suggests_the_metric_name() -> None:
    result = problem(MatcherValue(None, "__name__", "=~", "mm_fills_total", 0, 0, True))
    assert result is not None and result[1] == "write the name: `mm_fills_total{...}`"

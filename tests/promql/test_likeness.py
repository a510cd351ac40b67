"""Likeness keys each expression once per set of ignored labels it matches on: the answers must be those of
computing every key afresh with the whole set."""

from __future__ import annotations

import promql_parser
import pytest

from mmlint.promql.likeness import KINDS, Likeness, matcher_labels

ALERTS = [
    'sum(rate(errors_total{job="api", env="prod"}[5m])) / sum(rate(requests_total{job="api"}[5m]))',
    'sum(rate(errors_total{job="api"}[15m])) / sum(rate(requests_total{job="api"}[15m]))',
    'sum(rate(errors_total{job="web"}[5m])) / sum(rate(requests_total{job="web"}[5m]))',
    "100 * sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))",
    'histogram_quantile(0.99, sum by (le) (rate(latency_seconds_bucket{route=~".*"}[5m])))',
    'up{job="api"}',
    'up{job="web", instance="a:1"}',
    "queue_depth",
]
QUERIES = [
    'sum(rate(errors_total{job="$job"}[2m])) / sum(rate(requests_total{job="$job"}[1m]))',
    'sum(rate(errors_total{job="api"}[1m])) / sum(rate(requests_total{job="api"}[1m]))',
    "histogram_quantile(0.99, sum by (le) (rate(latency_seconds_bucket[1m])))",
    'up{job="$job"}',
    'up{instance="$instance"}',
    "max(queue_depth)",
    "nothing_like_it",
]
IGNORED = [frozenset(), frozenset({"job"}), frozenset({"job", "instance"}), frozenset({"env", "route"})]


def naive(alerts: list[promql_parser.Expr], query: promql_parser.Expr, ignored: frozenset[str]) -> list[int]:
    for key, only_one in KINDS:
        wanted = key(query, ignored)
        found = [index for index, alert in enumerate(alerts) if key(alert, ignored) == wanted]
        if found and (len(found) == 1 or not only_one):
            return found
    return []


def test_closest_is_what_computing_every_key_afresh_gives() -> None:
    alerts = [promql_parser.parse(text) for text in ALERTS]
    likeness = Likeness(alerts)
    paired = 0
    for ignored in IGNORED * 2:  # the second round answers from the memo
        for text in QUERIES:
            query = promql_parser.parse(text)
            expected = naive(alerts, query, ignored)
            assert likeness.closest(query, ignored) == expected, (text, ignored)
            paired += bool(expected)
    assert paired >= 8  # the cases do pair, at more than one kind of likeness


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ('rate(a{job="x", env=~"p.*"}[5m]) / b{job="x"}', {"job", "env"}),
        ('max_over_time(a{route="r"}[5m:1m]) + sum by (le) (b{le!=""})', {"route", "le"}),
        ('{__name__="a", job="x"} offset 5m', {"__name__", "job"}),
        ("sum(a) by (job)", set()),
    ],
)
def test_matcher_labels(text: str, labels: set[str]) -> None:
    assert matcher_labels(promql_parser.parse(text)) == labels

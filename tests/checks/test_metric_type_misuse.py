"""Which registry series an expression's values are raw samples of (mmlint.promql.raw_samples)."""

from __future__ import annotations

import promql_parser
import pytest

from mmlint.promql.labelsets import LabelSets
from mmlint.promql.raw_samples import Typing, sample_kind
from mmlint.sources.registry import Registry, read_registry

SOURCE = b"""
from prometheus_client import Counter, Enum, Gauge, Histogram, Info, Summary
C = Counter("c", "a counter", ["a"])
G = Gauge("g_total", "a gauge named like a counter")
H = Histogram("h_seconds", "a histogram")
S = Summary("s_bytes", "a summary")
I = Info("build", "an info")
E = Enum("state", "an enum", states=["up", "down"])
"""


@pytest.fixture(scope="module")
def registry() -> Registry:
    found, problems = read_registry(SOURCE, "metrics.py")
    assert not problems
    return found


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("c_total", "counter"),
        ("c_created", "gauge"),
        ("g_total", "gauge"),
        ("h_seconds_bucket", "counter"),
        ("h_seconds_sum", "counter"),
        ("h_seconds_count", "counter"),
        ("s_bytes_sum", "counter"),
        ("s_bytes_count", "counter"),
        ("build_info", "gauge"),
        ("state", "gauge"),
        ("c", None),
        ("unknown_total", None),
    ],
)
def test_sample_kind(registry: Registry, name: str, kind: str | None) -> None:
    assert sample_kind(registry, name) == kind


@pytest.mark.parametrize(
    ("expr", "raw"),
    [
        ("c_total", "c_total"),
        ("sum by (a) (c_total)", "c_total"),
        ("max(abs(c_total)) * 2", "c_total"),
        ("-c_total", "c_total"),
        ("1 < c_total", "c_total"),
        ("c_total > 1", "c_total"),
        ("c_total and g_total", "c_total"),
        ("g_total or c_total", "g_total"),
        ("last_over_time(c_total[5m])", "c_total"),
        ('label_replace(c_total, "b", "$1", "a", "(.*)")', "c_total"),
        ("max_over_time(max(c_total)[1h:])", "c_total"),
        ("c_total > bool 1", None),
        ("rate(c_total[5m])", None),
        ("count(c_total)", None),
        ("timestamp(c_total)", None),
        ("absent(c_total)", None),
        ("c_total - c_total offset 1h", None),
        ("c_total / h_seconds_count", None),
        ("recorded_total", None),
        ("c_total:sum", None),
    ],
)
def test_raw(registry: Registry, expr: str, raw: str | None) -> None:
    parsed = promql_parser.parse(expr)
    found = Typing(registry, frozenset({"c_total:sum"}), LabelSets(parsed, {})).raw(parsed)
    assert (found.name if found is not None else None) == raw


def test_a_recording_rule_shadows_a_registry_name(registry: Registry) -> None:
    parsed = promql_parser.parse("c_total")
    assert Typing(registry, frozenset({"c_total"}), LabelSets(parsed, {})).raw(parsed) is None

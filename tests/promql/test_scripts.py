"""Prometheus's own PromQL engine test scripts, run through mmlint's engine.

v2.42.0: every eval must pass under compat 2. v3.14.0: the float-only part under compat 3; what is left
out is listed below with the reason, and the counts are exact so that any change shows up here.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from mmlint.promql.engine import EngineOptions
from mmlint.promql.scripts import (
    Clear,
    Eval,
    Load,
    Outcome,
    almost_equal,
    parse_number,
    parse_script,
    run_script,
)
from mmlint.promql.series_notation import SeriesNotationError, parse_series, parse_series_values
from mmlint.promql.values import STALE_NAN, is_stale

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "promql-testdata"
V2 = CORPUS / "v2.42.0" / "promql" / "testdata"
V3 = CORPUS / "v3.14.0" / "promql" / "promqltest" / "testdata"

# Prometheus 3.14 files about features its test engine enables but Prometheus 3 ships disabled
# (experimental parser options and feature flags), or about native histograms only.
V3_SKIPPED_FILES = {
    "native_histograms.test": "native histograms only",
    "extended_vectors.test": "experimental anchored/smoothed range selectors",
    "duration_expression.test": "experimental duration expressions",
    "fill-modifier.test": "experimental fill modifiers of binary operators",
    "info.test": "experimental info() function",
    "limit.test": "experimental limitk/limit_ratio aggregations",
    "type_and_unit.test": "experimental type-and-unit labels",
    "start_timestamps.test": "experimental start timestamps",
    "name_label_dropping.test": "delayed name removal (a feature flag, off by default)",
}
# Evals in the remaining files that use experimental functions: step(), range(), start() and end() as
# functions (not the `@ start()` modifier), limitk and limit_ratio.
V3_EXPERIMENTAL = re.compile(r"(?<!@ )\b(?:step|range|start|end)\(\)|\blimitk\(|\blimit_ratio\(")
# Evals that fail, with why. Every other eval that is run passes.
V3_KNOWN_FAILURES = {
    ("functions.test", 523): "label_replace() accepts the invalid label name \\xff (mmlint.promql.functions)",
}

V2_EVALS = 566
V3_PASSED = 854
V3_SKIPPED_HISTOGRAMS = 316  # they load or expect native histogram samples
V3_SKIPPED_EXPERIMENTAL = 35


@cache
def outcomes(root: Path, compat: int) -> dict[str, list[Outcome]]:
    found = {}
    for path in sorted(root.glob("*.test")):
        if compat == 3 and path.name in V3_SKIPPED_FILES:
            continue
        found[path.name] = list(run_script(parse_script(path.read_text()), EngineOptions(compat=compat)))
    return found


@pytest.mark.skipif(not V2.is_dir(), reason="corpus not checked out beside the repository")
def test_prometheus_2_42_scripts_all_pass() -> None:
    results = outcomes(V2, 2)
    assert sorted(results) == [
        "aggregators.test",
        "at_modifier.test",
        "collision.test",
        "functions.test",
        "histograms.test",
        "literals.test",
        "operators.test",
        "selectors.test",
        "staleness.test",
        "subquery.test",
        "trig_functions.test",
    ]
    failures = [
        f"{name}:{o.line}: {o.expr}: {o.error}" for name, found in results.items() for o in found if o.error
    ]
    assert failures == []
    assert sum(1 for found in results.values() for o in found if not o.skipped) == V2_EVALS


@pytest.mark.skipif(not V3.is_dir(), reason="corpus not checked out beside the repository")
def test_prometheus_3_14_float_scripts() -> None:
    results = outcomes(V3, 3)
    assert len(results) == 21 - len(V3_SKIPPED_FILES)
    counts: Counter[str] = Counter()
    failures = {}
    for name, found in results.items():
        for o in found:
            if o.skipped:
                counts["histograms"] += 1
            elif V3_EXPERIMENTAL.search(o.expr):
                counts["experimental"] += 1
            elif o.error:
                failures[(name, o.line)] = o.error
            else:
                counts["passed"] += 1
    assert set(failures) == set(V3_KNOWN_FAILURES), failures
    assert counts == {
        "passed": V3_PASSED,
        "histograms": V3_SKIPPED_HISTOGRAMS,
        "experimental": V3_SKIPPED_EXPERIMENTAL,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 2 3", (1.0, 2.0, 3.0)),
        ("1+2x3", (1.0, 3.0, 5.0, 7.0)),
        ("10-5x2", (10.0, 5.0, 0.0)),
        ("-1+1x2", (-1.0, 0.0, 1.0)),
        ("5x2", (5.0, 5.0, 5.0)),
        ("_ _x2 1", (None, None, None, 1.0)),
        ("Inf -Inf", (math.inf, -math.inf)),
        ("1e3 .5", (1000.0, 0.5)),
    ],
)
def test_series_values(text: str, expected: tuple[float | None, ...]) -> None:
    assert parse_series_values(text) == expected


def test_series_line_and_stale() -> None:
    series = parse_series('metric{b="2", a="x y"} 1 stale NaN')
    assert series.labels == (("__name__", "metric"), ("a", "x y"), ("b", "2"))
    first, stale, nan = series.values
    assert first == 1.0 and stale is not None and is_stale(stale) and nan is not None and not is_stale(nan)
    assert parse_series('{__name__="m"} 1').labels == (("__name__", "m"),)
    with pytest.raises(SeriesNotationError):
        parse_series("metric 1 two")
    with pytest.raises(SeriesNotationError, match="more than"):
        parse_series("metric 1x100000000000")
    assert is_stale(STALE_NAN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10", 10.0), ("0x1f", 31.0), ("017", 15.0), ("-2.5", -2.5), ("+Inf", math.inf), ("1e-3", 0.001)],
)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == expected


def test_parse_number_rejects_series() -> None:
    assert parse_number('{a="b"} 1') is None and parse_number("metric") is None


def test_almost_equal_is_relative() -> None:
    assert almost_equal(math.nan, math.nan) and almost_equal(1e10, 1e10 + 1)
    assert not almost_equal(1.0, 1.0001) and not almost_equal(0.0, 1e-300)


SCRIPT = """
# A comment.
load 1m
    m{a="1"} 1+1x5
    m{a="2"} 5 _ _ stale

eval instant at 2m m
    m{a="1"} 3
    m{a="2"} 5

eval_ordered instant at 2m sort_desc(m)
    m{a="2"} 5
    m{a="1"} 3

eval_fail instant at 0m m + on() m

eval instant at 1m scalar(m{a="1"})
    2

eval instant at 3m m
    m{a="1"} 4

clear

eval instant at 3m m
"""


def test_script_commands_and_outcomes() -> None:
    commands = parse_script(SCRIPT)
    assert [type(c).__name__ for c in commands] == [
        "Load",
        "Eval",
        "Eval",
        "Eval",
        "Eval",
        "Eval",
        "Clear",
        "Eval",
    ]
    load, ordered, fail = commands[0], commands[2], commands[3]
    assert isinstance(load, Load) and load.step_ms == 60_000 and load.line == 3
    assert isinstance(ordered, Eval) and ordered.ordered and ordered.start_ms == 120_000
    assert isinstance(fail, Eval) and fail.fail
    assert isinstance(commands[6], Clear)
    assert [o.error for o in run_script(commands)] == [""] * 6


def test_script_reports_mismatches() -> None:
    script = 'load 1m\n    m{a="1"} 1\n\neval instant at 0m m\n    m{a="1"} 2\n\neval instant at 0m m\n'
    errors = [o.error for o in run_script(parse_script(script))]
    assert errors == [
        'expected 2.0 for {__name__="m", a="1"} but got 1.0',
        'unexpected metric {__name__="m", a="1"} in result, has value 1.0',
    ]

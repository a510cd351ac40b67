"""Evaluation plans (plan.py): the shortcut for an expression whose metrics do not exist must give what
the full evaluation gives, and must not be taken where the full evaluation could give anything else.
Also the hot loops written out for speed, against the code they replace."""

from __future__ import annotations

import math
import random
import struct

import pytest

from mmlint.promql.engine import EngineOptions, PromQLError, instant_query, parse
from mmlint.promql.functions import IMPLEMENTATIONS
from mmlint.promql.functions_over_time import _avg_242, _sum
from mmlint.promql.kahan import kahan_inc
from mmlint.promql.plan import Binary, Guarded, plan_for
from mmlint.promql.storage import Storage
from mmlint.promql.values import Value, Vector

# Expressions the shortcut applies to: empty, without an error, while `missing` and `gone` do not exist.
GUARDED = [
    "missing",
    "-missing",
    "sum by (a) (rate(missing[5m]))",
    "sum(rate(missing[5m])) / sum(rate(gone[5m])) > 0.5",
    "histogram_quantile(0.99, sum by (le) (rate(missing_bucket[5m]))) > 100",
    "last_over_time(missing[1h]) == 1 unless on (a) gone == 1",
    "missing or gone",
    "1 - avg without (a) (missing)",
    "round(missing, 0)",
    "clamp(missing, 5, 1)",
    "quantile_over_time(2, missing[5m])",
    "predict_linear(missing[5m], 3600) < 0",
    "timestamp(missing)",
    "stddev(missing) > bool 3",
    "changes(missing{a=~'x.*'}[10m]) + resets(gone[10m])",
    "sum(missing) + sum(present)",  # `present` exists: evaluated, and empty all the same
]
# Expressions that can give something, or an error, without any series: always evaluated.
UNGUARDED = [
    "absent(missing)",
    "absent_over_time(missing[5m])",
    "vector(1)",
    "missing or vector(0)",
    "time() - missing",
    "scalar(missing)",
    "topk(5, missing)",
    "count_values('a b', missing)",
    "label_replace(missing, 'a', '$1', 'b', '(')",
    "holt_winters(missing[5m], 2, 0.5)",
    "max_over_time(missing[10m:1m])",
    "1 + 2",
    "missing[5m]",
]


def store() -> Storage:
    storage = Storage()
    storage.add((("__name__", "present"), ("a", "1")), [(0, 1.0), (60_000, 2.0)])
    return storage


def full(expr: str, storage: Storage, ts: int) -> Value | str:
    """The full evaluation (a function table other than the default one turns the shortcut off)."""
    try:
        return instant_query(expr, storage, ts, functions=dict(IMPLEMENTATIONS))
    except PromQLError as error:
        return f"error: {error}"


def shortcut(expr: str, storage: Storage, ts: int) -> Value | str:
    try:
        return instant_query(expr, storage, ts)
    except PromQLError as error:
        return f"error: {error}"


@pytest.mark.parametrize("expr", GUARDED)
@pytest.mark.parametrize("compat", [2, 3])
def test_guarded_expressions_take_the_shortcut_and_agree(expr: str, compat: int) -> None:
    assert isinstance(plan_for(parse(expr), compat), Guarded)
    storage = store()
    for ts in (0, 60_000, 3_600_000):
        got = instant_query(expr, storage, ts, EngineOptions(compat=compat))
        assert got == Vector() == full(expr, storage, ts)


@pytest.mark.parametrize("expr", UNGUARDED)
def test_other_expressions_are_always_evaluated(expr: str) -> None:
    assert not isinstance(plan_for(parse(expr), 2), Guarded)
    storage = store()
    for ts in (0, 60_000, 3_600_000):
        assert shortcut(expr, storage, ts) == full(expr, storage, ts)


def test_guarded_parts_of_an_expression_are_skipped_alone() -> None:
    node = plan_for(parse("sum(rate(missing[5m])) or vector(0)"), 2)
    assert isinstance(node, Binary) and isinstance(node.lhs, Guarded) and not isinstance(node.rhs, Guarded)
    got = instant_query("sum(rate(missing[5m])) or vector(0)", store(), 60_000)
    assert isinstance(got, Vector) and [(s.labels, s.v) for s in got] == [((), 0.0)]


def test_the_shortcut_stops_once_a_selected_series_exists() -> None:
    expr = "sum by (a) (rate(missing[5m])) > 0"
    storage = store()
    assert instant_query(expr, storage, 120_000) == Vector()
    storage.add((("__name__", "missing"), ("a", "1")), [(0, 0.0), (60_000, 60.0), (120_000, 120.0)])
    got = instant_query(expr, storage, 120_000)
    assert isinstance(got, Vector) and len(got) == 1
    assert got[0].labels == (("a", "1"),) and got[0].v > 0
    assert got == full(expr, storage, 120_000)


def test_a_plan_is_built_once_per_parsed_expression_and_dialect() -> None:
    node = parse("sum(rate(missing[5m]))")
    assert plan_for(node, 2) is plan_for(node, 2)
    assert plan_for(node, 2) is not plan_for(node, 3)


def test_compat_3_regex_matchers_match_newlines_in_the_plan() -> None:
    storage = Storage()
    storage.add((("__name__", "m"), ("a", "x\ny")), [(0, 1.0)])
    assert instant_query('m{a=~"x.y"}', storage, 0, EngineOptions(compat=2)) == Vector()
    got = instant_query('m{a=~"x.y"}', storage, 0, EngineOptions(compat=3))
    assert isinstance(got, Vector) and len(got) == 1


def reference_avg_242(values: list[float]) -> float:
    mean = count = c = 0.0
    for v in values:
        count += 1
        if math.isinf(mean):
            if math.isinf(v) and (mean > 0) == (v > 0):
                continue
            if not math.isinf(v) and not math.isnan(v):
                continue
        mean, c = kahan_inc(v / count - mean / count, mean, c)
    return mean if math.isinf(mean) else mean + c


def reference_sum(values: list[float]) -> float:
    total = c = 0.0
    for v in values:
        total, c = kahan_inc(v, total, c)
    return total if math.isinf(total) else total + c


@pytest.mark.parametrize("seed", range(40))
def test_written_out_compensated_sums_round_as_kahan_inc(seed: int) -> None:
    """avg_over_time and sum_over_time (2.42) inline kahan_inc for speed: bit for bit the same results."""
    rng = random.Random(seed)
    specials = [math.inf, -math.inf, math.nan, 0.0, -0.0, 1e308, -1e308, 1e-300]
    values = [
        rng.choice(specials) if rng.random() < 0.05 else rng.uniform(-1, 1) * 10 ** rng.randint(-20, 20)
        for _ in range(rng.randint(1, 300))
    ]
    for got, want in (
        (_avg_242(values), reference_avg_242(values)),
        (_sum(values, 2), reference_sum(values)),
    ):
        assert struct.pack("<d", got) == struct.pack("<d", want) or (math.isnan(got) and math.isnan(want))

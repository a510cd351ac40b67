"""mmlint against real promtool 2.42: hypothesis writes input series (series notation with repetitions,
steps, gaps and staleness markers), a recording rule, an alerting rule (`for`, `keep_firing_for`,
templates) and PromQL expressions; promtool and mmlint run the same unit-test file and must print the same
samples for every expression and the same firing alerts at every alert eval_time (`got:` as promtool
prints it, so labels, annotations and every bit of each value agree).

Each expression test expects nothing, so every non-empty result is printed by both tools; an evaluation
error must be an error in both (the wording may differ)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmlint.ruletest.render import file_text
from mmlint.ruletest.runner import RunOptions, run_file

PROMTOOL = shutil.which("promtool")
pytestmark = pytest.mark.skipif(PROMTOOL is None, reason="promtool is not installed")

METRICS = ("m", "n")
JOBS = ("a", "b")
RANGES = ("1m", "2m", "5m")
RANGE_FUNCS = (
    "rate",
    "increase",
    "delta",
    "avg_over_time",
    "max_over_time",
    "min_over_time",
    "sum_over_time",
    "count_over_time",
    "last_over_time",
    "irate",
    "idelta",
    "changes",
    "resets",
    "deriv",
    "stddev_over_time",
    "absent_over_time",
)
AGGREGATIONS = ("sum", "avg", "max", "min", "count", "stddev", "group")


@st.composite
def series_values(draw: st.DrawFn) -> str:
    items = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["value", "repeat", "step", "blank", "blanks", "stale"]))
        value = draw(st.integers(-5, 50))
        count = draw(st.integers(0, 6))
        if kind == "value":
            items.append(str(value))
        elif kind == "repeat":
            items.append(f"{value}x{count}")
        elif kind == "step":
            step = draw(st.sampled_from(["+1", "+2.5", "-1", "+0.1", "+10"]))
            items.append(f"{value}{step}x{count}")
        elif kind == "blank":
            items.append("_")
        elif kind == "blanks":
            items.append(f"_x{count}")
        else:
            items.append("stale")
    return " ".join(items)


def selector(draw: st.DrawFn) -> str:
    metric = draw(st.sampled_from((*METRICS, "rec", "rec2")))
    job = draw(st.sampled_from(("", *JOBS)))
    return f'{metric}{{job="{job}"}}' if job else metric


@st.composite
def expressions(draw: st.DrawFn) -> str:
    sel = selector(draw)
    shape = draw(st.sampled_from(["selector", "range", "aggregate", "binop", "offset", "at", "scalar"]))
    if shape == "selector":
        return sel
    inner = f"{draw(st.sampled_from(RANGE_FUNCS))}({sel}[{draw(st.sampled_from(RANGES))}])"
    if shape == "range":
        return inner
    if shape == "aggregate":
        return f"{draw(st.sampled_from(AGGREGATIONS))} by (job) ({inner})"
    if shape == "binop":
        op = draw(
            st.sampled_from(["+", "-", "*", "/", "%", "^", ">", "<=", "== bool", "and", "or", "unless"])
        )
        return f"sum by (job) ({sel}) {op} {draw(st.sampled_from(['2', 'sum by (job) (' + inner + ')']))}"
    if shape == "offset":
        return f"{sel} offset {draw(st.sampled_from(('1m', '-1m', '5m', '-3m')))}"
    if shape == "at":
        return f"{inner} @ {draw(st.sampled_from(('0', '90', '300', '1200')))}"
    return f"scalar(sum({sel})) * 2"


@st.composite
def unit_test_files(draw: st.DrawFn) -> tuple[str, str]:
    series = []
    for metric in METRICS:
        for job in JOBS:
            if draw(st.booleans()):
                name = f'{metric}{{job="{job}"}}'
                series.append(f"      - series: '{name}'\n        values: '{draw(series_values())}'\n")
    # No interval: promtool 2.42 loads every value at t=0.
    interval = draw(st.sampled_from(["30s", "1m", None]))
    exprs = draw(st.lists(expressions(), min_size=1, max_size=5))
    tests = "".join(
        f"      - expr: '{expr}'\n        eval_time: {draw(st.integers(0, 10))}m\n        exp_samples: []\n"
        for expr in exprs
    )
    rule_expr = draw(expressions())
    alert_expr = f"{draw(expressions())} >= {draw(st.integers(-2, 3))}"
    hold = draw(st.sampled_from(["0s", "1m", "2m"]))
    keep = draw(st.sampled_from(["0s", "1m", "3m"]))
    rec = f"      - record: rec\n        expr: '{rule_expr}'\n"
    # A rule reading `rec` before it is written this step sees the previous step's value.
    rec2 = "      - record: rec2\n        expr: 'sum by (job) (rec) * 2'\n"
    alert = (
        f"      - alert: A\n        expr: '{alert_expr}'\n"
        f"        for: {hold}\n        keep_firing_for: {keep}\n"
        "        labels: {severity: page, job: '{{ $labels.job }}x'}\n"
        "        annotations: {value: '{{ $value }}', since: '{{ $value | humanize }}'}\n"
    )
    body = rec + rec2 if draw(st.booleans()) else rec2 + rec
    rules = f"groups:\n  - name: g\n    rules:\n{body}{alert}"
    times = draw(st.lists(st.integers(0, 10), min_size=1, max_size=4, unique=True))
    tests += "    alert_rule_test:\n" + "".join(
        f"      - eval_time: {t}m\n        alertname: A\n        exp_alerts: []\n" for t in times
    )
    inputs = "".join(series) or "      []\n"
    test = (
        "rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n"
        + (f"  - interval: {interval}\n    input_series:\n" if interval else "  - input_series:\n")
        + f"{inputs}    promql_expr_test:\n{tests}"
    )
    return test, rules


def blocks(text: str) -> list[str]:
    """Each failure of a promtool report, an error reduced to its expression and time."""
    found: list[str] = []
    for line in text.splitlines():
        if line.startswith(("    expr:", "    rule:", "    alertname:")):
            found.append(line.split(" err: ")[0] + (" err" if " err: " in line else ""))
        elif line.startswith("        ") and found and not found[-1].endswith(" err"):
            found[-1] += "\n" + line
    return found


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=unit_test_files())
def test_samples_match_promtool(files: tuple[str, str], tmp_path: Path) -> None:
    test, rules = files
    (tmp_path / "rules.yml").write_text(rules)
    (tmp_path / "t.yml").write_text(test)
    assert PROMTOOL is not None
    promtool = subprocess.run(
        [PROMTOOL, "test", "rules", "t.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    result = run_file(tmp_path / "t.yml", "t.yml", RunOptions())
    ours = file_text("t.yml", result.failures)
    assert blocks(ours) == blocks(promtool.stderr), (
        f"{test}\n{rules}\npromtool:\n{promtool.stderr}\nmmlint:\n{ours}"
    )

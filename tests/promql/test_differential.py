"""The engine against promtool 2.42 (the oracle): random series (gaps, staleness markers, resets) and
random expressions are evaluated by both, and every alert promtool reports must be a sample mmlint's
engine returns, with the same labels and value.

Each expression becomes an alert whose `$value` annotation carries the value; each evaluation time is its
own test group (promtool stops a group at its first failing time). Expressions the engine rejects, or
whose samples collide once the alert drops the metric name, are left out, as promtool would abort on them.
Values are compared within 1e-9: promtool sums in its series-creation order, which it randomizes.
Generated with fixed seeds (not hypothesis) so that a failure names the expression and reproduces.
"""

from __future__ import annotations

import json
import math
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mmlint.promql.engine import PromQLError, instant_query
from mmlint.promql.series_notation import parse_series
from mmlint.promql.storage import Storage
from mmlint.promql.values import Labels, Scalar, Vector, drop_name

PROMTOOL = shutil.which("promtool")
TIMES_S = (0, 60, 180, 300, 600, 1200)  # multiples of the 1m evaluation interval
Result = set[tuple[Labels, float]]
RANGE_FUNCTIONS = (
    *("rate", "increase", "delta", "max_over_time", "min_over_time", "count_over_time", "changes"),
    *("last_over_time", "resets", "sum_over_time", "idelta", "irate", "avg_over_time", "deriv"),
)


class Generator:
    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)

    def series(self) -> list[str]:
        lines = []
        for name in ("a", "b"):
            for i in range(self.rnd.randint(1, 3)):
                value, values = self.rnd.randint(0, 20), []
                for _ in range(25):
                    roll = self.rnd.random()
                    if roll < 0.1:
                        values.append("_")
                    elif roll < 0.15:
                        values.append("stale")
                    else:
                        value = value + self.rnd.choice([0, 1, 2, 5, -3]) if roll < 0.9 else 0
                        values.append(str(value))
                lines.append(f'{name}{{i="{i}", j="{self.rnd.choice("xy")}"}} ' + " ".join(values))
        return lines

    def selector(self) -> str:
        text = self.rnd.choice(["a", "b", 'a{i="1"}', 'a{i=~"0|2"}', 'b{j!="x"}', '{__name__=~"a|b", i="0"}'])
        return text + (" offset " + self.rnd.choice(["1m", "2m", "90s"]) if self.rnd.random() < 0.2 else "")

    def range_function(self, depth: int) -> str:
        name = self.rnd.choice(RANGE_FUNCTIONS)
        if self.rnd.random() < 0.25:
            window = self.rnd.choice(["3m", "5m", "4m"])
            return f"{name}(({self.vector(depth + 1)})[{window}:{self.rnd.choice(['1m', '2m', '90s'])}])"
        selector = self.rnd.choice(["a", "b", 'a{i="1"}', 'b{j="y"}'])
        offset = " offset 1m" if self.rnd.random() < 0.2 else ""
        return f"{name}({selector}[{self.rnd.choice(['1m', '2m', '5m', '150s'])}]{offset})"

    def binary(self, depth: int) -> str:
        op = self.rnd.choice(["+", "-", "*", "/", "%", "^", ">", "<", "==", "!=", ">=", "> bool"])
        op = self.rnd.choice([op, op, "and", "or", "unless"])
        matching = self.rnd.choice(["", "", " on(i)", " ignoring(j)", " on(i, j)"])
        if op not in ("and", "or", "unless") and self.rnd.random() < 0.4:
            return f"({self.vector(depth + 1)}) {op} {self.rnd.choice(['2', '0', '-1', '0.5'])}"
        return f"({self.vector(depth + 1)}) {op}{matching} ({self.vector(depth + 1)})"

    def aggregation(self, depth: int) -> str:
        # No topk/bottomk: which of two equal samples they keep depends on promtool's random series order.
        op = self.rnd.choice(["sum", "min", "max", "count", "group", "avg", "stddev", "stdvar"])
        op = self.rnd.choice([op, "quantile", "count_values"])
        grouping = self.rnd.choice(["", " by (i)", " without (i)", " by (j)", " without (j)"])
        param = {"quantile": "0.5, ", "count_values": '"v", '}.get(op, "")
        return f"{op}{grouping} ({param}{self.vector(depth + 1)})"

    def call(self, depth: int) -> str:
        name = self.rnd.choice(
            ["abs", "ceil", "floor", "sqrt", "exp", "absent", "sort", "clamp_min", "timestamp"]
        )
        if name == "timestamp":
            return f"timestamp({self.selector()})"
        if name == "clamp_min":
            return f"clamp_min({self.vector(depth + 1)}, 3)"
        return f"{name}({self.vector(depth + 1)})"

    def vector(self, depth: int = 0) -> str:
        roll = self.rnd.random()
        if depth > 2 or roll < 0.3:
            return self.selector()
        if roll < 0.45:
            return self.range_function(depth)
        if roll < 0.65:
            return self.binary(depth)
        if roll < 0.85:
            return self.aggregation(depth)
        return self.call(depth)


def load(lines: list[str]) -> Storage:
    storage = Storage()
    for line in lines:
        series = parse_series(line)
        storage.add(series.labels, ((i * 60_000, v) for i, v in enumerate(series.values) if v is not None))
    return storage


def evaluate(expr: str, storage: Storage, ts: int) -> Result:
    value = instant_query(expr, storage, ts)
    if isinstance(value, Scalar):
        return {((), value.v)}
    assert isinstance(value, Vector)
    return {(drop_name(sample.labels), sample.v) for sample in value}


def usable(expr: str, storage: Storage) -> bool:
    """promtool evaluates every minute up to the last time; an error or a collision there aborts it."""
    try:
        for ts in range(0, TIMES_S[-1] * 1000 + 1, 60_000):
            found = instant_query(expr, storage, ts)
            if isinstance(found, Vector) and len({drop_name(s.labels) for s in found}) != len(found):
                return False
    except PromQLError:
        return False
    return True


def go_duration(seconds: int) -> str:
    """model.Duration's String(), as promtool prints evaluation times."""
    if seconds == 0:
        return "0s"
    text = ""
    for unit, size in (("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        text += f"{count}{unit}" if count else ""
    return text


def promtool_alerts(directory: Path, lines: list[str], exprs: list[str]) -> dict[tuple[int, str], Result]:
    rules = ["groups:", "- name: g", "  rules:"]
    for k, expr in enumerate(exprs):
        rules += [
            f"  - alert: A{k}",
            f"    expr: {json.dumps(expr)}",
            "    annotations:",
            "      v: '{{ $value }}'",
        ]
    (directory / "rules.yml").write_text("\n".join(rules) + "\n")
    tests = ["rule_files: [rules.yml]", "tests:"]
    for ts in TIMES_S:
        tests += ["- interval: 1m", "  input_series:"]
        for line in lines:
            metric, values = line.split(" ", 1)
            tests += [f"    - series: {json.dumps(metric)}", f"      values: {json.dumps(values)}"]
        tests.append("  alert_rule_test:")
        for k in range(len(exprs)):
            tests += [f"  - eval_time: {ts}s", f"    alertname: A{k}", "    exp_alerts: []"]
    (directory / "test.yml").write_text("\n".join(tests) + "\n")
    assert PROMTOOL is not None
    run = subprocess.run(
        [PROMTOOL, "test", "rules", "test.yml"], capture_output=True, text=True, cwd=directory
    )
    output = run.stdout + run.stderr
    assert "err:" not in output, output
    found: dict[tuple[int, str], Result] = {}
    for block in re.split(r"\n\s*alertname: ", output)[1:]:
        head = re.match(r"A(\d+), time: ([^,]+),", block)
        assert head is not None
        alerts = set()
        for alert in re.finditer(r'Labels:\{([^}]*)\}\s*Annotations:\{v="([^"]*)"\}', block):
            pairs = re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', alert[1])
            alerts.add((tuple(sorted(p for p in pairs if p[0] != "alertname")), float(alert[2])))
        found[(int(head[1]), head[2])] = alerts
    return found


def same(ours: Result, theirs: Result) -> bool:
    if {labels for labels, _ in ours} != {labels for labels, _ in theirs}:
        return False
    values = dict(ours)
    return all(
        math.isclose(v, values[k], rel_tol=1e-9) or (v != v and values[k] != values[k]) for k, v in theirs
    )


@pytest.mark.skipif(PROMTOOL is None, reason="promtool 2.42 is not installed")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_engine_agrees_with_promtool(seed: int, tmp_path: Path) -> None:
    generator = Generator(seed)
    lines = generator.series()
    storage = load(lines)
    exprs: list[str] = []
    while len(exprs) < 40:
        expr = generator.vector()
        if usable(expr, storage):
            exprs.append(expr)
    alerts = promtool_alerts(tmp_path, lines, exprs)
    assert len(alerts) > 40  # promtool reported something for most of the expressions
    differences = [
        (expr, ts, sorted(theirs), sorted(ours))
        for k, expr in enumerate(exprs)
        for ts in TIMES_S
        if not same(
            ours := evaluate(expr, storage, ts * 1000), theirs := alerts.get((k, go_duration(ts)), set())
        )
    ]
    assert differences == []

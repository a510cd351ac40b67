"""Every function against promtool 2.42 (the oracle), bit for bit: edge-value series (NaN, ±Inf, huge and
tiny values, counter resets, gaps, odd `le` labels) and calls of every 2.42 function, evaluated by
promtool once per session and by mmlint's engine per case. promtool prints each result with all its digits
(`got:` lines of a failing promql_expr_test), so values must be equal, not close.

Skipped when promtool is not installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import promql_parser
import pytest
import yaml

from mmlint.promql.engine import PromQLError, instant_query
from mmlint.promql.storage import Storage
from mmlint.promql.values import NAME, Scalar, Vector, format_labels, make_labels

PROMTOOL = shutil.which("promtool")
MINUTE = 60_000

SERIES = {
    'e{k="nan"}': "1 NaN 3 NaN NaN 4 5 _ 7 8 9",
    'e{k="inf"}': "1 Inf 3 -Inf 2 Inf Inf 5 _ 6 7",
    'e{k="big"}': "1e308 1e308 -1e308 1e308 1e-300 5e-324 0 7 8 _ 9",
    'e{k="neg"}': "-5 -3 -10 -1 -0.5 -20 -7 -7.25 -1e-3 3 4",
    'e{k="counter"}': "0.5 7 13.25 2 9 33 40 _ 41.5 0 12",
    'e{k="gauge"}': "1.5 -3 2.25 8 0.1 0.7 1e3 -17.125 4e-5 12 0.3",
    'e{k="sparse"}': "_ _ 4 _ _ 9 _ _ 16 _ 25",
    'h_bucket{le="0.1"}': "0 1 2 3 4 5 6 7 8 9 10",
    'h_bucket{le="1"}': "NaN 4 6 8 10 12 14 15 16 17 18",
    'h_bucket{le="1.0"}': "1 1 1 1 1 1 1 1 1 1 1",
    'h_bucket{le="2.5"}': "3 NaN 5 2 15 16 19 19 20 21 22",
    'h_bucket{le="+Inf"}': "4 6 8 9 Inf 17 20 21 22 23 24",
    'h_bucket{le="abc"}': "100 100 100 100 100 100 100 100 100 100 100",
    'n_bucket{le="-2"}': "1 1 1 1 1 1 1 1 1 1 1",
    'n_bucket{le="-1"}': "3 3 3 3 3 3 3 3 3 3 3",
    'n_bucket{le="+Inf"}': "4 4 4 4 4 4 4 4 4 4 4",
    'l{src="a-b-c", dst="x"}': "1 1 1 1 1 1 1 1 1 1 1",
    'l{src="ünï", dst="y"}': "2 2 2 2 2 2 2 2 2 2 2",
    'l{src="", dst="z"}': "3 3 3 3 3 3 3 3 3 3 3",
}

_QUANTILES = ("NaN", "-1", "0", "0.25", "1", "2")
_RANGE = (
    "rate", "increase", "delta", "irate", "idelta", "deriv", "resets", "changes", "avg_over_time",
    "sum_over_time", "stddev_over_time", "stdvar_over_time", "min_over_time", "max_over_time",
    "count_over_time", "last_over_time", "present_over_time", "absent_over_time",
)  # fmt: skip
_INSTANT = (
    "abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn", "deg", "rad", "sin", "cos", "tan",
    "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "timestamp", "year", "month",
    "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "sort", "sort_desc",
)  # fmt: skip
CASES: list[tuple[str, int]] = [
    *((f"{name}(e[{window}])", 10) for name in _RANGE for window in ("3m", "5m30s", "11m")),
    *((f"{name}(e)", 7) for name in _INSTANT),
    *((f"{name}(e / 1000)", 9) for name in ("asin", "acos", "atanh", "exp", "sinh", "cosh")),
    *((f"histogram_quantile({q}, h_bucket)", t) for q in _QUANTILES for t in (0, 4, 10)),
    *((f"histogram_quantile({q}, rate(h_bucket[5m]))", 10) for q in ("0.5", "0.9")),
    *((f"histogram_quantile({q}, n_bucket)", 3) for q in ("0.1", "0.5", "0.9")),
    *((f"quantile_over_time({q}, e[10m])", 10) for q in ("NaN", "-0.5", "0", "0.3", "1", "1.5")),
    ("predict_linear(e[10m], 3600)", 10), ("predict_linear(e[3m], -60)", 10),
    ("holt_winters(e[10m], 0.2, 0.8)", 10), ("holt_winters(e[5m], 0.9, 0.1)", 10),
    ("round(e, 0.25)", 8), ("round(e, -2)", 8), ("round(e, 0)", 8), ("round(e)", 4),
    ("clamp(e, -1, 2)", 8), ("clamp(e, 2, -1)", 8), ("clamp(e, NaN, 1)", 8),
    ("clamp_max(e, 0.5)", 3), ("clamp_min(e, -Inf)", 3), ('scalar(e{k="gauge"})', 6), ("scalar(e)", 6),
    ("vector(time())", 6), ("year()", 6), ("days_in_month(e * 1e6)", 6), ("hour(-e * 1e5)", 6),
    ('absent(nope{a="1",b=~"x",c!="y",d="2",d="3"})', 6), ("absent(e)", 6),
    ('absent_over_time(nope{a="b"}[1m])', 6),
    ('label_replace(l, "out", "${1}x$2y", "src", "([a-z]+)-(.)")', 0),
    ('label_replace(l, "out", "$1x $$1 $", "src", "(a)-.*")', 0),
    ('label_replace(l, "out", "$nom", "src", "(?P<nom>ü).*")', 0),
    ('label_replace(l, "dst", "", "src", "")', 0),
    ('label_replace(l, "__name__", "n_$1", "dst", "(.*)")', 0),
    ('label_join(l, "out", "-", "src", "dst", "src")', 0),
    ('label_join(l, "dst", "", "none")', 0),
]  # fmt: skip


def _storage() -> Storage:
    storage = Storage()
    for text, values in SERIES.items():
        selector = promql_parser.parse(text)
        assert isinstance(selector, promql_parser.VectorSelector)
        labels = make_labels(
            [*((m.name, m.value) for m in selector.matchers.matchers), (NAME, selector.name or "")]
        )
        points = [(i * MINUTE, float(v)) for i, v in enumerate(values.split()) if v != "_"]
        storage.add(labels, points)
    return storage


def _duration(text: str) -> int:
    return sum(int(n) * {"h": 3600, "m": 60, "s": 1}[unit] for n, unit in re.findall(r"(\d+)([hms])", text))


@pytest.fixture(scope="module")
def promtool_results(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], object]:
    if PROMTOOL is None:
        pytest.skip("promtool is not installed")
    tests = [
        {
            "expr": text,
            "eval_time": f"{minute}m",
            "exp_samples": [{"labels": '{never="matches"}', "value": 0}],
        }
        for text, minute in CASES
    ]
    # An evaluation interval of 1s makes promtool load every sample up to the last evaluation time.
    document = {
        "evaluation_interval": "1s",
        "tests": [
            {
                "interval": "1m",
                "input_series": [{"series": k, "values": v} for k, v in SERIES.items()],
                "promql_expr_test": tests,
            }
        ],
    }
    path: Path = tmp_path_factory.mktemp("promtool") / "functions.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    output = subprocess.run([PROMTOOL, "test", "rules", str(path)], capture_output=True, text=True).stderr
    results: dict[tuple[str, int], object] = {}
    for text, when, body in re.findall(
        r'expr: "((?:[^"\\]|\\.)*)", time: (\S+?),(.*?)(?=\n    expr: |\Z)', output, re.S
    ):
        key = (re.sub(r"\\(.)", r"\1", text), _duration(when) // 60)
        got = re.search(r"got: (.*)", body)
        if got is None:
            results[key] = "error"
        elif got.group(1).strip() == "nil":
            results[key] = []
        else:
            pairs = re.findall(r"(\{[^}]*\}) ([^ ,]+)", got.group(1))
            results[key] = sorted((labels, repr(float(value))) for labels, value in pairs)
    # Guard against a change in promtool's output hiding every case.
    assert sum(1 for result in results.values() if isinstance(result, list) and result) > len(CASES) * 3 // 4
    return results


STORAGE = _storage()


@pytest.mark.parametrize(("text", "minute"), [pytest.param(t, m, id=f"{t}@{m}m") for t, m in CASES])
def test_function_matches_promtool(
    text: str, minute: int, promtool_results: dict[tuple[str, int], object]
) -> None:
    expected = promtool_results[(text, minute)]
    try:
        value = instant_query(text, STORAGE, minute * MINUTE)
    except PromQLError:
        assert expected == "error"
        return
    if isinstance(value, Scalar):
        assert [("{}", repr(value.v))] == expected
    else:
        assert isinstance(value, Vector)
        assert sorted((format_labels(s.labels), repr(s.v)) for s in value) == expected

"""`$__rate_interval` as Grafana computes it from the configured scrape interval, and duration printing."""

from __future__ import annotations

import pytest

from mmlint.duration import format_duration
from mmlint.sources.grafana_variables import substitute


@pytest.mark.parametrize(
    ("scrape_s", "expected"),
    [
        pytest.param(15.0, "rate(x[1m]) 60000", id="grafana-default-15s"),
        pytest.param(10.0, "rate(x[40s]) 40000", id="10s"),
        pytest.param(5.0, "rate(x[35s]) 35000", id="interval-plus-scrape-wins"),
        pytest.param(60.0, "rate(x[4m]) 240000", id="1m"),
    ],
)
def test_rate_interval_follows_scrape_interval(scrape_s: float, expected: str) -> None:
    raw = "rate(x[$__rate_interval]) $__rate_interval_ms"
    result, issues = substitute(raw, {}, scrape_interval_s=scrape_s)
    assert (result.text, issues) == (expected, [])


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (20, "20s"), (90, "1m30s"), (0.5, "500ms"), (3600, "1h"), (86400 * 8 + 1, "1w1d1s")],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text

"""metric/type-misuse and label/lost-in-aggregation on this repository's obs/: silent as it is, and each
realistic mistake seeded into a copy is caught at its line and column (and nothing else of these two)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mmlint.config import load_config
from mmlint.lint import load_project, run_checks

REPO = Path(__file__).resolve().parents[2]
ALERTS = "obs/prometheus/alerts_mm_bot.yml"
DASHBOARD = "obs/grafana/MMBot_Dashboard.json"
IDS = ("metric/type-misuse", "label/lost-in-aggregation")


def findings(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int, str]]:
    monkeypatch.chdir(root)
    project, suppressions = load_project([Path("obs")], load_config(root / "pyproject.toml"), root)
    problems = run_checks(project, suppressions)
    return [
        (p.location.path, p.location.line, p.location.column, p.check_id)
        for p in problems
        if p.check_id in IDS
    ]


def test_obs_is_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    assert findings(REPO, monkeypatch) == []


MISTAKES = [
    pytest.param(
        ALERTS,
        "sum by (instance, le) (rate(mm_exchange_latency_ms_bucket",
        "sum by (instance) (rate(mm_exchange_latency_ms_bucket",
        [(ALERTS, 66, 36, "metric/type-misuse")],
        id="quantile-without-le",
    ),
    pytest.param(
        ALERTS,
        "sum by (symbol, type) (increase(mm_recon_divergence_total[10m]))",
        "sum by (symbol) (increase(mm_recon_divergence_total[10m]))",
        [(ALERTS, 15, 50, "label/lost-in-aggregation"), (ALERTS, 17, 40, "label/lost-in-aggregation")],
        id="alert-template-label-aggregated-away",
    ),
    pytest.param(
        ALERTS,
        "sum by (reason) (increase(mm_symbol_filters_fetch_errors_total[15m])) > 0",
        "sum by (reason) (mm_symbol_filters_fetch_errors_total) > 0",
        [(ALERTS, 53, 32, "metric/type-misuse")],
        id="counter-compared-raw",
    ),
    pytest.param(
        ALERTS,
        "expr: mm_net_pnl_bps < 0",
        "expr: rate(mm_net_pnl_bps[30m]) < 0",
        [(ALERTS, 40, 15, "metric/type-misuse")],
        id="rate-of-gauge",
    ),
    pytest.param(
        DASHBOARD,
        'sum by (type) (increase(mm_recon_divergence_total{symbol=~\\"$symbol\\"}',
        'sum by (reason) (increase(mm_recon_divergence_total{symbol=~\\"$symbol\\"}',
        [
            (DASHBOARD, 136, 28, "label/lost-in-aggregation"),
            (DASHBOARD, 137, 28, "label/lost-in-aggregation"),
        ],
        id="panel-grouping-and-legend",
    ),
    pytest.param(
        DASHBOARD,
        "sum by (le) (increase(mm_exchange_latency_ms_bucket[$__rate_interval]))",
        "sum by (le) (mm_exchange_latency_ms_bucket)",
        [(DASHBOARD, 685, 33, "metric/type-misuse")],
        id="panel-plots-raw-buckets",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), MISTAKES)
def test_seeded_mistake_is_caught(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    file: str,
    old: str,
    new: str,
    expected: list[tuple[str, int, int, str]],
) -> None:
    for name in ("obs", "tools"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    assert findings(tmp_path, monkeypatch) == expected

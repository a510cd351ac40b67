from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mmlint.promql.selectors import vector_selectors
from tools.obs import metrics

__all__ = ["vector_selectors"]  # re-exported for the obs tests

REPO = Path(__file__).resolve().parents[2]
OBS = REPO / "obs"
DASHBOARD_PATH = OBS / "grafana" / "MMBot_Dashboard.json"
ALERTS_PATH = OBS / "prometheus" / "alerts_mm_bot.yml"
RULE_TESTS_DIR = OBS / "prometheus" / "tests"

# Exposed metric and label -> the registry constant holding its allowed values.
ENUMERATIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("mm_recon_divergence_total", "type"): metrics.RECON_DIVERGENCE_TYPES,
    ("mm_fills_total", "liquidity"): metrics.FILL_LIQUIDITY,
    ("mm_orders_blocked_total", "reason"): metrics.ORDER_BLOCK_REASONS,
    ("mm_symbol_filters_source_total", "source"): metrics.SYMBOL_FILTER_SOURCES,
    ("mm_freeze_events_total", "reason"): metrics.FREEZE_REASONS,
    ("mm_symbol_filters_fetch_errors_total", "reason"): metrics.FILTER_FETCH_ERROR_REASONS,
    ("mm_exchange_latency_ms_bucket", "op"): metrics.EXCHANGE_OPS,
}
# Labels Prometheus attaches to every scraped series.
TARGET_LABELS = frozenset({"job", "instance"})

# Values Grafana gives its built-in variables when it sends a query; any duration will do for parsing.
BUILTIN_VARIABLES = {"__rate_interval": "1m", "__interval": "30s", "__range": "6h", "__auto": "30s"}
VARIABLE_RE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]")


@pytest.fixture(scope="session")
def dashboard() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DASHBOARD_PATH.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def alert_rules() -> list[dict[str, Any]]:
    data = yaml.safe_load(ALERTS_PATH.read_text(encoding="utf-8"))
    return [rule for group in data["groups"] for rule in group["rules"] if "alert" in rule]


def variable_values(dashboard: dict[str, Any]) -> dict[str, str]:
    """The value each template variable stands for when every multi-value variable is at `All`."""
    values = dict(BUILTIN_VARIABLES)
    for var in dashboard["templating"]["list"]:
        if var.get("includeAll"):
            values[var["name"]] = var.get("allValue") or ".*"
        else:
            values[var["name"]] = str(var.get("current", {}).get("value", ""))
    return values


def substitute(expr: str, values: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = next(group for group in match.groups() if group)
        return values[name]

    return VARIABLE_RE.sub(replace, expr)


def panel_targets(dashboard: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            yield panel, target


@pytest.fixture(scope="session")
def registry_series() -> dict[str, set[str]]:
    """Every sample name the imported registry exposes once a symbol is initialised, with its label names."""
    from prometheus_client import REGISTRY

    metrics.init_symbol("BTCUSDT")
    series: dict[str, set[str]] = {}
    for family in REGISTRY.collect():
        for sample in family.samples:
            series.setdefault(sample.name, set()).update(sample.labels)
    return series

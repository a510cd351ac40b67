"""tools/obs/metrics.py: it imports, declares what the spec needs, and serves it over HTTP."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import REGISTRY

from tests.obs import spec
from tests.obs.conftest import ENUMERATIONS
from tools.obs import metrics

DECLARED: tuple[MetricWrapperBase, ...] = (
    metrics.RECON_DIVERGENCE,
    metrics.FILLS,
    metrics.NET_PNL_BPS,
    metrics.ORDERS_BLOCKED,
    metrics.SYMBOL_FILTERS_SOURCE,
    metrics.SYMBOL_FILTERS_FETCH_ERRORS,
    metrics.FREEZE_EVENTS,
    metrics.LIVE_ENABLE,
    metrics.EXCHANGE_LATENCY_MS,
)


@pytest.fixture(scope="module")
def scraped() -> Iterator[dict[str, list[dict[str, str]]]]:
    """Sample name -> label sets, scraped over HTTP from the started /metrics endpoint."""
    server, thread = metrics.start_metrics_server(0, "127.0.0.1", symbols=["BTCUSDT", "ETHUSDT"])
    try:
        url = f"http://127.0.0.1:{server.server_port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as response:
            text = response.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    samples: dict[str, list[dict[str, str]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(dict(sample.labels))
    yield samples


def family_name(collector: MetricWrapperBase) -> str:
    name: str = next(iter(collector.describe())).name
    return name


def test_every_mm_metric_is_declared_in_the_test_table() -> None:
    registered = {family.name for family in REGISTRY.collect() if family.name.startswith("mm_")}
    assert registered == {family_name(collector) for collector in DECLARED}


@pytest.mark.parametrize(("metric", "label"), sorted(spec.LABEL_VALUES))
def test_allowed_values_match_the_spec(metric: str, label: str) -> None:
    assert set(ENUMERATIONS[(metric, label)]) == spec.LABEL_VALUES[(metric, label)]


@pytest.mark.parametrize("collector", DECLARED, ids=family_name)
def test_endpoint_lists_every_declared_series(
    collector: MetricWrapperBase, scraped: dict[str, list[dict[str, str]]]
) -> None:
    expected = {
        (sample.name, tuple(sorted(sample.labels.items())))
        for family in collector.collect()
        for sample in family.samples
    }
    got = {(name, tuple(sorted(labels.items()))) for name, sets in scraped.items() for labels in sets}
    assert expected, "the collector exposes no series"
    assert expected <= got


@pytest.mark.parametrize(("metric", "label"), sorted(ENUMERATIONS))
def test_endpoint_lists_every_label_value_from_zero(
    metric: str, label: str, scraped: dict[str, list[dict[str, str]]]
) -> None:
    seen = {labels[label] for labels in scraped[metric]}
    assert seen == set(ENUMERATIONS[(metric, label)])


def test_per_symbol_series_exist_for_each_initialised_symbol(
    scraped: dict[str, list[dict[str, str]]],
) -> None:
    for metric in ("mm_recon_divergence_total", "mm_fills_total", "mm_net_pnl_bps"):
        assert {labels["symbol"] for labels in scraped[metric]} >= {"BTCUSDT", "ETHUSDT"}


def test_kill_switch_starts_in_shadow(scraped: dict[str, list[dict[str, str]]]) -> None:
    assert REGISTRY.get_sample_value("mm_live_enable") == 0
    assert scraped["mm_live_enable"] == [{}]


def test_latency_buckets_resolve_the_100ms_p99_target(scraped: dict[str, list[dict[str, str]]]) -> None:
    bounds = sorted(
        float(labels["le"])
        for labels in scraped["mm_exchange_latency_ms_bucket"]
        if labels["op"] == "place_order"
    )
    assert 100.0 in bounds
    below, above = bounds[bounds.index(100.0) - 1], bounds[bounds.index(100.0) + 1]
    assert 100.0 - below <= 10 and above - 100.0 <= 10


def test_set_live_mode_moves_the_gauge() -> None:
    metrics.set_live_mode(True)
    try:
        assert REGISTRY.get_sample_value("mm_live_enable") == 1
    finally:
        metrics.set_live_mode(False)
    assert REGISTRY.get_sample_value("mm_live_enable") == 0

"""obs/grafana/MMBot_Dashboard.json against the spec, the registry and Grafana 8.0's import."""

from __future__ import annotations

import json
import re
from typing import Any

import promql_parser
import pytest

from tests.obs import spec
from tests.obs.conftest import (
    panel_targets,
    substitute,
    variable_values,
    vector_selectors,
)

# Panel plugins bundled with Grafana 8.0.0, and the dashboard schema version it writes.
GRAFANA_8_0_PANEL_TYPES = frozenset(
    {
        "alertlist",
        "annolist",
        "barchart",
        "bargauge",
        "dashlist",
        "gauge",
        "graph",
        "heatmap",
        "histogram",
        "logs",
        "news",
        "nodeGraph",
        "piechart",
        "pluginlist",
        "row",
        "singlestat",
        "stat",
        "state-timeline",
        "status-history",
        "table",
        "table-old",
        "text",
        "timeseries",
        "welcome",
        "gettingstarted",
    }
)
GRAFANA_8_0_SCHEMA_VERSION = 30
RANGE_RE = re.compile(r"\[([^\]]*)\]")


def panel(dashboard: dict[str, Any], title: str) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [p for p in dashboard["panels"] if p["title"] == title]
    assert len(matches) == 1, f"expected one panel titled {title!r}"
    return matches[0]


def threshold_values(p: dict[str, Any]) -> list[float]:
    steps = p["fieldConfig"]["defaults"]["thresholds"]["steps"]
    return [step["value"] for step in steps if step["value"] is not None]


def parsed_targets(dashboard: dict[str, Any]) -> list[tuple[str, promql_parser.Expr]]:
    values = variable_values(dashboard)
    return [
        (f"{p['title']}/{t['refId']}", promql_parser.parse(substitute(t["expr"], values)))
        for p, t in panel_targets(dashboard)
    ]


def test_exactly_the_spec_panels_in_order(dashboard: dict[str, Any]) -> None:
    assert tuple(p["title"] for p in dashboard["panels"]) == spec.PANEL_TITLES


def test_panel_ids_unique_and_layout_without_overlap(dashboard: dict[str, Any]) -> None:
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(set(ids)) == len(ids)
    cells: set[tuple[int, int]] = set()
    for p in dashboard["panels"]:
        g = p["gridPos"]
        assert g["x"] + g["w"] <= 24
        mine = {(x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])}
        assert not cells & mine, f"{p['title']} overlaps another panel"
        cells |= mine


def test_every_target_parses_after_substitution(dashboard: dict[str, Any]) -> None:
    parsed = parsed_targets(dashboard)
    assert len(parsed) == 10
    template_queries = [v["query"] for v in dashboard["templating"]["list"] if v["type"] == "query"]
    for query in template_queries:
        inner = re.fullmatch(r"label_values\((.+),\s*\w+\)", query)
        assert inner, query
        promql_parser.parse(inner.group(1))


def test_every_metric_and_label_exists_in_the_registry(
    dashboard: dict[str, Any], registry_series: dict[str, set[str]]
) -> None:
    for where, expr in parsed_targets(dashboard):
        for selector in vector_selectors(expr):
            assert selector.name in registry_series, f"{where}: {selector.name} not in registry"
            for matcher in selector.matchers.matchers:
                assert matcher.name in registry_series[selector.name], f"{where}: {matcher.name}"


def test_every_range_uses_rate_interval(dashboard: dict[str, Any]) -> None:
    for p, t in panel_targets(dashboard):
        ranges = RANGE_RE.findall(t["expr"])
        if re.search(r"_(total|bucket)\b", t["expr"]):
            assert ranges, f"{p['title']}: a counter is plotted raw, without rate() or increase()"
        assert all(r == "$__rate_interval" for r in ranges), p["title"]


def test_every_panel_has_a_unit_and_a_description_of_normal_and_abnormal(dashboard: dict[str, Any]) -> None:
    for p in dashboard["panels"]:
        assert p["fieldConfig"]["defaults"].get("unit"), p["title"]
        assert "Normal:" in p["description"] and "Abnormal:" in p["description"], p["title"]
    heatmap = panel(dashboard, "Exchange Latency (histogram)")
    assert heatmap["yAxis"]["format"] == "ms"


@pytest.mark.parametrize("title", sorted(spec.THRESHOLDS))
def test_thresholds_equal_the_spec_targets(dashboard: dict[str, Any], title: str) -> None:
    assert threshold_values(panel(dashboard, title)) == [spec.THRESHOLDS[title]]


def test_stacked_where_the_spec_says_stacked(dashboard: dict[str, Any]) -> None:
    for p in dashboard["panels"]:
        mode = p["fieldConfig"]["defaults"].get("custom", {}).get("stacking", {}).get("mode", "none")
        assert (mode == "normal") == (p["title"] in spec.STACKED_PANELS), p["title"]


def test_latency_is_a_heatmap_of_the_histogram_buckets(dashboard: dict[str, Any]) -> None:
    p = panel(dashboard, "Exchange Latency (histogram)")
    assert p["type"] == "heatmap" and p["dataFormat"] == "tsbuckets"
    (target,) = p["targets"]
    assert target["format"] == "heatmap" and target["legendFormat"] == "{{le}}"
    expr = promql_parser.parse(substitute(target["expr"], variable_values(dashboard)))
    assert [s.name for s in vector_selectors(expr)] == ["mm_exchange_latency_ms_bucket"]
    assert isinstance(expr, promql_parser.AggregateExpr) and expr.modifier is not None
    assert list(expr.modifier.labels) == ["le"]


def test_kill_switch_maps_shadow_and_live(dashboard: dict[str, Any]) -> None:
    p = panel(dashboard, "Kill-Switch Status (Live Enable)")
    (mapping,) = p["fieldConfig"]["defaults"]["mappings"]
    assert mapping["type"] == "value"
    assert {k: v["text"] for k, v in mapping["options"].items()} == {"0": "SHADOW", "1": "LIVE"}


def test_cache_hit_rate_is_cached_over_all_filter_lookups(dashboard: dict[str, Any]) -> None:
    (target,) = panel(dashboard, "Cache Hit Rate")["targets"]
    expr = promql_parser.parse(substitute(target["expr"], variable_values(dashboard)))
    assert isinstance(expr, promql_parser.BinaryExpr) and str(expr.op) == "/"
    numerator, denominator = vector_selectors(expr.lhs), vector_selectors(expr.rhs)
    assert [s.name for s in numerator + denominator] == ["mm_symbol_filters_source_total"] * 2
    assert {(m.name, m.value) for m in numerator[0].matchers.matchers} >= {("source", "cached")}
    assert "source" not in {m.name for m in denominator[0].matchers.matchers}


def test_symbol_variable_filters_every_per_symbol_query(
    dashboard: dict[str, Any], registry_series: dict[str, set[str]]
) -> None:
    (symbol,) = [v for v in dashboard["templating"]["list"] if v["name"] == "symbol"]
    assert symbol["multi"] and symbol["includeAll"]
    for p, t in panel_targets(dashboard):
        for selector in vector_selectors(
            promql_parser.parse(substitute(t["expr"], variable_values(dashboard)))
        ):
            if "symbol" in registry_series[str(selector.name)]:
                assert 'symbol=~"$symbol"' in t["expr"], p["title"]


def test_datasource_variable_is_used_by_every_panel(dashboard: dict[str, Any]) -> None:
    (ds,) = [v for v in dashboard["templating"]["list"] if v["type"] == "datasource"]
    assert ds["query"] == "prometheus"
    users = dashboard["panels"] + [v for v in dashboard["templating"]["list"] if v["type"] == "query"]
    for item in users:
        assert item["datasource"] in (f"${ds['name']}", f"${{{ds['name']}}}"), item.get("title", item["name"])


def test_import_asks_for_the_prometheus_datasource(dashboard: dict[str, Any]) -> None:
    (ds_input,) = dashboard["__inputs"]
    assert (ds_input["type"], ds_input["pluginId"]) == ("datasource", "prometheus")
    # Grafana's import replaces ${INPUT} wherever it appears; an input nothing references asks in vain.
    rest = {key: value for key, value in dashboard.items() if key != "__inputs"}
    assert f"${{{ds_input['name']}}}" in json.dumps(rest)


def test_requires_and_schema_fit_grafana_8_0(dashboard: dict[str, Any]) -> None:
    assert dashboard["schemaVersion"] <= GRAFANA_8_0_SCHEMA_VERSION
    used = {p["type"] for p in dashboard["panels"]}
    assert used <= GRAFANA_8_0_PANEL_TYPES
    requires = {(r["type"], r["id"]): r["version"] for r in dashboard["__requires"]}
    assert {pid for kind, pid in requires if kind == "panel"} == used
    assert requires[("datasource", "prometheus")]
    major, minor = (int(x) for x in requires[("grafana", "grafana")].split(".")[:2])
    assert (major, minor) <= (8, 0)
    assert dashboard["uid"] and dashboard["id"] is None

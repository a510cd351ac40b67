"""What ../shared/seed/MMBot_Dashboard.md specifies, as data the obs/ tests compare against."""

from __future__ import annotations

PANEL_TITLES = (
    "Reconciliation Divergences (by type)",
    "Maker/Taker Ratio",
    "Net PnL (BPS)",
    "Orders Blocked (by reason)",
    "Symbol Filters Source (stacked)",
    "Freeze Events",
    "Kill-Switch Status (Live Enable)",
    "Exchange Latency (histogram)",
    "Symbol Filters Fetch Errors",
    "Cache Hit Rate",
)

# Enumerated label values the spec names, by exposed metric and label.
LABEL_VALUES = {
    ("mm_recon_divergence_total", "type"): {"orders_local_only", "orders_remote_only", "position_mismatch"},
    ("mm_orders_blocked_total", "reason"): {"cross_price", "min_qty", "risk_limit", "maker_only"},
    ("mm_symbol_filters_source_total", "source"): {"cached", "fetched", "default_fallback"},
    ("mm_freeze_events_total", "reason"): {"edge_too_low", "max_inventory", "max_notional"},
    ("mm_fills_total", "liquidity"): {"maker", "taker"},
}

# Panel title -> the dashboard threshold that the spec's target sets.
THRESHOLDS = {
    "Maker/Taker Ratio": 0.85,
    "Net PnL (BPS)": 0.0,
    "Exchange Latency (histogram)": 100.0,
    "Cache Hit Rate": 0.8,
}

STACKED_PANELS = ("Orders Blocked (by reason)", "Symbol Filters Source (stacked)")

# Alert name -> (comparison operator, threshold, `for` in the rule file or None), per the spec's thresholds.
ALERT_THRESHOLDS = {
    "MMReconDivergence": (">", 0.0, None),
    "MMMakerTakerRatioLow": ("<", 0.85, "30m"),
    "MMNetPnLNegative": ("<", 0.0, "30m"),
    "MMSymbolFiltersFetchErrors": (">", 0.0, None),
    "MMExchangeLatencyP99High": (">", 100.0, "10m"),
    "MMSymbolFiltersCacheHitRateLow": ("<", 0.8, "15m"),
}

# Metrics that Prometheus itself produces, not the bot's registry.
EXTERNAL_METRICS = frozenset({"up"})

"""MM-Bot's Prometheus metric registry.

Importing this module defines every metric MM-Bot exports; `start_metrics_server()` serves them on
`/metrics` (the bot's `--obs --obs-port 8080`).  The dashboard `obs/grafana/MMBot_Dashboard.json` and the
alert rules `obs/prometheus/alerts_mm_bot.yml` are written against these names, labels and values.

Conventions
- Every enumerated label has its allowed values in a module-level tuple (`*_TYPES`, `*_REASONS`,
  `*_SOURCES`, ...).  Code that records an event must pass one of those values.
- Every child series is created up front, at zero: label sets without a symbol at import time, per-symbol
  label sets in `init_symbol()`, which the bot calls once per traded symbol before its first quote.  A series
  that first appears at 1 is invisible to `increase()`, so an alert on the very first divergence would
  never fire without this.
- The maker/taker ratio is not exported as a gauge.  The bot counts fills in `mm_fills_total{liquidity}` and
  PromQL computes the maker share `maker / (maker + taker)` over whatever window the panel or alert needs:
  counters survive restarts (`rate()` handles resets), sum correctly across symbols and instances (a ratio
  gauge cannot be averaged), and keep the window a query-time choice instead of a hidden bot setting.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable, Sequence
from threading import Thread
from wsgiref.simple_server import WSGIServer

from prometheus_client import Counter, Gauge, Histogram, start_http_server

DEFAULT_OBS_PORT = 8080

# --- allowed label values --------------------------------------------------------------------------------

RECON_DIVERGENCE_TYPES = ("orders_local_only", "orders_remote_only", "position_mismatch")
FILL_LIQUIDITY = ("maker", "taker")
ORDER_BLOCK_REASONS = ("cross_price", "min_qty", "risk_limit", "maker_only")
SYMBOL_FILTER_SOURCES = ("cached", "fetched", "default_fallback")
FREEZE_REASONS = ("edge_too_low", "max_inventory", "max_notional")
FILTER_FETCH_ERROR_REASONS = ("timeout", "http_error", "rate_limited", "invalid_response")
EXCHANGE_OPS = ("place_order", "cancel_order", "open_orders", "positions", "exchange_info")

# Milliseconds.  Dense around the 100 ms p99 target so histogram_quantile() resolves it: 100 is a bucket
# boundary, with neighbours close enough that interpolation errs by at most a few milliseconds there.
EXCHANGE_LATENCY_BUCKETS_MS = (
    5.0,
    10.0,
    25.0,
    50.0,
    75.0,
    90.0,
    100.0,
    110.0,
    125.0,
    150.0,
    200.0,
    300.0,
    500.0,
    1000.0,
    2500.0,
)

# --- metrics ---------------------------------------------------------------------------------------------

RECON_DIVERGENCE = Counter(
    "mm_recon_divergence_total",
    "Divergences found by reconciliation between the bot's local book and the exchange, by type.",
    ["symbol", "type"],
)
FILLS = Counter(
    "mm_fills_total",
    "Order fills by liquidity side: maker (passive, rebate) or taker (aggressive, fee).",
    ["symbol", "liquidity"],
)
NET_PNL_BPS = Gauge(
    "mm_net_pnl_bps",
    "Net PnL after fees and rebates, in basis points of traded notional, since the bot started.",
    ["symbol"],
)
ORDERS_BLOCKED = Counter(
    "mm_orders_blocked_total",
    "Orders the pre-trade checks refused to send, by reason.",
    ["symbol", "reason"],
)
SYMBOL_FILTERS_SOURCE = Counter(
    "mm_symbol_filters_source_total",
    "Symbol filter (tick size, lot size, min notional) look-ups, by where the filters came from.",
    ["symbol", "source"],
)
SYMBOL_FILTERS_FETCH_ERRORS = Counter(
    "mm_symbol_filters_fetch_errors_total",
    "Failed fetches of symbol filters from the exchange API, by reason.",
    ["reason"],
)
FREEZE_EVENTS = Counter(
    "mm_freeze_events_total",
    "Times quoting was frozen by a safety guard, by reason.",
    ["symbol", "reason"],
)
LIVE_ENABLE = Gauge(
    "mm_live_enable",
    "Kill-switch state: 1 = live trading (MM_LIVE_ENABLE=1), 0 = shadow mode (no real orders).",
)
EXCHANGE_LATENCY_MS = Histogram(
    "mm_exchange_latency_ms",
    "Round-trip latency of exchange API calls, in milliseconds, by operation.",
    ["op"],
    buckets=EXCHANGE_LATENCY_BUCKETS_MS,
)

# --- series that exist from zero -------------------------------------------------------------------------

for _reason in FILTER_FETCH_ERROR_REASONS:
    SYMBOL_FILTERS_FETCH_ERRORS.labels(reason=_reason)
for _op in EXCHANGE_OPS:
    EXCHANGE_LATENCY_MS.labels(op=_op)
LIVE_ENABLE.set(0)


def init_symbol(symbol: str) -> None:
    """Create every per-symbol series of `symbol` at zero; call once per traded symbol at start-up."""
    for divergence_type in RECON_DIVERGENCE_TYPES:
        RECON_DIVERGENCE.labels(symbol=symbol, type=divergence_type)
    for liquidity in FILL_LIQUIDITY:
        FILLS.labels(symbol=symbol, liquidity=liquidity)
    for reason in ORDER_BLOCK_REASONS:
        ORDERS_BLOCKED.labels(symbol=symbol, reason=reason)
    for source in SYMBOL_FILTER_SOURCES:
        SYMBOL_FILTERS_SOURCE.labels(symbol=symbol, source=source)
    for reason in FREEZE_REASONS:
        FREEZE_EVENTS.labels(symbol=symbol, reason=reason)
    NET_PNL_BPS.labels(symbol=symbol).set(0)


def set_live_mode(live: bool) -> None:
    """Record the kill-switch state: True when real orders may be sent."""
    LIVE_ENABLE.set(1 if live else 0)


def start_metrics_server(
    port: int = DEFAULT_OBS_PORT, addr: str = "0.0.0.0", symbols: Iterable[str] = ()
) -> tuple[WSGIServer, Thread]:
    """Initialise the series of `symbols` and serve `/metrics` on `addr:port` from a daemon thread.

    Port 0 picks a free port: read it back from `server.server_port`.
    """
    for symbol in symbols:
        init_symbol(symbol)
    return start_http_server(port, addr=addr)


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the registry alone, e.g. to check the dashboard against a local Prometheus."""
    parser = argparse.ArgumentParser(prog="python -m tools.obs.metrics", description=main.__doc__)
    parser.add_argument("--obs-port", type=int, default=DEFAULT_OBS_PORT, help="port of /metrics")
    parser.add_argument("--obs-addr", default="127.0.0.1", help="address to bind")
    parser.add_argument("--symbols", default="BTCUSDT", help="comma-separated symbols to initialise")
    args = parser.parse_args(argv)
    server, _ = start_metrics_server(args.obs_port, args.obs_addr, [s for s in args.symbols.split(",") if s])
    print(f"serving http://{args.obs_addr}:{server.server_port}/metrics", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()

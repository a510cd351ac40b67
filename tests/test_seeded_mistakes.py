"""The examiner's test: one realistic mistake at a time, seeded into a copy of this repository's obs/, its
registry and runbooks, must make `mmlint check obs/` exit 1 without a traceback and name the culprit.

Each case replaces one piece of text in one file. The problem must carry the expected check ID, point at the
file and line of the mistake (by default the line where the replacement first differs from the original;
`at` names another spot when the mistake shows where the broken name is used, not where it was changed),
and quote the culprit in backticks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from mmlint.checks import BY_ID

REPO = Path(__file__).resolve().parents[1]

REGISTRY = "tools/obs/metrics.py"
ALERTS = "obs/prometheus/alerts_mm_bot.yml"
DASHBOARD = "obs/grafana/MMBot_Dashboard.json"
TESTS = "obs/prometheus/tests"
RUNBOOK = "RUNBOOK_SHADOW.md"

# `path:line:col: severity id message`, the text reporter's line.
PROBLEM_LINE = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>\w+) (?P<id>\S+) (?P<msg>.*)$"
)


@dataclass(frozen=True)
class Mistake:
    """Replace `old` (which must occur in `file`) by `new`, once; expect `check` to name `culprit`."""

    file: str
    old: str
    new: str
    check: str
    culprit: str
    # (file, text): the problem is expected on the line of the first occurrence of `text` in the mutated
    # `file`; None means the line where `new` first differs from `old`.
    at: tuple[str, str] | None = None
    shift: int = 0  # lines between the expected spot and the one `at` (or the change) gives


def case(name: str, mistake: Mistake) -> object:
    return pytest.param(mistake, id=name)


MISTAKES = [
    # --- the registry changes, the consumers do not -------------------------------------------------------
    case(
        "registry-metric-renamed",
        Mistake(
            REGISTRY,
            '"mm_fills_total",',
            '"mm_fill_total",',
            "metric/unknown",
            "mm_fills_total",
            at=(ALERTS, 'mm_fills_total{liquidity="maker"}'),
        ),
    ),
    case(
        "registry-gauge-made-counter",
        Mistake(
            REGISTRY,
            "NET_PNL_BPS = Gauge(",
            "NET_PNL_BPS = Counter(",
            "metric/unknown",
            "mm_net_pnl_bps",
            at=(ALERTS, "expr: mm_net_pnl_bps < 0"),
        ),
    ),
    case(
        "registry-label-renamed",
        Mistake(
            REGISTRY,
            '"Times quoting was frozen by a safety guard, by reason.",\n    ["symbol", "reason"],',
            '"Times quoting was frozen by a safety guard, by reason.",\n    ["symbol", "freeze_reason"],',
            "label/lost-in-aggregation",
            "by (reason)",
            at=(ALERTS, "sum by (symbol, reason)"),
        ),
    ),
    case(
        "registry-label-dropped",
        Mistake(
            REGISTRY,
            '["symbol", "liquidity"],',
            '["symbol"],',
            "label/unknown",
            "liquidity",
            at=(ALERTS, 'liquidity="maker"'),
        ),
    ),
    case(
        "registry-enum-value-renamed",
        Mistake(
            REGISTRY,
            'FREEZE_REASONS = ("edge_too_low",',
            'FREEZE_REASONS = ("edge_to_low",',
            "label-value/unknown",
            "edge_too_low",
            at=(ALERTS, 'reason!="edge_too_low"'),
        ),
    ),
    case(
        "registry-enum-value-removed",
        Mistake(
            REGISTRY,
            '("cached", "fetched", "default_fallback")',
            '("cached", "fetched")',
            "label-value/unknown",
            "default_fallback",
            at=(ALERTS, 'source="default_fallback"'),
        ),
    ),
    case(
        "registry-dynamic-metric-name",
        Mistake(
            REGISTRY,
            '    "mm_orders_blocked_total",',
            '    f"mm_{argparse.ArgumentParser().prog}_blocked_total",',
            "registry/unresolved",
            "argparse.ArgumentParser().prog",
        ),
    ),
    case(
        "registry-labels-call-label-typo",
        Mistake(
            REGISTRY,
            "FILLS.labels(symbol=symbol, liquidity=liquidity)",
            "FILLS.labels(symbol=symbol, liquid=liquidity)",
            "registry/labels-call",
            "liquid",
        ),
    ),
    case(
        "registry-labels-call-label-left-out",
        Mistake(
            REGISTRY,
            "FREEZE_EVENTS.labels(symbol=symbol, reason=reason)",
            "FREEZE_EVENTS.labels(symbol=symbol)",
            "registry/labels-call",
            "reason",
        ),
    ),
    case(
        "registry-label-renamed-calls-not",
        Mistake(
            REGISTRY,
            '    ["op"],\n    buckets=',
            '    ["operation"],\n    buckets=',
            "registry/labels-call",
            "op",
            at=(REGISTRY, "EXCHANGE_LATENCY_MS.labels(op=_op)"),
        ),
    ),
    case(
        "registry-label-added-to-unlabelled-gauge",
        Mistake(
            REGISTRY,
            '0 = shadow mode (no real orders).",\n)',
            '0 = shadow mode (no real orders).",\n    ["symbol"],\n)',
            "registry/labels-call",
            "LIVE_ENABLE.set()",
            at=(REGISTRY, "LIVE_ENABLE.set(0)"),
        ),
    ),
    case(
        "registry-bucket-at-threshold-dropped",
        Mistake(
            REGISTRY,
            "    90.0,\n    100.0,\n    110.0,\n",
            "    90.0,\n    110.0,\n",
            "consistency/bucket-threshold",
            "100",
            at=(ALERTS, "          > 100\n"),
        ),
    ),
    case(
        "registry-buckets-left-at-default-seconds",
        Mistake(
            REGISTRY,
            "    buckets=EXCHANGE_LATENCY_BUCKETS_MS,\n",
            "",
            "consistency/bucket-threshold",
            "100",
            at=(ALERTS, "          > 100\n"),
        ),
    ),
    case(
        "registry-copy-paste-duplicate-name",
        Mistake(
            REGISTRY,
            '    "mm_symbol_filters_fetch_errors_total",',
            '    "mm_symbol_filters_source_total",',
            "registry/unresolved",
            "mm_symbol_filters_source",
        ),
    ),
    case(
        "registry-metric-name-with-dashes",
        Mistake(REGISTRY, '"mm_net_pnl_bps",', '"mm-net-pnl-bps",', "registry/unresolved", "mm-net-pnl-bps"),
    ),
    case(
        "registry-histogram-label-le",
        Mistake(
            REGISTRY,
            '    ["op"],\n    buckets=',
            '    ["op", "le"],\n    buckets=',
            "registry/unresolved",
            "le",
        ),
    ),
    # --- the alerts -------------------------------------------------------------------------------------
    case(
        "alert-metric-typo",
        Mistake(
            ALERTS,
            "last_over_time(mm_live_enable{",
            "last_over_time(mm_live_enabled{",
            "metric/unknown",
            "mm_live_enabled",
        ),
    ),
    case(
        "alert-counter-without-total",
        Mistake(
            ALERTS,
            "(increase(mm_recon_divergence_total[10m]))",
            "(increase(mm_recon_divergence[10m]))",
            "metric/unknown",
            "mm_recon_divergence",
        ),
    ),
    case(
        "alert-label-name-typo",
        Mistake(
            ALERTS,
            'mm_symbol_filters_source_total{source="cached"}',
            'mm_symbol_filters_source_total{sources="cached"}',
            "label/unknown",
            "sources",
        ),
    ),
    case(
        "alert-label-value-typo",
        Mistake(
            ALERTS,
            'reason!="edge_too_low"',
            'reason!="edge_to_low"',
            "label-value/unknown",
            "edge_to_low",
        ),
    ),
    case(
        "alert-label-value-case",
        Mistake(
            ALERTS,
            'mm_fills_total{liquidity="maker"}[15m]',
            'mm_fills_total{liquidity="Maker"}[15m]',
            "label-value/unknown",
            "Maker",
        ),
    ),
    case(
        "alert-regex-value-typo",
        Mistake(
            ALERTS,
            'reason!="edge_too_low"',
            'reason=~"max_inventory|max_notionl"',
            "label-value/unknown",
            "max_notionl",
        ),
    ),
    case(
        "alert-threshold-disagrees-with-panel",
        Mistake(
            ALERTS,
            "          < 0.85\n",
            "          < 0.8\n",
            "consistency/threshold-mismatch",
            "< 0.8",
            at=(DASHBOARD, '"value": 0.85'),
        ),
    ),
    case(
        "alert-threshold-percent-not-ratio",
        Mistake(
            ALERTS,
            "          < 0.8\n",
            "          < 80\n",
            "consistency/threshold-mismatch",
            "< 80",
            at=(DASHBOARD, '"value": 0.8\n'),
        ),
    ),
    case(
        "alert-quantile-percent-not-ratio",
        Mistake(
            ALERTS,
            "histogram_quantile(0.99,",
            "histogram_quantile(99,",
            "promql/impossible-comparison",
            "99",
        ),
    ),
    case(
        "alert-for-below-interval",
        Mistake(ALERTS, "        for: 1m\n", "        for: 10s\n", "rule/for-too-short", "for: 10s"),
    ),
    case(
        "alert-group-interval-above-for",
        Mistake(
            ALERTS,
            "    interval: 30s\n",
            "    interval: 2m\n",
            "rule/for-too-short",
            "2m",
            at=(ALERTS, "for: 1m"),
        ),
    ),
    case(
        "alert-for-without-unit",
        Mistake(
            ALERTS,
            "        for: 10m\n",
            "        for: 10\n",
            "syntax/rule-file",
            "10",
        ),
    ),
    case(
        "alert-severity-typo",
        Mistake(
            ALERTS,
            '        labels:\n          severity: critical\n        annotations:\n          summary: "Recon',
            '        labels:\n          severity: critcal\n        annotations:\n          summary: "Recon',
            "rule/severity-label",
            "critcal",
        ),
    ),
    case(
        "alert-runbook-url-missing",
        Mistake(
            ALERTS,
            "          runbook_url: RUNBOOK_SHADOW.md#mmnetpnlnegative\n",
            "",
            "rule/annotations",
            "runbook_url",
            at=(ALERTS, "- alert: MMNetPnLNegative"),
        ),
    ),
    case(
        "alert-runbook-anchor-typo",
        Mistake(
            ALERTS,
            "RUNBOOK_SHADOW.md#mmfrequentfreezes",
            "RUNBOOK_SHADOW.md#mmfrequentfreeze",
            "rule/runbook-url",
            "#mmfrequentfreeze",
        ),
    ),
    case(
        "runbook-heading-renamed",
        Mistake(
            RUNBOOK,
            "### MMFrequentFreezes",
            "### MMFrequentFreezeEvents",
            "rule/runbook-url",
            "#mmfrequentfreezes",
            at=(ALERTS, "RUNBOOK_SHADOW.md#mmfrequentfreezes"),
        ),
    ),
    case(
        "alert-template-label-typo",
        Mistake(
            ALERTS,
            'summary: "Frequent {{ $labels.reason }} freezes on {{ $labels.symbol }}"',
            'summary: "Frequent {{ $labels.reason }} freezes on {{ $labels.symbl }}"',
            "label/lost-in-aggregation",
            "symbl",
        ),
    ),
    case(
        "alert-by-dropped-label-in-template",
        Mistake(
            ALERTS,
            "expr: sum by (reason) (increase(mm_symbol_filters_fetch_errors_total[15m])) > 0",
            "expr: sum(increase(mm_symbol_filters_fetch_errors_total[15m])) > 0",
            "label/lost-in-aggregation",
            "reason",
            at=(ALERTS, 'summary: "Symbol filter fetch errors ({{ $labels.reason }})"'),
        ),
    ),
    case(
        "alert-template-label-aggregated-away",
        Mistake(
            ALERTS,
            'of {{ $labels.symbol }} filter look-ups use defaults"',
            'of {{ $labels.instance }} filter look-ups use defaults"',
            "label/lost-in-aggregation",
            "instance",
        ),
    ),
    case(
        "alert-template-function-typo",
        Mistake(
            ALERTS,
            'summary: "Maker share on {{ $labels.symbol }} is {{ $value | humanizePercentage }}"',
            'summary: "Maker share on {{ $labels.symbol }} is {{ $value | humanizePercent }}"',
            "template/syntax",
            "humanizePercent",
        ),
    ),
    case(
        "alert-template-unclosed-action",
        Mistake(
            ALERTS,
            'summary: "Symbol filter fetch errors ({{ $labels.reason }})"',
            'summary: "Symbol filter fetch errors ({{ $labels.reason })"',
            "template/syntax",
            "summary",
        ),
    ),
    case(
        "alert-rate-of-gauge",
        Mistake(
            ALERTS,
            "expr: mm_net_pnl_bps < 0",
            "expr: rate(mm_net_pnl_bps[5m]) < 0",
            "metric/type-misuse",
            "mm_net_pnl_bps",
        ),
    ),
    case(
        "alert-raw-counter-compared",
        Mistake(
            ALERTS,
            "sum by (symbol, type) (increase(mm_recon_divergence_total[10m])) > 0",
            "sum by (symbol, type) (mm_recon_divergence_total) > 0",
            "metric/type-misuse",
            "mm_recon_divergence_total",
        ),
    ),
    case(
        "alert-quantile-without-le",
        Mistake(
            ALERTS,
            "sum by (instance, le) (rate(mm_exchange_latency_ms_bucket[5m]))",
            "sum by (instance) (rate(mm_exchange_latency_ms_bucket[5m]))",
            "metric/type-misuse",
            "le",
        ),
    ),
    case(
        "alert-histogram-without-bucket-suffix",
        Mistake(
            ALERTS,
            "(rate(mm_exchange_latency_ms_bucket[5m]))",
            "(rate(mm_exchange_latency_ms[5m]))",
            "metric/unknown",
            "mm_exchange_latency_ms",
        ),
    ),
    case(
        "alert-rate-range-one-scrape",
        Mistake(
            ALERTS,
            "(rate(mm_symbol_filters_source_total[15m]))\n          > 0.1",
            "(rate(mm_symbol_filters_source_total[10s]))\n          > 0.1",
            "promql/rate-range",
            "10s",
        ),
    ),
    case(
        "alert-promql-unbalanced-paren",
        Mistake(
            ALERTS,
            '(increase(mm_freeze_events_total{reason!="edge_too_low"}[1h]))',
            '(increase(mm_freeze_events_total{reason!="edge_too_low"}[1h])',
            "syntax/promql",
            "MMFrequentFreezes",
        ),
    ),
    case(
        "alert-promql-unbalanced-brace",
        Mistake(
            ALERTS,
            'mm_live_enable{job="mm-bot"}[1h]',
            'mm_live_enable{job="mm-bot"[1h]',
            "syntax/promql",
            "MMLiveModeBotDown",
        ),
    ),
    case(
        "alert-promql-bad-duration",
        Mistake(
            ALERTS,
            "(increase(mm_recon_divergence_total[10m]))",
            "(increase(mm_recon_divergence_total[10mins]))",
            "syntax/promql",
            "MMReconDivergence",
        ),
    ),
    case(
        "alert-yaml-indentation",
        Mistake(
            ALERTS,
            "        for: 15m\n        labels:\n          severity: info",
            "        for: 15m\n       labels:\n          severity: info",
            "syntax/yaml",
            ALERTS,
        ),
    ),
    case(
        "alert-expr-key-typo",
        Mistake(
            ALERTS,
            "        expr: mm_net_pnl_bps < 0",
            "        exp: mm_net_pnl_bps < 0",
            "syntax/rule-file",
            "exp",
        ),
    ),
    case(
        "alert-duplicated-by-copy-paste",
        Mistake(
            ALERTS,
            "      - alert: MMFrequentFreezes",
            "      - alert: MMSymbolFiltersFetchErrors",
            "rule/duplicate",
            "MMSymbolFiltersFetchErrors",
        ),
    ),
    case(
        "alert-renamed-tests-not",
        Mistake(
            ALERTS,
            "- alert: MMFrequentFreezes",
            "- alert: MMFreezesFrequent",
            "coverage/alert-untested",
            "MMFreezesFrequent",
        ),
    ),
    case(
        "alert-ratio-sides-aggregated-differently",
        Mistake(
            ALERTS,
            "/ sum by (symbol) (rate(mm_symbol_filters_source_total[15m]))\n          < 0.8",
            "/ sum(rate(mm_symbol_filters_source_total[15m]))\n          < 0.8",
            "label/no-match",
            "symbol",
        ),
    ),
    case(
        "alert-and-with-unaggregated-gauge",
        Mistake(
            ALERTS,
            "expr: mm_net_pnl_bps < 0",
            "expr: mm_net_pnl_bps < 0 and mm_live_enable == 1",
            "label/no-match",
            "symbol",
        ),
    ),
    case(
        "alert-any-increase-written-as-at-least-zero",
        Mistake(
            ALERTS,
            "(increase(mm_recon_divergence_total[10m])) > 0",
            "(increase(mm_recon_divergence_total[10m])) >= 0",
            "promql/impossible-comparison",
            "sum(...) >= 0",
        ),
    ),
    case(
        "alert-by-drops-label-used-in-summary",
        Mistake(
            ALERTS,
            "sum by (symbol, type) (increase",
            "sum by (type) (increase",
            "label/lost-in-aggregation",
            "symbol",
            at=(ALERTS, 'summary: "Reconciliation divergence'),
        ),
    ),
    case(
        "alert-quantile-of-sum-series",
        Mistake(
            ALERTS,
            "rate(mm_exchange_latency_ms_bucket[5m])",
            "rate(mm_exchange_latency_ms_sum[5m])",
            "metric/type-misuse",
            "mm_exchange_latency_ms_sum",
        ),
    ),
    case(
        "alert-on-label-typo",
        Mistake(
            ALERTS,
            "unless on (job, instance)",
            "unless on (job, instnace)",
            "label/lost-in-aggregation",
            "on (instnace)",
        ),
    ),
    case(
        "alert-summary-key-typo",
        Mistake(
            ALERTS,
            "        annotations:\n          summary: 'Net PnL",
            "        annotations:\n          summry: 'Net PnL",
            "rule/annotations",
            "summary",
            at=(ALERTS, "- alert: MMNetPnLNegative"),
        ),
    ),
    case(
        "alert-group-interval-without-unit",
        Mistake(ALERTS, "    interval: 30s\n", "    interval: 30\n", "syntax/rule-file", "30"),
    ),
    case(
        "alert-severity-capitalised",
        Mistake(
            ALERTS, "          severity: info\n", "          severity: Info\n", "rule/severity-label", "Info"
        ),
    ),
    case(
        "alert-latency-threshold-disagrees-with-panel",
        Mistake(
            ALERTS,
            "          > 100\n",
            "          > 150\n",
            "consistency/threshold-mismatch",
            "> 150",
            at=(DASHBOARD, '"value": 100\n'),
        ),
    ),
    case(
        "alert-pnl-threshold-disagrees-with-panel",
        Mistake(
            ALERTS,
            "expr: mm_net_pnl_bps < 0",
            "expr: mm_net_pnl_bps < -5",
            "consistency/threshold-mismatch",
            "< -5",
            at=(DASHBOARD, '"color": "green",\n                "value": 0\n'),
            shift=1,
        ),
    ),
    case(
        "alert-negative-matcher-label-typo",
        Mistake(
            ALERTS,
            'reason!="edge_too_low"',
            'reson!="edge_too_low"',
            "label/unknown",
            "reson",
        ),
    ),
    case(
        "alert-ratio-denominator-copied-from-numerator",
        Mistake(
            ALERTS,
            "/ sum by (symbol) (rate(mm_fills_total[15m]))",
            '/ sum by (symbol) (rate(mm_fills_total{liquidity="maker"}[15m]))',
            "promql/impossible-comparison",
            "sum(...) / sum(...) < 0.85",
            at=(ALERTS, "          < 0.85\n"),
        ),
    ),
    case(
        "alert-for-written-twice",
        Mistake(
            ALERTS,
            "        for: 30m\n        labels:\n          severity: critical",
            "        for: 30m\n        labels:\n          severity: critical\n        for: 5m",
            "syntax/rule-file",
            "for",
            shift=1,  # the new line after the old text
        ),
    ),
    case(
        "alert-template-labels-variable-typo",
        Mistake(
            ALERTS,
            'summary: "Frequent {{ $labels.reason }}',
            'summary: "Frequent {{ $label.reason }}',
            "template/syntax",
            "$label",
        ),
    ),
    case(
        "alert-summary-unquoted-colon",
        Mistake(
            ALERTS,
            'summary: "Symbol filter fetch errors ({{ $labels.reason }})"',
            "summary: Symbol filter fetch errors: {{ $labels.reason }}",
            "syntax/yaml",
            ALERTS,
            at=(ALERTS, "summary: Symbol filter fetch errors:"),
        ),
    ),
    case(
        "alert-severity-label-removed",
        Mistake(
            ALERTS,
            "        labels:\n          severity: critical\n        annotations:\n          summary: 'Net",
            "        annotations:\n          summary: 'Net",
            "rule/severity-label",
            "severity",
            at=(ALERTS, "- alert: MMNetPnLNegative"),
        ),
    ),
    case(
        "alert-delta-of-counter",
        Mistake(
            ALERTS,
            "(increase(mm_recon_divergence_total[10m]))",
            "(delta(mm_recon_divergence_total[10m]))",
            "metric/type-misuse",
            "delta",
        ),
    ),
    case(
        "alert-ratio-window-edited-on-one-side",
        Mistake(
            ALERTS,
            "/ sum by (symbol) (rate(mm_symbol_filters_source_total[15m]))\n          > 0.1",
            "/ sum by (symbol) (rate(mm_symbol_filters_source_total[5m]))\n          > 0.1",
            "promql/ratio-ranges",
            "[5m]",
        ),
    ),
    # --- the unit tests ---------------------------------------------------------------------------------
    case(
        "test-alertname-typo",
        Mistake(
            f"{TESTS}/mm_frequent_freezes_test.yml",
            "alertname: MMFrequentFreezes",
            "alertname: MMFrequentFreeze",
            "test/dangling-reference",
            "alertname: MMFrequentFreeze",
        ),
    ),
    case(
        "test-rule-files-path-typo",
        Mistake(
            f"{TESTS}/mm_frequent_freezes_test.yml",
            "  - ../alerts_mm_bot.yml",
            "  - ../alerts_mm_bot.yaml",
            "test/dangling-reference",
            "../alerts_mm_bot.yaml",
        ),
    ),
    # --- the dashboard ----------------------------------------------------------------------------------
    case(
        "panel-metric-typo",
        Mistake(
            DASHBOARD,
            "(rate(mm_orders_blocked_total{",
            "(rate(mm_order_blocked_total{",
            "metric/unknown",
            "mm_order_blocked_total",
        ),
    ),
    case(
        "panel-label-value-typo",
        Mistake(
            DASHBOARD,
            'liquidity=\\"maker\\"',
            'liquidity=\\"makers\\"',
            "label-value/unknown",
            "makers",
        ),
    ),
    case(
        "panel-label-name-typo",
        Mistake(
            DASHBOARD,
            'mm_symbol_filters_source_total{source=\\"cached\\"',
            'mm_symbol_filters_source_total{src=\\"cached\\"',
            "label/unknown",
            "src",
        ),
    ),
    case(
        "panel-threshold-disagrees-with-alert",
        Mistake(
            DASHBOARD,
            '"value": 0.85',
            '"value": 0.9',
            "consistency/threshold-mismatch",
            "0.9",
        ),
    ),
    case(
        "panel-threshold-percent-not-ratio",
        Mistake(
            DASHBOARD,
            '"value": 0.8\n',
            '"value": 80\n',
            "consistency/threshold-mismatch",
            "80",
        ),
    ),
    case(
        "panel-latency-threshold-disagrees",
        Mistake(
            DASHBOARD,
            '"value": 100\n',
            '"value": 200\n',
            "consistency/threshold-mismatch",
            "200",
        ),
    ),
    case(
        "variable-renamed-panels-not",
        Mistake(
            DASHBOARD,
            '"name": "symbol",',
            '"name": "symbols",',
            "dashboard/unknown-variable",
            "$symbol",
            at=(DASHBOARD, '"expr": "sum by (type)'),
        ),
    ),
    case(
        "panel-rate-interval-variable-typo",
        Mistake(
            DASHBOARD,
            '(rate(mm_orders_blocked_total{symbol=~\\"$symbol\\"}[$__rate_interval]))',
            '(rate(mm_orders_blocked_total{symbol=~\\"$symbol\\"}[$__rate_intreval]))',
            "dashboard/unknown-variable",
            "$__rate_intreval",
        ),
    ),
    case(
        "panel-fixed-rate-range",
        Mistake(
            DASHBOARD,
            '(increase(mm_freeze_events_total{symbol=~\\"$symbol\\"}[$__rate_interval]))',
            '(increase(mm_freeze_events_total{symbol=~\\"$symbol\\"}[5m]))',
            "dashboard/rate-interval",
            "[5m]",
        ),
    ),
    case(
        "panel-datasource-hard-coded",
        Mistake(
            DASHBOARD,
            '1h fires MMFrequentFreezes.",\n      "datasource": "$datasource",',
            '1h fires MMFrequentFreezes.",\n      "datasource": "Prometheus",',
            "dashboard/datasource",
            "Prometheus",
        ),
    ),
    case(
        "panel-datasource-added-twice",
        Mistake(
            DASHBOARD,
            '"title": "Freeze Events",\n',
            '"title": "Freeze Events",\n      "datasource": "Prometheus",\n',
            "syntax/dashboard",
            "datasource",
            at=(
                DASHBOARD,
                '"datasource": "$datasource",\n      "gridPos": {\n        "x": 12,\n        "y": 16',
            ),
        ),
    ),
    case(
        "panel-rate-over-interval-not-rate-interval",
        Mistake(
            DASHBOARD,
            'rate(mm_orders_blocked_total{symbol=~\\"$symbol\\"}[$__rate_interval])',
            'rate(mm_orders_blocked_total{symbol=~\\"$symbol\\"}[$__interval])',
            "dashboard/rate-interval",
            "[$__interval]",
        ),
    ),
    case(
        "panel-ratio-denominator-not-summed",
        Mistake(
            DASHBOARD,
            "/ sum(rate(mm_symbol_filters_source_total{symbol=~",
            "/ (rate(mm_symbol_filters_source_total{symbol=~",
            "label/no-match",
            "source",
        ),
    ),
    case(
        "panel-datasource-pinned-by-uid",
        Mistake(
            DASHBOARD,
            '1h fires MMFrequentFreezes.",\n      "datasource": "$datasource",',
            '1h fires MMFrequentFreezes.",\n      "datasource": {"type": "prometheus", "uid": "P1809F7C"},',
            "dashboard/datasource",
            "P1809F7C",
        ),
    ),
    case(
        "panel-targets-key-typo",
        Mistake(
            DASHBOARD,
            '"targets": [\n        {\n          "refId": "A",\n          "expr": "max(mm_live_enable)"',
            '"targetz": [\n        {\n          "refId": "A",\n          "expr": "max(mm_live_enable)"',
            "dashboard/no-targets",
            "Kill-Switch Status (Live Enable)",
            at=(DASHBOARD, '"title": "Kill-Switch Status (Live Enable)"'),
        ),
    ),
    case(
        "panel-unit-removed",
        Mistake(
            DASHBOARD, '"unit": "reqps",', '"unit": "",', "dashboard/units", "Symbol Filters Source (stacked)"
        ),
    ),
    case(
        "panel-unit-key-removed",
        Mistake(
            DASHBOARD,
            '"unit": "reqps",\n',
            "",
            "dashboard/units",
            "Symbol Filters Source (stacked)",
            shift=-1,  # the `defaults` that lacks it
        ),
    ),
    case(
        "panel-unit-typo",
        Mistake(DASHBOARD, '"unit": "reqps",', '"unit": "req/s",', "dashboard/units", "req/s"),
    ),
    case(
        "panel-json-trailing-comma",
        Mistake(
            DASHBOARD,
            '"legendFormat": "live",\n          "interval": ""',
            '"legendFormat": "live",\n          "interval": "",',
            "syntax/json",
            DASHBOARD,
            at=(DASHBOARD, '"interval": "",\n        }'),
        ),
    ),
    case(
        "panel-duplicate-id",
        Mistake(DASHBOARD, '"id": 9,', '"id": 8,', "dashboard/uid", "8"),
    ),
    case(
        "panel-promql-syntax",
        Mistake(
            DASHBOARD,
            '"expr": "max(mm_live_enable)"',
            '"expr": "max(mm_live_enable"',
            "syntax/promql",
            "Kill-Switch Status (Live Enable)",
        ),
    ),
    case(
        "panel-query-under-wrong-key",
        Mistake(
            DASHBOARD,
            '"expr": "max(mm_live_enable)"',
            '"query": "max(mm_live_enable)"',
            "dashboard/no-targets",
            "query",
        ),
    ),
    case(
        "panel-legend-label-typo",
        Mistake(
            DASHBOARD,
            '"legendFormat": "{{source}}"',
            '"legendFormat": "{{sources}}"',
            "label/lost-in-aggregation",
            "sources",
        ),
    ),
    case(
        "panel-heatmap-without-by-le",
        Mistake(
            DASHBOARD,
            "sum by (le) (increase(mm_exchange_latency_ms_bucket",
            "sum(increase(mm_exchange_latency_ms_bucket",
            "label/lost-in-aggregation",
            "le",
            at=(DASHBOARD, '"legendFormat": "{{le}}"'),
        ),
    ),
    case(
        "panel-only-target-hidden",
        Mistake(
            DASHBOARD,
            '"expr": "max(mm_live_enable)",',
            '"expr": "max(mm_live_enable)", "hide": true,',
            "dashboard/no-targets",
            "Kill-Switch Status (Live Enable)",
            at=(
                DASHBOARD,
                '"targets": [\n        {\n          "refId": "A",\n          "expr": "max(mm_live_enable)"',
            ),
        ),
    ),
    case(
        "dashboard-uid-emptied",
        Mistake(DASHBOARD, '"uid": "mm-bot-overview",', '"uid": "",', "dashboard/uid", "MM-Bot"),
    ),
    case(
        "dashboard-datasource-variable-renamed",
        Mistake(
            DASHBOARD,
            '"name": "datasource",',
            '"name": "ds",',
            "dashboard/datasource",
            "$datasource",
            at=(DASHBOARD, '"datasource": "$datasource"'),
        ),
    ),
    case(
        "dashboard-input-renamed",
        Mistake(
            DASHBOARD,
            '"name": "DS_PROMETHEUS",',
            '"name": "DS_PROM",',
            "dashboard/inputs-requires",
            "DS_PROM",
        ),
    ),
    case(
        "panel-pnl-threshold-disagrees-with-alert",
        Mistake(
            DASHBOARD,
            '"color": "green",\n                "value": 0\n',
            '"color": "green",\n                "value": 5\n',
            "consistency/threshold-mismatch",
            "5",
        ),
    ),
    case(
        "panel-multi-value-variable-with-equality",
        Mistake(
            DASHBOARD,
            'mm_net_pnl_bps{symbol=~\\"$symbol\\"}',
            'mm_net_pnl_bps{symbol=\\"$symbol\\"}',
            "dashboard/multi-value-equality",
            "$symbol",
        ),
    ),
    case(
        "panel-ratio-shown-as-percent",
        Mistake(
            DASHBOARD,
            '"unit": "percentunit",',
            '"unit": "percent",',
            "consistency/threshold-mismatch",
            "percent",
        ),
    ),
    case(
        "panel-latency-ms-shown-as-seconds",
        Mistake(DASHBOARD, '"unit": "ms",', '"unit": "s",', "consistency/threshold-mismatch", "s"),
    ),
    case(
        "panel-rate-of-gauge",
        Mistake(
            DASHBOARD,
            '"expr": "max(mm_live_enable)"',
            '"expr": "max(rate(mm_live_enable[$__rate_interval]))"',
            "metric/type-misuse",
            "mm_live_enable",
        ),
    ),
    case(
        "panel-type-typo",
        Mistake(
            DASHBOARD,
            '"type": "heatmap",\n      "title"',
            '"type": "heatmaps",\n      "title"',
            "dashboard/schema",
            "heatmaps",
        ),
    ),
    case(
        "panel-description-removed",
        Mistake(
            DASHBOARD,
            '"title": "Cache Hit Rate",\n      "description": ',
            '"title": "Cache Hit Rate",\n      "descriptio": ',
            "dashboard/description",
            "Cache Hit Rate",
            at=(DASHBOARD, '"title": "Cache Hit Rate"'),
        ),
    ),
]


# Mistakes only the unit tests in obs/prometheus/tests/ see: the rules still lint clean, but they no longer
# do what the tests say. Caught when `mmlint check` runs those tests (the test/failed check).
RUNS_UNIT_TESTS = pytest.mark.skipif(
    "test/failed" not in BY_ID,
    reason="`mmlint check` does not run the unit tests here (no test/failed check)",
)
UNIT_TESTED = [
    pytest.param(
        Mistake(
            f"{TESTS}/mm_net_pnl_negative_test.yml",
            "severity: critical",
            "severity: warning",
            "test/failed",
            "MMNetPnLNegative",
            at=(f"{TESTS}/mm_net_pnl_negative_test.yml", "- eval_time: 41m"),
        ),
        id="test-expects-wrong-severity",
        marks=RUNS_UNIT_TESTS,
    ),
    pytest.param(
        Mistake(
            ALERTS,
            "          < 0.85\n        for: 30m\n",
            "          < 0.85\n        for: 3m\n",
            "test/failed",
            "MMMakerTakerRatioLow",
            at=(f"{TESTS}/mm_maker_taker_ratio_low_test.yml", "- eval_time: 30m\n"),
        ),
        id="alert-for-shortened",
        marks=RUNS_UNIT_TESTS,
    ),
    pytest.param(
        Mistake(
            ALERTS,
            '(increase(mm_freeze_events_total{reason!="edge_too_low"}[1h]))',
            '(increase(mm_freeze_events_total{reason!="edge_too_low"}[30m]))',
            "test/failed",
            "MMFrequentFreezes",
            at=(f"{TESTS}/mm_frequent_freezes_test.yml", "- eval_time: 69m30s"),
        ),
        id="alert-window-shortened",
        marks=RUNS_UNIT_TESTS,
    ),
    pytest.param(
        Mistake(
            ALERTS,
            "          >= 3\n",
            "          > 3\n",
            "test/failed",
            "MMFrequentFreezes",
            at=(f"{TESTS}/mm_frequent_freezes_test.yml", "- eval_time: 30m\n"),
        ),
        id="alert-at-least-three-made-more-than-three",
        marks=RUNS_UNIT_TESTS,
    ),
]


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    for name in ("obs", "tools"):
        shutil.copytree(REPO / name, tmp_path / name)
    for path in REPO.glob("*.md"):  # runbook_url targets
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def seed(root: Path, mistake: Mistake) -> int:
    """Apply `mistake` under `root`; return the line where the new text first differs from the old."""
    path = root / mistake.file
    text = path.read_text(encoding="utf-8")
    start = text.find(mistake.old)
    assert start >= 0, f"{mistake.old!r} not in {mistake.file}"
    path.write_text(text.replace(mistake.old, mistake.new, 1), encoding="utf-8")
    differs = next(
        (i for i, (a, b) in enumerate(zip(mistake.old, mistake.new, strict=False)) if a != b),
        min(len(mistake.old), len(mistake.new)),
    )
    return line_of(text, start + differs)


def expected_spot(root: Path, mistake: Mistake, changed_line: int) -> tuple[str, int]:
    if mistake.at is None:
        return mistake.file, changed_line + mistake.shift
    file, anchor = mistake.at
    text = (root / file).read_text(encoding="utf-8")
    index = text.find(anchor)
    assert index >= 0, f"{anchor!r} not in {file}"
    return file, line_of(text, index) + mistake.shift


def run_check(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mmlint", "check", "obs/"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},  # the checkout under test
    )


@pytest.mark.parametrize("mistake", MISTAKES + UNIT_TESTED)
def test_seeded_mistake_is_named(seeded: Path, mistake: Mistake) -> None:
    changed_line = seed(seeded, mistake)
    file, line = expected_spot(seeded, mistake, changed_line)
    result = run_check(seeded)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    problems = [m.groupdict() for m in map(PROBLEM_LINE.match, result.stdout.splitlines()) if m]
    named = [
        p
        for p in problems
        if p["id"] == mistake.check
        and p["path"] == file
        and int(p["line"]) == line
        and f"`{mistake.culprit}`" in p["msg"]
    ]
    assert named, f"expected {mistake.check} at {file}:{line} naming `{mistake.culprit}`:\n{result.stdout}"


# Edits that look like mistakes and are not: mmlint must stay silent on them.
HARMLESS = [
    # prometheus_client appends `_total` to a counter's name either way.
    pytest.param(
        REGISTRY, '"mm_freeze_events_total",', '"mm_freeze_events",', id="counter-named-without-total"
    ),
    # The alert excludes edge_too_low with `!=`, so a new reason is covered without an edit.
    pytest.param(
        REGISTRY,
        '"max_inventory", "max_notional")',
        '"max_inventory", "max_notional", "stale_book")',
        id="new-enumerated-value",
    ),
    pytest.param(
        ALERTS, "expr: mm_net_pnl_bps < 0", "expr: 0 > mm_net_pnl_bps", id="threshold-written-first"
    ),
    pytest.param(
        ALERTS,
        'mm_symbol_filters_source_total{source="cached"}',
        'mm_symbol_filters_source_total{job!="", source="cached"}',
        id="extra-matcher-on-target-label",
    ),
]


@pytest.mark.parametrize(("file", "old", "new"), HARMLESS)
def test_harmless_edit_stays_clean(seeded: Path, file: str, old: str, new: str) -> None:
    seed(seeded, Mistake(file, old, new, "", ""))
    result = run_check(seeded)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_every_seeded_text_is_in_this_repository() -> None:
    for param in MISTAKES + UNIT_TESTED:
        mistake = param.values[0]  # type: ignore[attr-defined]
        assert mistake.old in (REPO / mistake.file).read_text(encoding="utf-8"), mistake

"""mmlint.sources.registry reads a prometheus_client registry statically.

Checked three ways: against fixtures with hand-written expectations, against MM-Bot's real registry
imported and collected for real, and against generated registries exec'd into a throwaway
CollectorRegistry.  Only these tests run registry code; mmlint never does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import prometheus_client
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client.registry import CollectorRegistry

from mmlint.problem import Finding
from mmlint.sources.registry import (
    MAX_BYTES,
    SYNTAX,
    UNRESOLVED,
    Metric,
    Registry,
    format_bound,
    read_registry,
)

REPO = Path(__file__).resolve().parents[2]
METRICS_PY = REPO / "tools" / "obs" / "metrics.py"
# Fixtures are Python sources named *.py.txt, so that ruff, mypy and pytest leave them alone.
FIXTURES = Path(__file__).parent / "fixtures" / "registry"

Samples = dict[str, list[dict[str, str]]]


def read(path: Path) -> tuple[Registry, list[tuple[str, Finding]]]:
    return read_registry(path.read_bytes(), str(path))


def metric_of(registry: Registry, sample: str) -> Metric:
    metric = registry.series(sample)
    assert metric is not None, f"no metric exposes `{sample}`"
    return metric


def collected(registry: CollectorRegistry, prefix: str = "") -> Samples:
    """Sample name -> the label sets it is exposed with."""
    found: Samples = {}
    for family in registry.collect():
        for sample in family.samples:
            if sample.name.startswith(prefix):
                found.setdefault(sample.name, []).append(dict(sample.labels))
    return found


def observed_values(metric: Metric, samples: Samples, label: str) -> set[str]:
    return {labels[label] for name in metric.series for labels in samples.get(name, []) if label in labels}


# --- tools/obs/metrics.py ----------------------------------------------------------------------------------

MM_STATIC, MM_FINDINGS = read(METRICS_PY)

MM_METRICS = {
    ("mm_recon_divergence", "counter", ("symbol", "type")),
    ("mm_fills", "counter", ("symbol", "liquidity")),
    ("mm_net_pnl_bps", "gauge", ("symbol",)),
    ("mm_orders_blocked", "counter", ("symbol", "reason")),
    ("mm_symbol_filters_source", "counter", ("symbol", "source")),
    ("mm_symbol_filters_fetch_errors", "counter", ("reason",)),
    ("mm_freeze_events", "counter", ("symbol", "reason")),
    ("mm_live_enable", "gauge", ()),
    ("mm_exchange_latency_ms", "histogram", ("op",)),
}
MM_BOUNDS = tuple(f"{b}.0" for b in (5, 10, 25, 50, 75, 90, 100, 110, 125, 150, 200, 300, 500, 1000, 2500))
MM_BOUNDS += ("+Inf",)
MM_ALLOWED = [
    pytest.param(
        "mm_recon_divergence_total",
        "type",
        {"orders_local_only", "orders_remote_only", "position_mismatch"},
        id="recon-divergence-type",
    ),
    pytest.param("mm_fills_total", "liquidity", {"maker", "taker"}, id="fills-liquidity"),
    pytest.param(
        "mm_orders_blocked_total",
        "reason",
        {"cross_price", "min_qty", "risk_limit", "maker_only"},
        id="orders-blocked-reason",
    ),
    pytest.param(
        "mm_symbol_filters_source_total",
        "source",
        {"cached", "fetched", "default_fallback"},
        id="symbol-filters-source",
    ),
    pytest.param(
        "mm_symbol_filters_fetch_errors_total",
        "reason",
        {"timeout", "http_error", "rate_limited", "invalid_response"},
        id="fetch-errors-reason",
    ),
    pytest.param(
        "mm_freeze_events_total",
        "reason",
        {"edge_too_low", "max_inventory", "max_notional"},
        id="freeze-reason",
    ),
    pytest.param(
        "mm_exchange_latency_ms_bucket",
        "op",
        {"place_order", "cancel_order", "open_orders", "positions", "exchange_info"},
        id="latency-op",
    ),
    pytest.param("mm_exchange_latency_ms_bucket", "le", set(MM_BOUNDS), id="latency-le"),
]
MM_FREE = [
    ("mm_recon_divergence_total", "symbol"),
    ("mm_fills_total", "symbol"),
    ("mm_net_pnl_bps", "symbol"),
    ("mm_orders_blocked_total", "symbol"),
    ("mm_symbol_filters_source_total", "symbol"),
    ("mm_freeze_events_total", "symbol"),
]


def test_mm_registry_reads_without_findings() -> None:
    assert MM_FINDINGS == []


def test_mm_registry_has_every_metric_with_its_type_and_labels() -> None:
    assert {(m.name, m.type, m.labels) for m in MM_STATIC.metrics} == MM_METRICS


@pytest.mark.parametrize(("sample", "label", "expected"), MM_ALLOWED)
def test_mm_allowed_values(sample: str, label: str, expected: set[str]) -> None:
    assert metric_of(MM_STATIC, sample).allowed_values[label] == expected


@pytest.mark.parametrize(("sample", "label"), MM_FREE, ids=[f"{s}-{label}" for s, label in MM_FREE])
def test_mm_symbol_is_free(sample: str, label: str) -> None:
    metric = metric_of(MM_STATIC, sample)
    assert label in metric.labels
    assert label not in metric.allowed_values


def test_mm_latency_histogram_series_and_buckets() -> None:
    metric = metric_of(MM_STATIC, "mm_exchange_latency_ms_sum")
    assert metric.series == {
        "mm_exchange_latency_ms_bucket": {"op", "le"},
        "mm_exchange_latency_ms_count": {"op"},
        "mm_exchange_latency_ms_sum": {"op"},
        "mm_exchange_latency_ms_created": {"op"},
    }
    assert metric.buckets is not None
    assert tuple(format_bound(b) for b in metric.buckets) == MM_BOUNDS
    assert metric.location.line > 1


@pytest.fixture(scope="module")
def mm_exposed() -> Samples:
    """What the real registry exposes once a symbol is initialised: the truth the static reading matches."""
    from tools.obs import metrics

    metrics.init_symbol("X")
    return collected(prometheus_client.REGISTRY, prefix="mm_")


def test_mm_static_names_are_the_exposed_sample_names(mm_exposed: Samples) -> None:
    assert MM_STATIC.names() == set(mm_exposed)


def test_mm_static_label_names_are_the_exposed_ones(mm_exposed: Samples) -> None:
    exposed = {(name, frozenset(labels)) for name, sets in mm_exposed.items() for labels in sets}
    assert exposed == {(name, metric_of(MM_STATIC, name).series[name]) for name, _ in exposed}


MM_ENUMERATED = [(m.name, label) for m in MM_STATIC.metrics for label in sorted(m.allowed_values)]


@pytest.mark.parametrize(("family", "label"), MM_ENUMERATED, ids=[f"{f}-{la}" for f, la in MM_ENUMERATED])
def test_mm_allowed_values_are_the_exposed_values(family: str, label: str, mm_exposed: Samples) -> None:
    (metric,) = [m for m in MM_STATIC.metrics if m.name == family]
    assert observed_values(metric, mm_exposed, label) == metric.allowed_values[label]


# --- fixtures that resolve ---------------------------------------------------------------------------------

GOOD_NAMES = [
    pytest.param(
        "imports",
        {"imp_dotted_total", "imp_dotted_created", "imp_aliased_module", "imp_aliased_class_total"}
        | {"imp_aliased_class_created", "imp_imported", "imp_submodule_count", "imp_submodule_sum"}
        | {"imp_submodule_created", "imp_submodule_alias_info"},
        id="imports",
    ),
    pytest.param(
        "arguments",
        {"arg_http_requests_total", "arg_http_requests_created", "arg_temperature_celsius", "arg_disk_bytes"}
        | {"arg_sent_bytes_total", "arg_sent_bytes_created", "arg_errors_total", "arg_errors_created"}
        | {"arg_db_latency_seconds_count", "arg_db_latency_seconds_sum", "arg_db_latency_seconds_created"}
        | {"arg_jobs_total", "arg_jobs_created"},
        id="arguments",
    ),
    pytest.param("enum_info", {"task_state", "worker_state", "build_info"}, id="enum-info"),
    pytest.param("star_import", {"star_total", "star_created"}, id="star-import"),
]


@pytest.mark.parametrize(("fixture", "names"), GOOD_NAMES)
def test_good_fixture_exposes_these_names(fixture: str, names: set[str]) -> None:
    registry, findings = read(FIXTURES / "good" / f"{fixture}.py.txt")
    assert findings == []
    assert registry.names() == names


def test_every_good_fixture_reads_without_findings() -> None:
    paths = sorted((FIXTURES / "good").glob("*.py.txt"))
    assert len(paths) >= 8
    assert {path.name: read(path)[1] for path in paths} == {path.name: [] for path in paths}


GOOD = [
    # labelnames
    pytest.param("labelnames", "lbl_list_total", "labels", ("a", "b"), id="labels-list-literal"),
    pytest.param("labelnames", "lbl_tuple_total", "labels", ("a", "b"), id="labels-tuple-literal"),
    pytest.param("labelnames", "lbl_constant_total", "labels", ("service",), id="labels-constant"),
    pytest.param(
        "labelnames", "lbl_concatenated_total", "labels", ("service", "region"), id="labels-concatenation"
    ),
    pytest.param("labelnames", "lbl_reference_total", "labels", ("service", "region"), id="labels-reference"),
    pytest.param("labelnames", "lbl_starred_total", "labels", ("service", "zone"), id="labels-starred"),
    pytest.param("labelnames", "lbl_annotated_total", "labels", ("a", "b"), id="labels-annotated-constant"),
    # names and arguments
    pytest.param("arguments", "arg_http_requests_total", "labels", ("code",), id="positional-labels"),
    pytest.param("arguments", "arg_temperature_celsius", "help", "All keywords.", id="keyword-help"),
    pytest.param("arguments", "arg_sent_bytes_total", "name", "arg_sent_bytes", id="counter-total-then-unit"),
    pytest.param("arguments", "arg_disk_bytes", "name", "arg_disk_bytes", id="unit-already-present"),
    pytest.param("arguments", "arg_jobs_total", "help", "Jobs, from constants.", id="help-constant"),
    pytest.param("imports", "imp_submodule_alias_info", "type", "info", id="info-type"),
    pytest.param("imports", "imp_dotted_total", "type", "counter", id="counter-type"),
    pytest.param("imports", "imp_submodule_sum", "type", "summary", id="summary-type"),
    # buckets
    pytest.param(
        "buckets",
        "bkt_default_seconds_bucket",
        "buckets",
        (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, math.inf),
        id="buckets-default",
    ),
    pytest.param(
        "buckets", "bkt_literal_seconds_bucket", "buckets", (0.1, 1.0, 2.5, math.inf), id="buckets-list"
    ),
    pytest.param(
        "buckets", "bkt_constant_ms_bucket", "buckets", (5.0, 10.0, 100.0, math.inf), id="buckets-constant"
    ),
    pytest.param("buckets", "bkt_with_inf_bucket", "buckets", (1.0, math.inf), id="buckets-float-inf"),
    pytest.param(
        "buckets", "bkt_positional_bucket", "buckets", (1.0, 2.0, math.inf), id="buckets-positional"
    ),
    pytest.param(
        "buckets",
        "bkt_large_bytes_bucket",
        "allowed_values",
        {"le": {"1e+06", "2.5e+07", "1.23456789e+08", "+Inf"}},
        id="le-go-exponent",
    ),
    pytest.param(
        "buckets",
        "bkt_negative_bucket",
        "series",
        {"bkt_negative_bucket": {"le"}, "bkt_negative_count": set(), "bkt_negative_created": set()},
        id="negative-bound-drops-sum",
    ),
    # label values from loops
    pytest.param(
        "loops", "loop_module_total", "allowed_values", {"reason": {"timeout", "refused"}}, id="loop-module"
    ),
    pytest.param(
        "loops", "loop_function_total", "allowed_values", {"side": {"buy", "sell"}}, id="loop-in-function"
    ),
    pytest.param(
        "loops",
        "loop_nested_total",
        "allowed_values",
        {"reason": {"timeout", "refused"}, "side": {"buy", "sell"}},
        id="loop-nested-positional",
    ),
    pytest.param(
        "loops",
        "loop_destructured_total",
        "allowed_values",
        {"symbol": {"BTCUSDT", "ETHUSDT"}, "market": {"spot", "perp"}},
        id="loop-destructuring",
    ),
    pytest.param(
        "loops", "loop_comprehension_total", "allowed_values", {"side": {"buy", "sell"}}, id="comprehension"
    ),
    pytest.param(
        "loops",
        "loop_dict_total",
        "allowed_values",
        {"name": {"ok", "missing"}, "code": {"200", "404"}},
        id="loop-dict-items",
    ),
    pytest.param("loops", "loop_set_total", "allowed_values", {"group": {"a", "b"}}, id="loop-frozenset"),
    # literal label values
    pytest.param(
        "literal_labels",
        "lit_requests_total",
        "allowed_values",
        {"method": {"GET", "POST"}, "code": {"200", "404", "500"}},
        id="literal-keyword-and-positional",
    ),
    pytest.param(
        "literal_labels",
        "lit_queue",
        "allowed_values",
        {"queue": {"orders", "fills"}},
        id="literal-positional",
    ),
    pytest.param(
        "literal_labels", "lit_child_total", "allowed_values", {"kind": {"only"}}, id="labels-on-constructor"
    ),
    # free labels
    pytest.param(
        "free_labels", "free_param_total", "allowed_values", {"type": {"a", "b"}}, id="parameter-frees-symbol"
    ),
    pytest.param("free_labels", "free_fstring_total", "allowed_values", {}, id="f-string-of-parameter"),
    pytest.param("free_labels", "free_call_total", "allowed_values", {}, id="call"),
    pytest.param("free_labels", "free_escaped_total", "allowed_values", {}, id="metric-passed-away"),
    pytest.param("free_labels", "free_sometimes_total", "allowed_values", {}, id="sometimes-unresolved"),
    pytest.param("free_labels", "free_never_total", "allowed_values", {}, id="never-labelled"),
    pytest.param("free_labels", "free_shadowed_total", "allowed_values", {}, id="parameter-shadows-constant"),
    # enum and info
    pytest.param(
        "enum_info",
        "task_state",
        "allowed_values",
        {"task_state": {"starting", "running", "stopped"}},
        id="enum-states",
    ),
    pytest.param(
        "enum_info",
        "worker_state",
        "series",
        {"worker_state": {"worker", "worker_state"}},
        id="enum-state-label",
    ),
    pytest.param("enum_info", "task_state", "type", "enum", id="enum-type"),
    pytest.param(
        "enum_info",
        "build_info",
        "allowed_values",
        {"version": {"1.2.3"}, "commit": {"abc"}},
        id="info-keys",
    ),
    pytest.param(
        "enum_info", "build_info", "series", {"build_info": {"version", "commit"}}, id="info-series"
    ),
]


@pytest.mark.parametrize(("fixture", "sample", "attribute", "expected"), GOOD)
def test_good_fixture(fixture: str, sample: str, attribute: str, expected: object) -> None:
    registry, _ = read(FIXTURES / "good" / f"{fixture}.py.txt")
    assert getattr(metric_of(registry, sample), attribute) == expected


def test_location_is_the_constructor_call() -> None:
    registry, _ = read(FIXTURES / "good" / "labelnames.py.txt")
    assert (
        metric_of(registry, "lbl_list_total").location.line,
        metric_of(registry, "lbl_list_total").location.column,
    ) == (11, 16)


# --- fixtures that give findings ---------------------------------------------------------------------------

BAD = [
    pytest.param("name_from_call", [(8, 19, UNRESOLVED, "`make_name()`")], id="name-from-call"),
    pytest.param("labelnames_from_call", [(8, 59, UNRESOLVED, "`make_labels()`")], id="labelnames-from-call"),
    pytest.param(
        "labelnames_from_parameter", [(5, 74, UNRESOLVED, "`labels`")], id="labelnames-from-parameter"
    ),
    pytest.param("kwargs", [(4, 67, UNRESOLVED, "`**OPTIONS`")], id="kwargs"),
    pytest.param("star_args", [(4, 16, UNRESOLVED, "`*ARGS`")], id="star-args"),
    pytest.param("syntax_error", [(3, 17, SYNTAX, "")], id="syntax-error"),
    pytest.param("not_utf8", [(1, 6, SYNTAX, "`0xe9`")], id="not-utf8"),
    pytest.param(
        "duplicate_explicit_registry",
        [(5, 18, UNRESOLVED, "`bad_explicit`"), (6, 17, UNRESOLVED, "`bad_explicit`")],
        id="registered-twice-in-the-named-default-registry",
    ),
    pytest.param(
        "duplicate",
        [(4, 23, UNRESOLVED, "`bad_dup`"), (5, 17, UNRESOLVED, "`bad_dup_created`")],
        id="registered-twice",
    ),
    pytest.param("loop_name", [(6, 26, UNRESOLVED, "`name`")], id="dynamic-name-in-loop"),
    pytest.param("comprehension_name", [(4, 17, UNRESOLVED, "`n`")], id="dynamic-name-in-comprehension"),
    pytest.param(
        "rejected",
        [
            # At the argument to blame: the label names, the unit, the buckets, the name.
            (3, 70, UNRESOLVED, "`le`"),
            (4, 84, UNRESOLVED, "`quantile`"),
            (5, 66, UNRESOLVED, "`__name`"),
            (6, 63, UNRESOLVED, "`bad_info_seconds`"),
            (7, 71, UNRESOLVED, "`bad_unsorted`"),
            (8, 64, UNRESOLVED, "`bad_one_bucket`"),
            (9, 13, UNRESOLVED, "`bad_no_states`"),
            (10, 24, UNRESOLVED, "`bad-name`"),
            (11, 22, UNRESOLVED, "`Counter`"),
        ],
        id="rejected-by-prometheus-client",
    ),
    pytest.param(
        "partly_resolved",
        [(12, 38, UNRESOLVED, "`describe()`"), (12, 66, UNRESOLVED, "`bounds()`")],
        id="help-and-buckets-from-calls",
    ),
    pytest.param("unicode_column", [(3, 26, UNRESOLVED, "`Ünïcode`")], id="column-in-characters"),
]


@pytest.mark.parametrize(("fixture", "expected"), BAD)
def test_bad_fixture(fixture: str, expected: list[tuple[int, int, str, str]]) -> None:
    _, findings = read(FIXTURES / "bad" / f"{fixture}.py.txt")
    assert [(f.location.line, f.location.column, check) for check, f in findings] == [e[:3] for e in expected]
    for (_, finding), (*_, culprit) in zip(findings, expected, strict=True):
        assert culprit in finding.message


def test_every_bad_fixture_is_in_the_table() -> None:
    tabled = {param.values[0] for param in BAD}
    assert {path.name.removesuffix(".py.txt") for path in (FIXTURES / "bad").glob("*.py.txt")} == tabled


def test_unresolved_help_and_buckets_keep_the_metric() -> None:
    registry, _ = read(FIXTURES / "bad" / "partly_resolved.py.txt")
    metric = metric_of(registry, "bad_kept_seconds_bucket")
    assert (metric.help, metric.buckets, dict(metric.allowed_values)) == ("", None, {})


def test_a_metric_registered_twice_keeps_the_first() -> None:
    registry, _ = read(FIXTURES / "bad" / "duplicate.py.txt")
    assert [(m.name, m.location.line) for m in registry.metrics] == [("bad_dup", 3), ("bad_dup", 6)]


def test_labelnames_message_names_metric_and_culprit() -> None:
    _, [(_, finding)] = read(FIXTURES / "bad" / "labelnames_from_call.py.txt")
    assert finding.message == (
        "cannot resolve the label names of `mm_foo`: `make_labels()` is not a literal or module constant"
    )


# --- generated inputs: bounds ------------------------------------------------------------------------------

CHAIN = "".join(f"A{i} = A{i - 1}\n" for i in range(1, 150))
GENERATED = [
    pytest.param(b"#" * (MAX_BYTES + 1), (1, UNRESOLVED), id="over-5-MB"),
    pytest.param(b"x = " + b"(" * 300 + b"1" + b")" * 300, (1, SYNTAX), id="nested-parentheses"),
    pytest.param(b"x = " + b"-" * 100_000 + b"1", (1, SYNTAX), id="nested-unary-minus"),
    pytest.param(b"x = " + b"+".join([b"(1,)"] * 100_000), (1, SYNTAX), id="long-addition"),
    pytest.param(b"x = 1\ny = 2\0\n", (2, SYNTAX), id="nul-byte"),
    pytest.param(
        f'from prometheus_client import Counter\nA0 = ("a",)\n{CHAIN}C = Counter("c", "d", A149)\n'.encode(),
        (152, UNRESOLVED),
        id="constant-chain-deeper-than-the-bound",
    ),
]


@pytest.mark.parametrize(("source", "expected"), GENERATED)
def test_pathological_input_gives_one_finding(source: bytes, expected: tuple[int, str]) -> None:
    registry, findings = read_registry(source, "generated.py")
    assert registry.metrics == ()
    assert [(f.location.line, check) for check, f in findings] == [expected]


def test_long_concatenation_of_constants_resolves() -> None:
    labels = " + ".join(f'("l{i}",)' for i in range(500))
    source = f'from prometheus_client import Gauge\nL = {labels}\nG = Gauge("g", "d", L)\n'
    registry, findings = read_registry(source.encode(), "generated.py")
    assert findings == []
    assert metric_of(registry, "g").labels == tuple(f"l{i}" for i in range(500))


def test_byte_order_mark_is_not_a_column() -> None:
    source = b'\xef\xbb\xbffrom prometheus_client import Gauge\nG = Gauge("g", "d")\n'
    registry, findings = read_registry(source, "generated.py")
    assert findings == []
    assert (metric_of(registry, "g").location.line, metric_of(registry, "g").location.column) == (2, 5)


@pytest.mark.parametrize(
    ("bound", "text"),
    [
        (0.005, "0.005"),
        (1.0, "1.0"),
        (999999.0, "999999.0"),
        (1e6, "1e+06"),
        (2.5e7, "2.5e+07"),
        (1e16, "1e+16"),
    ],
)
def test_format_bound_matches_prometheus_client(bound: float, text: str) -> None:
    from prometheus_client.utils import floatToGoString

    go_string: Callable[[float], str] = floatToGoString
    assert format_bound(bound) == text == go_string(bound)


MANGLES = (b"", b"(", b")]", b"\xff", b"\0", b"\nfor x in y:\n", b"**kw", b"'", b"\n  ", b"Counter(")


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.data())
def test_mangled_registry_gives_findings_not_exceptions(data: st.DataObject) -> None:
    text = METRICS_PY.read_bytes()
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 300)))
    insert = data.draw(st.sampled_from(MANGLES))
    _, findings = read_registry(text[:start] + insert + text[end:], "mangled.py")
    assert {check for check, _ in findings} <= {SYNTAX, UNRESOLVED}
    assert all(f.location.line >= 1 and f.location.column >= 1 for _, f in findings)


# --- generated registries, exec'd for the truth ------------------------------------------------------------

CLASSES = {"counter": "Counter", "gauge": "Gauge", "histogram": "Histogram", "summary": "Summary"}
CLASSES |= {"info": "Info", "enum": "Enum"}
CALLEES = ("{cls}", "prometheus_client.{cls}", "pc.{cls}", "Aliased{cls}")
HEADER = [
    "import prometheus_client",
    "import prometheus_client as pc",
    f"from prometheus_client import {', '.join(CLASSES.values())}",
    *(f"from prometheus_client import {cls} as Aliased{cls}" for cls in CLASSES.values()),
]
BOUNDS = (-1.0, 0.0, 0.005, 0.1, 1.0, 2.5, 100.0, 1e6, 2.5e7, 123456789.0, 1e16, math.inf)


@dataclass(frozen=True)
class Spec:
    """One generated metric: its constructor arguments and the label values the module loops over."""

    kind: str
    name: str
    namespace: str
    subsystem: str
    unit: str
    labels: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]
    buckets: tuple[float, ...] | None
    states: tuple[str, ...]
    callee: str
    positional: bool


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    kind = draw(st.sampled_from(sorted(CLASSES)))
    label = st.sampled_from(("a", "b", "op", "symbol", "region", "le", "quantile"))
    labels = tuple(draw(st.lists(label, unique=True, max_size=3)))
    bounds = st.lists(st.sampled_from(BOUNDS), max_size=4, unique=True)
    value = st.sampled_from(("x", "y", "zz", "200"))
    return Spec(
        kind=kind,
        name=draw(st.sampled_from(("req", "jobs_total", "queue_depth", "lag_seconds", "io", "cpu_total"))),
        namespace=draw(st.sampled_from(("", "", "app"))),
        subsystem=draw(st.sampled_from(("", "", "db"))),
        # prometheus_client refuses a unit on an info or an enum: rarely tried, or refusals would dominate.
        unit=draw(
            st.sampled_from(
                ("", "", "", "seconds", "total") if kind not in ("info", "enum") else ("",) * 5 + ("seconds",)
            )
        ),
        labels=labels,
        values=tuple(tuple(draw(st.lists(value, min_size=1, max_size=3, unique=True))) for _ in labels),
        # Mostly sorted, as prometheus_client wants them; sometimes not, or too few, which it refuses.
        buckets=draw(st.none() | bounds.map(sorted).map(tuple) | bounds.map(tuple)),
        states=tuple(draw(st.lists(st.sampled_from(("up", "down", "idle")), min_size=1, unique=True))),
        callee=draw(st.sampled_from(CALLEES)).format(cls=CLASSES[kind]),
        positional=draw(st.booleans()),
    )


def render(metrics: list[Spec]) -> str:
    lines = list(HEADER)
    for i, spec in enumerate(metrics):
        lines += [f"M{i}_VALUES_{j} = {values!r}" for j, values in enumerate(spec.values)]
        args = [repr(spec.name), '"Generated."']
        args += [repr(spec.labels)] if spec.positional else [f"labelnames={list(spec.labels)!r}"]
        args += [
            f"{key}={getattr(spec, key)!r}"
            for key in ("namespace", "subsystem", "unit")
            if getattr(spec, key)
        ]
        if spec.kind == "histogram" and spec.buckets is not None:
            bounds = ", ".join('float("inf")' if math.isinf(b) else repr(b) for b in spec.buckets)
            args.append(f"buckets=[{bounds}]")
        if spec.kind == "enum":
            args.append(f"states={list(spec.states)!r}")
        lines.append(f"M{i} = {spec.callee}({', '.join(args)}, registry=registry)")
        indent = ""
        for j in range(len(spec.labels)):
            lines.append(f"{indent}for v{j} in M{i}_VALUES_{j}:")
            indent += "    "
        values = [f"v{j}" for j in range(len(spec.labels))]
        call = ""
        if spec.labels:
            named = [f"{label}={v}" for label, v in zip(spec.labels, values, strict=True)]
            call = f".labels({', '.join(values if spec.positional else named)})"
        if spec.kind == "info":
            call += '.info({"version": "1"})'
        if call:
            lines.append(f"{indent}M{i}{call}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(specs(), min_size=1, max_size=3))
def test_generated_registry_reads_as_prometheus_client_exposes_it(metrics: list[Spec]) -> None:
    source = render(metrics)
    static, findings = read_registry(source.encode(), "generated.py")
    truth = CollectorRegistry()
    try:
        exec(compile(source, "generated.py", "exec"), {"registry": truth})
    except ValueError:
        assert findings, f"prometheus_client refuses this registry, the reader does not:\n{source}"
        assert {check for check, _ in findings} == {UNRESOLVED}
        return
    assert findings == [], source
    exposed = collected(truth)
    assert static.names() == set(exposed), source
    for name, label_sets in exposed.items():
        assert {frozenset(labels) for labels in label_sets} == {metric_of(static, name).series[name]}, source
    for metric in static.metrics:
        for label, allowed in metric.allowed_values.items():
            assert observed_values(metric, exposed, label) == allowed, source

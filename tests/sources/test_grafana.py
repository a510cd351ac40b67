"""mmlint.sources.grafana: dashboard walk, Grafana variable substitution with source offsets, and the
real-world corpus (every expression must parse once substituted)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import promql_parser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlint.sources.grafana import (
    Issue,
    Substituted,
    Variable,
    VariableQuery,
    iter_panels,
    iter_targets,
    iter_variable_queries,
    pin_repeat,
    promql_in_variable_query,
    read_variables,
    select,
    substitute,
)

FIXTURES = Path(__file__).parent / "fixtures" / "grafana"
ROOT = Path(__file__).parents[2]
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dashboards"
# Grafana's reference regex, restated here so the offset check does not trust the module under test.
REFERENCE = re.compile(r"\$\w+|\[\[\w+?(?::\w+)?\]\]|\$\{\w+(?:\.[^:^}]+)?(?::[^}]+)?\}", re.ASCII)


def variable(name: str, kind: str = "custom", **entry: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, **entry}


def read(*entries: dict[str, Any]) -> dict[str, Variable]:
    variables, issues = read_variables({"templating": {"list": list(entries)}})
    assert issues == []
    return variables


def load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return loaded


def assert_maps_back(raw: str, result: Substituted) -> None:
    """Every kept character maps to the identical raw character; every substituted one to the `$` or `[`
    starting its reference; every raw character outside a substituted reference is kept, in order."""
    offsets = result.source_offsets
    assert len(offsets) == len(result.text) + 1 and offsets[-1] == len(raw)
    if result.text == raw:
        assert offsets == tuple(range(len(raw) + 1))
    assert list(offsets) == sorted(offsets)
    starts = {match.start(): match.end() for match in REFERENCE.finditer(raw)}
    substituted: set[int] = set()
    for char, offset in zip(result.text, offsets, strict=False):
        if char != raw[offset] or (offset in starts and offsets.count(offset) != 1):
            assert offset in starts and raw[offset] in "$[", (char, offset)
            substituted.add(offset)
    hidden = {i for start in substituted for i in range(start, starts[start])}
    substituted |= {start for start in starts if start not in offsets}  # expanded to nothing
    hidden |= {i for start in substituted for i in range(start, starts[start])}
    assert set(range(len(raw))) - hidden <= set(offsets)


# --- syntax and built-ins --------------------------------------------------------------------------------

SERVERS = variable(
    "servers",
    multi=True,
    query="test1.,test2",
    current={"text": ["test1.", "test2"], "value": ["test1.", "test2"]},
)
JOB = variable("job", query="api,web")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param('up{job="$job"}', 'up{job="api"}', id="dollar"),
        pytest.param('up{job="${job}"}', 'up{job="api"}', id="braces"),
        pytest.param('up{job="${job:csv}"}', 'up{job="api"}', id="braces-format"),
        pytest.param('up{job="[[job]]"}', 'up{job="api"}', id="brackets"),
        pytest.param('up{job="[[job:pipe]]"}', 'up{job="api"}', id="brackets-format"),
        pytest.param('up{job="${job.anything}"}', 'up{job="api"}', id="field-path-ignored"),
        pytest.param("$job$job", "apiapi", id="adjacent"),
        pytest.param("rate(x[$__rate_interval])", "rate(x[1m])", id="rate-interval"),
        pytest.param("rate(x[$__interval])", "rate(x[30s])", id="interval"),
        pytest.param("x > $__interval_ms", "x > 30000", id="interval-ms"),
        pytest.param("x > $__rate_interval_ms", "x > 60000", id="rate-interval-ms"),
        pytest.param("increase(x[$__range])", "increase(x[21600s])", id="range"),
        pytest.param("x / $__range_s", "x / 21600", id="range-s"),
        pytest.param("x / $__range_ms", "x / 21600000", id="range-ms"),
        pytest.param("rate(x[$__auto])", "rate(x[30s])", id="auto"),
        pytest.param("rate(x[$__auto_interval_step])", "rate(x[30s])", id="auto-interval"),
        pytest.param("x > ${__from}", "x > 1704067200000", id="from"),
        pytest.param("x > $__to", "x > 1704088800000", id="to"),
        pytest.param('"${__from:date}"', '"2024-01-01T00:00:00.000Z"', id="from-date"),
        pytest.param('"${__from:date:iso}"', '"2024-01-01T00:00:00.000Z"', id="from-date-iso"),
        pytest.param("x > ${__to:date:seconds}", "x > 1704088800", id="to-date-seconds"),
        pytest.param("x > ${__to:date:ms}", "x > 1704088800000", id="to-date-ms"),
        pytest.param('"${__to:date:YYYY-MM-DD HH:mm}"', '"2024-01-01 06:00"', id="to-date-pattern"),
        pytest.param(
            '{d="$__dashboard",u="${__dashboard.uid}"}', '{d="dashboard",u="dashboard-uid"}', id="dash"
        ),
        pytest.param('{l="${__user.login}",o="${__org.name}"}', '{l="user",o="org"}', id="user-org"),
        pytest.param('up{job=~"$__searchFilter"}', 'up{job=~".*"}', id="search-filter"),
    ],
)
def test_syntax_forms_and_builtins(raw: str, expected: str) -> None:
    result, issues = substitute(raw, read(JOB))
    assert (result.text, issues) == (expected, [])
    assert_maps_back(raw, result)


# --- formats ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # The examples of Grafana's variable-syntax documentation: servers = ["test1.", "test2"].
        pytest.param("${servers:csv}", "test1.,test2", id="csv"),
        pytest.param("${servers:distributed}", "test1.,servers=test2", id="distributed"),
        pytest.param("${servers:doublequote}", '"test1.","test2"', id="doublequote"),
        pytest.param("${servers:glob}", "{test1.,test2}", id="glob"),
        pytest.param("${servers:html}", "test1., test2", id="html"),
        pytest.param("${servers:join:-}", "test1.-test2", id="join"),
        pytest.param("${servers:json}", '["test1.","test2"]', id="json"),
        pytest.param("${servers:lucene}", '("test1." OR "test2")', id="lucene"),
        pytest.param("${servers:percentencode}", "%7Btest1.%2Ctest2%7D", id="percentencode"),
        pytest.param("${servers:pipe}", "test1.|test2", id="pipe"),
        pytest.param("${servers:queryparam}", "var-servers=test1.&var-servers=test2", id="queryparam"),
        pytest.param("${servers:raw}", "test1.,test2", id="raw"),
        pytest.param("${servers:regex}", "(test1\\.|test2)", id="regex"),
        pytest.param("${servers:singlequote}", "'test1.','test2'", id="singlequote"),
        pytest.param("${servers:sqlstring}", "'test1.','test2'", id="sqlstring"),
        pytest.param("${servers:text}", "test1. + test2", id="text"),
        pytest.param("[[servers:csv]]", "test1.,test2", id="brackets-csv"),
        # No format in a PromQL query: the Prometheus data source's regex alternation, escaped for a string.
        pytest.param("$servers", "(test1\\\\.|test2)", id="promql-default"),
    ],
)
def test_formats_of_a_multi_value_variable(raw: str, expected: str) -> None:
    result, issues = substitute(raw, read(SERVERS))
    assert (result.text, issues) == (expected, [])
    assert_maps_back(raw, result)


@pytest.mark.parametrize(
    ("entry", "raw", "expected"),
    [
        pytest.param(
            variable("v", query="a\\b'c"), "$v", "a\\\\b\\\\'c", id="single-escapes-backslash-quote"
        ),
        pytest.param(variable("v", query="a.b"), "$v", "a.b", id="single-no-regex-escape"),
        pytest.param(variable("v", query="a.b", includeAll=True), "$v", "a\\\\.b", id="include-all-escapes"),
        pytest.param(variable("v", query="a.b", multi=True), "$v", "a\\\\.b", id="multi-one-value"),
        pytest.param(
            variable("v", query="x", multi=True, current={"value": ["a+b", "c\\d"]}),
            "$v",
            "(a\\\\+b|c\\\\\\\\d)",
            id="multi-escapes-each",
        ),
        pytest.param(variable("v", query="a.b", multi=True), "${v:regex}", "a\\.b", id="regex-one-value"),
        pytest.param(variable("v", query="it's"), "${v:singlequote}", "'it\\'s'", id="singlequote-escape"),
        pytest.param(
            variable("v", query='say "hi"'), "${v:doublequote}", '"say \\"hi\\""', id="doublequote-esc"
        ),
        pytest.param(variable("v", query="it's"), "${v:sqlstring}", "'it''s'", id="sqlstring-escape"),
        pytest.param(variable("v", query="a b:c"), "${v:lucene}", "a\\ b\\:c", id="lucene-escape"),
        pytest.param(variable("v", query="12.5"), "${v:lucene}", "12.5", id="lucene-number"),
        pytest.param(variable("v", query="a/b c"), "${v:percentencode}", "a%2Fb%20c", id="percentencode-one"),
        pytest.param(variable("v", query="a/b"), "${v:json}", "a/b", id="json-string-unquoted"),
        pytest.param(variable("v", query="x", multi=True), "${v:json}", '["x"]', id="json-one-value-list"),
        pytest.param(variable("v", query="1704067200000"), "${v:date:seconds}", "1704067200", id="date"),
        pytest.param(variable("v", query="a,b", multi=True), "${v:glob}", "a", id="glob-one-value"),
    ],
)
def test_escaping_per_format(entry: dict[str, Any], raw: str, expected: str) -> None:
    result, issues = substitute(raw, read(entry))
    assert (result.text, issues) == (expected, [])
    assert_maps_back(raw, result)


def test_text_context_defaults_to_glob() -> None:
    result, _ = substitute("Servers $servers", read(SERVERS), context="text")
    assert result.text == "Servers {test1.,test2}"


def test_unknown_format_falls_back_to_glob_with_an_issue() -> None:
    result, issues = substitute("${servers:nosuch}", read(SERVERS), path=("panels", 0))
    assert result.text == "{test1.,test2}"
    assert [(i.path, i.offset) for i in issues] == [(("panels", 0), 0)]


# --- All --------------------------------------------------------------------------------------------------

ALL = {"text": "All", "value": ["$__all"]}


@pytest.mark.parametrize(
    ("entry", "raw", "expected"),
    [
        pytest.param(
            variable("v", query="a,b", includeAll=True, allValue=".*", current=ALL),
            "$v",
            ".*",
            id="all-value",
        ),
        pytest.param(
            variable("v", query="a,b", includeAll=True, allValue=".*", current=ALL),
            "${v:csv}",
            ".*",
            id="all-csv",
        ),
        pytest.param(
            variable("v", query="a,b", includeAll=True, allValue=".*", current=ALL),
            "${v:text}",
            "All",
            id="all-text",
        ),
        pytest.param(
            variable("v", query="a,b", includeAll=True, allValue=".*", current=ALL),
            "${v:percentencode}",
            ".%2A",
            id="all-percentencode",
        ),
        pytest.param(
            variable("v", query="a.b,c", includeAll=True, current=ALL), "$v", "(a\\\\.b|c)", id="joined"
        ),
        pytest.param(
            variable("v", query="a.b,c", includeAll=True, current=ALL), "${v:csv}", "a.b,c", id="joined-csv"
        ),
        pytest.param(
            variable("v", query="a.b,c", includeAll=True, multi=True, current={"value": "$__all"}),
            "${v:pipe}",
            "a.b|c",
            id="all-as-string",
        ),
        pytest.param(
            variable("v", "query", includeAll=True, allValue=".+"), "$v", ".+", id="no-current-all-value"
        ),
        pytest.param(variable("v", "query", includeAll=True), "$v", "v", id="no-options-stand-in"),
    ],
)
def test_all(entry: dict[str, Any], raw: str, expected: str) -> None:
    result, issues = substitute(raw, read(entry))
    assert (result.text, issues) == (expected, [])
    assert_maps_back(raw, result)


def test_custom_all_value_is_itself_substituted() -> None:
    other = variable("other", query="o")
    entry = variable("v", query="a", includeAll=True, allValue="$other|x", current=ALL)
    result, issues = substitute('up{a=~"$v"}', read(other, entry))
    assert (result.text, issues) == ('up{a=~"o|x"}', [])
    assert_maps_back('up{a=~"$v"}', result)


# --- variable types and the value chosen ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "raw", "expected"),
    [
        pytest.param(variable("v", query="a, b"), "$v", "a", id="custom-first-option"),
        pytest.param(variable("v", query="a,b", current={"value": "b"}), "$v", "b", id="custom-current"),
        pytest.param(variable("v", query="A : 1,B : 2"), "$v", "1", id="custom-key-value"),
        pytest.param(variable("v", query="A : 1,B : 2"), "${v:text}", "A", id="custom-key-value-text"),
        pytest.param(variable("v", query="x\\,y,z"), "$v", "x,y", id="custom-escaped-comma"),
        pytest.param(
            variable("v", query="a", current={"text": "", "value": ""}), "$v", "a", id="empty-current"
        ),
        pytest.param(variable("v", "interval", query="1m,5m"), "[$v]", "[1m]", id="interval-first"),
        pytest.param(
            variable("v", "interval", query="1m,5m", auto=True), "[$v]", "[30s]", id="interval-auto"
        ),
        pytest.param(
            variable(
                "v",
                "interval",
                query="1m,5m",
                auto=True,
                current={"text": "auto", "value": "$__auto_interval_v"},
            ),
            "[$v]",
            "[30s]",
            id="interval-auto-current",
        ),
        pytest.param(
            variable("v", "interval", query="1m,5m", current={"value": "5m"}),
            "[$v]",
            "[5m]",
            id="interval-current",
        ),
        pytest.param(
            variable("v", "constant", query="c1", current={"value": "old"}), "$v", "c1", id="constant"
        ),
        pytest.param(
            variable("v", "textbox", query="dflt", current={"value": "typed"}), "$v", "typed", id="textbox"
        ),
        pytest.param(variable("v", "textbox", query="dflt"), "$v", "dflt", id="textbox-default"),
        pytest.param(
            variable("v", "datasource", query="prometheus", current={"value": "P1"}), "$v", "P1", id="ds"
        ),
        pytest.param(
            variable("v", "query", options=[{"text": "All", "value": "$__all"}, {"text": "X", "value": "x"}]),
            "$v",
            "x",
            id="query-saved-options",
        ),
        pytest.param(variable("v", "query", query="label_values(up, job)"), "$v", "v", id="query-stand-in"),
    ],
)
def test_variable_types(entry: dict[str, Any], raw: str, expected: str) -> None:
    result, issues = substitute(raw, read(entry))
    assert (result.text, issues) == (expected, [])
    assert_maps_back(raw, result)


def test_adhoc_expands_to_nothing_with_an_issue() -> None:
    raw = "up{$filters}"
    result, issues = substitute(raw, read(variable("filters", "adhoc")))
    assert result.text == "up{}"
    assert [i.offset for i in issues] == [3]
    assert_maps_back(raw, result)


def test_read_variables_model() -> None:
    variables = read(
        variable("v", query="A : 1,B : 2", multi=True, includeAll=True, allValue=".*"),
        variable("i", "interval", query="1m,'5m'", auto=True),
    )
    assert variables["v"] == Variable(
        name="v",
        type="custom",
        values=("1", "2"),
        include_all=True,
        all_value=".*",
        multi=True,
        path=("templating", "list", 0),
        texts=("A", "B"),
    )
    assert variables["i"].values == ("$__auto_interval_i", "1m", "5m")
    assert select(variables["i"]).values == ("$__auto_interval_i",)


# --- unknown references -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "offsets"),
    [
        pytest.param('label_replace(up, "dst", "$1", "src", "(.*)")', [], id="regex-group"),
        pytest.param('label_replace(up, "dst", "${1}-$2", "src", "(.*)-(.*)")', [], id="regex-groups-braced"),
        pytest.param('label_replace(up, "dst", "$host", "src", "(?P<host>.*)")', [], id="named-group"),
        pytest.param('up{job=~".*$"}', [], id="regex-anchor"),
        pytest.param('up{job="$jbo"}', [8], id="typo"),
        pytest.param('up{job="$job_name"}', [8], id="greedy-name"),
        pytest.param("up and $__timeFilter(ts)", [7], id="sql-macro"),
        pytest.param('up{a="[[nope]]", b="${nope:csv}"}', [6, 20], id="other-forms"),
    ],
)
def test_unknown_references_are_left_as_is(raw: str, offsets: list[int]) -> None:
    result, issues = substitute(raw, read(JOB), path=("p",))
    assert result.text == raw
    assert [(i.path, i.offset) for i in issues] == [(("p",), offset) for offset in offsets]
    assert_maps_back(raw, result)


# --- panels and targets -----------------------------------------------------------------------------------


def test_modern_rows_collapsed_rows_repeat_and_library_panels() -> None:
    issues: list[Issue] = []
    panels = [
        (p.path, p.id, p.title, p.row_title, p.repeated_by)
        for p in iter_panels(load("modern_rows.json"), issues=issues)
    ]
    assert panels == [
        (("panels", 0), 1, "Top", None, None),
        (("panels", 2), 3, "In expanded", "Expanded", None),
        (("panels", 3), 4, "Per $instance", "Expanded", "instance"),
        (("panels", 5, "panels", 0), 7, "In collapsed", "Collapsed", "instance"),
        (("panels", 5, "panels", 1), 8, "Notes", "Collapsed", "instance"),
        (("panels", 5, "panels", 2), 9, "Shared", "Collapsed", "instance"),
        (("panels", 7), 10, "Logs", "Other", None),
        (("panels", 8), 11, "Built-in", "Other", None),
        (("panels", 9), 12, "Annotations only", "Other", None),
        (("panels", 10), 13, "Query key", "Other", None),
    ]
    assert [i.path for i in issues] == [("panels", 5, "panels", 3)]


def test_only_prometheus_targets_are_yielded() -> None:
    targets = [(t.path, t.ref_id, t.expr_key, t.expr) for t in iter_targets(load("modern_rows.json"))]
    assert targets == [
        (("panels", 0, "targets", 0), "A", "expr", "up"),
        (("panels", 2, "targets", 0), "B", "expr", "rate(x[$__rate_interval])"),
        (("panels", 2, "targets", 1), "A", "expr", "y"),
        (("panels", 3, "targets", 0), "A", "expr", 'up{instance=~"$instance"}'),
        (("panels", 5, "panels", 0, "targets", 0), "A", "expr", "sum(up)"),
        (("panels", 5, "panels", 0, "targets", 2), "C", "expr", "count(up)"),
        (("panels", 5, "panels", 0, "targets", 5), "F", "expr", "max(up)"),
        (("panels", 10, "targets", 0), "A", "query", "up == 1"),
    ]


def test_legacy_rows() -> None:
    dashboard = load("legacy_rows.json")
    issues: list[Issue] = []
    targets = [
        (t.path, t.ref_id, t.panel.title, t.panel.row_title, t.panel.repeated_by)
        for t in iter_targets(dashboard, issues=issues)
    ]
    assert targets == [
        (("rows", 0, "panels", 0, "targets", 0), "A", "A", "First", None),
        (("rows", 0, "panels", 1, "targets", 0), "A", "B", "First", None),
        (("rows", 0, "panels", 1, "targets", 1), "B", "B", "First", None),
        (("rows", 1, "panels", 1, "targets", 0), "A", "D", "Per job", "job"),
    ]
    assert [i.path for i in issues] == [("rows", 2)]


@pytest.mark.parametrize(
    ("fixture", "index", "pinned", "unpinned"),
    [
        pytest.param(
            "modern_rows.json",
            3,
            'up{instance=~"b\\\\.example:9100"}',
            'up{instance=~"(b\\\\.example:9100|a\\\\.example:9100)"}',
            id="panel-repeat",
        ),
        pytest.param("legacy_rows.json", 3, 'up{job=~"web"}', 'up{job=~"web"}', id="row-repeat"),
    ],
)
def test_a_repeated_panel_takes_the_first_value(fixture: str, index: int, pinned: str, unpinned: str) -> None:
    dashboard = load(fixture)
    variables, _ = read_variables(dashboard)
    target = list(iter_targets(dashboard))[index]
    assert target.panel.repeated_by is not None
    assert substitute(target.expr, pin_repeat(variables, target.panel.repeated_by))[0].text == pinned
    assert substitute(target.expr, variables)[0].text == unpinned


@pytest.mark.parametrize(
    ("dashboard", "paths"),
    [
        pytest.param([], [()], id="not-an-object"),
        pytest.param({"panels": {}}, [("panels",)], id="panels-not-a-list"),
        pytest.param({"rows": "x"}, [("rows",)], id="rows-not-a-list"),
        pytest.param({"panels": [{"targets": 3}]}, [("panels", 0, "targets")], id="targets-not-a-list"),
        pytest.param(
            {"panels": [{"targets": [None]}]}, [("panels", 0, "targets", 0)], id="target-not-object"
        ),
        pytest.param(
            {"panels": [{"targets": [{"expr": 5}]}]}, [("panels", 0, "targets", 0, "expr")], id="expr"
        ),
        pytest.param({"panels": [{"type": "row", "panels": 1}]}, [("panels", 0, "panels")], id="row-panels"),
        pytest.param({"rows": [{"panels": [[]]}]}, [("rows", 0, "panels", 0)], id="legacy-panel"),
    ],
)
def test_malformed_dashboards_give_issues(dashboard: Any, paths: list[tuple[str | int, ...]]) -> None:
    issues: list[Issue] = []
    assert list(iter_targets(dashboard, issues=issues)) == []
    assert [i.path for i in issues] == paths


# --- templating -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("templating", "paths"),
    [
        pytest.param("nope", [("templating",)], id="not-an-object"),
        pytest.param({"list": {}}, [("templating", "list")], id="list-not-a-list"),
        pytest.param({"list": [3]}, [("templating", "list", 0)], id="entry-not-an-object"),
        pytest.param({"list": [{"type": "query"}]}, [("templating", "list", 0)], id="no-name"),
        pytest.param(
            {"list": [{"name": "a", "type": "weird"}]}, [("templating", "list", 0)], id="unknown-type"
        ),
        pytest.param(
            {"list": [{"name": "a-b", "type": "custom"}]}, [("templating", "list", 0)], id="bad-name"
        ),
        pytest.param({"list": [variable("a"), variable("a")]}, [("templating", "list", 1)], id="duplicate"),
        pytest.param({"list": [variable("a", query=5)]}, [("templating", "list", 0, "query")], id="query"),
        pytest.param(
            {"list": [variable("a", current=1)]}, [("templating", "list", 0, "current")], id="current"
        ),
        pytest.param(
            {"list": [variable("a", current={"value": 1})]},
            [("templating", "list", 0, "current", "value")],
            id="current-value",
        ),
        pytest.param(
            {"list": [variable("a", "query", options="x")]},
            [("templating", "list", 0, "options")],
            id="options",
        ),
    ],
)
def test_malformed_templating_gives_issues(templating: Any, paths: list[tuple[str | int, ...]]) -> None:
    _, issues = read_variables({"templating": templating})
    assert [i.path for i in issues] == paths


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param('label_values(up{job="x"}, instance)', (13, 'up{job="x"}'), id="label-values"),
        pytest.param('label_values(up{a=~"x,y"},  job)  ', (13, 'up{a=~"x,y"}'), id="comma-in-selector"),
        pytest.param("label_values(up, $label)", (13, "up"), id="variable-label"),
        pytest.param("label_values(instance)", None, id="label-only"),
        pytest.param("query_result(topk(5, up))", (13, "topk(5, up)"), id="query-result"),
        pytest.param("label_names()", None, id="label-names"),
        pytest.param("label_names(node_.*)", None, id="label-names-match"),
        pytest.param("metrics(node_.*)", None, id="metrics"),
        pytest.param('up{job="x"}', (0, 'up{job="x"}'), id="series-selector"),
        pytest.param("  ", None, id="blank"),
    ],
)
def test_promql_in_variable_query(query: str, expected: tuple[int, str] | None) -> None:
    assert promql_in_variable_query(query) == expected


def test_iter_variable_queries() -> None:
    dashboard = {
        "__inputs": [{"name": "DS_L", "type": "datasource", "pluginId": "loki"}],
        "templating": {
            "list": [
                variable("a", "query", query="label_values(up, job)"),
                variable("b", "query", query={"query": "query_result(sum(up))", "refId": "B"}),
                variable("c", "query", query="label_values(job)"),
                variable("d", "query", datasource="${DS_L}", query='label_values({app=~".+"}, app)'),
                variable("e", "custom", query="up"),
                variable("f", "query", datasource={"type": "prometheus", "uid": "x"}, query="up"),
                "junk",
            ]
        },
    }
    assert list(iter_variable_queries(dashboard)) == [
        VariableQuery("a", ("templating", "list", 0), "query", 13, "up"),
        VariableQuery("b", ("templating", "list", 1, "query"), "query", 13, "sum(up)"),
        VariableQuery("f", ("templating", "list", 5), "query", 0, "up"),
    ]


DASHBOARD_KEYS = [
    "panels", "rows", "targets", "type", "expr", "refId", "datasource", "templating", "list", "name", "query",
    "current", "value", "text", "options", "includeAll", "allValue", "multi", "repeat", "uid",
]  # fmt: skip
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.sampled_from(["row", "$__all", "$v"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(DASHBOARD_KEYS), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_never_raises_on_malformed_input(dashboard: Any) -> None:
    variables, _ = read_variables(dashboard) if isinstance(dashboard, Mapping) else ({}, [])
    for target in iter_targets(dashboard, issues=[]):
        substitute(target.expr, pin_repeat(variables, target.panel.repeated_by))
    list(iter_variable_queries(dashboard))


# --- real dashboards --------------------------------------------------------------------------------------

# Counted by this very extraction over the 50 dashboards (33 kube-prometheus, 8 rfmoz, 9 thanos): every
# non-empty `expr` of a Prometheus target, and the PromQL of every Prometheus query variable. A cross-check
# with a plain walk of every `targets[*].expr` finds the same 2134 targets; the 6 targets left out have no
# query at all. Update only when the extraction is meant to change.
CORPUS_DASHBOARDS = 50
CORPUS_TARGETS = 2134
CORPUS_VARIABLE_QUERIES = 102
# Expressions that fail to parse because the dashboard itself is wrong, by "file:path", with the reason.
KNOWN_BAD: dict[str, str] = {}


def parse_all(dashboard: Mapping[str, Any], where: str) -> tuple[int, int, dict[str, str], list[Issue]]:
    variables, issues = read_variables(dashboard)
    failures: dict[str, str] = {}
    targets = queries = 0

    def parse(raw: str, scoped: Mapping[str, Variable], path: tuple[str | int, ...]) -> None:
        result, found = substitute(raw, scoped, path=path)
        issues.extend(found)
        assert_maps_back(raw, result)
        try:
            promql_parser.parse(result.text)
        except ValueError as error:
            failures[f"{where}:{'/'.join(map(str, path))}"] = f"{result.text!r}: {error}"

    for target in iter_targets(dashboard, issues=issues):
        parse(target.expr, pin_repeat(variables, target.panel.repeated_by), target.path)
        targets += 1
    for query in iter_variable_queries(dashboard):
        node: Any = dashboard
        for step in (*query.path, query.key):
            node = node[step]
        assert node[query.start : query.start + len(query.expr)] == query.expr
        parse(query.expr, variables, query.path)
        queries += 1
    return targets, queries, failures, issues


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared dashboard corpus is not on this machine")
def test_corpus_every_expression_parses() -> None:
    files = sorted(CORPUS.rglob("*.json"))
    totals = [0, 0]
    failures: dict[str, str] = {}
    issues: list[str] = []
    for file in files:
        where = str(file.relative_to(CORPUS))
        targets, queries, failed, found = parse_all(json.loads(file.read_text()), where)
        totals[0] += targets
        totals[1] += queries
        failures.update(failed)
        issues += [f"{where}: {issue}" for issue in found]
    assert len(files) == CORPUS_DASHBOARDS
    assert totals == [CORPUS_TARGETS, CORPUS_VARIABLE_QUERIES]
    assert failures == KNOWN_BAD
    assert issues == []


def test_mmbot_dashboard() -> None:
    dashboard = json.loads((ROOT / "obs" / "grafana" / "MMBot_Dashboard.json").read_text())
    targets, queries, failures, issues = parse_all(dashboard, "MMBot_Dashboard.json")
    assert (targets, queries, failures, issues) == (10, 1, {}, [])
    first = next(iter_targets(dashboard))
    variables, _ = read_variables(dashboard)
    assert substitute(first.expr, variables)[0].text == (
        'sum by (type) (increase(mm_recon_divergence_total{symbol=~".*"}[1m]))'
    )

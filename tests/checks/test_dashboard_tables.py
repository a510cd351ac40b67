"""Edge cases of the dashboard checks' constant tables and small decisions."""

from __future__ import annotations

from typing import Any

import pytest

from mmlint.checks import dashboard_datasource, dashboard_schema, dashboard_units
from tests.checks.dashboards import project, with_expr


@pytest.mark.parametrize(
    ("unit", "known"),
    [
        ("s", True),
        ("percentunit", True),
        ("µs", True),
        ("suffix: bps", True),
        ("prefix:$", True),
        ("bool:up/down", True),
        ("currency:financial:USD", True),
        ("seconds", False),
        ("Seconds", False),
        ("suffix", False),
        ("S", False),
    ],
)
def test_unit_ids(unit: str, known: bool) -> None:
    assert dashboard_units.is_known(unit) is known


@pytest.mark.parametrize(
    ("panel", "count"),
    [
        pytest.param({}, 1, id="no-unit"),
        pytest.param({"fieldConfig": {"defaults": {"unit": "s"}}}, 0, id="unit"),
        pytest.param({"fieldConfig": {"defaults": {"mappings": [{"type": "value"}]}}}, 0, id="mappings"),
        pytest.param(
            {"fieldConfig": {"defaults": {}, "overrides": [{"properties": [{"id": "unit", "value": "x"}]}]}},
            1,
            id="override-unknown",
        ),
        pytest.param({"type": "stat", "options": {"reduceOptions": {"fields": "/.*/"}}}, 0, id="stat-text"),
        pytest.param({"type": "graph", "yaxes": [{"format": "short"}]}, 0, id="graph-axis"),
        pytest.param({"type": "table"}, 0, id="table-not-checked"),
    ],
)
def test_units(panel: dict[str, Any], count: int) -> None:
    assert len(list(dashboard_units.check(project(with_expr("up", **panel))))) == count


@pytest.mark.parametrize(
    ("version", "schema"),
    [((4, 1), None), ((5, 4), 16), ((7, 4), 27), ((8, 0), 30), ((8, 1), 30), ((11, 6), 41), ((99, 0), 42)],
)
def test_schema_of_release(version: tuple[int, int], schema: int | None) -> None:
    assert dashboard_schema.max_schema(version) == schema


@pytest.mark.parametrize(("schema", "release"), [(14, (4, 2)), (22, (6, 6)), (30, (8, 0)), (39, (10, 3))])
def test_first_release_of_schema(schema: int, release: tuple[int, int]) -> None:
    assert dashboard_schema.first_release(schema) == release


def test_the_schema_table_only_grows() -> None:
    releases = [release for release, _ in dashboard_schema.SCHEMA_BY_RELEASE]
    schemas = [schema for _, schema in dashboard_schema.SCHEMA_BY_RELEASE]
    assert releases == sorted(releases) and schemas == sorted(schemas)


@pytest.mark.parametrize(
    ("datasource", "problem"),
    [
        ("$datasource", None),
        ("${datasource}", None),
        ({"type": "prometheus", "uid": "${datasource:raw}"}, None),
        ("-- Grafana --", None),
        (None, "the default data source"),
        ("Prometheus", "data source `Prometheus`"),
        ("$other", "`$other`, which is not a data source variable"),
    ],
)
def test_datasource_references(datasource: object, problem: str | None) -> None:
    dashboard = project(with_expr("up")).dashboards[0]
    variables = dashboard_datasource.Variables(dashboard)
    assert variables.problem(dashboard_datasource.uid_of(datasource)) == problem

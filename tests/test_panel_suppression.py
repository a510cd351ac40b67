"""`[[tool.mmlint.suppress-panels]]`: problems inside a chosen panel's JSON are dropped, for the chosen
checks only, in the chosen dashboards only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mmlint.config import parse_config
from mmlint.lint import load_project, run_checks


def panel(panel_id: int, title: str, **extra: Any) -> dict[str, Any]:
    """A timeseries panel with no unit and no description: one dashboard/units and one
    dashboard/description problem each."""
    return {
        "id": panel_id,
        "type": "timeseries",
        "title": title,
        "datasource": "$datasource",
        "targets": [{"refId": "A", "expr": "max(up)"}],
        **extra,
    }


def dashboard(panels: list[dict[str, Any]], uid: str = "board") -> dict[str, Any]:
    return {
        "title": "Board",
        "uid": uid,
        "schemaVersion": 30,
        "templating": {"list": [{"name": "datasource", "type": "datasource", "query": "prometheus"}]},
        "panels": panels,
    }


def problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, Any], entries: list[dict[str, Any]]
) -> set[tuple[str, str, str]]:
    """(file, panel title at the problem's line, check ID) of the units and description problems."""
    for name, data in files.items():
        (tmp_path / name).write_text(json.dumps(data, indent=2), encoding="utf-8")
    config = parse_config({"suppress-panels": entries, "known-metrics": ["up"]}, "test")
    monkeypatch.chdir(tmp_path)
    project, suppressions = load_project([Path(".")], config, tmp_path)
    found = set()
    for problem in run_checks(project, suppressions):
        if problem.check_id in ("dashboard/units", "dashboard/description"):
            line = (tmp_path / problem.location.path).read_text().splitlines()[problem.location.line - 1]
            found.add((problem.location.path, line.split('"title": ')[-1].strip('",'), problem.check_id))
    return found


UNITS, DESCRIPTION = "dashboard/units", "dashboard/description"
TWO = {"a.json": dashboard([panel(1, "One"), panel(2, "Two")])}
ALL = {(f, t, c) for f in ("a.json",) for t in ("One", "Two") for c in (UNITS, DESCRIPTION)}


@pytest.mark.parametrize(
    ("entries", "dropped"),
    [
        pytest.param([], set(), id="none"),
        pytest.param([{"panel": "One", "checks": [UNITS]}], {("a.json", "One", UNITS)}, id="title-one-check"),
        pytest.param(
            [{"panel": 2}], {("a.json", "Two", UNITS), ("a.json", "Two", DESCRIPTION)}, id="id-all-checks"
        ),
        pytest.param(
            [{"dashboard": "board", "panel": "Two", "checks": [DESCRIPTION]}],
            {("a.json", "Two", DESCRIPTION)},
            id="dashboard-uid",
        ),
        pytest.param(
            [{"dashboard": "a.json", "panel": "One", "checks": [DESCRIPTION]}],
            {("a.json", "One", DESCRIPTION)},
            id="dashboard-file-name",
        ),
        pytest.param([{"dashboard": "other.json", "panel": "One"}], set(), id="other-dashboard"),
        pytest.param([{"panel": "one"}], set(), id="title-is-exact"),
        pytest.param([{"panel": "1"}], set(), id="string-is-not-an-id"),
    ],
)
def test_suppressed_panels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries: list[dict[str, Any]], dropped: set[Any]
) -> None:
    assert problems(tmp_path, monkeypatch, TWO, entries) == ALL - dropped


def test_row_covers_the_panels_under_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = dashboard(
        [
            {"id": 10, "type": "row", "title": "Expanded", "collapsed": False, "panels": []},
            panel(1, "Under expanded"),
            {"id": 11, "type": "row", "title": "Collapsed", "collapsed": True, "panels": [panel(2, "In")]},
            {"id": 12, "type": "row", "title": "Last", "collapsed": False, "panels": []},
            panel(3, "Under last"),
        ]
    )
    entries = [{"panel": "Expanded", "checks": [UNITS]}, {"panel": "Collapsed", "checks": [UNITS]}]
    found = problems(tmp_path, monkeypatch, {"r.json": rows}, entries)
    assert {title for _, title, check in found if check == UNITS} == {"Under last"}
    assert {title for _, title, check in found if check == DESCRIPTION} == {
        "Under expanded",
        "In",
        "Under last",
    }


def test_only_the_named_dashboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"a.json": dashboard([panel(1, "One")]), "b.json": dashboard([panel(1, "One")], uid="other")}
    found = problems(tmp_path, monkeypatch, files, [{"dashboard": "other", "panel": 1}])
    assert found == {("a.json", "One", UNITS), ("a.json", "One", DESCRIPTION)}


def test_problems_outside_every_panel_stay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = dashboard([panel(1, "One")])
    del data["uid"]
    (tmp_path / "a.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    config = parse_config({"suppress-panels": [{"dashboard": "*", "panel": "One"}]}, "test")
    monkeypatch.chdir(tmp_path)
    project, suppressions = load_project([Path(".")], config, tmp_path)
    found = {p.check_id for p in run_checks(project, suppressions)}
    assert "dashboard/uid" in found
    assert not found & {UNITS, DESCRIPTION}

"""The real-world corpus loads: all 50 dashboards (kube-prometheus, thanos with legacy rows, rfmoz
hand-edited) and the kube-prometheus rule files and PrometheusRule manifests read through `load_project`
with no finding, and every PromQL expression in them parses once Grafana's variables are substituted.
The counts are exact, so a loader that starts dropping panels, targets or rules fails here."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from mmlint.config import Config
from mmlint.lint import load_project, run_checks
from mmlint.project import Project
from mmlint.suppress import Suppressions

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not beside the checkout")


@cache
def loaded(folder: str) -> tuple[Project, dict[str, Suppressions]]:
    return load_project([CORPUS / folder], Config(), CORPUS / folder)


def load(folder: str) -> Project:
    return loaded(folder)[0]


def unparsed(project: Project) -> list[str]:
    return [f"{q.location()}: {q.error}" for q in project.queries() if q.expr is None]


def test_dashboards() -> None:
    project = load("dashboards")
    assert project.load_findings == {}
    assert len(project.dashboards) == 50
    assert sum(len(d.panels) for d in project.dashboards) == 1038
    assert Counter(type(q.origin).__name__ for q in project.queries()) == {
        "PanelOrigin": 2134,
        "VariableOrigin": 102,
    }
    assert unparsed(project) == []


def test_rule_files_and_manifests() -> None:
    project = load("rules-lint-only")
    assert project.load_findings == {}
    assert len(project.rule_files) == 16
    assert Counter(rule.kind for rule in project.rules()) == {"alert": 278, "record": 190}
    assert sum(1 for _ in project.queries()) == 468
    assert unparsed(project) == []


@pytest.mark.parametrize("folder", ["dashboards", "rules-lint-only"])
def test_every_check_runs_on_the_corpus(folder: str) -> None:
    problems = run_checks(*loaded(folder))
    assert not [p for p in problems if p.check_id.startswith("syntax/")]

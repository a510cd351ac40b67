"""obs/prometheus/alerts_mm_bot.yml against the spec, the registry, the runbooks and its unit tests."""

from __future__ import annotations

import re
from typing import Any

import promql_parser
import pytest
import yaml

from tests.obs import spec
from tests.obs.conftest import (
    ENUMERATIONS,
    REPO,
    RULE_TESTS_DIR,
    TARGET_LABELS,
    vector_selectors,
)

SEVERITIES = ("critical", "warning", "info")


def github_anchor(heading: str) -> str:
    """The fragment GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to dashes."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def headings(markdown: str) -> set[str]:
    return {github_anchor(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", markdown, re.M)}


def test_the_spec_alerts_exist(alert_rules: list[dict[str, Any]]) -> None:
    names = [rule["alert"] for rule in alert_rules]
    assert len(names) == len(set(names))
    assert set(spec.ALERT_THRESHOLDS) <= set(names)
    assert len(names) >= 9


def test_every_alert_has_severity_summary_description_runbook(alert_rules: list[dict[str, Any]]) -> None:
    for rule in alert_rules:
        assert rule["labels"]["severity"] in SEVERITIES, rule["alert"]
        for key in ("summary", "description", "runbook_url"):
            assert rule["annotations"].get(key, "").strip(), f"{rule['alert']}: no {key}"
        text = rule["annotations"]["summary"] + rule["annotations"]["description"]
        assert "$labels." in text, f"{rule['alert']}: names no affected label"
        if rule["alert"] in spec.ALERT_THRESHOLDS:
            assert re.search(r"\$value \| (humanize|printf)", text), f"{rule['alert']}: value not humanized"


def test_runbook_urls_point_at_existing_sections(alert_rules: list[dict[str, Any]]) -> None:
    for rule in alert_rules:
        path, _, anchor = rule["annotations"]["runbook_url"].partition("#")
        runbook = REPO / path
        assert runbook.is_file(), f"{rule['alert']}: {path} does not exist"
        assert anchor in headings(runbook.read_text(encoding="utf-8")), f"{rule['alert']}: no #{anchor}"


def test_every_metric_label_and_value_exists_in_the_registry(
    alert_rules: list[dict[str, Any]], registry_series: dict[str, set[str]]
) -> None:
    for rule in alert_rules:
        for selector in vector_selectors(promql_parser.parse(rule["expr"])):
            if selector.name in spec.EXTERNAL_METRICS:
                continue
            assert selector.name in registry_series, f"{rule['alert']}: {selector.name}"
            for matcher in selector.matchers.matchers:
                assert matcher.name in registry_series[selector.name] | TARGET_LABELS, rule["alert"]
                allowed = ENUMERATIONS.get((selector.name, matcher.name))
                if allowed is not None and "~" not in str(matcher.op):
                    assert matcher.value in allowed, f"{rule['alert']}: {matcher.name}={matcher.value!r}"


@pytest.mark.parametrize("name", sorted(spec.ALERT_THRESHOLDS))
def test_thresholds_and_for_follow_the_spec(alert_rules: list[dict[str, Any]], name: str) -> None:
    op, threshold, hold = spec.ALERT_THRESHOLDS[name]
    (rule,) = [r for r in alert_rules if r["alert"] == name]
    expr = promql_parser.parse(rule["expr"])
    assert isinstance(expr, promql_parser.BinaryExpr)
    assert str(expr.op) == op
    assert isinstance(expr.rhs, promql_parser.NumberLiteral) and expr.rhs.val == threshold
    assert rule.get("for") == hold


def test_every_alert_has_unit_tests_that_fire_and_that_stay_silent(alert_rules: list[dict[str, Any]]) -> None:
    fired: set[str] = set()
    silent: set[str] = set()
    test_files = sorted(RULE_TESTS_DIR.glob("*.yml"))
    assert test_files
    for path in test_files:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule_file in document["rule_files"]:
            assert (path.parent / rule_file).is_file(), f"{path.name}: {rule_file}"
        for group in document["tests"]:
            for case in group.get("alert_rule_test", []):
                (fired if case.get("exp_alerts") else silent).add(case["alertname"])
    names = {rule["alert"] for rule in alert_rules}
    assert names - fired == set(), "alerts never expected to fire"
    assert names - silent == set(), "alerts never expected to stay silent"

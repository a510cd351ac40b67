"""Every check, in one explicit tuple. `mmlint checks`, `mmlint explain`, the reporters' rule lists and the
catalog test all derive from ALL.

A check is a module with a docstring (its user documentation: the first line is its summary), `ID`,
`SEVERITY`, and `check(project)` yielding Findings; a check with settings also has a frozen `Options`
dataclass and takes `check(project, options)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from mmlint.checks import (
    consistency_bucket_threshold,
    consistency_threshold_mismatch,
    coverage_alert_untested,
    dashboard_datasource,
    dashboard_description,
    dashboard_inputs_requires,
    dashboard_multi_value_equality,
    dashboard_no_targets,
    dashboard_rate_interval,
    dashboard_schema,
    dashboard_uid,
    dashboard_units,
    dashboard_unknown_variable,
    label_lost_in_aggregation,
    label_no_match,
    label_unknown,
    label_value_unknown,
    metric_type_misuse,
    metric_unknown,
    metric_unused,
    promql_impossible_comparison,
    promql_rate_range,
    promql_ratio_ranges,
    promql_regex,
    registry_labels_call,
    registry_unresolved,
    rule_annotations,
    rule_duplicate,
    rule_for_too_short,
    rule_runbook_url,
    rule_severity_label,
    syntax_dashboard,
    syntax_json,
    syntax_promql,
    syntax_rule_file,
    syntax_yaml,
    template_syntax,
    test_dangling_reference,
    test_failed,
)
from mmlint.problem import Severity

ALL: tuple[ModuleType, ...] = (
    syntax_yaml,
    syntax_json,
    syntax_dashboard,
    syntax_promql,
    syntax_rule_file,
    template_syntax,
    registry_unresolved,
    registry_labels_call,
    metric_unknown,
    metric_unused,
    label_unknown,
    label_value_unknown,
    metric_type_misuse,
    label_lost_in_aggregation,
    label_no_match,
    promql_regex,
    promql_rate_range,
    promql_ratio_ranges,
    promql_impossible_comparison,
    rule_duplicate,
    rule_for_too_short,
    rule_severity_label,
    rule_annotations,
    rule_runbook_url,
    dashboard_unknown_variable,
    dashboard_multi_value_equality,
    dashboard_rate_interval,
    dashboard_datasource,
    dashboard_no_targets,
    dashboard_units,
    dashboard_description,
    dashboard_uid,
    dashboard_inputs_requires,
    dashboard_schema,
    consistency_threshold_mismatch,
    consistency_bucket_threshold,
    test_dangling_reference,
    coverage_alert_untested,
    test_failed,
)


@dataclass(frozen=True)
class CheckInfo:
    id: str
    severity: Severity
    summary: str
    doc: str
    module: ModuleType


def info(module: ModuleType) -> CheckInfo:
    doc = (module.__doc__ or "").strip()
    return CheckInfo(module.ID, module.SEVERITY, doc.split("\n\n", 1)[0].replace("\n", " "), doc, module)


CATALOG: tuple[CheckInfo, ...] = tuple(info(module) for module in ALL)
BY_ID: dict[str, CheckInfo] = {check.id: check for check in CATALOG}

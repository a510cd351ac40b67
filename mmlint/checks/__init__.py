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
    label_unknown,
    label_value_unknown,
    metric_unknown,
    registry_unresolved,
    syntax_json,
    syntax_promql,
    syntax_rule_file,
    syntax_yaml,
    template_syntax,
    test_failed,
)
from mmlint.problem import Severity

ALL: tuple[ModuleType, ...] = (
    syntax_yaml,
    syntax_json,
    syntax_promql,
    syntax_rule_file,
    template_syntax,
    registry_unresolved,
    metric_unknown,
    label_unknown,
    label_value_unknown,
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

"""The one model every check reads: rule files, dashboards, unit-test files and the registry, with every
PromQL expression as a `Query` that knows where it came from. Built once by `mmlint.lint.load_project`;
checks never re-read files."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import promql_parser

from mmlint.problem import Finding, Location
from mmlint.sources.text import Text

if TYPE_CHECKING:
    from mmlint.config import Config
    from mmlint.sources.positions import LazyText, Scalar
    from mmlint.sources.positions import Mapping as MappingNode
    from mmlint.sources.registry import Registry


@dataclass(frozen=True)
class RuleOrigin:
    group: str
    rule: str
    kind: Literal["alert", "record"]

    def __str__(self) -> str:
        return f"{self.kind} `{self.rule}` in group `{self.group}`"


@dataclass(frozen=True)
class PanelOrigin:
    dashboard: str
    panel_title: str
    panel_id: int | None
    ref_id: str

    def __str__(self) -> str:
        return f"panel `{self.panel_title}` target {self.ref_id}"


@dataclass(frozen=True)
class VariableOrigin:
    dashboard: str
    variable: str

    def __str__(self) -> str:
        return f"variable `{self.variable}`"


Origin = RuleOrigin | PanelOrigin | VariableOrigin


@dataclass(frozen=True)
class VariableIssue:
    """A Grafana variable reference in a dashboard query that substitution could not resolve as intended:
    `kind` "unknown" (no such variable or built-in), "adhoc" (an ad hoc filter written into the text) or
    "format" (an unknown format); `location` is the reference's `$`."""

    location: Location
    kind: str
    message: str


@dataclass(frozen=True, eq=False)
class Query:
    """One PromQL expression: `text` as Prometheus receives it (Grafana variables substituted), `source` as
    written with file positions, and `offsets` mapping each character of `text` to one of `source`."""

    text: str
    source: Text | LazyText
    origin: Origin
    offsets: tuple[int, ...] | None = None
    expr: promql_parser.Expr | None = None
    error: str | None = None
    variable_issues: tuple[VariableIssue, ...] = ()

    def location(self, offset: int = 0) -> Location:
        if self.offsets is not None:
            offset = self.offsets[max(0, min(offset, len(self.offsets) - 1))]
        return self.source.location(offset)


@dataclass(frozen=True, eq=False)
class Rule:
    kind: Literal["alert", "record"]
    name: str
    group: str
    node: MappingNode
    query: Query | None
    for_s: float | None = None
    keep_firing_for_s: float | None = None
    labels: Mapping[str, Scalar] = field(default_factory=dict)
    annotations: Mapping[str, Scalar] = field(default_factory=dict)

    @property
    def location(self) -> Location:
        return self.node.location


@dataclass(frozen=True, eq=False)
class RuleGroup:
    name: str
    node: MappingNode
    interval_s: float | None
    rules: tuple[Rule, ...]


@dataclass(frozen=True, eq=False)
class RuleFile:
    path: str
    groups: tuple[RuleGroup, ...]

    def rules(self) -> Iterator[Rule]:
        for group in self.groups:
            yield from group.rules


@dataclass(frozen=True, eq=False)
class Panel:
    title: str
    id: int | None
    type: str
    node: MappingNode
    data: Mapping[str, object]
    queries: tuple[Query, ...]

    @property
    def location(self) -> Location:
        return self.node.location


@dataclass(frozen=True, eq=False)
class Dashboard:
    path: str
    title: str
    uid: str | None
    node: MappingNode
    data: Mapping[str, object]
    panels: tuple[Panel, ...]
    variable_queries: tuple[Query, ...]


@dataclass(frozen=True, eq=False)
class UnitTestFile:
    path: str
    node: MappingNode


@dataclass(frozen=True, eq=False)
class Project:
    root: Path
    config: Config
    rule_files: tuple[RuleFile, ...] = ()
    dashboards: tuple[Dashboard, ...] = ()
    unit_test_files: tuple[UnitTestFile, ...] = ()
    registry: Registry | None = None
    # Problems found while reading, by check ID (syntax/yaml, syntax/json, syntax/promql, ...).
    load_findings: Mapping[str, tuple[Finding, ...]] = field(default_factory=dict)

    def rules(self) -> Iterator[Rule]:
        for rule_file in self.rule_files:
            yield from rule_file.rules()

    def queries(self) -> Iterator[Query]:
        for rule in self.rules():
            if rule.query is not None:
                yield rule.query
        for dashboard in self.dashboards:
            for panel in dashboard.panels:
                yield from panel.queries
            yield from dashboard.variable_queries

"""`[tool.mmlint]` in pyproject.toml, read into typed, frozen settings; unknown keys are errors (exit 2).

[tool.mmlint]
registry = "tools/obs/metrics.py"     # the prometheus_client registry, read statically
scrape-interval = "10s"               # for rate-range checks
evaluation-interval = "1m"            # default rule group interval
fail-on = "warning"                   # lowest severity that makes the exit code 1
disable = ["dashboard/uid"]           # checks not run
target-labels = ["job", "instance"]   # labels Prometheus attaches to every scraped series
known-metrics = { up = ["job", "instance"], node_load1 = [] }   # metrics from elsewhere; [] = any labels

[tool.mmlint.severity]
"metric/unknown" = "error"

[tool.mmlint.checks."rule/severity-label"]   # a check's typed options
allowed = ["critical", "warning", "info"]

[[tool.mmlint.suppress-panels]]               # dashboard panels exempt from some checks
dashboard = "MMBot_Dashboard.json"            # file name or uid; "*" for any
panel = "Cache Hit Rate"                      # title, or id as an integer
checks = ["dashboard/units"]                  # empty: every check
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mmlint.duration import DurationError, parse_duration
from mmlint.problem import Severity


class ConfigError(Exception):
    """A usage or configuration error: reported on one line, exit code 2."""


@dataclass(frozen=True)
class PanelSuppression:
    dashboard: str
    panel: str | int
    checks: frozenset[str]


@dataclass(frozen=True)
class Config:
    source: str = "defaults"
    registry: str | None = None
    scrape_interval_s: float = 60.0
    evaluation_interval_s: float = 60.0
    fail_on: Severity = Severity.WARNING
    disable: frozenset[str] = frozenset()
    target_labels: frozenset[str] = frozenset({"job", "instance"})
    known_metrics: Mapping[str, frozenset[str]] = field(default_factory=dict)
    severity: Mapping[str, Severity] = field(default_factory=dict)
    check_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    suppress_panels: tuple[PanelSuppression, ...] = ()


KEYS = {
    "registry",
    "scrape-interval",
    "evaluation-interval",
    "fail-on",
    "disable",
    "target-labels",
    "known-metrics",
    "severity",
    "checks",
    "suppress-panels",
}


def find_pyproject(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None) -> Config:
    """Read `[tool.mmlint]` from `path` (a pyproject.toml); None gives the defaults."""
    if path is None:
        return Config()
    import tomllib  # here, not at the top: `mmlint test` reads no configuration and starts once per file

    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from None
    table = document.get("tool", {}).get("mmlint", {})
    return parse_config(table, str(path))


def parse_config(table: Mapping[str, Any], source: str) -> Config:
    where = f"{source}: [tool.mmlint]"
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key `{unknown[0]}` (known: {', '.join(sorted(KEYS))})")
    checks = table_of(table, "checks", where)
    return Config(
        source=source,
        registry=optional_str(table, "registry", where),
        scrape_interval_s=duration_s(table, "scrape-interval", 60.0, where),
        evaluation_interval_s=duration_s(table, "evaluation-interval", 60.0, where),
        fail_on=severity(table.get("fail-on", "warning"), f"{where} fail-on"),
        disable=frozenset(str_list(table, "disable", where)),
        target_labels=frozenset(str_list(table, "target-labels", where, default=["job", "instance"])),
        known_metrics=known_metrics(table.get("known-metrics", {}), where),
        severity={
            check_id: severity(value, f"{where}.severity {check_id}")
            for check_id, value in table_of(table, "severity", where).items()
        },
        check_options={check_id: table_of(checks, check_id, f"{where}.checks") for check_id in checks},
        suppress_panels=tuple(
            panel_suppression(item, where) for item in list_of(table, "suppress-panels", where)
        ),
    )


def build_options(options_type: type[Any], values: Mapping[str, Any], check_id: str, source: str) -> Any:
    """Fill a check's frozen options dataclass from its `[tool.mmlint.checks."ID"]` table."""
    fields = {f.name.replace("_", "-"): f for f in dataclasses.fields(options_type)}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        known = ", ".join(sorted(fields)) or "none"
        raise ConfigError(
            f'{source}: [tool.mmlint.checks."{check_id}"]: unknown key `{unknown[0]}` (known: {known})'
        )
    converted = {}
    for key, value in values.items():
        default = getattr(options_type(), fields[key].name)
        if isinstance(default, frozenset | tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(
                    f'{source}: [tool.mmlint.checks."{check_id}"] {key}: expected a list of strings'
                )
            value = type(default)(value)
        elif not isinstance(value, type(default)) or isinstance(value, bool) != isinstance(default, bool):
            raise ConfigError(
                f'{source}: [tool.mmlint.checks."{check_id}"] {key}: expected {type(default).__name__}'
            )
        converted[fields[key].name] = value
    return options_type(**converted)


def severity(value: Any, where: str) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError as error:
        raise ConfigError(f"{where}: {error}") from None


def optional_str(table: Mapping[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{where} {key}: expected a string")
    return value


def duration_s(table: Mapping[str, Any], key: str, default: float, where: str) -> float:
    if key not in table:
        return default
    try:
        return parse_duration(str(table[key]))
    except DurationError as error:
        raise ConfigError(f"{where} {key}: {error}") from None


def str_list(table: Mapping[str, Any], key: str, where: str, default: list[str] | None = None) -> list[str]:
    value = table.get(key, default or [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} {key}: expected a list of strings")
    return value


def table_of(table: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where} {key}: expected a table")
    return value


def list_of(table: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"{where} {key}: expected an array of tables")
    return value


def known_metrics(value: Any, where: str) -> dict[str, frozenset[str]]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {name: frozenset() for name in value}
    if isinstance(value, Mapping) and all(isinstance(v, list) for v in value.values()):
        return {name: frozenset(labels) for name, labels in value.items()}
    raise ConfigError(f"{where} known-metrics: expected a list of names or a table of name = [labels]")


def panel_suppression(item: Any, where: str) -> PanelSuppression:
    if not isinstance(item, Mapping) or set(item) - {"dashboard", "panel", "checks"} or "panel" not in item:
        raise ConfigError(
            f"{where} suppress-panels: each entry takes `panel`, and optionally `dashboard`, `checks`"
        )
    panel = item["panel"]
    if not isinstance(panel, str | int) or isinstance(panel, bool):
        raise ConfigError(f"{where} suppress-panels: `panel` is a title or an integer id")
    checks = item.get("checks", [])
    if not isinstance(checks, list) or not all(isinstance(c, str) for c in checks):
        raise ConfigError(f"{where} suppress-panels: `checks` is a list of check IDs")
    return PanelSuppression(str(item.get("dashboard", "*")), panel, frozenset(checks))

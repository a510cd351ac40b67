from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from mmlint.config import ConfigError, build_options, load_config, parse_config
from mmlint.problem import Severity


def test_defaults_without_a_file() -> None:
    config = load_config(None)
    assert config.fail_on is Severity.WARNING
    assert config.target_labels == {"job", "instance"}
    assert config.scrape_interval_s == 60.0


def test_reads_the_tool_table(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        """
[tool.mmlint]
registry = "tools/obs/metrics.py"
scrape-interval = "10s"
fail-on = "error"
disable = ["metric/unknown"]
known-metrics = { up = ["job", "instance"], node_load1 = [] }
[tool.mmlint.severity]
"label/unknown" = "warning"
[[tool.mmlint.suppress-panels]]
panel = 7
checks = ["label/unknown"]
""",
        encoding="utf-8",
    )
    config = load_config(pyproject)
    assert config.registry == "tools/obs/metrics.py"
    assert config.scrape_interval_s == 10.0
    assert config.fail_on is Severity.ERROR
    assert config.disable == {"metric/unknown"}
    assert config.known_metrics == {"up": {"job", "instance"}, "node_load1": frozenset()}
    assert config.severity == {"label/unknown": Severity.WARNING}
    assert config.suppress_panels[0].panel == 7 and config.suppress_panels[0].dashboard == "*"


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        pytest.param({"registy": "x"}, "unknown key `registy`", id="unknown-key"),
        pytest.param({"fail-on": "fatal"}, "unknown severity", id="bad-severity"),
        pytest.param({"scrape-interval": "10 seconds"}, "not a valid duration", id="bad-duration"),
        pytest.param({"disable": "metric/unknown"}, "expected a list of strings", id="disable-not-list"),
        pytest.param({"known-metrics": 3}, "known-metrics", id="known-metrics-type"),
        pytest.param(
            {"suppress-panels": [{"dashboard": "x"}]}, "each entry takes `panel`", id="panel-missing"
        ),
    ],
)
def test_bad_config_is_a_config_error(table: dict[str, object], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        parse_config(table, "pyproject.toml")


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.mmlint\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pyproject\.toml.*line 1"):
        load_config(pyproject)


@dataclass(frozen=True, kw_only=True)
class Options:
    allowed: frozenset[str] = frozenset({"critical"})
    minimum: int = 2


def test_options_are_typed_and_strict() -> None:
    options = build_options(Options, {"allowed": ["a", "b"], "minimum": 3}, "x/y", "pyproject.toml")
    assert options == Options(allowed=frozenset({"a", "b"}), minimum=3)
    with pytest.raises(ConfigError, match="unknown key `maximum`"):
        build_options(Options, {"maximum": 1}, "x/y", "pyproject.toml")
    with pytest.raises(ConfigError, match="expected int"):
        build_options(Options, {"minimum": "3"}, "x/y", "pyproject.toml")
    with pytest.raises(ConfigError, match="expected int"):
        build_options(Options, {"minimum": True}, "x/y", "pyproject.toml")

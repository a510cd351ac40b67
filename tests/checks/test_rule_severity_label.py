"""Check options from `[tool.mmlint.checks."<ID>"]` reach the check."""

from __future__ import annotations

from mmlint.checks import rule_severity_label
from mmlint.config import build_options, parse_config


def test_check_options_are_read_per_check() -> None:
    table = {"checks": {"rule/severity-label": {"allowed": ["page"], "required": False}}}
    config = parse_config(table, "pyproject.toml")
    options = build_options(
        rule_severity_label.Options, config.check_options["rule/severity-label"], "rule/severity-label", "x"
    )
    assert options == rule_severity_label.Options(allowed=("page",), required=False)

"""Readers that turn files into mmlint's model: positions (YAML/JSON with line:col), rule files,
dashboards (with Grafana variable substitution), unit-test files, and the static metric registry."""

"""The label references read from alert templates and legends (label/lost-in-aggregation)."""

from __future__ import annotations

import pytest

from mmlint.checks.label_lost_in_aggregation import references


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ $labels.job }} on {{$labels.instance}}", [("job", 3), ("instance", 23)]),
        ('{{ index $labels "a-b" }}', [("a-b", 3)]),
        ("{{ .Labels.job }}", [("job", 3)]),
        ("{{ $value }} $labels.job outside an action", []),
        ('{{ range query "up" }}{{ .Labels.pod }}{{ end }} {{ $labels.job }}', [("job", 52)]),
        ('{{ with query "up" }}{{ .Labels.pod }}{{ end }}', []),
        ("{{ $labels.a | toUpper }}{{ $labels.b }}", [("a", 3), ("b", 28)]),
        ("{{ $x.Labels.a }}", []),
    ],
)
def test_template_references(text: str, expected: list[tuple[str, int]]) -> None:
    assert list(references(text, legend=False)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{instance}} {{ job }}", [("instance", 0), ("job", 13)]),
        ("__auto", []),
        ("{{ $labels.job }}", []),
        ("p99", []),
    ],
)
def test_legend_references(text: str, expected: list[tuple[str, int]]) -> None:
    assert list(references(text, legend=True)) == expected

"""template/syntax: where the problem points inside each YAML scalar style, and what it leaves alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmlint.checks.template_syntax import describe
from mmlint.config import load_config
from mmlint.lint import load_project, run_checks

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HEAD = """groups:
  - name: g
    rules:
      - alert: Blocked
        expr: vector(1)
        annotations:
"""


def problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, annotations: str) -> list[tuple[int, int, str]]:
    (tmp_path / "rules.yml").write_text(HEAD + annotations, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    project, suppressions = load_project([Path(".")], load_config(FIXTURES / "default.toml"), tmp_path)
    found = run_checks(project, suppressions)
    return [(p.location.line, p.location.column, p.message) for p in found if p.check_id == "template/syntax"]


@pytest.mark.parametrize(
    ("annotations", "line", "column"),
    [
        ("          a: {{ nosuch }}x\n", 7, 0),  # not a string: a YAML flow mapping, no template
        ("          a: x {{ nosuch }}\n", 7, 19),
        ("          a: 'it''s {{ nosuch }}'\n", 7, 24),
        ('          a: "tab\\t{{ nosuch }}"\n', 7, 23),
        ("          a: |\n            line one\n            and {{ nosuch }}\n", 9, 20),
        ("          a: >\n            folded\n            text {{ $label.x }}\n", 9, 21),
        ("          a: >-\n            {{ if true }}\n            open\n", 8, 13),
        ("          a: 'x {{ humanize }}'\n", 7, 20),
        ("          a: 'x {{ $value | humanize 2 }}'\n", 7, 29),
        ("          a: 'unicode é {{ nosuch }}'\n", 7, 28),
    ],
    ids=[
        "flow-mapping",
        "plain",
        "single-quoted",
        "double-quoted",
        "literal",
        "folded",
        "unclosed-if",
        "arity",
        "arity-piped",
        "unicode",
    ],
)
def test_location_points_at_the_culprit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, annotations: str, line: int, column: int
) -> None:
    found = problems(tmp_path, monkeypatch, annotations)
    if column == 0:
        assert found == []
    else:
        assert [(found_line, found_column) for found_line, found_column, _ in found] == [(line, column)]


def test_recording_rules_and_plain_text_are_not_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = """groups:
  - name: g
    rules:
      - record: job:x:sum
        expr: vector(1)
        labels:
          a: "{{ nosuch }}"
      - alert: A
        expr: vector(1)
        labels:
          b: "100% {not a template}"
"""
    (tmp_path / "rules.yml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    project, suppressions = load_project([Path(".")], load_config(FIXTURES / "default.toml"), tmp_path)
    assert [p for p in run_checks(project, suppressions) if p.check_id == "template/syntax"] == []


@pytest.mark.parametrize(
    ("go_message", "message", "hint"),
    [
        (
            'template: __alert_A:1: function "humanise" not defined',
            "annotation `a` calls the undefined template function `humanise`",
            "did you mean `humanize`?",
        ),
        (
            'template: __alert_A:1: undefined variable "$label"',
            "annotation `a` uses the undefined template variable `$label`",
            "did you mean `$labels`?",
        ),
        (
            "wrong number of args for printf: want at least 1 got 0",
            "annotation `a` calls `printf` with 0 arguments",
            "`printf` takes at least 1 argument",
        ),
        (
            "wrong number of args for reReplaceAll: want 3 got 1",
            "annotation `a` calls `reReplaceAll` with 1 argument",
            "`reReplaceAll` takes 3 arguments",
        ),
        (
            "template: __alert_A:2: unexpected EOF",
            "annotation `a` is not a valid Go template: unexpected EOF",
            None,
        ),
    ],
    ids=["function", "variable", "variadic", "fixed", "other"],
)
def test_describe(go_message: str, message: str, hint: str | None) -> None:
    assert describe(go_message, "annotation `a`") == (message, hint)

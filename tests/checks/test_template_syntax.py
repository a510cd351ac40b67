"""template/syntax: where the problem points inside each YAML scalar style, and what it leaves alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmlint.checks.template_syntax import describe
from mmlint.config import load_config
from mmlint.lint import load_project, run_checks
from mmlint.ruletest.templates import TemplateError

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
    ("error", "message", "hint"),
    [
        (
            TemplateError('template: __alert_A:1: function "humanise" not defined'),
            "annotation `a` calls the undefined template function `humanise`",
            "did you mean `humanize`?",
        ),
        (
            TemplateError('template: __alert_A:1: undefined variable "$label"'),
            "annotation `a` uses the undefined template variable `$label`",
            "did you mean `$labels`?",
        ),
        (
            TemplateError("wrong number of args for printf: want at least 1 got 0", function="printf"),
            "annotation `a` calls `printf` with 0 arguments",
            "`printf` takes at least 1 argument",
        ),
        (
            TemplateError("wrong number of args for reReplaceAll: want 3 got 1", function="reReplaceAll"),
            "annotation `a` calls `reReplaceAll` with 1 argument",
            "`reReplaceAll` takes 3 arguments",
        ),
        (
            TemplateError("expected integer; found 1.5", function="f"),
            "annotation `a` passes `1.5` to `f`, which wants an integer there",
            None,
        ),
        (
            TemplateError("cannot assign nil to string", function="title"),
            "annotation `a` passes `nil` to `title`, which wants a string there",
            None,
        ),
        (
            TemplateError("can't handle 1 for arg of type template.queryResult", function="first"),
            "annotation `a` passes `1` to `first`, which wants a template.queryResult there",
            None,
        ),
        (
            TemplateError("wrong type for value; expected string; got int", function="toUpper"),
            "annotation `a` pipes an int into `toUpper`, which wants a string there",
            None,
        ),
        (
            TemplateError("incompatible types for comparison (float64 and int)", function="gt"),
            "annotation `a` compares a float64 with an int in `gt`, which fails when it runs",
            "Go's comparisons do not convert numbers: write the constant as a float (`10.0`, not `10`)",
        ),
        (
            TemplateError("incompatible types for comparison (string and int)", function="eq"),
            "annotation `a` compares a string with an int in `eq`, which fails when it runs",
            None,
        ),
        (
            TemplateError("invalid type for comparison (bool)", function="lt"),
            "annotation `a` orders values of type bool with `lt`, which cannot",
            None,
        ),
        (
            TemplateError("template: __alert_A:2: unexpected EOF"),
            "annotation `a` is not a valid Go template: unexpected EOF",
            None,
        ),
    ],
    ids=[
        "function",
        "variable",
        "variadic",
        "fixed",
        "constant",
        "nil",
        "unhandled",
        "piped",
        "float-int",
        "string-int",
        "bool-order",
        "other",
    ],
)
def test_describe(error: TemplateError, message: str, hint: str | None) -> None:
    assert describe(error, "annotation `a`") == (message, hint)

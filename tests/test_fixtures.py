"""Every check's fixtures: each `good` case is silent for its check, each `bad` case reports exactly the
`(path, line, column, check ID)` tuples of its `expected.txt`. See tests/fixtures/README.md."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from mmlint.checks import ALL, CATALOG
from mmlint.config import load_config
from mmlint.lint import load_project, run_checks
from mmlint.problem import Problem
from mmlint.report.text import render

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFRESH = os.environ.get("MMLINT_REFRESH_FIXTURES") == "1"
LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): \w+ (?P<id>\S+) ")
ID_BY_MODULE = {module.__name__.rsplit(".", 1)[-1]: module.ID for module in ALL}


def cases(kind: str) -> list[Path]:
    return sorted(p for p in FIXTURES.glob(f"*/{kind}/*") if p.is_dir())


def check_problems(case: Path, monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    own = case / "config.toml"
    config = load_config(own if own.is_file() else FIXTURES / "default.toml")
    monkeypatch.chdir(case)
    project, suppressions = load_project([Path(".")], config, case)
    return run_checks(project, suppressions)


def rendered(problems: list[Problem]) -> str:
    out = io.StringIO()
    render(problems, out, CATALOG)
    return out.getvalue()


def keys(text: str) -> list[tuple[str, int, int, str]]:
    found = []
    for line in text.splitlines():
        match = LINE.match(line)
        if match:
            found.append((match["path"], int(match["line"]), int(match["col"]), match["id"]))
    return found


def case_id(case: Path) -> str:
    return str(case.relative_to(FIXTURES))


def test_every_fixture_folder_is_a_check_module() -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders <= set(ID_BY_MODULE), f"fixture folders without a check: {folders - set(ID_BY_MODULE)}"


@pytest.mark.parametrize("module", sorted(ID_BY_MODULE))
def test_every_check_has_good_and_bad_cases(module: str) -> None:
    for kind in ("good", "bad"):
        assert any((FIXTURES / module / kind).glob("*/"))


@pytest.mark.parametrize("case", cases("good"), ids=case_id)
def test_good_case_is_silent(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_id = ID_BY_MODULE[case.parent.parent.name]
    problems = [p for p in check_problems(case, monkeypatch) if p.check_id == check_id]
    assert rendered(problems) == ""


@pytest.mark.parametrize("case", cases("bad"), ids=case_id)
def test_bad_case_reports_expected(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_id = ID_BY_MODULE[case.parent.parent.name]
    problems = [p for p in check_problems(case, monkeypatch) if p.check_id == check_id]
    expected_file = case / "expected.txt"
    if REFRESH:
        expected_file.write_text(rendered(problems), encoding="utf-8")
    expected = keys(expected_file.read_text(encoding="utf-8"))
    assert expected, f"{expected_file} lists no problem: a bad case must report one"
    assert keys(rendered(problems)) == expected

"""`mmlint check` end to end: this repository's obs/ is clean, and realistic mistakes seeded into a copy of
it are each caught at their line and column."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mmlint.checks import ALL, CATALOG
from mmlint.cli import main

REPO = Path(__file__).resolve().parents[1]


def run_check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mmlint", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        # The checkout under test, not whichever mmlint the interpreter has installed (cwd may be a copy).
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])},
    )


def test_this_repository_obs_is_clean() -> None:
    result = run_check(REPO, "obs/")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    for name in ("obs", "tools"):
        shutil.copytree(REPO / name, tmp_path / name)
    for name in ("pyproject.toml", "RUNBOOK_SHADOW.md", "RECON_OPERATIONS.md"):  # runbook_url targets too
        shutil.copy(REPO / name, tmp_path / name)
    return tmp_path


# (file, text replaced, replacement, expected (line, column, check ID))
MISTAKES = [
    pytest.param(
        "obs/grafana/MMBot_Dashboard.json",
        'mm_fills_total{liquidity=\\"maker\\"',
        'mm_fill_total{liquidity=\\"maker\\"',
        (220, 42, "metric/unknown"),
        id="renamed-metric-in-panel",
    ),
    pytest.param(
        "obs/prometheus/alerts_mm_bot.yml",
        'reason!="edge_too_low"',
        'reason!="edge_to_low"',
        (99, 68, "label-value/unknown"),
        id="label-value-typo-in-alert",
    ),
    pytest.param(
        "obs/prometheus/alerts_mm_bot.yml",
        'source="default_fallback"',
        'sorce="default_fallback"',
        # The typo also keeps the alert from ever firing in its unit tests (test/failed reports those in
        # the test file).
        [(111, 16, "coverage/alert-untested"), (113, 64, "label/unknown")],
        id="label-name-typo-in-alert",
    ),
    pytest.param(
        "obs/prometheus/alerts_mm_bot.yml",
        "(increase(mm_recon_divergence_total[10m])) > 0",
        "(increase(mm_recon_divergence_total[10m]) > 0",
        (11, 37, "syntax/promql"),
        id="unclosed-parenthesis",
    ),
    pytest.param(
        "obs/prometheus/alerts_mm_bot.yml",
        "        for: 30m\n        labels:\n          severity: warning",
        "        for: 30 minutes\n        labels:\n          severity: warning",
        (28, 14, "syntax/rule-file"),
        id="bad-for-duration",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), MISTAKES)
def test_seeded_mistake_is_caught(
    seeded: Path,
    file: str,
    old: str,
    new: str,
    expected: tuple[int, int, str] | list[tuple[int, int, str]],
) -> None:
    path = seeded / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_check(seeded, "obs/", "--format", "json")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    found = [(p["line"], p["column"], p["id"]) for p in json.loads(result.stdout) if p["path"] == file]
    assert found == (expected if isinstance(expected, list) else [expected])


def test_catalog_is_derived_from_all_and_ids_match_module_names() -> None:
    assert [c.id for c in CATALOG] == [m.ID for m in ALL]
    for module in ALL:
        assert module.__name__.rsplit(".", 1)[1] == module.ID.replace("/", "_").replace("-", "_")
        assert module.__doc__ and "Bad:" in module.__doc__ and "Good:" in module.__doc__


def test_checks_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checks"]) == 0
    listing = capsys.readouterr().out
    assert all(c.id in listing for c in CATALOG)
    assert main(["explain", "metric/unknown"]) == 0
    assert "Bad:" in capsys.readouterr().out
    assert main(["explain", "no/such"]) == 2


def test_usage_and_config_errors_exit_2(tmp_path: Path) -> None:
    assert run_check(tmp_path, "does-not-exist").returncode == 2
    (tmp_path / "pyproject.toml").write_text('[tool.mmlint]\nregistri = "x"\n', encoding="utf-8")
    result = run_check(tmp_path, ".")
    assert result.returncode == 2 and "unknown key `registri`" in result.stderr

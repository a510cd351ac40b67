"""obs/ under the real promtool (Debian's prometheus 2.42): the rules check, their unit tests pass, and the
unit tests are sharp enough to fail when a threshold moves."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.obs.conftest import ALERTS_PATH, OBS, RULE_TESTS_DIR


@pytest.fixture(scope="session")
def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        message = (
            "promtool is not installed: obs/ was NOT validated by promtool (scripts/setup.sh installs it)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(f"!!! {message} !!!")
    return path


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def test_rules_pass_promtool_check(promtool: str) -> None:
    result = run(promtool, "check", "rules", *map(str, sorted(OBS.glob("prometheus/*.yml"))), cwd=OBS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_unit_tests_pass_promtool_test(promtool: str) -> None:
    files = sorted(RULE_TESTS_DIR.glob("*.yml"))
    assert files
    result = run(promtool, "test", "rules", *map(str, files), cwd=RULE_TESTS_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("SUCCESS") == len(files)


# Alert -> its threshold comparison and the same comparison moved by less than the unit tests' margin
# around it: the "just above" or "just below" case must notice.
MOVED_THRESHOLDS = {
    "MMReconDivergence": ("> 0", "> 1.5"),
    "MMMakerTakerRatioLow": ("< 0.85", "< 0.83"),
    "MMNetPnLNegative": ("< 0", "< -1"),
    "MMSymbolFiltersFetchErrors": ("> 0", "> 1.5"),
    "MMExchangeLatencyP99High": ("> 100", "> 110"),
    "MMLiveModeBotDown": ("[1h]) == 1", "[1h]) == 0"),
    "MMFrequentFreezes": (">= 3", ">= 4"),
    "MMSymbolFiltersDefaultFallbackHigh": ("> 0.1", "> 0.12"),
    "MMSymbolFiltersCacheHitRateLow": ("< 0.8", "< 0.78"),
}


def move_threshold(rules: str, alert: str, old: str, new: str) -> str:
    start = rules.index(f"- alert: {alert}\n")
    end = rules.find("- alert:", start + 1)
    end = len(rules) if end < 0 else end
    block, count = re.subn(rf"(?<![<>=!]){re.escape(old)}(?![\d.])", new, rules[start:end])
    assert count == 1, f"{alert}: {old!r} found {count} times"
    return rules[:start] + block + rules[end:]


@pytest.mark.parametrize("alert", sorted(MOVED_THRESHOLDS))
def test_unit_tests_fail_when_the_threshold_moves(promtool: str, alert: str, tmp_path: Path) -> None:
    workdir = tmp_path / "prometheus"
    shutil.copytree(ALERTS_PATH.parent, workdir)
    mutated = move_threshold(ALERTS_PATH.read_text(encoding="utf-8"), alert, *MOVED_THRESHOLDS[alert])
    (workdir / ALERTS_PATH.name).write_text(mutated, encoding="utf-8")
    files = sorted((workdir / "tests").glob("*.yml"))
    result = run(promtool, "test", "rules", *map(str, files), cwd=workdir / "tests")
    assert result.returncode == 1, f"moving {alert}'s threshold broke no unit test"
    assert alert in result.stdout + result.stderr

"""Hostile and broken input through `mmlint check`: each bad file is one problem at its line and column,
exit code 1 (problems, not a usage error), no traceback, and the good file beside it is still checked (its
seeded `metric/unknown` is still reported)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REGISTRY = REPO / "tests" / "fixtures" / "metrics.py"
CONFIG = '[tool.mmlint]\nregistry = "metrics.py"\nknown-metrics = ["mm_fills_total"]\n'
GOOD = "groups:\n  - name: g\n    rules:\n      - alert: Typo\n        expr: rate(mm_fills_totl[5m]) > 0\n"
SEEDED = ("good_rules.yml", 5, 20, "metric/unknown")

# Billion laughs: nine anchors, each nine aliases of the one before (9**9 nodes once expanded); the loader
# stops at line 7, where the count passes its limit.
BOMB = b"a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + b"".join(
    b"%s: &%s [%s]\n" % (bytes([c]), bytes([c]), b", ".join([b"*" + bytes([c - 1])] * 9))
    for c in range(98, 106)
)
BOMB += b"groups: *i\n"
DEPTH = 100_000
HUGE_BYTES = 21 * 1024 * 1024  # over the 20 MiB limit of the positions loaders


def huge_json() -> bytes:
    return b'{"panels": [], "padding": "' + b"x" * HUGE_BYTES + b'"}'


CASES = [
    pytest.param("dashboard.json", b'{"panels": [{"targets": [', (1, 26, "syntax/json"), id="truncated-json"),
    pytest.param(
        "rules.yml",
        b'groups:\n  - name: g\n    rules:\n      - alert: "A\n',
        (5, 1, "syntax/yaml"),
        id="truncated-yaml",
    ),
    pytest.param("rules.yml", BOMB, (7, 8, "syntax/yaml"), id="yaml-alias-bomb"),
    pytest.param(
        "rules.yml", b"groups:\n  - name: caf\xe9\n    rules: []\n", (2, 14, "syntax/yaml"), id="latin1-yaml"
    ),
    pytest.param(
        "dashboard.json", b'{"title": "caf\xe9", "panels": []}', (1, 15, "syntax/json"), id="latin1-json"
    ),
    pytest.param(
        "dashboard.json",
        b'{"panels": ' + b"[" * DEPTH + b"]" * DEPTH + b"}",
        (1, 111, "syntax/json"),
        id="deep-json",
    ),
    pytest.param(
        "rules.yml",
        b"groups: " + b"[" * DEPTH + b"]" * DEPTH + b"\n",
        (1, 108, "syntax/yaml"),
        id="deep-yaml",
    ),
    pytest.param(
        "rules.yml",
        # Block nesting cannot reach 100k levels in a file of sane size (indentation grows with depth).
        b"groups:\n" + b"".join(b"  " * i + b"- g:\n" for i in range(1, 2000)),
        (51, 103, "syntax/yaml"),
        id="deep-yaml-block",
    ),
    pytest.param("dashboard.json", None, (1, 1, "syntax/json"), id="huge-file"),
    pytest.param(
        "rules.yml", b"- alert: A\n  expr: up == 0\n", (1, 1, "syntax/rule-file"), id="rule-file-list"
    ),
    pytest.param("rules.yml", b'"just a string"\n', (1, 1, "syntax/rule-file"), id="rule-file-string"),
    pytest.param(
        "dashboard.json",
        b'{"title": "x",\n "panels": {"id": 1, "type": "stat"}}\n',
        (2, 12, "syntax/dashboard"),
        id="panels-not-a-list",
    ),
    pytest.param(
        "metrics.py",
        b"from prometheus_client import Counter\n\nX = Counter('x', 'doc'\n",
        (3, 12, "registry/unresolved"),
        id="registry-syntax-error",
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), CASES)
def test_bad_file_is_one_problem_and_the_rest_is_checked(
    tmp_path: Path, name: str, content: bytes | None, expected: tuple[int, int, str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    shutil.copy(REGISTRY, tmp_path / "metrics.py")
    (tmp_path / "good_rules.yml").write_text(GOOD, encoding="utf-8")
    (tmp_path / name).write_bytes(huge_json() if content is None else content)
    result = subprocess.run(
        [sys.executable, "-m", "mmlint", "check", "--format", "json", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        # The checkout under test, not whichever mmlint the interpreter has installed.
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])},
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    problems = [(p["path"], p["line"], p["column"], p["id"]) for p in json.loads(result.stdout)]
    syntax = [p for p in problems if p[0] == name and p[3].startswith(("syntax/", "registry/"))]
    assert syntax == [(name, *expected)]
    assert SEEDED in problems

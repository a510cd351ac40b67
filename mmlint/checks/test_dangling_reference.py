"""A unit-test file whose `rule_files` entry or `alertname` names nothing.

A `rule_files` entry must match a file, and an `alertname` must be an alerting rule of the files loaded.
promtool joins each `rule_files` pattern to the test file's directory and globs it; a pattern that matches
nothing loads nothing, without a word. An `alert_rule_test` entry whose `alertname` names no alerting rule
of the loaded files tests nothing: expecting it silent always passes. The alert names are only checked when
every pattern matched a rule file mmlint has read (otherwise the alert may be defined where mmlint did not
look).

Why: after a rule file or an alert is renamed, the tests that still use the old name keep passing, and the
renamed alert is no longer tested by them.

Bad:

    rule_files: [../alert_mm_bot.yml]          # the file is alerts_mm_bot.yml
    ...
        alertname: MMNetPnlNegative             # the alert is MMNetPnLNegative

Good:

    rule_files: [../alerts_mm_bot.yml]
    ...
        alertname: MMNetPnLNegative
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterator
from pathlib import Path

from mmlint.problem import Finding, Severity
from mmlint.project import Project, RuleFile, UnitTestFile
from mmlint.sources.positions import Mapping, Scalar, Sequence

ID = "test/dangling-reference"
SEVERITY = Severity.ERROR


def patterns(test_file: UnitTestFile) -> list[Scalar]:
    listed = test_file.node.get("rule_files")
    return [
        pattern
        for pattern in (listed.items if isinstance(listed, Sequence) else ())
        if isinstance(pattern, Scalar) and isinstance(pattern.value, str) and pattern.value
    ]


def matches(project: Project, test_file: UnitTestFile, pattern: str, rule_file: RuleFile) -> bool:
    """Whether the pattern, joined to the test file's directory, names the rule file (`*` stays in one
    path segment, as in Go's filepath.Match)."""
    parts = ((project.root / test_file.path).parent / pattern).resolve().parts
    target = (project.root / rule_file.path).resolve().parts
    return len(parts) == len(target) and all(map(fnmatch.fnmatchcase, target, parts))


def missing_rule_files(project: Project, test_file: UnitTestFile) -> Iterator[Finding]:
    base = (project.root / test_file.path).parent
    for pattern in patterns(test_file):
        if Path(str(pattern.value)).is_absolute() or any(base.glob(str(pattern.value))):
            continue
        yield Finding(
            pattern.location,
            f"`rule_files` entry `{pattern.value}` matches no file next to `{test_file.path}`: "
            "its tests load no rules",
        )


def unknown_alertnames(project: Project, test_file: UnitTestFile) -> Iterator[Finding]:
    written = [str(p.value) for p in patterns(test_file)]
    loaded = [r for r in project.rule_files if any(matches(project, test_file, p, r) for p in written)]
    every = all(any(matches(project, test_file, p, r) for r in loaded) for p in written)
    if not loaded or not every:
        return
    alerts = sorted({rule.name for r in loaded for rule in r.rules() if rule.kind == "alert"})
    tests = test_file.node.get("tests")
    for group in tests.items if isinstance(tests, Sequence) else ():
        entries = group.get("alert_rule_test") if isinstance(group, Mapping) else None
        for entry in entries.items if isinstance(entries, Sequence) else ():
            name = entry.string("alertname") if isinstance(entry, Mapping) else None
            if name is None or name.value in alerts:
                continue
            close = difflib.get_close_matches(str(name.value), alerts, n=1, cutoff=0.6)
            yield Finding(
                name.location,
                f"`alertname: {name.value}` names no alert of the rule files this test loads",
                f"did you mean `{close[0]}`?" if close else None,
            )


def check(project: Project) -> Iterator[Finding]:
    for test_file in project.unit_test_files:
        yield from missing_rule_files(project, test_file)
        yield from unknown_alertnames(project, test_file)

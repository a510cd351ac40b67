"""Shared by the checks that report what a reader found while loading files (syntax/*, registry/*)."""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.problem import Finding
from mmlint.project import Project


def loaded(project: Project, check_id: str) -> Iterator[Finding]:
    yield from project.load_findings.get(check_id, ())

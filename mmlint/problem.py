"""What checks report: a Finding (where and what), stamped by the core loop into a Problem (which check,
how severe)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}: use one of error, warning, info") from None


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A place in a file; line and column count from 1, the column in characters. Every node read from a
    file has one (slots: a third of the memory, and quicker to make)."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Finding:
    """What a check yields: one sentence naming the culprit in backticks, and an optional hint."""

    location: Location
    message: str
    hint: str | None = None


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    check_id: str
    severity: Severity
    message: str
    hint: str | None = None


def sort_key(problem: Problem) -> tuple[str, int, int, str, Severity, str, str | None]:
    """The order of `Problem`'s own comparisons as one flat tuple: sorting by it is several times faster."""
    location = problem.location
    return (
        location.path,
        location.line,
        location.column,
        problem.check_id,
        problem.severity,
        problem.message,
        problem.hint,
    )

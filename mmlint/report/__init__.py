"""Reporters: one `render(problems, out, catalog)` function each, chosen by `--format`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from mmlint.checks import CheckInfo
from mmlint.problem import Problem
from mmlint.report import github, json_, sarif, text

Render = Callable[[Sequence[Problem], TextIO, Sequence[CheckInfo]], None]

FORMATS: dict[str, Render] = {
    "text": text.render,
    "json": json_.render,
    "sarif": sarif.render,
    "github": github.render,
}

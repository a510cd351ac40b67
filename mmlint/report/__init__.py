"""Reporters: one `render(problems, out, catalog)` function each, chosen by `--format`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO, TypeAlias

from mmlint.problem import Problem
from mmlint.report import github, json_, sarif, text

if TYPE_CHECKING:  # the check catalog is only a type here: `mmlint test` need not load every check
    from mmlint.checks import CheckInfo

Render: TypeAlias = "Callable[[Sequence[Problem], TextIO, Sequence[CheckInfo]], None]"

FORMATS: dict[str, Render] = {
    "text": text.render,
    "json": json_.render,
    "sarif": sarif.render,
    "github": github.render,
}

"""A `rate()`-like function over a range shorter than twice the scrape interval.

`rate`, `irate`, `increase`, `delta`, `idelta`, `deriv`, `predict_linear` and `holt_winters` need at
least two samples in their range to return anything. With samples every `scrape-interval` (from
`[tool.mmlint]`), only a range of at least twice that always holds two; four times survives one failed
scrape. Grafana's `$__rate_interval` is substituted as Grafana computes it from the same scrape interval,
so it always passes. Reported at the range's `[`.

Why: `rate(x[15s])` scraped every 10s returns nothing at one evaluation out of two: graphs have holes and
alerts flap.

Bad:

    expr: sum by (symbol) (rate(mm_fills_total[15s]))

Good:

    expr: sum by (symbol) (rate(mm_fills_total[1m]))
"""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser

from mmlint.duration import format_duration
from mmlint.problem import Finding, Severity
from mmlint.project import Project, Query
from mmlint.promql.nodes import ranges

ID = "promql/rate-range"
SEVERITY = Severity.WARNING
# Functions of a range vector that return nothing for a series with fewer than two samples in the range.
TWO_SAMPLES = frozenset(
    {"rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "holt_winters"}
)


def short_ranges(query: Query, scrape: float) -> list[tuple[int, str, float]]:
    """The offset, function and seconds of each range too short for its function."""
    found = []
    for node, parent, offset in ranges(query):
        if isinstance(parent, promql_parser.Call) and parent.func.name in TWO_SAMPLES:
            seconds = node.range.total_seconds()
            if seconds < 2 * scrape:
                found.append((offset, parent.func.name, seconds))
    return found


def check(project: Project) -> Iterator[Finding]:
    scrape = project.config.scrape_interval_s
    found_in: dict[str, list[tuple[int, str, float]]] = {}  # the same expression recurs across files
    for query in project.queries():
        found = found_in.get(query.text)
        if found is None:
            found = found_in[query.text] = short_ranges(query, scrape)
        for offset, function, seconds in found:
            written = _written_range(query, offset)
            shown = f"`[{format_duration(seconds)}]`" + (f" (`[{written}]`)" if written else "")
            hint = f"use at least `[{format_duration(2 * scrape)}]`; "
            hint += f"`[{format_duration(4 * scrape)}]` also survives a failed scrape"
            if written:
                hint = "use `$__rate_interval`, which Grafana sizes from the scrape interval"
            yield Finding(
                query.location(offset),
                f"range {shown} of `{function}` is shorter than twice the "
                f"scrape interval `{format_duration(scrape)}`: it can hold fewer than two samples",
                hint,
            )


def _written_range(query: Query, offset: int) -> str | None:
    """The range as written in the dashboard when a Grafana variable wrote it (`$__interval`), else None."""
    close = query.text.find("]", offset)
    if query.offsets is None or close < 0:
        return None
    raw = query.source.value[query.offsets[offset] + 1 : query.offsets[close]]
    return raw if raw != query.text[offset + 1 : close] else None

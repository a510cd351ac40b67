"""Prometheus's series notation (promql/parser ParseSeriesDesc): `metric{label="value"} 1+2x3 _ stale`,
as load commands of test scripts and promtool's input_series write series.

Values: a number (`Inf`, `NaN` too); `stale`, the staleness marker; `_`, an omitted sample; `a+bxn` and
`a-bxn`, n+1 values from a stepping by b; `axn`, a repeated n+1 times; `_xn`, n omitted samples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import promql_parser

from mmlint.promql.engine import parse
from mmlint.promql.values import NAME, STALE_NAN, Labels, PromQLError, make_labels

_NUMBER = r"(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF]|[nN][aA][nN])"
_ITEM = re.compile(rf"(?P<base>_|stale|[+-]?{_NUMBER})(?:(?P<delta>[+-]{_NUMBER})?x(?P<times>\d+))?\Z")
MAX_VALUES = 10_000_000  # per series line: `1x100000000000` must be an error, not an exhausted memory


class SeriesNotationError(ValueError):
    pass


@dataclass(frozen=True)
class SeriesLine:
    labels: Labels
    values: tuple[float | None, ...]  # None: omitted (`_`)


def split_metric(line: str) -> tuple[str, str]:
    """The metric part (`name{labels}`) and the values part of a series line."""
    brace = line.find("{")
    space = re.search(r"\s", line)
    if brace < 0 or (space is not None and space.start() < brace):
        end = space.start() if space else len(line)
        return line[:end], line[end:]
    quote = ""
    i = brace + 1
    while i < len(line):
        char = line[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char == "}":
            return line[: i + 1], line[i + 1 :]
        i += 1
    raise SeriesNotationError(f"unclosed braces in series {line!r}")


def parse_labels(metric: str) -> Labels:
    if metric.strip() == "{}":
        return ()
    try:
        node = parse(metric)
    except PromQLError as error:
        raise SeriesNotationError(f"bad metric {metric!r}: {error}") from None
    if not isinstance(node, promql_parser.VectorSelector):
        raise SeriesNotationError(f"bad metric {metric!r}")
    pairs = [(m.name, m.value) for m in node.matchers.matchers]
    if node.name is not None:
        pairs.append((NAME, node.name))
    return make_labels(pairs)


def parse_series_values(text: str) -> tuple[float | None, ...]:
    values: list[float | None] = []
    for item in text.split():
        match = _ITEM.match(item)
        if match is None:
            raise SeriesNotationError(f"bad series value {item!r}")
        base, delta, times = match["base"], match["delta"], match["times"]
        if times is not None and len(values) + int(times) >= MAX_VALUES:
            raise SeriesNotationError(f"more than {MAX_VALUES:,} values in one series")
        if base == "_":
            values.extend([None] * (int(times) if times else 1))
            continue
        value = STALE_NAN if base == "stale" else float(base)
        if times is None:
            values.append(value)
            continue
        step = float(delta) if delta else 0.0
        for _ in range(int(times) + 1):
            values.append(value)
            if delta:
                value += step
    return tuple(values)


def parse_series(line: str) -> SeriesLine:
    """A series line: `metric{labels} values` (parser.ParseSeriesDesc)."""
    metric, values = split_metric(line.strip())
    return SeriesLine(parse_labels(metric), parse_series_values(values))

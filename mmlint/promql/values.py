"""PromQL's value types, as Prometheus names them (promql/value.go): Scalar, String, Sample, Vector,
Series, Matrix. Floats only: mmlint's engine has no native histograms.

Timestamps are integer milliseconds, as in Prometheus. Labels are a tuple of (name, value) pairs sorted by
name, with no empty values (Prometheus drops a label whose value is empty); `__name__` is one of them when
the series has a name. Tuples are hashable, so a Labels value is its own series identity.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Labels = tuple[tuple[str, str], ...]

NAME = "__name__"
# The bit pattern Prometheus writes as a staleness marker (model/value/value.go StaleNaN).
STALE_NAN_BITS = 0x7FF0000000000002
STALE_NAN: float = struct.unpack("<d", struct.pack("<Q", STALE_NAN_BITS))[0]


def is_stale(value: float) -> bool:
    """Whether `value` is the staleness marker (a NaN with Prometheus's own payload, not any NaN)."""
    return math.isnan(value) and struct.unpack("<Q", struct.pack("<d", value))[0] == STALE_NAN_BITS


def make_labels(pairs: Mapping[str, str] | Iterable[tuple[str, str]]) -> Labels:
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    return tuple(sorted((name, value) for name, value in items if value != ""))


def get_label(labels: Labels, name: str) -> str:
    """The label's value, or "" when absent (PromQL treats a missing label as empty)."""
    for key, value in labels:
        if key == name:
            return value
    return ""


def drop_name(labels: Labels) -> Labels:
    return tuple(pair for pair in labels if pair[0] != NAME)


def format_labels(labels: Labels) -> str:
    """`{__name__="x", a="b"}` as Prometheus's labels.Labels.String() prints it (name first, not sorted
    apart from that)."""
    return "{" + ", ".join(f"{name}={quote(value)}" for name, value in labels) + "}"


def quote(value: str) -> str:
    """A Go strconv.Quote of `value`."""
    out = ['"']
    for char in value:
        code = ord(char)
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Scalar:
    t: int
    v: float


@dataclass(frozen=True, slots=True)
class String:
    t: int
    s: str


@dataclass(frozen=True, slots=True)
class Sample:
    """One element of an instant vector: a series' labels and its value at evaluation time `t`."""

    labels: Labels
    t: int
    v: float


@dataclass(frozen=True, slots=True)
class Series:
    """One element of a range vector: a series' labels and its points `(t, v)` in time order."""

    labels: Labels
    points: tuple[tuple[int, float], ...]


class Vector(list[Sample]):
    """An instant vector."""


class Matrix(list[Series]):
    """A range vector."""


Value = Scalar | String | Vector | Matrix


class PromQLError(Exception):
    """An evaluation error, worded as Prometheus words it (e.g. "vector cannot contain metrics with the same
    labelset", "found duplicate series for the match group ... on the right hand-side of the operation")."""


class ParseError(PromQLError):
    """The expression does not parse; the message is the parser's."""

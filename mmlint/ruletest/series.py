"""Series notation, as Prometheus 2.42's parser reads a `load` line (promql/parser: ParseSeriesDesc,
ParseMetric), expanded into points with a bound on how many.

`metric{label="value"} 1 2+3x4 _ _x2 stale -1-0.5x2`:
- `a` is one value; `axN` is a repeated N more times (N+1 values); `a+bxN` and `a-bxN` are N+1 values, each
  the previous plus b (added step by step, as Go adds, so float rounding matches);
- `_` is one omitted step, `_xN` is N omitted steps (not N+1);
- `stale` is a staleness marker; numbers are Go's: `010` is octal 8, `1e3`, `.5`, `Inf`, `NaN`, signs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mmlint.promql.values import NAME, STALE_NAN, Labels

IDENT_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
# The lexer's scanNumber in a series description: decimal digits, a fraction, an exponent; no hex.
NUMBER_RE = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]*)?")
WORD_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_:]*")
SPACE = " \t\r\n"
GO_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


class SeriesError(Exception):
    """Bad notation: the character offset in the text and one sentence."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


@dataclass(frozen=True)
class Run:
    """`count` values from `value` (None: omitted steps), each the previous plus `step` when there is one."""

    count: int
    value: float | None
    step: float | None = None


@dataclass(frozen=True)
class SeriesDesc:
    """A series line kept as runs, never expanded whole: `0x10000000` is one Run, and a test only loads
    the values up to its last evaluation."""

    labels: Labels
    runs: tuple[Run, ...]

    def __len__(self) -> int:
        return sum(run.count for run in self.runs)

    def values(self, limit: int) -> list[float | None]:
        """The first `limit` values, one per step from t=0 (None where omitted)."""
        out: list[float | None] = []
        for run in self.runs:
            n = min(run.count, limit - len(out))
            if run.value is None or run.step is None:
                out.extend([run.value] * n)
            else:
                value = run.value
                for _ in range(n):
                    out.append(value)
                    value += run.step  # one addition per step, as the Go parser does: same rounding
            if len(out) >= limit:
                break
        return out


def parse_metric(text: str) -> Labels:
    """`name{a="b"}`, `{a="b"}` or `name` as labels (ParseMetric); SeriesError when malformed."""
    start = skip_space(text, 0)
    if start == len(text):
        return ()
    labels, end = read_metric(text, start)
    end = skip_space(text, end)
    if end != len(text):
        raise SeriesError(end, f"unexpected {text[end]!r} after the label set")
    return labels


def parse_series_desc(text: str) -> SeriesDesc:
    """A series line: its labels and its values as runs."""
    labels, offset = read_metric(text, skip_space(text, 0))
    runs: list[Run] = []
    while offset < len(text):
        if text[offset] not in SPACE:
            raise SeriesError(offset, f"unexpected {text[offset]!r}: series values are separated by spaces")
        offset = skip_space(text, offset)
        if offset == len(text):
            break
        value, repeat, step, offset = read_item(text, offset)
        runs.append(Run(repeat, None) if value is None else Run(repeat + 1, value, step))
    return SeriesDesc(labels, tuple(runs))


def read_item(text: str, offset: int) -> tuple[float | None, int, float | None, int]:
    """One item: (value or None for `_`, repetitions, step or None, end offset)."""
    if text[offset] == "_":
        if text.startswith("x", offset + 1):
            repeat, end = read_uint(text, offset + 2)
            return None, repeat, None, end
        if offset + 1 < len(text) and text[offset + 1] not in SPACE:
            raise SeriesError(offset + 1, f"unexpected {text[offset + 1]!r} after `_`")
        return None, 1, None, offset + 1
    value, offset = read_value(text, offset)
    step: float | None = None
    if offset < len(text) and text[offset] in "+-":
        step, offset = read_value(text, offset)
        if not text.startswith("x", offset):
            raise SeriesError(offset, "a step `a+b` must be followed by `xN` (a repetition count)")
    if text.startswith("x", offset):
        repeat, offset = read_uint(text, offset + 1)
        return value, repeat, step, offset
    return value, 0, None, offset


def read_value(text: str, offset: int) -> tuple[float, int]:
    sign = 1.0
    signed = text[offset] in "+-"
    if signed:
        sign = -1.0 if text[offset] == "-" else 1.0
        offset += 1
        if offset == len(text):
            raise SeriesError(offset, "unexpected end of the series values: a number must follow the sign")
    word = WORD_RE.match(text, offset)
    if word:
        name = word.group()
        if name.lower() in ("inf", "nan"):
            return sign * float(name), word.end()
        if name == "stale" and not signed:
            return STALE_NAN, word.end()
        raise SeriesError(offset, f"unexpected `{name}` in series values: expected a number or `stale`")
    number = NUMBER_RE.match(text, offset)
    if number is None:
        raise SeriesError(offset, f"unexpected {text[offset]!r} in series values")
    end = number.end()
    if end < len(text) and text[end] != "x" and (text[end].isalnum() or text[end] == "_"):
        raise SeriesError(offset, f"bad number syntax: `{text[offset : end + 1]}`")
    return sign * go_number(number.group(), offset), end


def go_number(token: str, offset: int) -> float:
    """The parser's number(): strconv.ParseInt(token, 0, 64) (so `010` is 8), else ParseFloat."""
    if token.isdigit():
        octal = len(token) > 1 and token.startswith("0")
        if not octal or set(token) <= set("01234567"):
            value = int(token, 8 if octal else 10)
            if value < 1 << 63:
                return float(value)
    try:
        return float(token)
    except ValueError:
        raise SeriesError(offset, f"error parsing number `{token}`") from None


def read_uint(text: str, offset: int) -> tuple[int, int]:
    match = re.compile(r"[0-9]+").match(text, offset)
    if match is None:
        raise SeriesError(offset, "`x` must be followed by a repetition count")
    end = match.end()
    if end < len(text) and text[end] not in SPACE:
        raise SeriesError(end, f"unexpected {text[end]!r} after the repetition count")
    value = int(match.group())
    if value >= 1 << 64:
        raise SeriesError(offset, f"invalid repetition in series values: `{match.group()}` is out of range")
    return value, end


def read_metric(text: str, offset: int) -> tuple[Labels, int]:
    pairs: dict[str, str] = {}
    name = IDENT_RE.match(text, offset)
    if name is not None:
        if name.group().lower() in ("inf", "nan"):
            raise SeriesError(offset, f"unexpected number `{name.group()}`: expected a metric name")
        pairs[NAME] = name.group()
        offset = name.end()
    if offset < len(text) and text[offset] == "{":
        offset = read_label_set(text, offset + 1, pairs)
    elif name is None:
        found = repr(text[offset]) if offset < len(text) else "end of input"
        raise SeriesError(offset, f"unexpected {found}: expected a metric name or a label set")
    return tuple(sorted((k, v) for k, v in pairs.items())), offset


def read_label_set(text: str, offset: int, pairs: dict[str, str]) -> int:
    while True:
        offset = skip_space(text, offset)
        if offset < len(text) and text[offset] == "}":
            return offset + 1
        label = LABEL_RE.match(text, offset)
        if label is None:
            found = repr(text[offset]) if offset < len(text) else "end of input"
            raise SeriesError(offset, f"unexpected character inside braces: {found}")
        offset = skip_space(text, label.end())
        if not text.startswith("=", offset) or text.startswith("=~", offset):
            raise SeriesError(offset, f"expected `=` after label `{label.group()}`")
        offset = skip_space(text, offset + 1)
        value, offset = read_string(text, offset)
        pairs[label.group()] = value
        offset = skip_space(text, offset)
        if offset < len(text) and text[offset] == ",":
            offset += 1
        elif not (offset < len(text) and text[offset] == "}"):
            found = repr(text[offset]) if offset < len(text) else "end of input"
            raise SeriesError(offset, f"unexpected {found} in label set: expected `,` or `}}`")


def read_string(text: str, offset: int) -> tuple[str, int]:
    """A PromQL string literal: "..." or '...' with Go escapes, or `...` raw."""
    if offset >= len(text) or text[offset] not in "\"'`":
        raise SeriesError(offset, "expected a quoted label value")
    quote = text[offset]
    out: list[str] = []
    index = offset + 1
    while index < len(text):
        char = text[index]
        if char == quote:
            return "".join(out), index + 1
        if char == "\n" and quote != "`":
            break
        if char == "\\" and quote != "`":
            decoded, index = read_escape(text, index + 1, quote)
            out.append(decoded)
            continue
        out.append(char)
        index += 1
    raise SeriesError(offset, "unterminated quoted string")


def read_escape(text: str, index: int, quote: str) -> tuple[str, int]:
    if index >= len(text):
        raise SeriesError(index, "unterminated quoted string")
    char = text[index]
    if char in GO_ESCAPES:
        return GO_ESCAPES[char], index + 1
    if char == quote:
        return char, index + 1
    widths = {"x": 2, "u": 4, "U": 8}
    if char in widths:
        digits = text[index + 1 : index + 1 + widths[char]]
        if len(digits) == widths[char] and all(c in "0123456789abcdefABCDEF" for c in digits):
            code = int(digits, 16)
            if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                return chr(code), index + 1 + widths[char]
    elif char in "01234567":
        digits = text[index : index + 3]
        if len(digits) == 3 and all(c in "01234567" for c in digits) and int(digits, 8) < 256:
            return chr(int(digits, 8)), index + 3
    raise SeriesError(index - 1, f"invalid escape sequence `\\{char}` in a quoted string")


def skip_space(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in SPACE:
        offset += 1
    return offset


def points(desc: SeriesDesc, interval_ms: int, *, steps: int) -> list[tuple[int, float]]:
    """The samples `(t, v)` of the first `steps` steps of a series loaded with `load <interval>`, from t=0.

    With interval 0 (a 2.42 test group without `interval`) every value lands on t=0 and the TSDB keeps only
    the first: later appends at the same timestamp are dropped as out of order."""
    if interval_ms == 0:
        first = next((run.value for run in desc.runs if run.value is not None and run.count > 0), None)
        return [] if first is None else [(0, first)]
    return [(step * interval_ms, v) for step, v in enumerate(desc.values(steps)) if v is not None]

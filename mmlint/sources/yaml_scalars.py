"""The YAML scalar re-scanner: PyYAML gives a scalar's value and where it starts and ends, not where each of
its characters came from. This re-scans the scalar's source by its style (plain, single- or double-quoted,
`|` literal, `>` folded) as PyYAML's scanner does, YAML 1.1 line breaks, escapes and folding included,
recording the file offset of every decoded character. The caller compares the result with PyYAML's value
and falls back to the scalar's start when they disagree.
"""

from __future__ import annotations

import re
from typing import TypeAlias


class Mismatch(Exception):
    """The re-scan met something PyYAML's scanner would not have accepted."""


class Runs:
    """Decoded characters and the file offset each came from, built run by run."""

    def __init__(self, start: int) -> None:
        self.parts: list[str] = []
        self.indices: list[int] = []
        self.after = start

    def copy(self, src: str, start: int, end: int) -> None:
        if end > start:
            self.parts.append(src[start:end])
            self.indices.extend(range(start, end))
            self.after = end

    def put(self, char: str, index: int, width: int) -> None:
        self.parts.append(char)
        self.indices.append(index)
        self.after = index + width


# What PyYAML's scanner does, re-done with offsets: line breaks, escapes and folding per YAML 1.1.
_BREAKS = "\r\n\x85\u2028\u2029"
_PLAIN_RUN = re.compile(r"[^ \r\n\x85\u2028\u2029]+")
_SPACES = re.compile(r" *")
_BLANKS = re.compile(r"[ \t]*")
_LINE_REST = re.compile(r"[^\r\n\x85\u2028\u2029\0]*")
_QUOTED_RUN = re.compile(r"[^'\"\\\0 \t\r\n\x85\u2028\u2029]+")
_ESCAPES = {
    "0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "\\": "\\", "/": "/", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_ESCAPE_DIGITS = {"x": 2, "u": 4, "U": 8}
_Break: TypeAlias = tuple[str, int, int]  # the character a line break reads as, its offset, its width


def _line_break(src: str, index: int) -> tuple[str, int]:
    """The break at `index` as YAML 1.1 reads it (`\\r\\n`, `\\r`, `\\x85` become `\\n`), and what follows."""
    char = src[index]
    if char == "\r" and src[index + 1] == "\n":
        return "\n", index + 2
    if char in "\r\n\x85":
        return "\n", index + 1
    if char in "\u2028\u2029":
        return char, index + 1
    return "", index


def _empty_lines(src: str, index: int, blanks: str, bounded: int | None = None) -> tuple[list[_Break], int]:
    """The line breaks among the blanks from `index` on, and where the blanks end."""
    breaks: list[_Break] = []
    while (bounded is None or index < bounded) and src[index] in blanks + _BREAKS:
        if src[index] in blanks:
            index += 1
        else:
            char, following = _line_break(src, index)
            breaks.append((char, index, following - index))
            index = following
    return breaks, index


def _fold(src: str, index: int, runs: Runs, blanks: str, bounded: int | None) -> int:
    """A line break inside a flow or plain scalar: one break becomes a space, more keep all but the first."""
    first, after = _line_break(src, index)
    width = after - index
    breaks, after = _empty_lines(src, after, blanks, bounded)
    if first != "\n":
        runs.put(first, index, 1)
    elif not breaks:
        runs.put(" ", index, width)
    for brk in breaks:
        runs.put(*brk)
    return after


def scan_plain(src: str, start: int, end: int, runs: Runs) -> None:
    index = start
    while index < end:
        run = _PLAIN_RUN.match(src, index, end)
        if run:
            runs.copy(src, index, run.end())
            index = run.end()
            continue
        spaces = _SPACES.match(src, index, end)
        after = spaces.end() if spaces else index
        if after < end and src[after] in _BREAKS:
            index = _fold(src, after, runs, " ", end)
        else:
            runs.copy(src, index, after)
            index = after


def scan_quoted(src: str, quote: int, double: bool, runs: Runs) -> int:
    """Scan a quoted scalar opening at `quote`; returns the offset of the closing quote."""
    index = quote + 1
    while True:
        run = _QUOTED_RUN.match(src, index)
        if run:
            runs.copy(src, index, run.end())
            index = run.end()
        char = src[index]
        if not double and char == "'" and src[index + 1] == "'":
            runs.put("'", index, 2)
            index += 2
        elif (double and char == "'") or (not double and char in '"\\'):
            runs.put(char, index, 1)
            index += 1
        elif double and char == "\\":
            index = _escape(src, index, runs)
        elif char == src[quote]:
            return index
        elif char in " \t" + _BREAKS:
            blanks = _BLANKS.match(src, index)
            after = blanks.end() if blanks else index
            if src[after] in _BREAKS:
                index = _fold(src, after, runs, " \t", None)
            else:
                runs.copy(src, index, after)
                index = after
        else:
            raise Mismatch


def _escape(src: str, index: int, runs: Runs) -> int:
    code = src[index + 1]
    if code in _ESCAPES:
        runs.put(_ESCAPES[code], index, 2)
        return index + 2
    if code in _ESCAPE_DIGITS:
        digits = _ESCAPE_DIGITS[code]
        runs.put(chr(int(src[index + 2 : index + 2 + digits], 16)), index, 2 + digits)
        return index + 2 + digits
    if code in _BREAKS:  # an escaped line break joins the lines; only the empty lines after it count
        breaks, after = _empty_lines(src, _line_break(src, index + 1)[1], " \t")
        for brk in breaks:
            runs.put(*brk)
        return after
    raise Mismatch


def scan_block(src: str, start: int, min_indent: int, runs: Runs) -> None:
    """Scan a `|` or `>` block scalar whose indicator is at `start`."""
    folded = src[start] == ">"
    chomping: bool | None = None
    increment: int | None = None
    index = start + 1
    while src[index] in "+-123456789":
        if src[index] in "+-":
            chomping = src[index] == "+"
        else:
            increment = int(src[index])
        index += 1
    rest = _LINE_REST.match(src, index)
    _, index = _line_break(src, rest.end() if rest else index)
    column = 0
    breaks: list[_Break] = []
    if increment is None:
        max_indent = 0
        while src[index] in " " + _BREAKS:
            if src[index] == " ":
                index, column = index + 1, column + 1
                max_indent = max(max_indent, column)
            else:
                char, following = _line_break(src, index)
                breaks.append((char, index, following - index))
                index, column = following, 0
        indent = max(min_indent, max_indent)
    else:
        indent = min_indent + increment - 1
        index, column = _block_breaks(src, index, column, indent, breaks)
    line_break: _Break | None = None
    while column == indent and src[index] != "\0":
        for brk in breaks:
            runs.put(*brk)
        leading_non_space = src[index] not in " \t"
        rest = _LINE_REST.match(src, index)
        end = rest.end() if rest else index
        runs.copy(src, index, end)
        char, index = _line_break(src, end)
        line_break = (char, end, index - end) if char else None
        column = 0 if char else column
        breaks = []
        index, column = _block_breaks(src, index, column, indent, breaks)
        if column != indent or src[index] == "\0" or line_break is None:
            break
        if not (folded and char == "\n" and leading_non_space and src[index] not in " \t"):
            runs.put(*line_break)
        elif not breaks:
            runs.put(" ", line_break[1], line_break[2])
    if chomping is not False and line_break is not None:
        runs.put(*line_break)
    if chomping is True:
        for brk in breaks:
            runs.put(*brk)


def _block_breaks(src: str, index: int, column: int, indent: int, breaks: list[_Break]) -> tuple[int, int]:
    """Skip indentation up to `indent` and collect the empty lines that follow."""
    while column < indent and src[index] == " ":
        index, column = index + 1, column + 1
    while src[index] in _BREAKS:
        char, following = _line_break(src, index)
        breaks.append((char, index, following - index))
        index, column = following, 0
        while column < indent and src[index] == " ":
            index, column = index + 1, column + 1
    return index, column

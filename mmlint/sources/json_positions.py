"""JSON (RFC 8259) read into the positioned tree of `positions` by a small recursive-descent parser that
keeps its own stack, so nesting is bounded by `Limits.max_depth` and never by Python's recursion limit.

It accepts what `json.loads` accepts, with one exception: `NaN`, `Infinity` and `-Infinity` are rejected, as
RFC 8259 and Go's encoding/json (so Grafana) reject them. Like `json.loads` it keeps lone surrogates from
`\\uXXXX` escapes, reads numbers with a fraction or exponent as float and others as int, and keeps duplicate
keys in order (`Mapping.get` and `to_python` take the last one). Errors name the problem as `json.loads` does
(`Expecting ',' delimiter`, `Unterminated string`, ...) at the offending character.
"""

from __future__ import annotations

import re

from mmlint.problem import Location
from mmlint.sources.positions import (
    BOOL_TAG,
    DEFAULT_LIMITS,
    FLOAT_TAG,
    INT_TAG,
    NULL_TAG,
    STR_TAG,
    LazyText,
    Limits,
    LineIndex,
    Mapping,
    Node,
    Scalar,
    ScalarValue,
    Sequence,
    SourceError,
    decode,
    paused_gc,
)

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DELIMITER = re.compile(r"[ \t\n\r]*(?:(,)[ \t\n\r]*)?")  # after a value: maybe a comma, and what follows
_PLAIN_KEY = re.compile(r'"([^"\\\x00-\x1f]*)"[ \t\n\r]*:[ \t\n\r]*')  # the common case of a key
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_UNESCAPED = re.compile(r'[^"\\\x00-\x1f]*')
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_LITERALS: dict[str, tuple[ScalarValue, str]] = {
    "true": (True, BOOL_TAG),
    "false": (False, BOOL_TAG),
    "null": (None, NULL_TAG),
}
_NOT_NUMBERS = ("NaN", "Infinity", "-Infinity")


def load_json(data: bytes, path: str, *, limits: Limits = DEFAULT_LIMITS) -> Node:
    """One JSON document as a positioned tree; a SourceError says where and why it is not valid JSON."""
    with paused_gc():
        return _Parser(decode(data, path, limits), path, limits).document()


class _Container:
    """An array or object whose closing bracket has not been read yet."""

    __slots__ = ("close", "key", "location", "pairs", "values")

    def __init__(self, close: str, location: Location) -> None:
        self.close = close
        self.location = location
        self.values: list[Node] = []
        self.pairs: list[tuple[Scalar, Node]] = []
        self.key: Scalar | None = None

    def node(self) -> Node:
        if self.close == "]":
            return Sequence(tuple(self.values), self.location)
        return Mapping(tuple(self.pairs), self.location)


class _Parser:
    def __init__(self, text: str, path: str, limits: Limits) -> None:
        self.text = text
        self.path = path
        self.limits = limits
        self.lines = LineIndex(text)
        self.nodes = 0

    def error(self, index: int, message: str) -> SourceError:
        return SourceError(self.lines.location(self.path, index), message)

    def skip(self, index: int) -> int:
        match = _WHITESPACE.match(self.text, index)
        return match.end() if match else index

    def found(self, index: int) -> str:
        """What stands at `index`, for the end of an error message."""
        return f"found `{self.text[index]}`" if index < len(self.text) else "found the end of the file"

    def count(self, index: int) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.error(index, f"more than {self.limits.max_nodes} values")

    def document(self) -> Node:
        text = self.text
        stack: list[_Container] = []
        index = self.skip(0)
        while True:
            # A value starts at `index`.
            char = text[index : index + 1]
            value: Node
            if char in ("[", "{"):
                if len(stack) >= self.limits.max_depth:
                    raise self.error(index, f"nesting deeper than {self.limits.max_depth} levels")
                self.count(index)
                container = _Container("]" if char == "[" else "}", self.lines.location(self.path, index))
                index = self.skip(index + 1)
                if not text.startswith(container.close, index):
                    stack.append(container)
                    if char == "{":
                        index = self.key(container, index)
                    continue
                value, index = container.node(), index + 1
            else:
                value, index = self.scalar(index)
            # A value ends at `index`: hand it to the containers it closes.
            while True:
                if not stack:
                    index = self.skip(index)
                    if index < len(text):
                        raise self.error(index, "Extra data after the JSON value")
                    return value
                container = stack[-1]
                if container.key is None:
                    container.values.append(value)
                else:
                    container.pairs.append((container.key, value))
                delimiter = _DELIMITER.match(text, index)
                assert delimiter is not None  # every part of the pattern is optional
                if delimiter.group(1):
                    index = delimiter.end()
                    if text.startswith(container.close, index):
                        kind = "array" if container.close == "]" else "object"
                        raise self.error(delimiter.start(1), f"Illegal trailing comma before end of {kind}")
                    index = self.key(container, index) if container.key is not None else index
                    break
                index = delimiter.end()
                if not text.startswith(container.close, index):
                    raise self.error(
                        index, f"Expecting ',' delimiter or `{container.close}`, {self.found(index)}"
                    )
                stack.pop()
                value, index = container.node(), index + 1

    def key(self, container: _Container, index: int) -> int:
        """Read `"name":` at `index` into `container.key`; the offset of the value that follows."""
        plain = _PLAIN_KEY.match(self.text, index)
        if plain:
            self.count(index)
            start, end = plain.span(1)
            text = LazyText(plain.group(1), self.path, self.lines, range(start, end + 1))
            container.key = Scalar(plain.group(1), text, self.lines.location(self.path, index), STR_TAG)
            return plain.end()
        if not self.text.startswith('"', index):
            raise self.error(index, f"Expecting property name enclosed in double quotes, {self.found(index)}")
        container.key, index = self.string(index)
        index = self.skip(index)
        if not self.text.startswith(":", index):
            raise self.error(index, f"Expecting ':' delimiter, {self.found(index)}")
        return self.skip(index + 1)

    def scalar(self, index: int) -> tuple[Scalar, int]:
        text = self.text
        if text.startswith('"', index):
            return self.string(index)
        for word in _NOT_NUMBERS:
            if text.startswith(word, index):
                raise self.error(
                    index, f"`{word}` is not valid JSON: RFC 8259 has no NaN or infinite numbers"
                )
        number = _NUMBER.match(text, index)
        if number:
            self.count(index)
            source = number.group()
            try:
                value: ScalarValue = float(source) if number.group(1, 2) != (None, None) else int(source)
            except ValueError:  # more digits than Python's int() reads from a string (4300)
                raise self.error(index, f"Number too large to read: {len(source)} digits") from None
            tag = INT_TAG if isinstance(value, int) else FLOAT_TAG
            return self.literal(value, source, index, tag), number.end()
        for word, (value, tag) in _LITERALS.items():
            if text.startswith(word, index):
                self.count(index)
                return self.literal(value, word, index, tag), index + len(word)
        raise self.error(index, f"Expecting value, {self.found(index)}")

    def literal(self, value: ScalarValue, source: str, index: int, tag: str) -> Scalar:
        text = LazyText(source, self.path, self.lines, range(index, index + len(source) + 1))
        return Scalar(value, text, self.lines.location(self.path, index), tag)

    def string(self, quote: int) -> tuple[Scalar, int]:
        """The string whose opening quote is at `quote`, and the offset after its closing quote."""
        self.count(quote)
        text = self.text
        location = self.lines.location(self.path, quote)
        start = quote + 1
        plain = _UNESCAPED.match(text, start)
        end = plain.end() if plain else start
        if text.startswith('"', end):  # no escapes
            value = text[start:end]
            return Scalar(
                value, LazyText(value, self.path, self.lines, range(start, end + 1)), location, STR_TAG
            ), end + 1
        parts: list[str] = []
        offsets: list[int] = []
        index = start
        while True:
            plain = _UNESCAPED.match(text, index)
            end = plain.end() if plain else index
            parts.append(text[index:end])
            offsets.extend(range(index, end))
            index = end
            char = text[index : index + 1]
            if char == '"':
                break
            if char == "\\":
                char, index = self.escape(index, quote)
                parts.append(char)
                offsets.append(end)
            elif not char:
                raise self.error(quote, "Unterminated string starting here")
            else:
                raise self.error(index, f"Invalid control character {char!r} in string")
        value = "".join(parts)
        offsets.append(index)
        return Scalar(value, LazyText(value, self.path, self.lines, offsets), location, STR_TAG), index + 1

    def escape(self, index: int, quote: int) -> tuple[str, int]:
        """The character an escape at `index` stands for, and the offset after the escape."""
        text = self.text
        code = text[index + 1 : index + 2]
        if code in _ESCAPES:
            return _ESCAPES[code], index + 2
        if not code:
            raise self.error(quote, "Unterminated string starting here")
        if code != "u":
            raise self.error(index, f"Invalid \\escape `\\{code}` in string")
        unit = self.hex4(index)
        if 0xD800 <= unit <= 0xDBFF and text.startswith("\\u", index + 6):
            low = self.hex4(index + 6)
            if 0xDC00 <= low <= 0xDFFF:  # a surrogate pair is one character
                return chr(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)), index + 12
        return chr(unit), index + 6

    def hex4(self, index: int) -> int:
        digits = _HEX4.match(self.text, index + 2)
        if not digits:
            raise self.error(index, "Invalid \\uXXXX escape in string")
        return int(digits.group(), 16)

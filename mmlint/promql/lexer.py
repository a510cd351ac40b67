"""PromQL tokens with their offsets, split the way Prometheus's lexer (promql/parser/lex.go) splits them.

Token kinds and error classes follow Prometheus v2.42.0. Where the promql_parser package (the parser mmlint
runs) lexes differently, this lexer follows promql_parser, so that every expression it accepts tokenizes
cleanly and every lexical error it reports has a token here:

- inside `[...]` only numbers, durations, `:` and spaces are allowed; a number is a range in seconds
  (Prometheus 3 also accepts that), a `:` right after `[` or a second `:` is an error;
- `or` followed by a space inside braces is the keyword (promql_parser's `{a="1" or b="2"}`);
- `fill`, `fill_left`, `fill_right` are keywords only when a `(` follows (Prometheus 3 does the same),
  `limitk` and `limit_ratio` are aggregators (Prometheus 3);
- a backslash escape is checked in every kind of string, raw backtick strings included, and a quoted
  string may span lines (promql_parser rejects it later, when it unquotes the value);
- a form feed counts as white space.

Offsets are indexes into the Python string, not byte offsets as in Go.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import NamedTuple


class Kind(StrEnum):
    IDENTIFIER = "identifier"
    METRIC_IDENTIFIER = "metric_identifier"
    KEYWORD = "keyword"
    AGGREGATOR = "aggregator"
    NUMBER = "number"
    DURATION = "duration"
    STRING = "string"
    OPERATOR = "operator"
    PUNCTUATION = "punctuation"
    COMMENT = "comment"
    ERROR = "error"


class Token(NamedTuple):
    """One token; `text == source[start:end]`. An ERROR token's `message` says what the lexer rejected.

    A NamedTuple rather than a frozen dataclass: a 1 MB expression makes hundreds of thousands of them.
    """

    kind: Kind
    text: str
    start: int
    end: int
    message: str = ""


KEYWORDS = frozenset(
    {"and", "or", "unless", "atan2", "by", "without", "on", "ignoring", "group_left", "group_right"}
    | {"bool", "offset", "start", "end"}
)
FILL_KEYWORDS = frozenset({"fill", "fill_left", "fill_right"})
AGGREGATORS = frozenset(
    {"sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "count_values"}
    | {"quantile", "limitk", "limit_ratio"}
)
# lex.go's key map also turns these words into numbers.
_NUMBER_WORDS = frozenset({"inf", "nan"})

_SPACE = re.compile(r"[ \t\n\r\f]+")
_WORD = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
_LABEL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIGITS = re.compile(r"[0-9]*")
# scanNumber: an optional 0x prefix, digits, a fraction, an exponent. Every part is optional and
# unambiguous, so the match is linear.
_NUMBER = re.compile(r"(?:0[xX][0-9a-fA-F]*(?:\.[0-9a-fA-F]*)?|[0-9]*(?:\.[0-9]*)?)(?:[eE][+-]?[0-9]*)?")
# acceptRemainingDuration: a unit (`y` only first, an `s` may follow any unit: `ms`), then count+unit pairs.
_DURATION_TAIL = re.compile(r"[smhdwy]s?(?:[0-9]+[smhdw]s?)*")
_STRING_BODY = {q: re.compile(f"[^{q}\\\\]*") for q in "\"'`"}
_ESCAPABLE = "abfnrtv\\01234567xuU"
_EOL = re.compile(r"[^\r\n]*")
_SPACES = " \t\n\r\f"
_WORD_START = frozenset("_:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ONE_CHAR_OPERATORS = "+-*/%^"
_MATCH_OPERATORS = frozenset({"=~", "!=", "!~"})  # and `=`


def _end(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where a match of `pattern` at `pos` ends (`pos` for none)."""
    match = pattern.match(text, pos)
    return match.end() if match else pos


def _is_alpha(c: str) -> bool:
    return c == "_" or ("a" <= c <= "z") or ("A" <= c <= "Z")


def _is_alnum(c: str) -> bool:
    return _is_alpha(c) or "0" <= c <= "9"


def _number_or_duration(text: str, pos: int) -> tuple[Kind, int]:
    """lexNumberOrDuration from `pos`: the kind and end of the literal, or ERROR and the end of the bad text.

    The bad text runs one character past where scanning stopped, as promql_parser quotes it in
    "bad number or duration syntax: 5x".
    """
    end = _end(_NUMBER, text, pos)
    nxt = text[end : end + 1]
    if not (_is_alpha(nxt) or nxt == "."):
        return Kind.NUMBER, end
    tail = _DURATION_TAIL.match(text, end)
    if tail is not None:
        end = tail.end()
        if not _is_alnum(text[end : end + 1]):
            return Kind.DURATION, end
        end = _end(_DIGITS, text, end)  # a count that never got its unit
    return Kind.ERROR, min(end + 1, len(text))


def _string_end(text: str, pos: int) -> tuple[int, int, str]:
    """The end of the string opening at `pos`; for a bad one, the span of the fault and why."""
    quote, body, n = text[pos], _STRING_BODY[text[pos]], len(text)
    i = pos + 1
    while True:
        i = _end(body, text, i)
        if i >= n:
            return pos, pos + 1, f"unterminated quoted string {quote}"
        if text[i] == quote:
            return pos, i + 1, ""
        escaped = text[i + 1 : i + 2]  # text[i] is a backslash
        if not escaped:
            return i, i + 1, "escape sequence not terminated"
        if escaped != quote and escaped not in _ESCAPABLE:
            return i, i + 2, f"unknown escape sequence '{escaped}'"
        i += 2


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens, white space dropped, comments kept.

    Never raises: lexing stops at the first thing Prometheus's lexer rejects, which becomes the last token,
    of kind ERROR, starting at the offending character (an unclosed `(`, `{` or `[` is reported at the
    opener, once the end of the input shows it is unclosed). Linear time.
    """
    tokens: list[Token] = []
    emit = tokens.append
    n = len(text)
    i = 0
    parens: list[int] = []  # offsets of the open `(`
    brace = bracket = -1  # offset of the open `{` / `[`, or -1
    colon = False  # a `:` was seen inside the open `[`

    def fail(start: int, end: int, message: str) -> list[Token]:
        emit(Token(Kind.ERROR, text[start:end], start, end, message))
        return tokens

    while True:
        if i >= n:
            if brace >= 0:
                return fail(brace, brace + 1, "unexpected end of input inside braces")
            if bracket >= 0:
                return fail(bracket, bracket + 1, "unexpected end of input inside brackets")
            if parens:
                return fail(parens[-1], parens[-1] + 1, "unclosed left parenthesis")
            return tokens
        c = text[i]
        if c in _SPACES:
            i = _end(_SPACE, text, i)
            continue
        if c == "#" and bracket < 0:
            end = _end(_EOL, text, i)
            emit(Token(Kind.COMMENT, text[i:end], i, end))
            i = end
            continue
        if c in "\"'`" and bracket < 0:
            start, end, why = _string_end(text, i)
            if why:
                return fail(start, end, why)
            emit(Token(Kind.STRING, text[i:end], i, end))
            i = end
            continue
        if brace >= 0:
            i, brace = _lex_in_braces(text, i, brace, emit)
            if brace == -2:
                return tokens
            continue
        if bracket >= 0:
            if "0" <= c <= "9":
                kind, end = _number_or_duration(text, i)
                if kind is Kind.ERROR:
                    return fail(i, end, f"bad number or duration syntax: {text[i:end]}")
                emit(Token(kind, text[i:end], i, end))
                i = end
            elif c == ":":
                if colon:
                    return fail(i, i + 1, "unexpected second colon(:) in brackets")
                if i == bracket + 1:
                    return fail(i, i + 1, "expect duration before first colon(:) in brackets")
                colon = True
                emit(Token(Kind.PUNCTUATION, c, i, i + 1))
                i += 1
            elif c == "]":
                emit(Token(Kind.PUNCTUATION, c, i, i + 1))
                bracket = -1
                i += 1
            else:
                why = f"unexpected character inside brackets: '{c}'"
                return fail(i, i + 1, "unexpected left brace '[' inside brackets" if c == "[" else why)
            continue
        # lexStatements.
        if "0" <= c <= "9" or (c == "." and "0" <= text[i + 1 : i + 2] <= "9"):
            kind, end = _number_or_duration(text, i)
            if kind is Kind.ERROR:
                return fail(i, end, f"bad number or duration syntax: {text[i:end]}")
            emit(Token(kind, text[i:end], i, end))
            i = end
        elif c in _WORD_START:
            end = _end(_WORD, text, i)
            emit(Token(_word_kind(text, text[i:end], end), text[i:end], i, end))
            i = end
        elif c in _ONE_CHAR_OPERATORS:
            emit(Token(Kind.OPERATOR, c, i, i + 1))
            i += 1
        elif c in "=!<>":
            two = text[i : i + 2]
            if two in ("==", "!=", "<=", ">="):
                emit(Token(Kind.OPERATOR, two, i, i + 2))
                i += 2
            elif two == "!":
                return fail(i, i + 1, "'!' can not be at the end")
            elif two == "=~" or c == "!":
                return fail(i, i + 2, f"unexpected character after '{c}': '{two[1]}'")
            else:
                emit(Token(Kind.OPERATOR, c, i, i + 1))
                i += 1
        elif c in "(),@{[":
            if c == ")" and not parens:
                return fail(i, i + 1, "unexpected right parenthesis ')'")
            emit(Token(Kind.PUNCTUATION, c, i, i + 1))
            if c == "(":
                parens.append(i)
            elif c == ")":
                parens.pop()
            elif c == "{":
                brace = i
            elif c == "[":
                bracket, colon = i, False
            i += 1
        elif c in "}]":
            return fail(i, i + 1, f"unexpected right {'brace' if c == '}' else 'bracket'} {c!r}")
        elif c == "." and i + 1 < n:
            return fail(i, i + 2, f"unexpected character after '.': '{text[i + 1]}'")
        else:
            return fail(i, i + 1, f"unexpected character: '{c}'")


def _word_kind(text: str, word: str, end: int) -> Kind:
    """lexKeywordOrIdentifier: keywords are case-insensitive; a `:` makes a metric identifier."""
    lower = word.lower()
    if lower in KEYWORDS:
        return Kind.KEYWORD
    if lower in AGGREGATORS:
        return Kind.AGGREGATOR
    if lower in _NUMBER_WORDS:
        return Kind.NUMBER
    if lower in FILL_KEYWORDS:
        return Kind.KEYWORD if text.startswith("(", _end(_SPACE, text, end)) else Kind.IDENTIFIER
    return Kind.METRIC_IDENTIFIER if ":" in word else Kind.IDENTIFIER


def _lex_in_braces(text: str, i: int, brace: int, emit: Callable[[Token], None]) -> tuple[int, int]:
    """lexInsideBraces for the token at `i` (not a space, comment or string): the next offset and the
    open brace, -1 once it closed, -2 after an error token."""
    c = text[i]
    if _is_alpha(c):
        end = _end(_LABEL, text, i)
        word = text[i:end]
        kind = Kind.KEYWORD if word.lower() == "or" and text[end : end + 1] == " " else Kind.IDENTIFIER
        emit(Token(kind, word, i, end))
        return end, brace
    if c == ",":
        emit(Token(Kind.PUNCTUATION, c, i, i + 1))
        return i + 1, brace
    if c == "}":
        emit(Token(Kind.PUNCTUATION, c, i, i + 1))
        return i + 1, -1
    two = text[i : i + 2]
    if two in _MATCH_OPERATORS or c == "=":
        op = two if two in _MATCH_OPERATORS else c
        emit(Token(Kind.OPERATOR, op, i, i + len(op)))
        return i + len(op), brace
    end = i + 1
    if c == "!":
        end = i + len(two)
        message = (
            f"unexpected character after '!' inside braces: '{two[1:]}'"
            if two[1:]
            else "'!' can not be at the end"
        )
    elif c == "{":
        message = "unexpected left brace '{' inside braces"
    else:
        message = f"unexpected character inside braces: '{c}'"
    emit(Token(Kind.ERROR, text[i:end], i, end, message))
    return i, -2

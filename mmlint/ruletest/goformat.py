"""Go's value formatting, as alert templates print values: `fmt`'s `%v` and a `fmt.Sprintf` for the values
templates handle (floats through strconv.FormatFloat, in gostrconv).

Go values are Python values: `str` (string), `bool`, `int` (Go int), `float` (float64), `complex`
(complex128), `None` (nil), and `GoValue` subclasses for the composite types (maps, the alert data struct,
query results, times), which say their Go type name and how `%v` prints them.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

from mmlint.ruletest.gostrconv import format_float, go_quote

__all__ = [
    "HTML",
    "GoValue",
    "format_arg",
    "format_float",
    "format_value",
    "go_quote",
    "sprint",
    "sprintf",
    "sprintln",
    "type_name",
]


class GoValue(ABC):
    """A Go value of a composite type."""

    type_name: str = "?"

    @abstractmethod
    def format(self, element: Callable[[object], str], *, nested: bool) -> str:
        """How fmt prints the value: `element` prints a value it contains (fmt applies the verb and flags to
        each element, not to the whole); `nested`: inside another value, where a pointer is an address."""


class HTML(str):
    """html/template.HTML, which `safeHtml` returns: a string to templates and fmt."""

    type_name = "template.HTML"


def type_name(value: object) -> str:
    """The Go type name of `value`, as `%T` and error messages print it."""
    if isinstance(value, HTML | GoValue):
        return value.type_name
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, complex):
        return "complex128"
    return "<nil>"


def format_value(value: object) -> str:
    """fmt.Sprint of one value (`%v`): 1.5, 1e+06, 1.9999999999999998, +Inf, <nil>, map[a:b]."""
    return sprintf("%v", [value])


# --- fmt.Sprintf --------------------------------------------------------------------------------------


class _Flags:
    __slots__ = ("minus", "plus", "prec", "sharp", "space", "wid", "zero")

    def __init__(self) -> None:
        self.minus = self.plus = self.sharp = self.space = self.zero = False
        self.wid: int | None = None
        self.prec: int | None = None

    def pad(self, text: str, *, zero: bool | None = None) -> str:
        if self.wid is None or len(text) >= self.wid:
            return text
        fill = "0" if (self.zero if zero is None else zero) else " "
        return text + " " * (self.wid - len(text)) if self.minus else fill * (self.wid - len(text)) + text


def _fmt_float(v: float, verb: str, f: _Flags) -> str:
    if verb == "v":
        verb, prec = "g", -1
    elif verb == "F":
        verb, prec = "f", 6
    else:
        prec = 6 if verb in "feE" else -1
    if f.prec is not None:
        prec = f.prec
    num = format_float(v, verb, prec)
    if num[0] not in "+-":
        num = "+" + num
    if f.space and num[0] == "+" and not f.plus:
        num = " " + num[1:]
    if num[1] in "IN":
        if num[1] == "N" and not f.space and not f.plus:
            num = num[1:]
        return f.pad(num, zero=False)
    if f.sharp:
        num = _sharp_float(num, verb, prec)
    if f.plus or num[0] != "+":
        if f.zero and f.wid is not None and f.wid > len(num):
            return num[0] + "0" * (f.wid - len(num)) + num[1:]
        return f.pad(num)
    return f.pad(num[1:])


def _sharp_float(num: str, verb: str, prec: int) -> str:
    """The `#` flag: always a decimal point, and %g keeps its trailing zeros (fmt's fmtFloat)."""
    digits = (6 if prec == -1 else prec) if verb in "gGx" else 0
    body, tail = num, ""
    match = re.search(r"[eEpP]", num[1:])
    if match and not (verb in "xX" and match.group() in "eE"):
        body, tail = num[: match.start() + 1], num[match.start() + 1 :]
    seen_nonzero = False
    for char in body[1:]:
        if char == ".":
            continue
        seen_nonzero = seen_nonzero or char != "0"
        if seen_nonzero:
            digits -= 1
    if "." not in body:
        if body[1:] == "0":
            digits -= 1
        body += "."
    return body + "0" * max(digits, 0) + tail


def _fmt_int(v: int, verb: str, f: _Flags) -> str:
    bases = {"d": 10, "v": 10, "b": 2, "o": 8, "O": 8, "x": 16, "X": 16}
    if verb == "c":
        return f.pad(chr(v) if 0 <= v <= 0x10FFFF else "\ufffd")
    if verb == "q":
        char = chr(v) if 0 <= v <= 0x10FFFF else "\ufffd"
        return f.pad("'" + go_quote(char)[1:-1].replace("'", "\\'") + "'")
    if verb == "U":
        return f.pad(f"U+{v:04X}")
    base = bases[verb]
    neg, u = v < 0, abs(v)
    if f.prec == 0 and u == 0:
        return " " * (f.wid or 0)
    digits = {10: f"{u}", 2: f"{u:b}", 8: f"{u:o}", 16: f"{u:x}"}[base]
    if verb == "X":
        digits = digits.upper()
    prec = f.prec if f.prec is not None else 0
    if f.prec is None and f.zero and f.wid is not None:
        prec = f.wid - (1 if neg or f.plus or f.space else 0)
    digits = digits.rjust(prec, "0")
    if f.sharp:
        if base == 2:
            digits = "0b" + digits
        elif base == 8 and not digits.startswith("0"):
            digits = "0" + digits
        elif base == 16:
            digits = ("0X" if verb == "X" else "0x") + digits
    if verb == "O":
        digits = "0o" + digits
    sign = "-" if neg else "+" if f.plus else " " if f.space else ""
    return f.pad(sign + digits, zero=False)


def _fmt_string(v: str, verb: str, f: _Flags) -> str:
    if f.prec is not None:
        v = v[: f.prec]
    if verb in "vs":
        return f.pad(v)
    if verb == "q":
        if f.sharp and "`" not in v and all(c == "\t" or (c.isprintable() and c != "\ufeff") for c in v):
            return f.pad("`" + v + "`")
        return f.pad(go_quote(v, ascii_only=f.plus))
    data = v.encode()
    hexed = data.hex().upper() if verb == "X" else data.hex()
    prefix = ("0X" if verb == "X" else "0x") if f.sharp else ""
    if not data:
        return " " * (f.wid or 0)
    pairs = [prefix + hexed[i : i + 2] for i in range(0, len(hexed), 2)]
    text = " ".join(pairs) if f.space else prefix + hexed
    return f.pad(text, zero=False)


_VERBS = {
    bool: "vt",
    int: "vdboOxXcqU",
    float: "vbgGxXeEfF",
    complex: "vbgGxXeEfF",
    str: "vsqxX",
}


def _kind(value: object) -> type | None:
    for kind in (bool, int, float, complex, str):
        if isinstance(value, kind):
            return kind
    return None


def format_arg(value: object, verb: str, f: _Flags | None = None, *, nested: bool = False) -> str:
    """One operand printed with `verb`, as fmt's printArg prints it."""
    f = f or _Flags()
    if verb == "T":
        return f.pad(type_name(value))
    if value is None:
        return f.pad("<nil>") if verb == "v" else _bad_verb(value, verb, f)
    kind = _kind(value)
    if kind is None:
        assert isinstance(value, GoValue)
        flags = f
        return value.format(lambda element: format_arg(element, verb, flags, nested=True), nested=nested)
    if verb not in _VERBS[kind]:
        return _bad_verb(value, verb, f)
    if isinstance(value, bool):
        return f.pad("true" if value else "false")
    if isinstance(value, int):
        return _fmt_int(value, verb, f)
    if isinstance(value, float):
        return _fmt_float(value, verb, f)
    if isinstance(value, complex):
        return _fmt_complex(value, verb, f)
    assert isinstance(value, str)
    return _fmt_string(value, verb, f)


def _fmt_complex(v: complex, verb: str, f: _Flags) -> str:
    wid, f.wid = f.wid, None
    real = _fmt_float(v.real, verb, f)
    plus, f.plus = f.plus, True
    imag = _fmt_float(v.imag, verb, f)
    f.plus, f.wid = plus, wid
    return f.pad(f"({real}{imag}i)")


def _bad_verb(value: object, verb: str, f: _Flags) -> str:
    """%!d(string=x): the operand printed with %v and the verb's width and precision, as fmt's badVerb."""
    if value is None:
        return f"%!{verb}(<nil>)"
    return f"%!{verb}({type_name(value)}={format_arg(value, 'v', f)})"


def _parse_num(fmt: str, i: int) -> tuple[int | None, int]:
    """fmt's parsenum: the number at `i` and the index after it; a number past a million is no number and
    swallows the rest of the format."""
    number, start = 0, i
    while i < len(fmt) and "0" <= fmt[i] <= "9":
        if number > 1_000_000:
            return None, len(fmt)
        number = number * 10 + int(fmt[i])
        i += 1
    return (number, i) if i > start else (None, i)


class _Cursor:
    """Where Sprintf is in the format and the operands, with fmt's explicit index (`%[2]d`) handling."""

    def __init__(self, nargs: int) -> None:
        self.arg_num, self.nargs = 0, nargs
        self.reordered = self.good = False

    def index(self, fmt: str, i: int) -> tuple[int, bool]:
        """Consume `[n]` at `i` if present; returns the new position and whether an index was found."""
        if i >= len(fmt) or fmt[i] != "[":
            return i, False
        self.reordered = True
        close = fmt.find("]", i + 1)
        if close < 0 or len(fmt) - i < 3:
            self.good = False
            return i + 1, False
        number, after = _parse_num(fmt, i + 1)
        if number is None or after != close:
            self.good = False
            return close + 1, False
        if 1 <= number <= self.nargs:
            self.arg_num = number - 1
            return close + 1, True
        self.good = False
        return close + 1, True


def sprintf(fmt: str, args: Sequence[object]) -> str:
    """fmt.Sprintf: verbs, flags (+ - # 0 space), width and precision (also `*`), explicit operand indexes
    (`%[2]d`), and Go's error texts (%!d(string=x), %!s(MISSING), %!(EXTRA int=1), %!(NOVERB))."""
    out: list[str] = []
    cur = _Cursor(len(args))
    i, end = 0, len(fmt)
    while i < end:
        start = i
        while i < end and fmt[i] != "%":
            i += 1
        out.append(fmt[start:i])
        if i >= end:
            break
        i += 1
        cur.good = True
        f = _Flags()
        while i < end and fmt[i] in "#0+- ":
            char = fmt[i]
            if char == "#":
                f.sharp = True
            elif char == "0":
                f.zero = not f.minus
            elif char == "+":
                f.plus = True
            elif char == "-":
                f.minus, f.zero = True, False
            else:
                f.space = True
            i += 1
        i, after_index = cur.index(fmt, i)
        if i < end and fmt[i] == "*":
            i += 1
            f.wid = _star(args, cur)
            if f.wid is None:
                out.append("%!(BADWIDTH)")
            elif f.wid < 0:
                f.wid, f.minus, f.zero = -f.wid, True, False
            after_index = False
        else:
            f.wid, i = _parse_num(fmt, i)
            if after_index and f.wid is not None:
                cur.good = False
        if i + 1 < end and fmt[i] == ".":
            i += 1
            if after_index:
                cur.good = False
            i, after_index = cur.index(fmt, i)
            if i < end and fmt[i] == "*":
                i += 1
                f.prec = _star(args, cur)
                if f.prec is not None and f.prec < 0:
                    f.prec = None
                if f.prec is None:
                    out.append("%!(BADPREC)")
                after_index = False
            else:
                f.prec, i = _parse_num(fmt, i)
                f.prec = f.prec or 0
        if not after_index:
            i, after_index = cur.index(fmt, i)
        if i >= end:
            out.append("%!(NOVERB)")
            break
        verb = fmt[i]
        i += 1
        if verb == "%":
            out.append("%")
        elif not cur.good:
            out.append(f"%!{verb}(BADINDEX)")
        elif cur.arg_num >= len(args):
            out.append(f"%!{verb}(MISSING)")
        else:
            if verb == "v":
                f.sharp = f.plus = False
            out.append(format_arg(args[cur.arg_num], verb, f))
            cur.arg_num += 1
    if not cur.reordered and cur.arg_num < len(args):
        extra = ", ".join(
            "<nil>" if arg is None else f"{type_name(arg)}={format_arg(arg, 'v')}"
            for arg in args[cur.arg_num :]
        )
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def _star(args: Sequence[object], cur: _Cursor) -> int | None:
    """A `*` width or precision operand: an int, or None when it is missing or not an int."""
    value = args[cur.arg_num] if cur.arg_num < len(args) else None
    if cur.arg_num < len(args):
        cur.arg_num += 1
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= 1_000_000:
        return value
    return None


def sprint(args: Sequence[object]) -> str:
    """fmt.Sprint: operands printed with %v, a space between two operands when neither is a string."""
    out: list[str] = []
    prev_string = False
    for index, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if index > 0 and not is_string and not prev_string:
            out.append(" ")
        out.append(format_arg(arg, "v"))
        prev_string = is_string
    return "".join(out)


def sprintln(args: Sequence[object]) -> str:
    """fmt.Sprintln: operands printed with %v, always a space between them, a newline at the end."""
    return " ".join(format_arg(arg, "v") for arg in args) + "\n"

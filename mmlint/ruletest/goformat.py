"""Go's number and value formatting, as alert templates print values: `strconv.FormatFloat`, `fmt`'s `%v`
and a `fmt.Sprintf` for the values templates handle.

Go values are Python values: `str` (string), `bool`, `int` (Go int), `float` (float64), `complex`
(complex128), `None` (nil), and `GoValue` subclasses for the composite types (maps, the alert data struct,
query results, times), which say their Go type name and how `%v` prints them.
"""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence


class GoValue(ABC):
    """A Go value of a composite type."""

    type_name: str = "?"

    @abstractmethod
    def format_v(self, *, nested: bool) -> str:
        """How `%v` prints the value; `nested`: inside another value, where a pointer prints as an address."""


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


# --- strconv.FormatFloat ------------------------------------------------------------------------------


def _shortest_digits(v: float) -> tuple[str, int]:
    """The shortest decimal digits that read back as `v` (trailing zeros dropped) and the decimal point
    position: v = 0.DIGITS x 10^dp. Python's repr and Go's Ryu both pick the closest shortest string."""
    if v == 0:
        return "", 0
    mantissa, _, exponent = repr(abs(v)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    leading_zeros = len(whole) + len(fraction) - len(digits)
    return digits.rstrip("0"), len(whole) + (int(exponent) if exponent else 0) - leading_zeros


def _fixed_digits(v: float, count: int) -> tuple[str, int]:
    """`count` significant digits of `v`, correctly rounded (as Go's ryuFtoaFixed64 and bigFtoa round),
    trailing zeros dropped."""
    if v == 0:
        return "", 0
    mantissa, _, exponent = f"{abs(v):.{count - 1}e}".partition("e")
    return mantissa.replace(".", "").rstrip("0"), int(exponent) + 1


def _fmt_e(neg: bool, digits: str, dp: int, prec: int, char: str) -> str:
    out = ["-" if neg else "", digits[0] if digits else "0"]
    if prec > 0:
        out.append("." + digits[1 : prec + 1].ljust(prec, "0"))
    exp = dp - 1 if digits else 0
    out.append(f"{char}{'-' if exp < 0 else '+'}{abs(exp):02d}")
    return "".join(out)


def _fmt_f(neg: bool, digits: str, dp: int, prec: int) -> str:
    whole = (digits[:dp].ljust(dp, "0") if dp > 0 else "0") or "0"
    out = ("-" if neg else "") + whole
    if prec > 0:
        out += "." + "".join(digits[dp + i] if 0 <= dp + i < len(digits) else "0" for i in range(prec))
    return out


def _fmt_x(v: float, prec: int, upper: bool) -> str:
    """Go's %x of a float: -0x1.8p+01; mantissa rounded half-to-even to `prec` hex digits when given."""
    mant, exp = math.frexp(abs(v))
    bits = int(mant * (1 << 53)) if v != 0 else 0  # 53-bit integer mantissa with the leading 1 at bit 52
    exp = exp - 1 if v != 0 else 0
    shift = 52
    if 0 <= prec < 13:
        drop = 52 - 4 * prec
        half, rest = 1 << (drop - 1), bits & ((1 << drop) - 1)
        bits >>= drop
        if rest > half or (rest == half and bits & 1):
            bits += 1
        shift = 4 * prec
        if bits >> (shift + 1):
            bits >>= 1
            exp += 1
    fraction = f"{bits & ((1 << shift) - 1):0{shift // 4}x}" if shift else ""
    if prec < 0:
        fraction = fraction.rstrip("0")
    elif prec > 13:
        fraction = fraction.ljust(prec, "0")
    text = f"{'-' if math.copysign(1, v) < 0 else ''}0x{bits >> shift}{'.' + fraction if fraction else ''}"
    text += f"p{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return text.upper() if upper else text


def format_float(v: float, fmt: str = "g", prec: int = -1) -> str:
    """strconv.FormatFloat(v, fmt, prec, 64) for fmt in e, E, f, g, G, x, X; prec -1 is "shortest"."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if fmt in "xX":
        return _fmt_x(v, prec, fmt == "X")
    if fmt == "b":
        mant, exp = math.frexp(abs(v))
        bits, exp = (int(mant * (1 << 53)), exp - 53) if v != 0 else (0, -1074)
        return f"{'-' if math.copysign(1, v) < 0 else ''}{bits}p{exp:+d}"
    neg = math.copysign(1, v) < 0
    shortest = prec < 0
    if shortest:
        digits, dp = _shortest_digits(v)
        prec = {"e": max(len(digits) - 1, 0), "f": max(len(digits) - dp, 0)}.get(fmt.lower(), len(digits))
    elif fmt in "eE":
        digits, dp = _fixed_digits(v, prec + 1)
    elif fmt == "f":
        return ("-" if neg else "") + f"{abs(v):.{prec}f}"
    else:
        prec = max(prec, 1)
        digits, dp = _fixed_digits(v, prec)
    if fmt in "eE":
        return _fmt_e(neg, digits, dp, prec, fmt)
    if fmt == "f":
        return _fmt_f(neg, digits, dp, prec)
    if fmt not in "gG":
        return "%" + fmt
    # %e is used when the exponent is below -4 or at least the precision (6 for shortest), as in strconv.
    eprec = prec
    if eprec > len(digits) and len(digits) >= dp:
        eprec = len(digits)
    if shortest:
        eprec = 6
    exp = dp - 1
    if exp < -4 or exp >= eprec:
        return _fmt_e(neg, digits, dp, min(prec, len(digits)) - 1, "e" if fmt == "g" else "E")
    if prec > dp:
        prec = len(digits)
    return _fmt_f(neg, digits, dp, max(prec - dp, 0))


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


def go_quote(text: str, *, ascii_only: bool = False) -> str:
    """strconv.Quote (or QuoteToASCII)."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif (ascii_only and code >= 0x80) or not char.isprintable():
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out) + '"'


_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


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
        return f.pad("<nil>") if verb == "v" else _bad_verb(value, verb)
    kind = _kind(value)
    if kind is None:
        assert isinstance(value, GoValue)
        if verb not in "vs":
            return _bad_verb(value, verb)
        return f.pad(value.format_v(nested=nested))
    if verb not in _VERBS[kind]:
        return _bad_verb(value, verb)
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


def _bad_verb(value: object, verb: str) -> str:
    if value is None:
        return f"%!{verb}(<nil>)"
    return f"%!{verb}({type_name(value)}={format_arg(value, 'v')})"


def _parse_num(fmt: str, i: int) -> tuple[int | None, int]:
    start = i
    while i < len(fmt) and fmt[i].isdigit() and i - start < 7:
        i += 1
    return (int(fmt[start:i]), i) if i > start else (None, i)


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

"""Go's strconv formatting that alert templates show: FormatFloat (what fmt prints floats with) and Quote."""

from __future__ import annotations

import math

__all__ = ["format_float", "go_quote"]


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

"""Go's math package as the amd64 build of Prometheus 2.42 (Go 1.19) computes it, bit for bit where the C
library (Python's math) rounds differently: special cases (NaN or ±Inf where Python raises), Min/Max,
Floor/Ceil, Log (log_amd64.s, FreeBSD's e_log.c), Log1p, and Exp (exp_amd64.s with FMA, as on any x86-64
CPU of the last decade), Atan (Cephes atan.c). The other trigonometric and the hyperbolic functions are
in functions_gotrig."""

from __future__ import annotations

import math
import struct
from fractions import Fraction

# Go's untyped constants 1/Ln2 and 1/Ln10, rounded to float64 once (Python's 1/math.log(10) is one ulp off).
INV_LN2 = 1.4426950408889634
INV_LN10 = 0.4342944819032518


def go_div(a: float, b: float) -> float:
    """IEEE division as Go does it: x/0 is ±Inf (NaN for 0/0 and NaN/0) instead of an exception."""
    if b != 0:
        return a / b
    if a == 0 or math.isnan(a):
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def go_min(x: float, y: float) -> float:
    """math.Min: -Inf wins over NaN, NaN over numbers, -0 over +0."""
    if x == -math.inf or y == -math.inf:
        return -math.inf
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0 and y == 0:
        return x if math.copysign(1.0, x) < 0 else y
    return x if x < y else y


def go_max(x: float, y: float) -> float:
    """math.Max: +Inf wins over NaN, NaN over numbers, +0 over -0."""
    if x == math.inf or y == math.inf:
        return math.inf
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0 and y == 0:
        return y if math.copysign(1.0, x) < 0 else x
    return x if x > y else y


def go_floor(v: float) -> float:
    # Go keeps ±0, NaN and ±Inf as they are; Python's math.floor raises on the last two.
    if v == 0 or not math.isfinite(v):
        return v
    return float(math.floor(v))


def go_ceil(v: float) -> float:
    return -go_floor(-v)  # as Go defines it, so ceil(-0.5) is -0


def bits_of(v: float) -> int:
    bits: int = struct.unpack("<Q", struct.pack("<d", v))[0]
    return bits


def float_of(bits: int) -> float:
    value: float = struct.unpack("<d", struct.pack("<Q", bits))[0]
    return value


# The coefficients of FreeBSD's e_log.c, which Go's Log uses (log_amd64.s on amd64, the build of promtool).
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_LOG_ODD = (
    6.666666666666735130e-01,
    2.857142874366239149e-01,
    1.818357216161805012e-01,
    1.479819860511658591e-01,
)
_LOG_EVEN = (3.999999999940941908e-01, 2.222219843214978396e-01, 1.531383769920937332e-01)
_HALF_SQRT2 = 7.07106781186547524401e-01


def go_log(v: float) -> float:
    """Go's math.Log on amd64, step for step (the C library's log differs in the last bit now and then)."""
    if math.isnan(v) or v < 0:
        return math.nan
    if v == 0:
        return -math.inf
    if math.isinf(v):
        return v
    bits = bits_of(v)
    # The exponent and mantissa straight from the bits: f1 in [0.5, 1), v = f1 * 2**k.
    f1 = float_of((bits & 0x000FFFFFFFFFFFFF) | 0x3FE0000000000000)
    k = float(((bits >> 52) & 0x7FF) - 0x3FE)
    if f1 <= _HALF_SQRT2:
        k -= 1
        f1 *= 2
    f = f1 - 1
    s = f / (2 + f)
    s2 = s * s
    s4 = s2 * s2
    t1 = s2 * (_LOG_ODD[0] + s4 * (_LOG_ODD[1] + s4 * (_LOG_ODD[2] + s4 * _LOG_ODD[3])))
    t2 = s4 * (_LOG_EVEN[0] + s4 * (_LOG_EVEN[1] + s4 * _LOG_EVEN[2]))
    r = t1 + t2
    hfsq = 0.5 * f * f
    return k * _LN2_HI - ((hfsq - (s * (hfsq + r) + k * _LN2_LO)) - f)


def go_log2(v: float) -> float:
    # Go: exact for powers of two, otherwise Log(frac)/Ln2 + exp.
    frac, exp = math.frexp(v)
    if frac == 0.5:
        return float(exp - 1)
    return go_log(frac) * INV_LN2 + exp


def go_log10(v: float) -> float:
    return go_log(v) * INV_LN10


def go_sqrt(v: float) -> float:
    return math.nan if v < 0 or math.isnan(v) else math.sqrt(v)


# exp_amd64.s (after Shibata's SLEEF): x = k*ln2 + r, exp(r/16) by Taylor series, then squared 4 times.
_LOG2E = 1.4426950408889634073599246810018920
_LN2_UPPER = 0.69314718055966295651160180568695068359375
_LN2_LOWER = 0.28235290563031577122588448175013436025525412068e-12
_EXP_OVERFLOW = 7.09782712893384e02
_EXP_TAYLOR = (
    2.4801587301587301587e-5,
    1.9841269841269841270e-4,
    1.3888888888888888889e-3,
    8.3333333333333333333e-3,
    4.1666666666666666667e-2,
    1.6666666666666666667e-1,
    0.5,
    1.0,
)


def _fma(a: float, b: float, c: float) -> float:
    """a*b + c rounded once, as the FMA instruction does (math.fma arrives in Python 3.13)."""
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def go_exp(v: float) -> float:
    if math.isnan(v) or v == math.inf:
        return v
    if v == -math.inf:
        return 0.0
    if v > _EXP_OVERFLOW:
        return math.inf
    k = round(v * _LOG2E)  # CVTSD2SL rounds half to even, as round() does
    kf = float(k)
    r = _fma(-_LN2_LOWER, kf, _fma(-_LN2_UPPER, kf, v)) * 0.0625
    poly = _EXP_TAYLOR[0]
    for coefficient in _EXP_TAYLOR[1:]:
        poly = _fma(poly, r, coefficient)
    r = poly * r  # exp(r) - 1
    for _ in range(3):
        r = r * (r + 2.0)  # exp(2r) - 1 from exp(r) - 1
    r = _fma(r, r + 2.0, 1.0)
    biased = k + 0x3FF
    if biased <= 0:
        return 0.0  # Go's amd64 Exp returns no subnormals
    if biased >= 0x7FF:
        return math.inf
    return r * float_of(biased << 52)


# FreeBSD's s_log1p.c as Go has it (pure Go on amd64): the log coefficients, a correction term for 1+x.
_SQRT2_MINUS_1 = 4.142135623730950488017e-01
_HALF_SQRT2_MINUS_1 = -2.928932188134524755992e-01
LN2 = 6.93147180559945286227e-01


def go_log1p(v: float) -> float:
    if v < -1 or math.isnan(v):
        return math.nan
    if v == -1:
        return -math.inf
    if v == math.inf:
        return v
    absx = abs(v)
    f, iu, k, c = 0.0, 0, 1, 0.0
    if absx < _SQRT2_MINUS_1:
        if absx < 2.0**-29:
            return v if absx < 2.0**-54 else v - v * v * 0.5
        if v > _HALF_SQRT2_MINUS_1:
            k, f, iu = 0, v, 1
    if k != 0:
        if absx < 2.0**53:
            u = 1.0 + v
            iu = bits_of(u)
            k = (iu >> 52) - 1023
            c = (1.0 - (u - v) if k > 0 else v - (u - 1.0)) / u
        else:
            u = v
            iu = bits_of(u)
            k = (iu >> 52) - 1023
        iu &= 0x000FFFFFFFFFFFFF
        if iu < 0x0006A09E667F3BCD:  # below the mantissa of sqrt(2)
            u = float_of(iu | 0x3FF0000000000000)
        else:
            k += 1
            u = float_of(iu | 0x3FE0000000000000)
            iu = (0x0010000000000000 - iu) >> 2
        f = u - 1.0
    hfsq = 0.5 * f * f
    kf = float(k)
    if iu == 0:
        if f == 0:
            return 0.0 if k == 0 else kf * _LN2_HI + (c + kf * _LN2_LO)
        r = hfsq * (1.0 - 0.66666666666666666 * f)
        return f - r if k == 0 else kf * _LN2_HI - ((r - (kf * _LN2_LO + c)) - f)
    s = f / (2.0 + f)
    z = s * s
    odd, even = _LOG_ODD, _LOG_EVEN
    r = z * (
        odd[0] + z * (even[0] + z * (odd[1] + z * (even[1] + z * (odd[2] + z * (even[2] + z * odd[3])))))
    )
    if k == 0:
        return f - (hfsq - s * (hfsq + r))
    return kf * _LN2_HI - ((hfsq - (s * (hfsq + r) + (kf * _LN2_LO + c))) - f)


# Cephes atan.c: a rational approximation on [0, 0.66], other arguments reduced to it.
_ATAN_P = (-8.750608600031904122785e-01, -1.615753718733365076637e01, -7.500855792314704667340e01,
           -1.228866684490136173410e02, -6.485021904942025371773e01)  # fmt: skip
_ATAN_Q = (2.485846490142306297962e01, 1.650270098316988542046e02, 4.328810604912902668951e02,
           4.853903996359136964868e02, 1.945506571482613964425e02)  # fmt: skip
_MOREBITS = 6.123233995736765886130e-17  # pi/2 = float(pi/2) + _MOREBITS
_TAN_3PI_8 = 2.41421356237309504880


def _xatan(x: float) -> float:
    z = x * x
    p = (((_ATAN_P[0] * z + _ATAN_P[1]) * z + _ATAN_P[2]) * z + _ATAN_P[3]) * z + _ATAN_P[4]
    q = ((((z + _ATAN_Q[0]) * z + _ATAN_Q[1]) * z + _ATAN_Q[2]) * z + _ATAN_Q[3]) * z + _ATAN_Q[4]
    z = z * p / q
    return x * z + x


def atan_positive(x: float) -> float:
    if x <= 0.66:
        return _xatan(x)
    if x > _TAN_3PI_8:
        return math.pi / 2 - _xatan(1 / x) + _MOREBITS
    return math.pi / 4 + _xatan((x - 1) / (x + 1)) + 0.5 * _MOREBITS


def go_atan(v: float) -> float:
    if v == 0:
        return v
    return atan_positive(v) if v > 0 else -atan_positive(-v)

"""Go's math package as the amd64 build of Prometheus 2.42 (Go 1.19) computes it, bit for bit where the C
library (Python's math) rounds differently: special cases (NaN or ±Inf where Python raises), Log
(log_amd64.s, FreeBSD's e_log.c) and Log1p, Exp (exp_amd64.s with FMA, as on any x86-64 CPU of the last
decade), the Cephes-based trigonometric and the hyperbolic functions. Only sin/cos/tan of arguments beyond
2**29 (Go's Payne-Hanek reduction) use the C library, which may differ in the last bit."""

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


def _bits(v: float) -> int:
    bits: int = struct.unpack("<Q", struct.pack("<d", v))[0]
    return bits


def _from_bits(bits: int) -> float:
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
    bits = _bits(v)
    # The exponent and mantissa straight from the bits: f1 in [0.5, 1), v = f1 * 2**k.
    f1 = _from_bits((bits & 0x000FFFFFFFFFFFFF) | 0x3FE0000000000000)
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
    return r * _from_bits(biased << 52)


# Cephes sin.c/tan.c as Go has them: reduction modulo pi/4 with pi/4 split in three parts.
_PI4 = (7.85398125648498535156e-1, 3.77489470793079817668e-8, 2.69515142907905952645e-15)
_FOUR_OVER_PI = 1.2732395447351628
_REDUCE_THRESHOLD = float(1 << 29)
_SIN = (
    1.58962301576546568060e-10,
    -2.50507477628578072866e-8,
    2.75573136213857245213e-6,
    -1.98412698295895385996e-4,
    8.33333333332211858878e-3,
    -1.66666666666666307295e-1,
)
_COS = (
    -1.13585365213876817300e-11,
    2.08757008419747316778e-9,
    -2.75573141792967388112e-7,
    2.48015872888517045348e-5,
    -1.38888888888730564116e-3,
    4.16666666666665929218e-2,
)
_TAN_P = (-1.30936939181383777646e4, 1.15351664838587416140e6, -1.79565251976484877988e7)
_TAN_Q = (
    1.36812963470692954678e4,
    -1.32089234440210967447e6,
    2.50083801823357915839e7,
    -5.38695755929454629881e7,
)


def _octant(x: float) -> tuple[int, float]:
    """For x >= 0 below the threshold: the even octant j of x and x - j*pi/4."""
    j = int(x * _FOUR_OVER_PI)
    y = float(j)
    if j & 1:
        j += 1
        y += 1
    return j & 7, ((x - y * _PI4[0]) - y * _PI4[1]) - y * _PI4[2]


def _sin_poly(z: float, zz: float) -> float:
    return z + z * zz * (
        ((((_SIN[0] * zz + _SIN[1]) * zz + _SIN[2]) * zz + _SIN[3]) * zz + _SIN[4]) * zz + _SIN[5]
    )


def _cos_poly(zz: float) -> float:
    poly = ((((_COS[0] * zz + _COS[1]) * zz + _COS[2]) * zz + _COS[3]) * zz + _COS[4]) * zz + _COS[5]
    return 1.0 - 0.5 * zz + zz * zz * poly


def go_sin(v: float) -> float:
    if v == 0 or math.isnan(v):
        return v
    if math.isinf(v):
        return math.nan
    if abs(v) >= _REDUCE_THRESHOLD:
        return math.sin(v)
    negative = v < 0
    j, z = _octant(abs(v))
    if j > 3:
        negative, j = not negative, j - 4
    zz = z * z
    y = _cos_poly(zz) if j in (1, 2) else _sin_poly(z, zz)
    return -y if negative else y


def go_cos(v: float) -> float:
    if math.isnan(v) or math.isinf(v):
        return math.nan
    if abs(v) >= _REDUCE_THRESHOLD:
        return math.cos(v)
    j, z = _octant(abs(v))
    negative = False
    if j > 3:
        negative, j = True, j - 4
    if j > 1:
        negative = not negative
    zz = z * z
    y = _sin_poly(z, zz) if j in (1, 2) else _cos_poly(zz)
    return -y if negative else y


def go_tan(v: float) -> float:
    if v == 0 or math.isnan(v):
        return v
    if math.isinf(v):
        return math.nan
    if abs(v) >= _REDUCE_THRESHOLD:
        return math.tan(v)
    j, z = _octant(abs(v))
    zz = z * z
    y = z
    if zz > 1e-14:
        numerator = zz * ((_TAN_P[0] * zz + _TAN_P[1]) * zz + _TAN_P[2])
        denominator = (((zz + _TAN_Q[0]) * zz + _TAN_Q[1]) * zz + _TAN_Q[2]) * zz + _TAN_Q[3]
        y = z + z * (numerator / denominator)
    if j & 2:
        y = -1 / y
    return -y if v < 0 else y


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


def _satan(x: float) -> float:
    if x <= 0.66:
        return _xatan(x)
    if x > _TAN_3PI_8:
        return math.pi / 2 - _xatan(1 / x) + _MOREBITS
    return math.pi / 4 + _xatan((x - 1) / (x + 1)) + 0.5 * _MOREBITS


def go_atan(v: float) -> float:
    if v == 0:
        return v
    return _satan(v) if v > 0 else -_satan(-v)


def go_asin(v: float) -> float:
    if v == 0:
        return v
    x = abs(v)
    if x > 1:
        return math.nan
    root = go_sqrt(1 - x * x)
    result = math.pi / 2 - _satan(root / x) if x > 0.7 else _satan(go_div(x, root))
    return -result if v < 0 else result


def go_acos(v: float) -> float:
    return math.pi / 2 - go_asin(v)


# Hart & Cheney #2029 for sinh on [0, 0.5]; exp elsewhere.
_SINH_P = (-0.6307673640497716991184787251e6, -0.8991272022039509355398013511e5,
           -0.2894211355989563807284660366e4, -0.2630563213397497062819489e2)  # fmt: skip
_SINH_Q = (-0.6307673640497716991212077277e6, 0.1521517378790019070696485176e5,
           -0.173678953558233699533450911e3)  # fmt: skip
_TANH_P = (-9.64399179425052238628e-1, -9.92877231001918586564e1, -1.61468768441708447952e3)
_TANH_Q = (1.12811678491632931402e2, 2.23548839060100448583e3, 4.84406305325125486048e3)
_MAXLOG = 8.8029691931113054295988e01  # log(2**127)


def go_sinh(v: float) -> float:
    # Go 1.19 (the build of promtool 2.42) uses 1/exp(x), not exp(-x); -0 keeps its sign through the series.
    negative, x = (True, -v) if v < 0 else (False, v)
    if x > 21:
        result = go_exp(x) * 0.5
    elif x > 0.5:
        ex = go_exp(x)
        result = (ex - 1 / ex) * 0.5
    else:
        sq = x * x
        result = (((_SINH_P[3] * sq + _SINH_P[2]) * sq + _SINH_P[1]) * sq + _SINH_P[0]) * x
        result = result / (((sq + _SINH_Q[2]) * sq + _SINH_Q[1]) * sq + _SINH_Q[0])
    return -result if negative else result


def go_cosh(v: float) -> float:
    x = abs(v)
    if x > 21:
        return go_exp(x) * 0.5
    ex = go_exp(x)
    return (ex + 1 / ex) * 0.5


def go_tanh(v: float) -> float:
    z = abs(v)
    if z > 0.5 * _MAXLOG:
        return -1.0 if v < 0 else 1.0
    if z >= 0.625:
        s = go_exp(2 * z)
        z = 1 - 2 / (s + 1)
        return -z if v < 0 else z
    if v == 0:
        return v
    s = v * v
    return v + v * s * ((_TANH_P[0] * s + _TANH_P[1]) * s + _TANH_P[2]) / (
        ((s + _TANH_Q[0]) * s + _TANH_Q[1]) * s + _TANH_Q[2]
    )


# FreeBSD's s_log1p.c as Go has it (pure Go on amd64): the log coefficients, a correction term for 1+x.
_SQRT2_MINUS_1 = 4.142135623730950488017e-01
_HALF_SQRT2_MINUS_1 = -2.928932188134524755992e-01
_LN2 = 6.93147180559945286227e-01


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
            iu = _bits(u)
            k = (iu >> 52) - 1023
            c = (1.0 - (u - v) if k > 0 else v - (u - 1.0)) / u
        else:
            u = v
            iu = _bits(u)
            k = (iu >> 52) - 1023
        iu &= 0x000FFFFFFFFFFFFF
        if iu < 0x0006A09E667F3BCD:  # below the mantissa of sqrt(2)
            u = _from_bits(iu | 0x3FF0000000000000)
        else:
            k += 1
            u = _from_bits(iu | 0x3FE0000000000000)
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


def go_asinh(v: float) -> float:
    if math.isnan(v) or math.isinf(v):
        return v
    negative, x = (True, -v) if v < 0 else (False, v)
    if x > 2.0**28:
        result = go_log(x) + _LN2
    elif x > 2:
        result = go_log(2 * x + 1 / (go_sqrt(x * x + 1) + x))
    elif x < 2.0**-28:
        result = x
    else:
        result = go_log1p(x + x * x / (1 + go_sqrt(1 + x * x)))
    return -result if negative else result


def go_acosh(v: float) -> float:
    if v < 1 or math.isnan(v):
        return math.nan
    if v == 1:
        return 0.0
    if v >= 2.0**28:
        return go_log(v) + _LN2
    if v > 2:
        return go_log(2 * v - 1 / (v + go_sqrt(v * v - 1)))
    t = v - 1
    return go_log1p(t + go_sqrt(2 * t + t * t))


def go_atanh(v: float) -> float:
    if v < -1 or v > 1 or math.isnan(v):
        return math.nan
    if v in (1.0, -1.0):
        return math.copysign(math.inf, v)
    negative, x = (True, -v) if v < 0 else (False, v)
    if x < 2.0**-28:
        result = x
    elif x < 0.5:
        result = x + x
        result = 0.5 * go_log1p(result + result * x / (1 - x))
    else:
        result = 0.5 * go_log1p((x + x) / (1 - x))
    return -result if negative else result

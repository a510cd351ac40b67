"""Go's trigonometric and hyperbolic functions as Go 1.19 on amd64 computes them (pure Go: Cephes sin.c,
tan.c with Payne-Hanek reduction of huge arguments; Hart & Cheney's sinh; FreeBSD's
asinh/acosh/atanh), bit for bit."""

from __future__ import annotations

import math

from mmlint.promql.functions_gomath import (
    LN2,
    atan_positive,
    bits_of,
    float_of,
    go_div,
    go_exp,
    go_log,
    go_log1p,
    go_sqrt,
)

_MASK64 = 2**64 - 1


def _four_over_pi_words() -> tuple[int, ...]:
    """4/pi in 20 64-bit words, the first holding the integer part (Go's mPi4): pi by Machin's formula in
    integers with guard bits, then 4/pi truncated to 19 fractional words."""
    bits = 64 * 19 + 64
    one = 1 << bits

    def arctan_inverse(n: int) -> int:
        total, term, k, sign = 0, one // n, 1, 1
        while term:
            total += sign * (term // k)
            term //= n * n
            k, sign = k + 2, -sign
        return total

    pi = 16 * arctan_inverse(5) - 4 * arctan_inverse(239)  # pi * 2**bits
    four_over_pi = (4 << (2 * bits)) // pi >> 64  # 4/pi * 2**(64*19)
    return tuple((four_over_pi >> (64 * (19 - i))) & _MASK64 for i in range(20))


_FOUR_OVER_PI_WORDS = _four_over_pi_words()


def _shift_left(x: int, n: int) -> int:
    return (x << n) & _MASK64 if n < 64 else 0  # Go: shifting by the width or more gives 0


def _shift_right(x: int, n: int) -> int:
    return x >> n if n < 64 else 0


def _payne_hanek(x: float) -> tuple[int, float]:
    """Go's trigReduce for x >= 2**29: the octant j and the remainder, from x times 4/pi in 64-bit integer
    arithmetic (three words of 4/pi aligned to x's exponent)."""
    if x < math.pi / 4:
        return 0, x
    ix = bits_of(x)
    exp = ((ix >> 52) & 0x7FF) - 1023 - 52
    ix = (ix & ~(0x7FF << 52)) | (1 << 52)
    digit, shift = divmod(exp + 61, 64)
    words = _FOUR_OVER_PI_WORDS
    z0, z1, z2 = (
        _shift_left(words[digit + i], shift) | _shift_right(words[digit + i + 1], 64 - shift)
        for i in range(3)
    )
    z2_hi = (z2 * ix) >> 64
    z1_product = z1 * ix
    z1_hi, z1_lo = z1_product >> 64, z1_product & _MASK64
    z0_lo = (z0 * ix) & _MASK64
    lo = z1_lo + z2_hi
    hi = (z0_lo + z1_hi + (lo >> 64)) & _MASK64
    lo &= _MASK64
    j = hi >> 61
    hi = ((hi << 3) & _MASK64) | (lo >> 61)
    leading_zeros = 64 - hi.bit_length()
    exponent = (1023 - (leading_zeros + 1)) & _MASK64
    hi = _shift_left(hi, leading_zeros + 1) | _shift_right(lo, 64 - (leading_zeros + 1))
    hi >>= 64 - 52
    z = float_of((hi | (exponent << 52)) & _MASK64)
    if j & 1:
        j = (j + 1) & 7
        z -= 1
    return j, z * (math.pi / 4)


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
    """For x >= 0: the even octant j of x and x - j*pi/4."""
    if x >= _REDUCE_THRESHOLD:
        return _payne_hanek(x)
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


def go_asin(v: float) -> float:
    if v == 0:
        return v
    x = abs(v)
    if x > 1:
        return math.nan
    root = go_sqrt(1 - x * x)
    result = math.pi / 2 - atan_positive(root / x) if x > 0.7 else atan_positive(go_div(x, root))
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


def go_sinh(v: float, *, go_1_19: bool = True) -> float:
    """Go 1.19 (the build of promtool 2.42) takes 1/exp(x) where later Go (Prometheus 3's builds) computes
    exp(-x); -0 keeps its sign through the series."""
    negative, x = (True, -v) if v < 0 else (False, v)
    if x > 21:
        result = go_exp(x) / 2
    elif x > 0.5:
        ex = go_exp(x)
        result = (ex - (1 / ex if go_1_19 else go_exp(-x))) / 2
    else:
        sq = x * x
        result = (((_SINH_P[3] * sq + _SINH_P[2]) * sq + _SINH_P[1]) * sq + _SINH_P[0]) * x
        result = result / (((sq + _SINH_Q[2]) * sq + _SINH_Q[1]) * sq + _SINH_Q[0])
    return -result if negative else result


def go_cosh(v: float, *, go_1_19: bool = True) -> float:
    x = abs(v)
    if x > 21:
        return go_exp(x) / 2
    ex = go_exp(x)
    return (ex + (1 / ex if go_1_19 else go_exp(-x))) / 2


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


def go_asinh(v: float) -> float:
    if math.isnan(v) or math.isinf(v):
        return v
    negative, x = (True, -v) if v < 0 else (False, v)
    if x > 2.0**28:
        result = go_log(x) + LN2
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
        return go_log(v) + LN2
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

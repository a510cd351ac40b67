"""Neumaier-compensated summation as Prometheus does it (promql/functions.go kahanSumInc in 2.42,
util/kahansum in 3.x), so that sums, means and regressions round exactly as Prometheus's do."""

from __future__ import annotations

import math


def kahan_inc(inc: float, total: float, c: float, *, compat: int = 2) -> tuple[float, float]:
    """Add `inc` to the running `total` with compensation `c`; the new (total, c).

    Prometheus 3 resets the compensation once the sum overflows to an infinity (so `total + c` stays
    that infinity rather than becoming NaN); 2.42 keeps accumulating it."""
    t = total + inc
    if compat >= 3 and math.isinf(t):
        return t, 0.0
    # Neumaier's improvement: compensate with whichever operand is the larger.
    if abs(total) >= abs(inc):
        c += (total - t) + inc
    else:
        c += (inc - t) + total
    return t, c

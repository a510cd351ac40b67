"""Prometheus durations (`1h30m`, `500ms`, `2d`), as its model.ParseDuration accepts them."""

from __future__ import annotations

import re

UNITS_S = {"y": 365 * 86400.0, "w": 7 * 86400.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
# Units must appear largest first, each at most once (prometheus/common model.ParseDuration).
DURATION_RE = re.compile(r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$")


class DurationError(ValueError):
    pass


def parse_duration(text: str) -> float:
    """Seconds in `text`; "0" is zero; an empty or malformed duration raises DurationError."""
    if text == "0":
        return 0.0
    match = DURATION_RE.match(text)
    if not text or match is None:
        raise DurationError(f"not a valid duration: `{text}` (e.g. 30s, 5m, 1h30m)")
    return sum(int(n) * UNITS_S[u] for n, u in zip(match.groups(), UNITS_S, strict=True) if n)


def format_duration(seconds: float) -> str:
    """`seconds` written as Prometheus's model.Duration prints it: largest units first, `0s` for zero."""
    ms = round(seconds * 1000)
    if ms == 0:
        return "0s"
    parts = []
    for unit, size in UNITS_S.items():
        count, ms = divmod(ms, round(size * 1000))
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)

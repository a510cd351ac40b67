from __future__ import annotations

import pytest

from mmlint.duration import DurationError, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0", 0),
        ("30s", 30),
        ("5m", 300),
        ("1h30m", 5400),
        ("500ms", 0.5),
        ("2d", 172800),
        ("1w", 604800),
        ("1y", 31536000),
        ("1m30s500ms", 90.5),
    ],
)
def test_valid(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "5", "5 m", "1m1h", "1.5m", "-5m", "5M", "1h1h"])
def test_invalid(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)

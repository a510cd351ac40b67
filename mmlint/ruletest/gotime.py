"""Go's time.Time.Format for the UTC times alert templates make (`(toTime $value).Format "2006-01-02"`):
the reference-time layout elements of Go's time package, each replaced by the time's value."""

from __future__ import annotations

import datetime
import re

_MONTHS = (
    "January February March April May June July August September October November December".split()  # noqa: SIM905
)
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()  # noqa: SIM905

# Layout elements in the order Go's nextStdChunk tries them at a position (longest first where they overlap).
_ELEMENTS = re.compile(
    r"January|Jan|Monday|Mon|MST|2006|__2|_2(?!006)|002|01|02|03|04|05|06|15|1|2|3|4|5|PM|pm"
    r"|Z070000|Z07:00:00|Z0700|Z07:00|Z07|-070000|-07:00:00|-0700|-07:00|-07"
    r"|[.,](?:0+|9+)(?![0-9])"
)

_UTC_OFFSETS = {
    "Z070000": "Z",
    "Z07:00:00": "Z",
    "Z0700": "Z",
    "Z07:00": "Z",
    "Z07": "Z",
    "-070000": "+000000",
    "-07:00:00": "+00:00:00",
    "-0700": "+0000",
    "-07:00": "+00:00",
    "-07": "+00",
}


def _element(token: str, when: datetime.datetime, nanos: int) -> str:
    hour12 = when.hour % 12 or 12
    yday = when.timetuple().tm_yday
    values = {
        "January": _MONTHS[when.month - 1],
        "Jan": _MONTHS[when.month - 1][:3],
        "Monday": _DAYS[when.weekday()],
        "Mon": _DAYS[when.weekday()][:3],
        "MST": "UTC",
        "2006": f"{when.year:04d}",
        "06": f"{when.year % 100:02d}",
        "01": f"{when.month:02d}",
        "1": str(when.month),
        "02": f"{when.day:02d}",
        "_2": f"{when.day:2d}",
        "2": str(when.day),
        "002": f"{yday:03d}",
        "__2": f"{yday:3d}",
        "15": f"{when.hour:02d}",
        "03": f"{hour12:02d}",
        "3": str(hour12),
        "04": f"{when.minute:02d}",
        "4": str(when.minute),
        "05": f"{when.second:02d}",
        "5": str(when.second),
        "PM": "PM" if when.hour >= 12 else "AM",
        "pm": "pm" if when.hour >= 12 else "am",
    }
    if token in values:
        return values[token]
    if token in _UTC_OFFSETS:
        return _UTC_OFFSETS[token]
    digits = f"{nanos:09d}"[: len(token) - 1]
    if token[1] == "9":  # .999: trailing zeros dropped, and the separator too when nothing is left
        digits = digits.rstrip("0")
        return token[0] + digits if digits else ""
    return token[0] + digits


def format_time(layout: str, when: datetime.datetime, nanos: int) -> str:
    """time.Time.Format(layout) of the UTC time `when` whose fraction of a second is `nanos`."""
    return _ELEMENTS.sub(lambda match: _element(match.group(), when, nanos), layout)

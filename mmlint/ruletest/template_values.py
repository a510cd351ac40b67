"""The Go values an alert template handles beyond strings and numbers: the label maps, the alert data struct,
query results and times, with the Go type names that error messages show and `%v`'s way of printing them.

A Python None is an invalid (nil) Go value; it prints as `<no value>` in a template and `<nil>` in fmt.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from mmlint.ruletest.goformat import GoValue
from mmlint.ruletest.gotime import format_time

ALERT_DATA_TYPE = (
    "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }"
)
# fmt prints a pointer nested in another value as its address; Go's differ from run to run, ours is fixed.
POINTER = "0xc000010000"


@dataclass(frozen=True)
class FuncSpec:
    """A Go function or method: its fixed parameter types, the element type of a variadic last parameter
    (None if it has none), and `call`, which takes the converted arguments."""

    params: tuple[str, ...]
    variadic: str | None
    call: Callable[..., object]


def _constant(value: object) -> FuncSpec:
    return FuncSpec((), None, lambda: value)


class GoMap(GoValue):
    """A map with string keys: map[string]string (labels) or map[string]interface {} (`args`). `zero` is the
    element type's zero value, which a missing key yields (Prometheus sets missingkey=zero)."""

    def __init__(self, items: Mapping[str, object], *, type_name: str, zero: object) -> None:
        self.items = dict(items)
        self.type_name = type_name
        self.zero = zero

    def get(self, key: str) -> object:
        return self.items.get(key, self.zero)

    def format(self, element: Callable[[object], str], *, nested: bool) -> str:
        # fmt sorts map keys.
        return (
            "map["
            + " ".join(f"{element(key)}:{element(value)}" for key, value in sorted(self.items.items()))
            + "]"
        )


def string_map(items: Mapping[str, str]) -> GoMap:
    return GoMap(items, type_name="map[string]string", zero="")


@dataclass(frozen=True, eq=False)
class AlertData(GoValue):
    """The struct Prometheus's AlertTemplateData gives a template as dot."""

    labels: GoMap
    external_labels: GoMap
    external_url: str
    value: float

    type_name = ALERT_DATA_TYPE

    def field(self, name: str) -> tuple[bool, object]:
        fields = {
            "Labels": self.labels,
            "ExternalLabels": self.external_labels,
            "ExternalURL": self.external_url,
            "Value": self.value,
        }
        return (True, fields[name]) if name in fields else (False, None)

    def format(self, element: Callable[[object], str], *, nested: bool) -> str:
        parts = (self.labels, self.external_labels, self.external_url, self.value)
        return "{" + " ".join(element(part) for part in parts) + "}"


@dataclass(frozen=True, eq=False)
class SampleRef(GoValue):
    """*template.sample: one element of a `query` result."""

    labels: GoMap
    value: float

    type_name = "*template.sample"

    def field(self, name: str) -> tuple[bool, object]:
        fields = {"Labels": self.labels, "Value": self.value}
        return (True, fields[name]) if name in fields else (False, None)

    def format(self, element: Callable[[object], str], *, nested: bool) -> str:
        return POINTER if nested else "&" + self.format_struct(element)

    def format_struct(self, element: Callable[[object], str]) -> str:
        """The struct the pointer points to, as a template prints it (text/template dereferences first)."""
        return "{" + element(self.labels) + " " + element(self.value) + "}"


class QueryResult(list[SampleRef], GoValue):
    """template.queryResult: what `query` returns."""

    type_name = "template.queryResult"

    def format(self, element: Callable[[object], str], *, nested: bool) -> str:
        return "[" + " ".join(element(sample) for sample in self) + "]"


@dataclass(frozen=True, eq=False)
class GoTime(GoValue):
    """*time.Time in UTC, at nanosecond precision (`toTime` returns one)."""

    unix_nanos: int

    type_name = "*time.Time"

    def datetime(self) -> datetime.datetime:
        seconds, nanos = divmod(self.unix_nanos, 1_000_000_000)
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
        return epoch + datetime.timedelta(seconds=seconds, microseconds=nanos // 1000)

    def nanosecond(self) -> int:
        return self.unix_nanos % 1_000_000_000

    def format(self, element: Callable[[object], str], *, nested: bool) -> str:
        return element(self.string())  # fmt prints a Stringer as its String()

    def string(self) -> str:
        """time.Time.String(): 2006-01-02 15:04:05.999999999 -0700 MST."""
        stamp = self.datetime().strftime("%Y-%m-%d %H:%M:%S")
        fraction = f"{self.nanosecond():09d}".rstrip("0")
        return stamp + ("." + fraction if fraction else "") + " +0000 UTC"

    def method(self, name: str) -> FuncSpec | None:
        """A time.Time method, as templates call them: `.Unix`, `.Format "2006-01-02"`."""
        when = self.datetime()
        if name == "Format":
            return FuncSpec(("string",), None, lambda layout: format_time(layout, when, self.nanosecond()))
        methods: dict[str, object] = {
            "Unix": self.unix_nanos // 1_000_000_000,
            "UnixMilli": self.unix_nanos // 1_000_000,
            "UnixMicro": self.unix_nanos // 1000,
            "UnixNano": self.unix_nanos,
            "Year": when.year,
            # time.Month and time.Weekday print as their English names.
            "Month": when.strftime("%B"),
            "Weekday": when.strftime("%A"),
            "YearDay": when.timetuple().tm_yday,
            "Day": when.day,
            "Hour": when.hour,
            "Minute": when.minute,
            "Second": when.second,
            "Nanosecond": self.nanosecond(),
            "UTC": self,
            "String": self.string(),
            "IsZero": False,
        }
        return _constant(methods[name]) if name in methods else None

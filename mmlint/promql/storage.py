"""Series storage for the engine: float samples per series, in time order, staleness markers included.

Series are indexed by metric name, and each keeps its timestamps in a sorted list so that a lookup is a
bisect. Selection follows Prometheus's TSDB contract: series come back sorted by their label sets.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from mmlint.promql.regex import RegexError, full_match
from mmlint.promql.values import NAME, Labels, PromQLError, get_label, is_stale


@dataclass(frozen=True, slots=True)
class Matcher:
    """A label matcher; `op` is one of "=", "!=", "=~", "!~"."""

    name: str
    op: str
    value: str

    def matches(self, value: str) -> bool:
        if self.op == "=":
            return value == self.value
        if self.op == "!=":
            return value != self.value
        try:
            found = full_match(self.value, value)
        except RegexError as error:
            raise PromQLError(f"invalid regular expression {self.value!r}: {error}") from None
        return found if self.op == "=~" else not found


@dataclass(frozen=True, eq=False, slots=True)
class Selector:
    """A selector's matchers, interned (see `selector`): compared and hashed by identity, so a lookup of
    the series it selects costs no hashing of its matchers."""

    matchers: tuple[Matcher, ...]


_SELECTORS: dict[tuple[Matcher, ...], Selector] = {}
_SELECTORS_SIZE = 16384


def selector(matchers: tuple[Matcher, ...]) -> Selector:
    """The one Selector for these matchers (a cache bounded in size: past it, equal matchers may get a
    second Selector, which only costs a second cache entry in a storage)."""
    found = _SELECTORS.get(matchers)
    if found is None:
        if len(_SELECTORS) >= _SELECTORS_SIZE:
            _SELECTORS.clear()
        found = _SELECTORS[matchers] = Selector(matchers)
    return found


@dataclass(slots=True)
class StoredSeries:
    """One series: parallel lists of timestamps (ms, strictly increasing) and values."""

    labels: Labels
    times: list[int] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    has_stale: bool = False  # whether any value is a staleness marker (range selection must skip them)

    def insert(self, t: int, v: float) -> None:
        """Append in order; a sample at an existing timestamp replaces it, an older one is slotted in."""
        if v != v and is_stale(v):
            self.has_stale = True
        if not self.times or t > self.times[-1]:
            self.times.append(t)
            self.values.append(v)
            return
        index = bisect.bisect_left(self.times, t)
        if index < len(self.times) and self.times[index] == t:
            self.values[index] = v
        else:
            self.times.insert(index, t)
            self.values.insert(index, v)

    def last_at(self, ref: int, lookback: int, *, left_open: bool) -> tuple[int, float] | None:
        """The newest sample at or before `ref` within the lookback window, unless it is a staleness marker
        (Prometheus's vectorSelectorSingle). The window is [ref-lookback, ref], or (ref-lookback, ref] when
        `left_open` (Prometheus 3)."""
        index = bisect.bisect_right(self.times, ref) - 1
        if index < 0:
            return None
        t = self.times[index]
        if t < ref - lookback or (left_open and t == ref - lookback):
            return None
        v = self.values[index]
        if is_stale(v):
            return None
        return t, v

    def window(self, mint: int, maxt: int, *, left_open: bool) -> list[tuple[int, float]]:
        """The samples in [mint, maxt] (or (mint, maxt]) without staleness markers, as a range selector
        loads them (Prometheus's matrixIterSlice)."""
        start = (bisect.bisect_right if left_open else bisect.bisect_left)(self.times, mint)
        end = bisect.bisect_right(self.times, maxt)
        points = zip(self.times[start:end], self.values[start:end], strict=True)
        if not self.has_stale:
            return list(points)
        return [(t, v) for t, v in points if v == v or not is_stale(v)]


class Storage:
    """All series of one test or one rule-evaluation run."""

    def __init__(self) -> None:
        self._series: dict[Labels, StoredSeries] = {}
        self._by_name: dict[str, list[StoredSeries]] = {}
        self._sorted: dict[str, bool] = {}
        self._all: list[StoredSeries] | None = None  # every series sorted by labels, rebuilt after a new one
        # Selections by matchers; a rule evaluated at every step selects the same series again and again.
        self._selected: dict[Selector, list[StoredSeries]] = {}

    def __len__(self) -> int:
        return len(self._series)

    def _get(self, labels: Labels) -> StoredSeries:
        series = self._series.get(labels)
        if series is None:
            series = StoredSeries(labels)
            self._series[labels] = series
            name = get_label(labels, NAME)
            self._by_name.setdefault(name, []).append(series)
            self._sorted[name] = False
            self._all = None
            self._selected.clear()
        return series

    def add(self, labels: Labels, points: Iterable[tuple[int, float]]) -> None:
        """Load `points` (time order; values may be STALE_NAN) into the series `labels`."""
        series = self._get(labels)
        for t, v in points:
            series.insert(t, v)

    def append(self, labels: Labels, t: int, v: float) -> None:
        """One sample, as a rule evaluation writes its output."""
        self._get(labels).insert(t, v)

    def series(self) -> Iterator[StoredSeries]:
        """Every series, sorted by labels."""
        yield from self._every()

    def _every(self) -> list[StoredSeries]:
        if self._all is None:
            self._all = [self._series[labels] for labels in sorted(self._series)]
        return self._all

    def _candidates(self, name: str) -> list[StoredSeries]:
        found = self._by_name.get(name, [])
        if not self._sorted.get(name, True):
            found.sort(key=lambda series: series.labels)
            self._sorted[name] = True
        return found

    def select(self, matchers: Sequence[Matcher] | Selector) -> list[StoredSeries]:
        """The series whose labels satisfy every matcher (a missing label has the value ""), sorted by
        labels as Prometheus's storage returns them."""
        key = matchers if isinstance(matchers, Selector) else selector(tuple(matchers))
        cached = self._selected.get(key)
        if cached is None:
            cached = self._selected[key] = self._select(key.matchers)
        return cached

    def _select(self, matchers: Sequence[Matcher]) -> list[StoredSeries]:
        name = next((m.value for m in matchers if m.name == NAME and m.op == "="), None)
        if name is not None:
            candidates: Iterable[StoredSeries] = self._candidates(name)
        else:
            candidates = self._every()
        return [s for s in candidates if all(m.matches(get_label(s.labels, m.name)) for m in matchers)]

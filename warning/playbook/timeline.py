"""Piecewise-constant functions of time, computed lazily per week, looked up by bisect.

A timeline is defined by two functions: ``evaluate(instant)`` (the definition,
possibly slow) and ``boundaries(start, end)`` (every instant in between where the
value may change). The first query in a week evaluates the definition once per
boundary; every later query is a bisect over sorted boundary timestamps.

>>> from datetime import UTC, datetime, timedelta
>>> noon = lambda t: t.hour >= 12
>>> def cuts(a, b):
...     day = a.replace(hour=0, minute=0, second=0, microsecond=0)
...     while day < b:
...         yield day; yield day + timedelta(hours=12); day += timedelta(days=1)
>>> line = Timeline(noon, cuts)
>>> line.value_at(datetime(2026, 3, 28, 19, 30, tzinfo=UTC))
True
>>> start, end, value = line.segment_at(datetime(2026, 3, 28, 9, tzinfo=UTC))
>>> start.isoformat(), end.isoformat(), value
('2026-03-28T00:00:00+00:00', '2026-03-28T12:00:00+00:00', False)
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Generic, TypeVar

__all__ = ["CHUNK_SECONDS", "Timeline"]

T = TypeVar("T")

#: Width of one lazily computed piece of a timeline.
CHUNK_SECONDS = 7 * 86_400
_MAX_MERGE_CHUNKS = 8


def _instant(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


class Timeline(Generic[T]):
    """Lazily computed, cached, bisectable piecewise-constant function of time."""

    def __init__(
        self,
        evaluate: Callable[[datetime], T],
        boundaries: Callable[[datetime, datetime], Iterable[datetime]],
    ) -> None:
        self.evaluate = evaluate
        self.boundaries = boundaries
        self._chunks: dict[int, tuple[list[float], list[T]]] = {}

    def _chunk(self, index: int) -> tuple[list[float], list[T]]:
        found = self._chunks.get(index)
        if found is not None:
            return found
        lo, hi = index * CHUNK_SECONDS, (index + 1) * CHUNK_SECONDS
        stamps = {float(lo)}
        for cut in self.boundaries(_instant(lo), _instant(hi)):
            ts = cut.timestamp()
            if lo < ts < hi:
                stamps.add(ts)
        starts: list[float] = []
        values: list[T] = []
        for ts in sorted(stamps):
            value = self.evaluate(_instant(ts))
            if values and values[-1] == value:
                continue
            starts.append(ts)
            values.append(value)
        self._chunks[index] = (starts, values)
        return starts, values

    def value_at(self, instant: datetime) -> T:
        """The value at ``instant`` (aware)."""
        ts = instant.timestamp()
        starts, values = self._chunk(int(ts // CHUNK_SECONDS))
        return values[bisect_right(starts, ts) - 1]

    def segment_at(self, instant: datetime) -> tuple[datetime, datetime, T]:
        """``(start, end, value)`` of the constant piece holding ``instant``.

        Pieces are followed across weeks for up to eight weeks each way.
        """
        ts = instant.timestamp()
        index = int(ts // CHUNK_SECONDS)
        starts, values = self._chunk(index)
        i = bisect_right(starts, ts) - 1
        value = values[i]
        start = self._start_of(index, i, value)
        end = self._end_of(index, i, value)
        return _instant(start), _instant(end), value

    def _start_of(self, index: int, i: int, value: T) -> float:
        starts, _ = self._chunk(index)
        for _ in range(_MAX_MERGE_CHUNKS):
            if i > 0:
                return starts[i]
            prev_starts, prev_values = self._chunk(index - 1)
            if prev_values[-1] != value:
                return starts[0]
            index, i, starts = index - 1, len(prev_starts) - 1, prev_starts
        return starts[i]

    def _end_of(self, index: int, i: int, value: T) -> float:
        starts, _ = self._chunk(index)
        for _ in range(_MAX_MERGE_CHUNKS):
            if i + 1 < len(starts):
                return starts[i + 1]
            next_starts, next_values = self._chunk(index + 1)
            if next_values[0] != value:
                return next_starts[0]
            index, i, starts = index + 1, 0, next_starts
        return float((index + 1) * CHUNK_SECONDS)

    def segments(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime, T]]:
        """The constant pieces overlapping ``[start, end)``, clipped, equal neighbours merged."""
        lo, hi = start.timestamp(), end.timestamp()
        current: tuple[float, T] | None = None
        for index in range(int(lo // CHUNK_SECONDS), int(hi // CHUNK_SECONDS) + 1):
            starts, values = self._chunk(index)
            for ts, value in zip(starts, values, strict=True):
                if ts >= hi:
                    break
                if current is not None and current[1] == value:
                    continue
                if current is not None and ts > lo:
                    yield _instant(max(current[0], lo)), _instant(ts), current[1]
                current = (ts, value)
        if current is not None:
            yield _instant(max(current[0], lo)), _instant(hi), current[1]

"""The recent buckets of one brand, kept compactly for re-warming detectors and charts.

The live runtime keeps two weeks of 5-minute buckets per brand (4,032 of them) so
that a changed detector configuration can be warmed on real history, and so that the
pages' charts can show what the detector expected. As Python tuples that is about
1 MB per brand; here it is two numpy arrays, a ring of 9 float64 per bucket plus the
start (~320 KB per brand at two weeks), whatever the number of brands.

>>> from datetime import UTC, datetime, timedelta
>>> from warning.detect import Bucket
>>> ring = BucketHistory(2)
>>> t0 = datetime(2026, 3, 28, 19, 0, tzinfo=UTC)
>>> for i in range(3):
...     ring.append(Bucket(t0 + timedelta(minutes=5 * i), float(i), 0.0), expected=0.5)
>>> [(b.start.strftime("%H:%M"), b.volume) for b in ring], len(ring)
([('19:05', 1.0), ('19:10', 2.0)], 2)
>>> ring.expected().tolist()
[0.5, 0.5]
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from warning.detect import Bucket
from warning.detect.types import utc_from_epoch

__all__ = ["BucketHistory"]

_FIELDS = Bucket._fields[1:]  # every column after the start
_N = len(_FIELDS)


class BucketHistory:
    """A ring of the last ``capacity`` buckets with the detector's expected volume."""

    __slots__ = ("_next", "_size", "_starts", "_values")

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"BucketHistory needs a capacity of at least 1, got {capacity}")
        self._starts = np.zeros(capacity, dtype="float64")  # epoch seconds
        self._values = np.full((capacity, _N + 1), np.nan)  # the columns, then expected
        self._next = 0
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def append(self, bucket: Bucket, *, expected: float) -> None:
        """Keep ``bucket`` (the oldest one goes when the ring is full)."""
        i = self._next
        self._starts[i] = bucket.start.timestamp()
        self._values[i, :_N] = bucket[1:]
        self._values[i, _N] = expected
        self._next = (i + 1) % len(self._starts)
        self._size = min(self._size + 1, len(self._starts))

    def _order(self) -> np.ndarray:
        size, nxt = self._size, self._next
        order: np.ndarray = (np.arange(size) + (nxt - size)) % len(self._starts)
        return order

    def __iter__(self) -> Iterator[Bucket]:
        """The kept buckets, oldest first."""
        for i in self._order():
            yield Bucket(utc_from_epoch(float(self._starts[i])), *self._values[i, :_N].tolist())

    def expected(self) -> np.ndarray:
        """The detector's expected volume of each kept bucket, oldest first."""
        values: np.ndarray = self._values[self._order(), _N]
        return values

    def table(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Bucket starts (epoch seconds) and each column plus ``expected_volume``, oldest
        first: one consistent copy, safe to take while another thread appends."""
        order = self._order()  # the ring's position is read once
        starts: np.ndarray = self._starts[order]
        values = self._values[order]
        columns = {name: values[:, j] for j, name in enumerate(_FIELDS)}
        columns["expected_volume"] = values[:, _N]
        return starts, columns

    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return int(self._starts.nbytes + self._values.nbytes)

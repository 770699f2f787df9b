"""The bounded, de-duplicating hand-over between HTTP ingest and the live runtime.

HTTP handlers :meth:`~MentionQueue.offer` batches of **validated** mentions; the
runtime thread :meth:`~MentionQueue.take` s them. What travels is what the pipeline
consumes most cheaply: mention frames with exactly the columns and dtypes of
:data:`warning.records.MENTION_COLUMNS` (``timestamp`` ``datetime64[ns, UTC]``).
:meth:`~MentionQueue.offer` also takes a list of :class:`~warning.records.Mention`
records or mention dicts with those keys (timestamps UTC-aware) and turns them into
one frame. :meth:`~MentionQueue.take` returns a list of frames holding at most
``max_items`` mentions together (a frame is split when needed).

A batch is all-or-nothing: if its new mentions do not fit, :class:`QueueFull` is
raised and nothing is queued or remembered, so the client can retry the same batch
after :attr:`QueueFull.retry_after` seconds (estimated from the observed drain
rate, 1 to 60 s). Mentions whose id was offered before (within the last
``dedup_size`` distinct ids at least) are counted as duplicates and not queued, so a
re-post is harmless. Memory for the window: 8 bytes per id, two generations.

>>> import pandas as pd
>>> from datetime import datetime, timezone
>>> q = MentionQueue(maxsize=3)
>>> at = datetime(2026, 3, 28, 19, 30, tzinfo=timezone.utc)
>>> q.offer([{"id": "a", "timestamp": at, "text": "hi", "brand": "acme"},
...          {"id": "a", "timestamp": at, "text": "hi", "brand": "acme"}])
OfferResult(accepted=1, duplicates=1, quarantined=0)
>>> q.offer([{"id": "a", "timestamp": at, "text": "hi", "brand": "acme"}])
OfferResult(accepted=0, duplicates=1, quarantined=0)
>>> q.depth()
1
>>> rows = [{"id": str(i), "timestamp": at, "text": "x", "brand": "acme"} for i in range(3)]
>>> q.offer(rows)
Traceback (most recent call last):
...
warning.service.queue.QueueFull: The mention queue is full (1 queued, 3 offered, room for 3); retry in 10 s.
>>> [frame["id"].tolist() for frame in q.take(10, timeout=0)]
[['a']]
>>> q.close(); q.take(10, timeout=5.0)
[]
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

import numpy as np
import pandas as pd

from warning.errors import ShitstormError
from warning.ingest.dedup import SeenIds, hash_ids
from warning.records import MENTION_COLUMNS

__all__ = ["MentionQueue", "OfferResult", "QueueClosed", "QueueFull", "to_mention_frame"]

#: Retry-After when nothing has been drained yet to estimate a rate from.
DEFAULT_RETRY_AFTER = 10.0
_RATE_WINDOW = 60.0  # seconds of take() history used for the drain rate


class QueueFull(ShitstormError):
    """The batch does not fit into the queue; nothing of it was taken.

    It is a :class:`~warning.errors.ShitstormError` directly: not bad input (the same
    batch is fine later) and not a delivery problem. ``retry_after`` is in seconds.
    """

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after: float = retry_after


class QueueClosed(ShitstormError):
    """The service is shutting down and takes no more mentions."""


@dataclass(frozen=True)
class OfferResult:
    """What became of an offered batch (``quarantined`` is passed through from validation)."""

    accepted: int
    duplicates: int
    quarantined: int = 0


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in MENTION_COLUMNS.items()})


def to_mention_frame(rows: pd.DataFrame | Sequence[Any]) -> pd.DataFrame:
    """A mention frame from a frame, ``Mention`` records or mention dicts.

    >>> from datetime import datetime, timezone
    >>> at = datetime(2026, 3, 28, 20, 30, tzinfo=timezone.utc)
    >>> frame = to_mention_frame([{"id": "1", "timestamp": at, "text": "hi", "reach": 3}])
    >>> str(frame["timestamp"].dtype), str(frame["reach"].dtype), bool(frame["brand"].isna().all())
    ('datetime64[ns, UTC]', 'Int64', True)
    """
    if isinstance(rows, pd.DataFrame):
        frame = rows
        if list(frame.columns) == list(MENTION_COLUMNS) and all(
            str(dtype) == MENTION_COLUMNS[column] for column, dtype in frame.dtypes.items()
        ):
            return frame  # already a mention frame (validated rows): nothing to convert
    else:
        records: list[Mapping[str, Any]] = []
        for row in rows:
            if isinstance(row, Mapping):
                records.append(row)
            elif is_dataclass(row) and not isinstance(row, type):
                records.append({f.name: getattr(row, f.name) for f in fields(row)})
            else:
                raise TypeError(f"mention queue: cannot queue an item of type {type(row).__name__}")
        if not records:
            return _empty_frame()
        frame = pd.DataFrame.from_records(records)
    out: dict[str, pd.Series] = {}
    for column, dtype in MENTION_COLUMNS.items():
        if column not in frame.columns:
            out[column] = pd.Series(pd.NA, index=frame.index, dtype=dtype)
        elif column == "timestamp":
            out[column] = pd.to_datetime(frame[column], utc=True).astype(dtype)
        else:
            out[column] = frame[column].astype(dtype)
    return pd.DataFrame(out).reset_index(drop=True)


class _IdWindow:
    """Ids seen lately: two generations of :class:`SeenIds`, each up to ``size`` ids."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.current, self.previous = SeenIds(), SeenIds()

    def new_mask(self, ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """(first occurrence and not seen before, hashes); remembers nothing."""
        hashes = hash_ids(ids)
        _, first = np.unique(hashes, return_index=True)
        keep = np.zeros(len(hashes), dtype=bool)
        keep[first] = True
        for generation in (self.current, self.previous):
            if len(generation):
                keep &= ~generation._contains(hashes)
        return keep, hashes

    def remember(self, hashes: np.ndarray) -> None:
        if len(hashes):
            self.current._add(hashes)
        if len(self.current) >= self.size:
            self.previous, self.current = self.current, SeenIds()


class MentionQueue:
    """Thread-safe FIFO of validated mention frames, bounded in mentions (see module doc)."""

    def __init__(
        self,
        maxsize: int = 50_000,
        *,
        dedup_size: int = 1_000_000,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        for name, value in (("maxsize", maxsize), ("dedup_size", dedup_size)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"The '{name}' parameter of MentionQueue must be a positive integer. "
                    f"Got {value!r} instead."
                )
        self.maxsize = maxsize
        self._monotonic = monotonic
        self._frames: deque[pd.DataFrame] = deque()
        self._depth = 0
        self._closed = False
        self._seen = _IdWindow(dedup_size)
        self._taken: deque[tuple[float, int]] = deque()  # (when, how many) for the drain rate
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)

    @property
    def closed(self) -> bool:
        return self._closed

    def depth(self) -> int:
        """Mentions waiting to be taken."""
        with self._lock:
            return self._depth

    def drain_rate(self) -> float | None:
        """Mentions taken per second over the last minute (None before the first take)."""
        with self._lock:
            return self._rate(self._monotonic())

    def _rate(self, now: float) -> float | None:
        while self._taken and now - self._taken[0][0] > _RATE_WINDOW:
            self._taken.popleft()
        if not self._taken:
            return None
        span = max(now - self._taken[0][0], 1.0)
        return sum(n for _, n in self._taken) / span

    def _retry_after(self, needed: int) -> float:
        rate = self._rate(self._monotonic())
        if not rate:
            return DEFAULT_RETRY_AFTER
        return float(min(60.0, max(1.0, round(needed / rate, 1))))

    def offer(self, rows: pd.DataFrame | Sequence[Any], *, quarantined: int = 0) -> OfferResult:
        """Queue the batch's new mentions, all or none; raises QueueFull or QueueClosed."""
        frame = to_mention_frame(rows)
        with self._lock:
            if self._closed:
                raise QueueClosed("The mention queue is closed: the service is shutting down.")
            keep, hashes = self._seen.new_mask(frame["id"])
            accepted = int(keep.sum())
            if self._depth + accepted > self.maxsize:
                retry = self._retry_after(self._depth + accepted - self.maxsize)
                raise QueueFull(
                    f"The mention queue is full ({self._depth} queued, {accepted} offered, "
                    f"room for {self.maxsize}); retry in {retry:g} s.",
                    retry,
                )
            self._seen.remember(hashes[keep])
            if accepted:
                new = frame if accepted == len(frame) else frame[keep].reset_index(drop=True)
                self._frames.append(new)
                self._depth += accepted
                self._ready.notify_all()
        return OfferResult(accepted, len(frame) - accepted, quarantined)

    def take(self, max_items: int, timeout: float) -> list[pd.DataFrame]:
        """Up to ``max_items`` mentions as frames, waiting up to ``timeout`` s for the first.

        Returns ``[]`` on timeout, and at once when the queue is closed and empty.
        """
        with self._ready:
            if not self._depth and not self._closed and timeout > 0:
                self._ready.wait_for(lambda: self._depth > 0 or self._closed, timeout)
            out: list[pd.DataFrame] = []
            room = max(int(max_items), 0)
            while self._frames and room > 0:
                head = self._frames[0]
                if len(head) <= room:
                    out.append(self._frames.popleft())
                    room -= len(head)
                else:
                    out.append(head.iloc[:room].reset_index(drop=True))
                    self._frames[0] = head.iloc[room:].reset_index(drop=True)
                    room = 0
            taken = sum(len(frame) for frame in out)
            if taken:
                self._depth -= taken
                now = self._monotonic()
                self._taken.append((now, taken))
                self._rate(now)  # forget what is older than the window
            return out

    def close(self) -> None:
        """Take no more mentions; wake every waiting :meth:`take`. Queued ones stay takeable."""
        with self._ready:
            self._closed = True
            self._ready.notify_all()

"""A wall clock that runs faster, anchored so that restarted processes agree on the time.

``now = origin + (wall time - wall_origin) × speed``. The demo and the crash tests
run an evening of escalation in seconds with it; a runner killed and restarted with
the same ``origin``, ``wall_origin`` and ``speed`` continues on the same timeline.

>>> from datetime import datetime, timezone
>>> clock = ScaledClock(datetime(2026, 3, 28, 19, 30, tzinfo=timezone.utc), speed=60.0,
...                     wall_origin=1_000.0, wall=lambda: 1_002.5)
>>> clock.now().isoformat()
'2026-03-28T19:32:30+00:00'
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from warning.clock import ensure_utc

__all__ = ["ScaledClock"]


class ScaledClock:
    """``speed`` simulated seconds pass per wall second, from ``origin`` at ``wall_origin``.

    ``wall_origin`` is a Unix time (``time.time()`` when not given); ``wall`` is the
    wall clock to read (``time.time``).
    """

    def __init__(
        self,
        origin: datetime,
        *,
        speed: float = 1.0,
        wall_origin: float | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        if speed <= 0:
            raise ValueError(
                f"The 'speed' parameter of ScaledClock must be > 0. Got {speed!r} instead."
            )
        self.origin = ensure_utc(origin, what="origin of the scaled clock")
        self.speed = speed
        self.wall = wall
        self.wall_origin = wall() if wall_origin is None else wall_origin

    def now(self) -> datetime:
        return self.origin + timedelta(seconds=(self.wall() - self.wall_origin) * self.speed)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds / self.speed)

    def wall_time(self, instant: datetime) -> float:
        """The Unix time at which this clock shows ``instant``."""
        return self.wall_origin + (ensure_utc(instant) - self.origin).total_seconds() / self.speed

"""A seasonal, storm-robust expected volume that learns online with bounded state.

The expected volume of a bucket is ``slot level × recent-level factor``:

* **slot level**: an exponentially forgetting mean of the volume seen in the same
  slot (working day, Saturday or Sunday/holiday × hour of day, in the brand's time
  zone) with a half-life of ``memory`` (14 days by default), so a lively Saturday
  evening is compared with earlier Saturday evenings, a busy Monday morning with
  working-day mornings. A slot with little history borrows from the same hour of
  the other day types.
* **recent-level factor**: the ratio of recent volume to recent slot levels with a
  half-life of ``level_memory`` (1 day), which follows slow growth or decline
  between slot updates.
* **robust to storms**: what it learns is winsorised at ``winsor`` standard
  deviations above the expectation (on the Anscombe scale), and slot levels do not
  learn from buckets inside a storm or an expected-spike window at all (the
  recent-level factor does, winsorised, so a lasting shift is absorbed).
* **uncertainty**: :attr:`confidence` says how much history the bucket's own slot
  has (0 to 1, a day's worth of that slot is full confidence); the detector widens
  its noise band for young slots.

State is 72 slot means and counts plus a few numbers, whatever the history length.

>>> from datetime import datetime, timezone
>>> b = SeasonalBaseline(freq="1h")
>>> b._validate()
>>> t0 = datetime(2026, 3, 2, tzinfo=timezone.utc).timestamp()  # a Monday
>>> for day in range(14):
...     for hour in range(24):
...         x = 40.0 if 9 <= hour < 18 else 10.0
...         mu = b.expected(t0 + (day * 24 + hour) * 3600)
...         b.learn(x, mu, 1.0, full=True)
>>> round(b.expected(t0 + (14 * 24 + 10) * 3600)), round(b.expected(t0 + (14 * 24 + 22) * 3600))
(40, 10)
"""

from __future__ import annotations

from warning.detect.calendar import DAY_TYPES, SLOTS, SlotCalendar
from warning.detect.estimator import Estimator, check_number, parse_duration
from warning.detect.stats import anscombe, half_life_alpha, inv_anscombe

__all__ = ["SeasonalBaseline"]

#: Where a young slot borrows from: working days from Saturday, then Sunday; a weekend
#: day from the other weekend day, then working days.
_FALLBACK = ((1, 2), (2, 0), (1, 0))


class SeasonalBaseline(Estimator):
    """Expected volume per bucket: seasonal slot level × recent-level factor."""

    def __init__(
        self,
        freq: str = "5min",
        memory: str = "14D",
        level_memory: str = "1D",
        winsor: float = 3.0,
        tz: str = "UTC",
        weekend: tuple[int, ...] = (5, 6),
        holidays: str | None = None,
    ) -> None:
        self.freq = freq
        self.memory = memory
        self.level_memory = level_memory
        self.winsor = winsor
        self.tz = tz
        self.weekend = weekend
        self.holidays = holidays

    def _validate(self) -> None:
        owner = type(self).__name__
        step = parse_duration(self.freq, name="freq", owner=owner).total_seconds()
        memory = parse_duration(self.memory, name="memory", owner=owner).total_seconds()
        level = parse_duration(self.level_memory, name="level_memory", owner=owner).total_seconds()
        check_number(self.winsor, name="winsor", owner=owner, low=0.0, low_open=True)
        self.calendar_ = SlotCalendar(self.tz, tuple(self.weekend), self.holidays)
        per_hour = max(1.0, 3600.0 / step)
        weeks = memory / (7 * 86400.0)
        # A slot is seen (days of its type per week × buckets per hour) times a week.
        self.slot_alpha_ = tuple(
            half_life_alpha(weeks * self.calendar_.days_per_week(d) * per_hour)
            for d in range(DAY_TYPES)
        )
        self.level_alpha_ = half_life_alpha(level / step)
        self.trust_ = per_hour  # observations after which a slot stands on its own
        self.mean_ = [0.0] * SLOTS
        self.count_ = [0.0] * SLOTS
        self.overall_ = 0.0
        self.level_num_ = 0.0
        self.level_den_ = 0.0
        self.steps_ = 0
        self._slot = 0
        self._base = 0.0
        self.confidence = 0.0

    def expected(self, epoch: float) -> float:
        """Expected volume of the bucket starting at ``epoch``; call :meth:`learn` next."""
        slot = self.calendar_.slot(epoch)
        self._slot = slot
        n = self.count_[slot]
        self.confidence = n / self.trust_ if n < self.trust_ else 1.0
        if n >= self.trust_:
            base = self.mean_[slot]
        else:
            # Borrow the same hour of the other day types (the weekend days first).
            hour = slot % 24
            other = -1
            for d in _FALLBACK[slot // 24]:
                if self.count_[d * 24 + hour] > 0.0:
                    other = d * 24 + hour
                    break
            if other >= 0:
                w = n / self.trust_
                base = w * self.mean_[slot] + (1.0 - w) * self.mean_[other]
            elif n > 0.0:
                base = self.mean_[slot]
            else:
                base = self.overall_
        self._base = base
        den = self.level_den_
        factor = self.level_num_ / den if den > 0.0 else 1.0
        return base * factor

    @property
    def level_factor(self) -> float:
        """Recent volume relative to the seasonal slot levels (1.0 = as usual)."""
        return self.level_num_ / self.level_den_ if self.level_den_ > 0.0 else 1.0

    def learn(self, volume: float, expected: float, sigma: float, *, full: bool = True) -> None:
        """Learn from the bucket just scored; ``full=False`` inside storms and expected spikes."""
        x = volume
        if self.steps_ >= self.trust_ * 24:  # winsorise once a day of history exists
            cap = inv_anscombe(anscombe(expected) + self.winsor * sigma)
            if x > cap:
                x = cap
        if full:
            slot = self._slot
            n = self.count_[slot] + 1.0
            self.count_[slot] = n
            alpha = self.slot_alpha_[slot // 24]
            if 1.0 / n > alpha:
                alpha = 1.0 / n
            self.mean_[slot] += alpha * (x - self.mean_[slot])
            a = 1.0 / (self.steps_ + 1.0) if self.steps_ < 100 else 0.01
            self.overall_ += a * (x - self.overall_)
        if self.steps_ > 0:
            a = self.level_alpha_
            self.level_num_ += a * (x - self.level_num_)
            self.level_den_ += a * ((self._base if self._base > 0.0 else x) - self.level_den_)
        self.steps_ += 1

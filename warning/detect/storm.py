"""Storm, not just spike: how evidence beyond volume sets an alert's severity.

What separates an online firestorm from an ordinary spike (a campaign launch, a
TV spot, a product announcement) is what rises *with* the volume. The rule:

**Negativity known** (mentions were scored):

* the negative share of the storm so far is not clearly above the brand's normal
  share → ``watch`` at most, however large the spike (a campaign is a spike);
* it is clearly above (at least ``share_rise`` points, 10 by default, and
  significant at ``share_z`` standard errors) → ``warning``;
* that, plus at least two further storm markers → ``critical``. The markers:
  a strong rise of the negative share (+25 points), fast acceleration (volume
  doubling time under ``doubling_time``, 2 h by default), many authors new to the
  brand (at least half of the storm's authors, and 20 points above normal),
  high reach (reach per mention five times normal over at least 30 mentions:
  reach is heavy-tailed), amplification (repost and quote share 20 points above
  normal).

**Volume only** (no negativity known, e.g. the NAB streams): ``watch`` for a
confirmed volume anomaly, ``warning`` when it is extreme (``extreme_ratio`` times
the expected volume, 10 by default, at twice the spike threshold) and
accelerating, or when many new authors drive it. Volume alone never makes
``critical``.

Severity never falls within one storm; each rise is a new alert line with the
same dedup key.

>>> ev = StormEvidence()
>>> ev.add(volume=120, negative=48, authors=110, new_authors=80, reach=9e5, reposts=30, quotes=10)
>>> m = ev.markers(expected_share=0.10, expected_new_share=0.2, expected_reach=1500.0,
...                expected_amplification=0.1, doubling_minutes=35.0, extreme=False)
>>> grade(m)
(<Severity.CRITICAL: 'critical'>, ('negative share +30 pts', 'negative share +25 pts or more', 'doubling in 35 min', 'new authors 73 %', 'reach 5.0x normal', 'reposts and quotes +23 pts'))
>>> campaign = StormEvidence()
>>> campaign.add(volume=400, negative=36)
>>> grade(campaign.markers(expected_share=0.09, doubling_minutes=20.0, extreme=True))[0]
<Severity.WATCH: 'watch'>
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from warning.detect.stats import share_z
from warning.records import Severity

__all__ = ["StormEvidence", "StormMarkers", "grade"]


@dataclass(frozen=True, slots=True)
class StormMarkers:
    """The storm markers of one excursion, each with the number behind it."""

    negativity_known: bool
    negative_share: float | None
    share_rise: float | None
    negative_rise: bool
    strong_negative: bool
    doubling_minutes: float | None
    accelerating: bool
    new_author_share: float | None
    many_new_authors: bool
    reach_ratio: float | None
    high_reach: bool
    amplification_share: float | None
    amplification_rise: float | None
    amplified: bool
    extreme: bool


class StormEvidence:
    """Running sums over one excursion (from its first elevated bucket to its end)."""

    __slots__ = (
        "amplification",
        "amplification_known",
        "authors",
        "buckets",
        "negative",
        "negative_known",
        "new_authors",
        "reach",
        "reach_known",
        "volume",
    )

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.buckets = 0
        self.volume = 0.0
        self.negative = 0.0
        self.negative_known = 0.0
        self.authors = 0.0
        self.new_authors = 0.0
        self.reach = 0.0
        self.reach_known = 0.0
        self.amplification = 0.0
        self.amplification_known = 0.0

    def add(
        self,
        volume: float,
        negative: float = math.nan,
        authors: float = math.nan,
        new_authors: float = math.nan,
        reach: float = math.nan,
        reposts: float = math.nan,
        quotes: float = math.nan,
    ) -> None:
        """Add one bucket; NaN columns are simply unknown."""
        self.buckets += 1
        self.volume += volume
        if negative == negative:
            self.negative += negative
            self.negative_known += volume
        if authors == authors and new_authors == new_authors:
            self.authors += authors
            self.new_authors += new_authors
        if reach == reach:
            self.reach += reach
            self.reach_known += volume
        if reposts == reposts or quotes == quotes:
            self.amplification += (reposts if reposts == reposts else 0.0) + (
                quotes if quotes == quotes else 0.0
            )
            self.amplification_known += volume

    def markers(
        self,
        *,
        expected_share: float | None = None,
        expected_new_share: float | None = None,
        expected_reach: float | None = None,
        expected_amplification: float | None = None,
        doubling_minutes: float | None = None,
        extreme: bool = False,
        share_rise: float = 0.10,
        share_z_min: float = 3.0,
        doubling_limit: float = 120.0,
    ) -> StormMarkers:
        """Which storm markers hold for this excursion (see the module docstring)."""
        known = self.negative_known > 0.0
        share = self.negative / self.negative_known if known else None
        rise = None
        negative_rise = strong = False
        if share is not None and expected_share is not None:
            rise = share - expected_share
            z = share_z(self.negative, self.negative_known, expected_share)
            negative_rise = rise >= share_rise and z >= share_z_min
            strong = negative_rise and rise >= 0.25
        accelerating = doubling_minutes is not None and doubling_minutes <= doubling_limit
        new_share = self.new_authors / self.authors if self.authors > 0.0 else None
        many_new = new_share is not None and new_share >= max(
            0.5, (expected_new_share or 0.0) + 0.2
        )
        reach_ratio = None
        if self.reach_known > 0.0 and expected_reach:
            reach_ratio = (self.reach / self.reach_known) / expected_reach
        amp = (
            self.amplification / self.amplification_known
            if self.amplification_known > 0.0
            else None
        )
        amp_rise = None if amp is None else amp - (expected_amplification or 0.0)
        amplified = amp_rise is not None and amp_rise >= 0.2
        return StormMarkers(
            negativity_known=known,
            negative_share=share,
            share_rise=rise,
            negative_rise=negative_rise,
            strong_negative=strong,
            doubling_minutes=doubling_minutes,
            accelerating=accelerating,
            new_author_share=new_share,
            many_new_authors=many_new,
            reach_ratio=reach_ratio,
            high_reach=reach_ratio is not None and reach_ratio >= 5.0 and self.volume >= 30.0,
            amplification_share=amp,
            amplification_rise=amp_rise,
            amplified=amplified,
            extreme=extreme,
        )


def grade(m: StormMarkers) -> tuple[Severity, tuple[str, ...]]:
    """Severity and the reasons for it, by the rule in the module docstring."""
    reasons: list[str] = []
    if m.negativity_known:
        if not m.negative_rise:
            return Severity.WATCH, ("volume anomaly, negative share normal",)
        reasons.append(f"negative share {100 * (m.share_rise or 0.0):+.0f} pts")
        extra = _further_markers(m)
        reasons.extend(extra)
        return (Severity.CRITICAL if len(extra) >= 2 else Severity.WARNING), tuple(reasons)
    if m.many_new_authors:
        return Severity.WARNING, (f"new authors {100 * (m.new_author_share or 0.0):.0f} %",)
    if m.extreme and m.accelerating:
        return Severity.WARNING, (
            "extreme volume",
            f"doubling in {m.doubling_minutes:.0f} min",
        )
    return Severity.WATCH, ("volume anomaly",)


def _further_markers(m: StormMarkers) -> list[str]:
    extra: list[str] = []
    if m.strong_negative:
        extra.append("negative share +25 pts or more")
    if m.accelerating:
        extra.append(f"doubling in {m.doubling_minutes:.0f} min")
    if m.many_new_authors:
        extra.append(f"new authors {100 * (m.new_author_share or 0.0):.0f} %")
    if m.high_reach:
        extra.append(f"reach {m.reach_ratio:.1f}x normal")
    if m.amplified:
        extra.append(f"reposts and quotes {100 * (m.amplification_rise or 0.0):+.0f} pts")
    return extra

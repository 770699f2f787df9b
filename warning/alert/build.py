"""Turn a detector decision into the alert record of DESIGN.md §4.3.

* ``fired_at`` is the end of the bucket that triggered (a decision at bucket *t*
  can only be made once *t* has closed), ``bucket_start`` its start;
* ``change_point_at`` is where the storm started (found by the change-point
  search), and ``dedup_key`` is ``brand:storm start``, the same for every line of
  one storm (the first alert and each rise in severity);
* ``metrics`` always has the five contract numbers, then the detector's extras.

>>> from datetime import datetime, timedelta, timezone
>>> from warning.detect.types import Decision
>>> from warning.records import DetectorInfo, Severity
>>> t = datetime(2026, 3, 28, 19, 35, tzinfo=timezone.utc)
>>> d = Decision(t, t + timedelta(minutes=5), 120.0, 20.0, 9.1, 0.8, "storm", Severity.WARNING,
...              True, True, t - timedelta(minutes=10), ("negative share +22 pts",),
...              {"volume": 120.0, "expected_volume": 20.0, "volume_ratio": 6.0,
...               "negative_share": 0.34, "expected_negative_share": 0.12, "z": 9.1})
>>> alert = build_alert("acme", d, DetectorInfo("seasonal-storm", {"threshold": 4.0}))
>>> alert.fired_at.isoformat(), alert.dedup_key, alert.severity.value
('2026-03-28T19:40:00+00:00', 'acme:2026-03-28T19:25:00Z', 'warning')
>>> alert.metrics.to_dict()["z"], alert.metrics.volume_ratio
(9.1, 6.0)
"""

from __future__ import annotations

from datetime import datetime

from warning.detect.types import Decision
from warning.errors import DetectorError
from warning.records import Alert, AlertMetrics, DetectorInfo, Drivers, isoformat_utc

__all__ = ["build_alert", "dedup_key"]

_CONTRACT = (
    "volume",
    "expected_volume",
    "volume_ratio",
    "negative_share",
    "expected_negative_share",
)


def dedup_key(brand: str, storm_start: datetime) -> str:
    """One key per storm: the brand and the instant the storm started."""
    return f"{brand}:{isoformat_utc(storm_start)}"


def build_alert(
    brand: str,
    decision: Decision,
    detector: DetectorInfo,
    drivers: Drivers | None = None,
) -> Alert:
    """The alert line for a decision with ``alert=True``."""
    if not decision.alert or decision.severity is None or decision.storm_start is None:
        raise DetectorError(
            f"An alert needs a decision that raised one; the decision for "
            f"{isoformat_utc(decision.bucket_start)} did not."
        )
    m = dict(decision.metrics)
    volume = float(m.pop("volume", decision.volume) or 0.0)
    expected = float(m.pop("expected_volume", decision.expected_volume) or 0.0)
    ratio = m.pop("volume_ratio", None)
    negative_share = m.pop("negative_share", None)
    expected_share = m.pop("expected_negative_share", None)
    metrics = AlertMetrics(
        volume=volume,
        expected_volume=round(expected, 4),
        volume_ratio=round(float(ratio if ratio is not None else volume / max(expected, 0.01)), 4),
        negative_share=_round(negative_share),
        expected_negative_share=_round(expected_share),
        extra={k: _round(v) for k, v in m.items() if k not in _CONTRACT},
    )
    return Alert(
        brand=brand,
        fired_at=decision.bucket_end,
        bucket_start=decision.bucket_start,
        severity=decision.severity,
        change_point_at=decision.storm_start,
        metrics=metrics,
        detector=detector,
        dedup_key=dedup_key(brand, decision.storm_start),
        drivers=drivers,
    )


def _round(value: float | None) -> float | None:
    if value is None or value != value:
        return None
    return round(float(value), 4)

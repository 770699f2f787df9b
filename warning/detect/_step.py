"""The per-bucket step of :class:`~warning.detect.seasonal.SeasonalStormDetector`.

Kept apart from the estimator's parameter handling because it is the hot path:
plain floats, no pandas, and the change-point search only when a trigger fires.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from warning.detect.storm import StormMarkers, grade
from warning.detect.types import Bucket, Decision, DetectorState, utc_from_epoch
from warning.errors import DetectorError

if TYPE_CHECKING:
    from warning.detect.seasonal import SeasonalStormDetector

__all__ = ["step"]

_SHARE_FLOOR = 0.01


def step(det: SeasonalStormDetector, bucket: Bucket) -> Decision:
    epoch = bucket.start.timestamp()
    if epoch <= det.last_epoch_:
        raise DetectorError(
            f"Buckets must arrive in time order: got {bucket.start.isoformat()} after "
            f"{utc_from_epoch(det.last_epoch_).isoformat()}."
        )
    det.last_epoch_ = epoch
    mu0 = det.baseline_.expected(epoch)
    factor = 1.0
    for start, end, f in det.spike_windows_:
        if start <= epoch < end and f > factor:
            factor = f
    mu = mu0 * factor
    x = bucket.volume
    live = det.steps_ >= det.warmup_steps_
    track = live or det.steps_ >= det.track_steps_
    vol = det.volume_
    negc = det.negative_
    widen = 2.0 - det.baseline_.confidence  # up to twice the noise band for an unseen slot
    z = vol.observe(x, mu, live=live, track=track, widen=widen)
    neg = bucket.negative
    p0 = det.shares_.negative_share
    neg_known = neg == neg and p0 is not None
    zn = 0.0
    scan = det.share_scan_
    if p0 is not None and neg_known:
        share = p0 if p0 > _SHARE_FLOOR else _SHARE_FLOOR
        zn = negc.observe(neg, mu * share, live=live, track=track, widen=widen)
        scan.observe(negative=neg, volume=x, expected=mu, share=share, live=live)
    else:
        scan.trigger = False
        scan.bucket_z = 0.0
    det.recent_.push(epoch=epoch, volume_z=z, negative_z=scan.bucket_z, volume=x)
    vol_trigger = vol.spike or vol.sustained
    neg_trigger = neg_known and (negc.spike or negc.sustained or scan.trigger)
    state: DetectorState = det.state_
    ev = det.evidence_
    if (
        state == "storm"
        or vol_trigger
        or neg_trigger
        or vol.cusum > 0.0
        or (neg_known and (negc.cusum > 0.0 or scan.bucket_z >= 1.0))
    ):
        ev.add(
            x, neg, bucket.authors, bucket.new_authors, bucket.reach, bucket.reposts, bucket.quotes
        )
    elif ev.buckets:
        ev.reset()
    alert = new_storm = False
    reasons: tuple[str, ...] = ()
    markers: StormMarkers | None = None
    end_epoch = epoch + det.step_seconds_
    if not live:
        state = "warmup"
    elif state != "storm":
        state = "quiet"
        if vol_trigger or neg_trigger:
            markers = _markers(det, x, mu, z)
            novel = vol.novel or (neg_known and negc.novel)
            if novel or markers.negative_rise:
                at, size = det.locate(use_negative=not vol_trigger)
                if size >= det.allowance:
                    severity, reasons = grade(markers)
                    previous = det.severity_
                    if epoch < det.cooldown_until_ and previous is not None:
                        alert = severity > previous  # the same storm, back again
                        if not alert:
                            severity = previous
                    else:
                        det.storm_start_ = at
                        alert = new_storm = True
                    det.severity_ = severity
                    det.markers_ = markers
                    state = "storm"
                    det.storm_steps_ = 0
                    det.quiet_run_ = 0
    else:
        det.storm_steps_ += 1
        markers = _markers(det, x, mu, z)
        severity, why = grade(markers)
        if det.severity_ is None or severity > det.severity_:
            det.severity_ = severity
            det.markers_ = markers
            alert = True
            reasons = why
        quiet = vol.quiet(det.exit_z) and (
            not neg_known or (negc.quiet(det.exit_z) and not scan.trigger)
        )
        det.quiet_run_ = det.quiet_run_ + 1 if quiet else 0
        if det.quiet_run_ >= det.quiet_steps_ or det.storm_steps_ >= det.max_storm_steps_:
            state = "quiet"
            det.cooldown_until_ = end_epoch + det.cooldown_seconds_
            ev.reset()
    # Learning: never from storms, triggers or expected-spike windows (the baseline's
    # recent-level factor does learn from them, winsorised).
    anomalous = (
        state == "storm"
        or vol.spike
        or vol.cusum >= vol.cusum_threshold
        or (neg_known and (negc.spike or negc.cusum >= negc.cusum_threshold or scan.trigger))
    )
    full = not anomalous and factor == 1.0
    det.baseline_.learn(x / factor, mu0, vol.sigma, full=full)
    if full:
        vol.learn(z)
        if neg_known:
            negc.learn(zn)
            scan.learn()
        det.shares_.learn(
            volume=x,
            negative=neg,
            authors=bucket.authors,
            new_authors=bucket.new_authors,
            reach=bucket.reach,
            reposts=bucket.reposts,
            quotes=bucket.quotes,
        )
    det.state_ = state
    det.steps_ += 1
    e = vol.evidence
    if neg_known:
        if negc.evidence > e:
            e = negc.evidence
        e_scan = scan.z / det.threshold
        if not scan.trigger and e_scan >= 1.0:
            e_scan = 0.999
        if e_scan > e:
            e = e_scan
    in_storm = state == "storm"
    if not in_storm:
        return Decision(
            bucket.start, bucket.start + det.step_delta_, x, mu, z, e / (1.0 + e), state
        )
    return Decision(
        bucket_start=bucket.start,
        bucket_end=bucket.start + det.step_delta_,
        volume=x,
        expected_volume=mu,
        z=z,
        score=e / (1.0 + e),
        state=state,
        severity=det.severity_,
        alert=alert,
        new_storm=new_storm,
        storm_start=det.storm_start_at(),
        reasons=reasons,
        metrics=_metrics(det, bucket, mu, z, zn, e) if alert else {},
    )


def _markers(det: SeasonalStormDetector, x: float, mu: float, z: float) -> StormMarkers:
    shares = det.shares_
    return det.evidence_.markers(
        expected_share=shares.negative_share,
        expected_new_share=shares.new_author_share,
        expected_reach=shares.reach_per_mention,
        expected_amplification=shares.amplification_share,
        doubling_minutes=det.recent_.doubling_minutes(),
        extreme=z >= 2.0 * det.threshold and x >= det.extreme_ratio * mu,
        share_rise=det.share_rise,
        doubling_limit=det.doubling_minutes_,
    )


def _metrics(
    det: SeasonalStormDetector, bucket: Bucket, mu: float, z: float, zn: float, e: float
) -> dict[str, float | None]:
    m = det.markers_
    x = bucket.volume
    neg = bucket.negative
    ev = det.evidence_
    return {
        "volume": x,
        "expected_volume": mu,
        "volume_ratio": x / (mu if mu > 0.01 else 0.01),
        "negative_share": m.negative_share if m else None,
        "expected_negative_share": det.shares_.negative_share if neg == neg else None,
        "z": z,
        "negative_z": zn if neg == neg else None,
        "score": e / (1.0 + e),
        "cusum": det.volume_.cusum,
        "doubling_minutes": m.doubling_minutes if m else None,
        "new_author_share": m.new_author_share if m else None,
        "expected_new_author_share": det.shares_.new_author_share,
        "reach_ratio": m.reach_ratio if m else None,
        "repost_quote_share": m.amplification_share if m else None,
        "bucket_negative_share": (neg / x) if neg == neg and x > 0 else None,
        "storm_volume": ev.volume,
        "storm_buckets": float(ev.buckets),
    }

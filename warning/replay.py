"""Replay history through exactly the live detection code, on a simulated clock.

``warning.replay(source, ...)`` (or ``from warning.replay import replay``) feeds a
mention file, a volume series or frames bucket by bucket into the same
:class:`~warning.pipeline.DetectionPipeline` the live service uses, advancing a
:class:`~warning.clock.SimulatedClock` to the end of each bucket before deciding
it, and returns a :class:`ReplayResult`: the series frames with the detector's
view of every bucket, the change points where storms began, the alerts, and the
per-bucket scores.

Why the module itself is callable: ``warning.replay`` is the name of this module,
so after ``import warning.replay`` the attribute ``warning.replay`` is the module,
not the function. Notebooks should be able to write ``warning.replay(...)``, so
the module's class is swapped for a :class:`types.ModuleType` subclass whose
``__call__`` forwards to :func:`replay` (the standard way to make a module
callable; nothing else about the module changes).

>>> import pandas as pd
>>> import numpy as np
>>> idx = pd.date_range("2026-03-02", periods=24 * 12 * 8, freq="5min", tz="UTC", name="bucket_start")
>>> rng = np.random.default_rng(1)
>>> volume = rng.poisson(20, len(idx)).astype(float)
>>> volume[-30:-24] = [90, 140, 190, 230, 260, 250]
>>> result = replay(pd.DataFrame({"volume": volume}, index=idx), brand="acme")
>>> [(a.severity.value, a.bucket_start.strftime("%a %H:%M")) for a in result.alerts]
[('watch', 'Mon 21:30'), ('warning', 'Mon 21:45')]
>>> result.scores()["score"].between(0, 1).all()
np.True_
"""

from __future__ import annotations

import heapq
import itertools
import sys
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd

from warning.clock import SimulatedClock
from warning.detect import Bucket, Decision, SeasonalStormDetector, buckets_from_frame
from warning.detect import decisions_frame as _decisions_frame
from warning.detect.config import DetectionConfig, parse_config
from warning.detect.estimator import duration_text
from warning.errors import InputError
from warning.pipeline import DetectionPipeline, StepResult, load_config
from warning.records import Alert, ChangePoint, isoformat_utc

__all__ = ["ReplayResult", "replay"]

Source: TypeAlias = str | Path | pd.DataFrame | Mapping[str, pd.DataFrame]


@dataclass
class ReplayResult:
    """Everything a replay produced, for notebooks and the command line."""

    frames: dict[str, pd.DataFrame]
    alerts: list[Alert] = field(default_factory=list)
    change_points: list[ChangePoint] = field(default_factory=list)
    decisions: dict[str, list[Decision]] = field(default_factory=dict)

    def scores(self) -> pd.DataFrame:
        """One row per brand and bucket: the detector's score in [0, 1] and its view."""
        parts = []
        for brand, frame in self.frames.items():
            part = frame[["volume", "expected_volume", "z", "score", "state", "severity", "alert"]]
            part = part.reset_index()
            part.insert(0, "brand", brand)
            parts.append(part)
        if not parts:
            return pd.DataFrame(columns=["brand", "bucket_start", "score"])
        return pd.concat(parts, ignore_index=True)

    def alerts_frame(self) -> pd.DataFrame:
        """The alerts as a flat table (one row per alert line)."""
        rows = []
        for a in self.alerts:
            row = {
                k: v for k, v in a.to_dict().items() if k not in ("metrics", "drivers", "detector")
            }
            row.update(a.metrics.to_dict())
            rows.append(row)
        return pd.DataFrame(rows)

    def write_alerts(self, path: str | Path) -> int:
        """Write the alerts as JSON Lines; returns the number written."""
        with Path(path).open("w", encoding="utf-8") as out:
            for alert in self.alerts:
                out.write(alert.to_json() + "\n")
        return len(self.alerts)

    def write_scores(self, path: str | Path) -> int:
        """Write one CSV row per bucket (brand, bucket_start, score, ...)."""
        table = self.scores()
        table["bucket_start"] = [isoformat_utc(t) for t in table["bucket_start"]]
        table.to_csv(path, index=False, float_format="%.6g")
        return len(table)


def replay(
    source: Source,
    *,
    config: DetectionConfig | str | Path | Mapping[str, Any] | None = None,
    detector: SeasonalStormDetector | None = None,
    brand: str | None = None,
    freq: str = "5min",
    clock: SimulatedClock | None = None,
    drivers: bool = True,
    assume_tz: str | None = None,
) -> ReplayResult:
    """Replay ``source`` through the live detection path (see the module docstring).

    ``source`` is a mention file (CSV with ``text``, JSON Lines, Parquet), a volume
    series CSV, a series frame, a scored mention frame, or a mapping of brand to
    series frame. ``config`` is a :class:`DetectionConfig`, a YAML path or plain
    data; ``detector`` an optional template estimator cloned per brand. ``freq``
    is the bucket length for mentions (a volume series keeps its own).
    """
    cfg = _config(config)
    frames, mentions = _load(source, brand=brand, freq=freq, assume_tz=assume_tz)
    step = _frequency(frames, freq)
    pipeline = DetectionPipeline(cfg, freq=step, detector=detector, drivers=drivers)
    buckets = {b: buckets_from_frame(f) for b, f in frames.items()}
    delta = pd.Timedelta(step).to_pytimedelta()
    feed = _MentionFeed(mentions) if mentions is not None and drivers else None
    out = StepResult()
    for end, group in _by_end(buckets, delta):
        if clock is None:
            clock = SimulatedClock(end)
        now = clock.now()
        if end > now:
            clock.advance(end - now)
        if feed is not None:
            chunk = feed.until(end)
            if chunk is not None:
                pipeline.add_mentions(chunk)
        pipeline.tick(clock, group, out)
    decisions: dict[str, list[Decision]] = {b: [] for b in frames}
    for b, decision in out.decisions:
        decisions[b].append(decision)
    return ReplayResult(
        frames={b: _decisions_frame(frames[b], decisions[b]) for b in frames},
        alerts=out.alerts,
        change_points=out.change_points,
        decisions=decisions,
    )


def _config(config: DetectionConfig | str | Path | Mapping[str, Any] | None) -> DetectionConfig:
    if config is None:
        return DetectionConfig()
    if isinstance(config, DetectionConfig):
        return config
    if isinstance(config, str | Path):
        return load_config(config)
    return parse_config(dict(config))


def _load(
    source: Source, *, brand: str | None, freq: str, assume_tz: str | None
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame | None]:
    from warning import series

    if isinstance(source, str | Path):
        path = Path(source)
        if series.input_kind(path) == "series":
            return dict(series.load_input(path, brand=brand)), None
        scored = series.read_scored_mentions(path, assume_tz=assume_tz, brand=brand)
        return dict(series.bucket_mentions(scored, freq=freq)), scored
    if isinstance(source, pd.DataFrame):
        if "text" in source.columns and "timestamp" in source.columns:
            scored = source.copy()
            if brand is not None:
                scored["brand"] = scored.get("brand", pd.Series(index=scored.index, dtype="string"))
                scored["brand"] = scored["brand"].fillna(brand)
            return dict(series.bucket_mentions(scored, freq=freq)), scored
        name = brand or str(source.attrs.get("brand") or series.DEFAULT_BRAND)
        return {name: source}, None
    if isinstance(source, Mapping):
        return {str(k): v for k, v in source.items()}, None
    raise InputError(
        f"replay needs a file, a frame or a mapping of frames; got {type(source).__name__}"
    )


def _frequency(frames: Mapping[str, pd.DataFrame], default: str) -> str:
    for frame in frames.values():
        index = frame.index
        if isinstance(index, pd.DatetimeIndex) and index.freq is not None:
            return duration_text(pd.Timedelta(index.freq).to_pytimedelta())
        if isinstance(index, pd.DatetimeIndex) and len(index) > 1:
            return duration_text(pd.Timedelta(index[1] - index[0]).to_pytimedelta())
    return duration_text(default)


def _by_end(
    buckets: Mapping[str, list[Bucket]], delta: Any
) -> Iterator[tuple[datetime, list[tuple[str, Bucket]]]]:
    """Buckets of all brands grouped by their end instant, in time order."""
    if len(buckets) == 1:
        ((name, items),) = buckets.items()
        for b in items:
            yield b.start + delta, [(name, b)]
        return
    streams = [_keyed(i, name, items) for i, (name, items) in enumerate(buckets.items())]
    merged = heapq.merge(*streams)
    for start, group in itertools.groupby(merged, key=lambda e: e[0]):
        yield start + delta, [(name, b) for _, _, name, b in group]


def _keyed(i: int, name: str, items: list[Bucket]) -> Iterator[tuple[datetime, int, str, Bucket]]:
    for b in items:
        yield b.start, i, name, b


class _MentionFeed:
    """Hands out mentions in time order, never one from after ``end``."""

    def __init__(self, mentions: pd.DataFrame) -> None:
        ts = pd.to_datetime(mentions["timestamp"], utc=True)
        order = ts.argsort(kind="stable").to_numpy()
        self._frame = mentions.iloc[order].reset_index(drop=True)
        self._ns = ts.iloc[order].to_numpy(dtype="datetime64[ns]").astype("int64")
        self._pos = 0

    def until(self, end: datetime) -> pd.DataFrame | None:
        stop = int(self._ns.searchsorted(pd.Timestamp(end).value, side="left"))
        if stop <= self._pos:
            return None
        chunk = self._frame.iloc[self._pos : stop]
        self._pos = stop
        return chunk


class _CallableModule(types.ModuleType):
    """This module, callable: ``warning.replay(...)`` is :func:`replay` (see the docstring)."""

    def __call__(self, *args: Any, **kwargs: Any) -> ReplayResult:
        return replay(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

"""The evaluation report: per-stream and total NAB scores and alert metrics, as table or JSON."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from warning.evaluate.onsets import AlertStats, median_p90

__all__ = ["PROFILE_LABELS", "EvaluationReport", "NabFigures", "StreamEvaluation"]

#: Short column names of the three NAB profiles.
PROFILE_LABELS = {
    "standard": "NAB std",
    "reward_low_FP_rate": "low FP",
    "reward_low_FN_rate": "low FN",
}


@dataclass(frozen=True, slots=True)
class NabFigures:
    """NAB raw and normalised score of one profile, with the row counts."""

    score: float
    raw: float
    null: float
    perfect: float
    tp: int
    fp: int
    fn: int
    tn: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": num(self.score),
            "raw": self.raw,
            "null": self.null,
            "perfect": self.perfect,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
        }


@dataclass(frozen=True, slots=True)
class StreamEvaluation:
    """The figures of one stream."""

    name: str
    rows: int
    alerts: int
    flagged_rows: int
    windows: int
    nab: Mapping[str, NabFigures]
    stats: AlertStats

    def to_dict(self) -> dict[str, Any]:
        median, p90 = median_p90(self.stats.delays)
        return {
            "stream": self.name,
            "rows": self.rows,
            "alerts": self.alerts,
            "flagged_rows": self.flagged_rows,
            "windows": self.windows,
            "nab": {name: figures.to_dict() for name, figures in self.nab.items()},
            "onsets_caught": self.stats.caught,
            "onsets_total": len(self.stats.onsets),
            "median_minutes_to_alert": num(median),
            "p90_minutes_to_alert": num(p90),
            "false_alarm_events": self.stats.false_alarm_events,
            "stream_weeks": self.stats.stream_weeks,
            "false_alarms_per_week": num(self.stats.false_alarms_per_week),
            "onsets": [
                {
                    "onset": o.onset.isoformat(),
                    "window": None if o.window is None else [t.isoformat() for t in o.window],
                    "alert_at": None if o.alert_at is None else o.alert_at.isoformat(),
                    "minutes_to_alert": o.delay_minutes,
                    "lead_minutes": o.lead_minutes,
                }
                for o in self.stats.onsets
            ],
        }


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """Per-stream and total figures; ``table()`` for people, ``to_dict()`` for machines."""

    streams: tuple[StreamEvaluation, ...]
    nab: Mapping[str, NabFigures]
    settings: Mapping[str, Any] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()

    @property
    def onsets_caught(self) -> int:
        return sum(s.stats.caught for s in self.streams)

    @property
    def onsets_total(self) -> int:
        return sum(len(s.stats.onsets) for s in self.streams)

    @property
    def median_minutes(self) -> float:
        return median_p90([d for s in self.streams for d in s.stats.delays])[0]

    @property
    def p90_minutes(self) -> float:
        return median_p90([d for s in self.streams for d in s.stats.delays])[1]

    @property
    def false_alarms_per_week(self) -> float:
        weeks = sum(s.stats.stream_weeks for s in self.streams)
        events = sum(s.stats.false_alarm_events for s in self.streams)
        return events / weeks if weeks else math.nan

    def table(self) -> str:
        """A fixed-width table: one line per stream and a total line."""
        width = max([len("stream"), len("total"), *(len(s.name) for s in self.streams)])
        head = f"{'stream':<{width}}"
        for label in PROFILE_LABELS.values():
            head += f" {label:>8}"
        head += f" {'onsets':>8} {'med min':>8} {'p90 min':>8} {'FA/week':>8}"
        lines = [head, "-" * len(head)]
        for s in self.streams:
            median, p90 = median_p90(s.stats.delays)
            lines.append(
                self._line(
                    s.name,
                    width,
                    [s.nab[p].score for p in PROFILE_LABELS],
                    f"{s.stats.caught}/{len(s.stats.onsets)}",
                    (median, p90, s.stats.false_alarms_per_week),
                )
            )
        lines.append("-" * len(head))
        lines.append(
            self._line(
                "total",
                width,
                [self.nab[p].score for p in PROFILE_LABELS],
                f"{self.onsets_caught}/{self.onsets_total}",
                (self.median_minutes, self.p90_minutes, self.false_alarms_per_week),
            )
        )
        lines.extend(f"skipped: {reason}" for reason in self.skipped)
        return "\n".join(lines)

    @staticmethod
    def _line(
        name: str, width: int, scores: list[float], onsets: str, tail: tuple[float, float, float]
    ) -> str:
        out = f"{name:<{width}}"
        out += "".join(f" {_fmt(v, 1):>8}" for v in scores)
        out += f" {onsets:>8} {_fmt(tail[0], 1):>8} {_fmt(tail[1], 1):>8} {_fmt(tail[2], 2):>8}"
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "streams": [s.to_dict() for s in self.streams],
            "total": {
                "nab": {name: figures.to_dict() for name, figures in self.nab.items()},
                "onsets_caught": self.onsets_caught,
                "onsets_total": self.onsets_total,
                "median_minutes_to_alert": num(self.median_minutes),
                "p90_minutes_to_alert": num(self.p90_minutes),
                "false_alarms_per_week": num(self.false_alarms_per_week),
            },
            "settings": dict(self.settings),
            "skipped": list(self.skipped),
        }


def _fmt(value: float, digits: int) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def num(value: float) -> float | None:
    return None if math.isnan(value) else value

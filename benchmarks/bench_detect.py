"""Detection quality and speed: NAB streams, synthetic truth, replay and live-tick timing.

Run: python benchmarks/bench_detect.py [--nab DIR] [--quick]

* **NAB** (the five realTweets streams in ``../shared/data/nab-realtweets`` or
  ``--nab DIR``): every stream replayed through ``warning.replay`` (the live code
  path) with the default settings, flags = alert lines at their ``bucket_start``,
  scored by ``warning.evaluate`` (the exact NAB scorer, three profiles, plus onsets
  caught, minutes from onset to alert and false-alarm events per stream-week).
* **Sensitivity**: the same, varying one main parameter at a time around the
  defaults (skipped with ``--quick``).
* **Synthetic** (``warning.datasets`` benchmark suite, two seeds, levels 0.2 to 200
  mentions per 5 minutes, brand zone Europe/Berlin, campaign windows declared):
  detection delay per storm speed and level, severities, campaign alerts, false
  storms on quiet and growing brands.
* **Speed**: replay of one 16,000-bucket stream against a plain Python loop over the
  same buckets (the ratio is what to compare on a noisy machine); one live tick
  across 1,000 brands; detector state size after 1 to 8 weeks of history.

Figures are printed and written to reports/bench_detect.json.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
NAB_DIR = ROOT.parent / "shared" / "data" / "nab-realtweets"

SWEEP: dict[str, list[Any]] = {
    "threshold": [3.5, 4.5],
    "novelty": [0.9, 1.1],
    "novelty_memory": ["28D", "56D"],
    "allowance": [1.5, 2.5],
    "cusum_threshold": [8.0, 15.0],
    "baseline_memory": ["7D", "28D"],
    "min_ratio": [1.5, 3.0],
}


def nab(directory: Path, **params: Any) -> Any:
    from warning import series
    from warning.detect import SeasonalStormDetector
    from warning.evaluate import StreamInput, evaluate_streams
    from warning.replay import replay

    labels = json.loads((directory / "labels.json").read_text())
    windows = json.loads((directory / "windows.json").read_text())

    def utc(text: str) -> pd.Timestamp:
        return pd.Timestamp(text).tz_localize("UTC")

    streams = []
    for path in sorted(directory.glob("*.csv")):
        frame = series.read_series(path)
        detector = SeasonalStormDetector(**params) if params else None
        result = replay(frame, brand=path.stem, detector=detector)
        streams.append(
            StreamInput(
                name=path.name,
                volume=frame["volume"],
                flagged=tuple(pd.Timestamp(a.bucket_start) for a in result.alerts),
                windows=tuple((utc(a), utc(b)) for a, b in windows[path.name]),
                labels=tuple(utc(t) for t in labels[path.name]),
                alerts=len(result.alerts),
            )
        )
    return evaluate_streams(streams)


def nab_row(report: Any) -> dict[str, Any]:
    return {
        "standard": round(report.nab["standard"].score, 1),
        "low_fp": round(report.nab["reward_low_FP_rate"].score, 1),
        "low_fn": round(report.nab["reward_low_FN_rate"].score, 1),
        "onsets_caught": report.onsets_caught,
        "onsets": report.onsets_total,
        "median_minutes": report.median_minutes,
        "p90_minutes": report.p90_minutes,
        "false_alarms_per_stream_week": round(report.false_alarms_per_week, 3),
    }


def sensitivity(directory: Path) -> list[dict[str, Any]]:
    rows = [{"param": "(defaults)", "value": "", **nab_row(nab(directory))}]
    for name, values in SWEEP.items():
        for value in values:
            rows.append({"param": name, "value": value, **nab_row(nab(directory, **{name: value}))})
    return rows


def synthetic(seeds: tuple[int, ...] = (0, 1)) -> dict[str, Any]:
    from warning.datasets import make_benchmark_suite
    from warning.detect import ExpectedSpike, SeasonalStormDetector, buckets_from_frame

    delays: dict[str, list[float | None]] = {}
    severities: dict[str, list[str]] = {}
    campaign_plain: list[str] = []
    campaign_declared: list[str] = []
    false_storms = {"weeks": 0.0, "storms": 0, "above_watch": 0}
    for seed in seeds:
        for stream in make_benchmark_suite(seed, weeks=4):
            weeks = len(stream.frame) / (288 * 7)

            def run(declared: bool, s: Any = stream) -> list[Any]:
                spikes = tuple(
                    ExpectedSpike(
                        w.start.floor("us").to_pydatetime(),
                        w.end.floor("us").to_pydatetime(),
                        float(w.expected_ratio),
                    )
                    for w in s.expected_windows
                )
                det = SeasonalStormDetector(
                    tz="Europe/Berlin", expected_spikes=spikes if declared else ()
                )
                return [d for d in (det.update(b) for b in buckets_from_frame(s.frame)) if d.alert]

            alerts = run(True)
            events = list(stream.truth)
            outside = [
                a
                for a in alerts
                if not any(e.onset - pd.Timedelta("1h") <= a.bucket_start <= e.end for e in events)
            ]
            false_storms["weeks"] += weeks
            false_storms["storms"] += len({a.storm_start for a in outside})
            false_storms["above_watch"] += sum(a.severity.value != "watch" for a in outside)
            for e in stream.storms:
                key = f"{e.speed} L{stream.level:g}"
                hits = [a for a in alerts if e.onset <= a.bucket_start <= e.end]
                delays.setdefault(key, []).append(
                    (pd.Timestamp(hits[0].bucket_end) - e.onset) / pd.Timedelta(minutes=5)
                    if hits
                    else None
                )
                severities.setdefault(key, []).append(_worst(hits) if hits else "missed")
            for e in stream.campaigns:
                plain = [a for a in run(False) if e.onset <= a.bucket_start <= e.end]
                campaign_plain.append(_worst(plain))
                inside = [a for a in alerts if e.onset <= a.bucket_start <= e.end]
                campaign_declared.append(_worst(inside))
    table = {}
    for key, values in sorted(delays.items()):
        got = [v for v in values if v is not None]
        table[key] = {
            "storms": len(values),
            "caught": len(got),
            "median_delay_buckets": statistics.median(got) if got else None,
            "max_delay_buckets": max(got) if got else None,
            "max_severity": sorted(set(severities[key])),
        }
    return {
        "storm_delay": table,
        "campaign_max_severity_undeclared": campaign_plain,
        "campaign_max_severity_declared": campaign_declared,
        "false_storms_per_stream_week": round(false_storms["storms"] / false_storms["weeks"], 3),
        "false_alert_lines_above_watch": false_storms["above_watch"],
    }


def _worst(alerts: list[Any]) -> str:
    return str(max(alerts, key=lambda a: a.severity.rank).severity.value) if alerts else "none"


def speed(directory: Path, repeat: int = 5) -> dict[str, Any]:
    from warning import series
    from warning.detect import SeasonalStormDetector, buckets_from_frame
    from warning.replay import replay

    frame = series.read_series(directory / "Twitter_volume_AAPL.csv")
    replay(frame, brand="AAPL")  # warm: imports (ruptures) and caches
    replay_s, detector_s, loop_s = [], [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        replay(frame, brand="AAPL")
        t1 = time.perf_counter()
        det = SeasonalStormDetector()
        for b in buckets_from_frame(frame):
            det.update(b)
        t2 = time.perf_counter()
        level = 0.0
        for b in buckets_from_frame(frame):  # reference: the plainest per-bucket Python loop
            level += 0.01 * (math.sqrt(b.volume + 0.375) - level)
        t3 = time.perf_counter()
        replay_s.append(t1 - t0)
        detector_s.append(t2 - t1)
        loop_s.append(t3 - t2)
    r, d, lp = (statistics.median(x) for x in (replay_s, detector_s, loop_s))
    return {
        "buckets": len(frame),
        "replay_seconds": round(r, 3),
        "detector_only_seconds": round(d, 3),
        "plain_loop_seconds": round(lp, 4),
        "replay_over_plain_loop": round(r / lp, 1),
        "microseconds_per_bucket": round(r / len(frame) * 1e6, 1),
    }


def live_tick(brands: int = 1000, ticks: int = 10) -> dict[str, Any]:
    from warning.detect import Bucket
    from warning.pipeline import DetectionPipeline

    rng = np.random.default_rng(0)
    levels = np.exp(rng.uniform(math.log(0.2), math.log(2000.0), brands))
    names = [f"brand{i:04d}" for i in range(brands)]
    pipeline = DetectionPipeline(freq="5min")
    start = pd.Timestamp("2026-03-02", tz="UTC").to_pydatetime()
    step = timedelta(minutes=5)
    warm = 288 * 2
    t0 = time.perf_counter()
    for i in range(warm):
        at = start + i * step
        counts = rng.poisson(levels)
        pipeline.step(
            at + step, [(n, Bucket(at, float(c))) for n, c in zip(names, counts, strict=True)]
        )
    warm_s = time.perf_counter() - t0
    times = []
    alerts = 0
    for k in range(ticks):
        at = start + (warm + k) * step
        counts = rng.poisson(
            levels * (8.0 if k == ticks // 2 else 1.0)
        )  # one tick with a storm everywhere
        rows = [(n, Bucket(at, float(c))) for n, c in zip(names, counts, strict=True)]
        t1 = time.perf_counter()
        result = pipeline.step(at + step, rows)
        times.append(time.perf_counter() - t1)
        alerts += len(result.alerts)
    sizes = list(pipeline.state_sizes().values())
    return {
        "brands": brands,
        "warm_up_buckets_per_brand": warm,
        "warm_up_seconds": round(warm_s, 2),
        "tick_median_seconds": round(statistics.median(times), 4),
        "tick_max_seconds": round(max(times), 4),
        "alerts_in_ticks": alerts,
        "state_bytes_per_brand_median": int(statistics.median(sizes)),
    }


def state_growth() -> dict[str, int]:
    from warning.datasets import make_stream
    from warning.detect import SeasonalStormDetector, buckets_from_frame

    stream = make_stream(kind="mixed", level=200.0, weeks=8, seed=3)
    det = SeasonalStormDetector(tz="Europe/Berlin")
    sizes = {}
    for i, b in enumerate(buckets_from_frame(stream.frame), start=1):
        det.update(b)
        if i % (288 * 7) == 0 and (i // (288 * 7)) in (1, 2, 4, 8):
            sizes[f"{i // (288 * 7)} weeks"] = len(pickle.dumps(det))
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nab", type=Path, default=NAB_DIR, help="directory of the NAB streams")
    parser.add_argument("--quick", action="store_true", help="skip the parameter sweep")
    args = parser.parse_args()
    t0 = time.perf_counter()
    import ruptures  # noqa: F401  (measured once: scipy.stats comes with it)

    figures: dict[str, Any] = {"ruptures_import_seconds": round(time.perf_counter() - t0, 2)}
    report = nab(args.nab)
    print(report.table())
    figures["nab"] = nab_row(report)
    figures["nab_streams"] = {s.name: s.nab["standard"].score for s in report.streams}
    if not args.quick:
        rows = sensitivity(args.nab)
        figures["sensitivity"] = rows
        print("\nsensitivity (one parameter at a time):")
        print(pd.DataFrame(rows).to_string(index=False))
    figures["synthetic"] = synthetic()
    print("\nsynthetic storms (delay in 5-minute buckets from onset to alert):")
    print(pd.DataFrame(figures["synthetic"]["storm_delay"]).T.to_string())
    for key in ("campaign_max_severity_undeclared", "campaign_max_severity_declared",
                "false_storms_per_stream_week", "false_alert_lines_above_watch"):  # fmt: skip
        print(f"{key}: {figures['synthetic'][key]}")
    figures["speed"] = speed(args.nab)
    figures["live_tick"] = live_tick()
    figures["state_bytes"] = state_growth()
    for key in ("speed", "live_tick", "state_bytes"):
        print(f"\n{key}: {json.dumps(figures[key])}")
    print(f"\nruptures import (cold): {figures['ruptures_import_seconds']} s")
    out = ROOT / "reports" / "bench_detect.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2, default=str))
    print(f"written to {out}")


if __name__ == "__main__":
    main()

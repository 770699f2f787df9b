"""Bucketing throughput: 1M mentions through bucket_mentions vs a naive pandas groupby.

Run: python benchmarks/bench_series.py [--mentions 1000000] [--repeat 3]

The baseline is the obvious pandas code for the same frame minus ``new_authors``
(a groupby on brand and 5-minute ``Grouper`` with named aggregations, then a reindex
per brand to fill empty buckets); ours also computes new authors (30-day lookback).
The live SeriesBuilder is measured on the same mentions in batches (this emits every
bucket of every brand, empty ones included), and on one live tick: a 5-minute batch
for 1,000 brands added and closed. Figures are printed and written to
reports/bench_series.json.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from warning.series import SeriesBuilder, bucket_mentions

ROOT = Path(__file__).resolve().parents[1]


def make_mentions(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2026-03-02", tz="UTC").value
    span = int(pd.Timedelta(days=28).value)
    stamps = np.sort(start + rng.integers(0, span, n))
    brands = np.array([f"brand{i:03d}" for i in range(100)], dtype=object)
    authors = np.array([f"@user{i}" for i in range(200_000)], dtype=object)
    return pd.DataFrame(
        {
            "id": np.arange(n).astype(str),
            "timestamp": pd.to_datetime(stamps, unit="ns", utc=True),
            "text": "x",
            "brand": brands[rng.zipf(1.5, n) % 100],
            "author": authors[rng.integers(0, len(authors), n)],
            "platform": np.array(["x", "instagram", "facebook", "tiktok"], dtype=object)[
                rng.integers(0, 4, n)
            ],
            "reach": rng.integers(0, 100_000, n),
            "kind": np.array(["post", "repost", "reply", "quote"], dtype=object)[
                rng.integers(0, 4, n)
            ],
            "negativity": rng.random(n),
        }
    )


def naive(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    df = frame.assign(
        negative=(frame["negativity"] >= 0.5).astype(float),
        reposts=(frame["kind"] == "repost").astype(float),
        quotes=(frame["kind"] == "quote").astype(float),
    )
    grouped = df.groupby(["brand", pd.Grouper(key="timestamp", freq="5min")]).agg(
        volume=("id", "size"),
        negative=("negative", "sum"),
        authors=("author", "nunique"),
        reach=("reach", "sum"),
        reposts=("reposts", "sum"),
        quotes=("quotes", "sum"),
    )
    platforms = df.groupby(["brand", pd.Grouper(key="timestamp", freq="5min"), "platform"]).size()
    grouped = grouped.join(platforms.unstack(fill_value=0).add_prefix("platform:"))
    out = {}
    for brand, part in grouped.groupby(level=0):
        part = part.droplevel(0)
        full = pd.date_range(part.index.min(), part.index.max(), freq="5min")
        part = part.reindex(full, fill_value=0).astype(float)
        part["negative_share"] = part["negative"] / part["volume"].where(part["volume"] > 0)
        out[str(brand)] = part
    return out


def best_of(repeat: int, fn: object) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return min(times)


def live(frame: pd.DataFrame, batch: int) -> int:
    builder = SeriesBuilder("5min", allowed_lateness=timedelta(0))
    rows = 0
    for lo in range(0, len(frame), batch):
        part = frame.iloc[lo : lo + batch]
        builder.add(part)
        rows += len(builder.close_until(part["timestamp"].iloc[-1].floor("s").to_pydatetime()))
    return rows


def live_tick(brands: int = 1000, per_brand: int = 3, ticks: int = 50) -> float:
    """Mean seconds of one live tick: add one bucket of mentions for every brand, close it."""
    rng = np.random.default_rng(1)
    start = pd.Timestamp("2026-03-02", tz="UTC")
    names = np.array([f"brand{i:04d}" for i in range(brands)], dtype=object)
    builder = SeriesBuilder("5min", allowed_lateness=timedelta(0))
    n = brands * per_brand
    times = []
    for k in range(ticks):
        bucket = start + pd.Timedelta(minutes=5 * k)
        batch = pd.DataFrame(
            {
                "timestamp": bucket + pd.to_timedelta(rng.integers(0, 300, n), unit="s"),
                "brand": np.repeat(names, per_brand),
                "author": [f"@u{a}" for a in rng.integers(0, 50_000, n)],
                "platform": "x",
                "kind": "post",
                "reach": rng.integers(0, 10_000, n),
                "negativity": rng.random(n),
            }
        )
        t = time.perf_counter()
        builder.add(batch)
        rows = builder.close_until((bucket + pd.Timedelta(minutes=5)).to_pydatetime())
        times.append(time.perf_counter() - t)
        assert len(rows) == brands
    return float(np.median(times[5:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=20_000)
    args = parser.parse_args()
    frame = make_mentions(args.mentions)
    n = len(frame)

    ours = bucket_mentions(frame)
    base = naive(frame)
    for brand, expected in base.items():  # same numbers where both compute them
        got = ours[brand]
        for column in ("volume", "negative", "authors", "reach", "reposts", "quotes"):
            assert np.array_equal(got[column].to_numpy(), expected[column].to_numpy()), column

    t_ours = best_of(args.repeat, lambda: bucket_mentions(frame))
    t_naive = best_of(args.repeat, lambda: naive(frame))
    t_live = best_of(1, lambda: live(frame, args.batch))
    t_tick = live_tick()
    figures = {
        "mentions": n,
        "brands": len(ours),
        "buckets": int(sum(len(f) for f in ours.values())),
        "bucket_mentions_s": round(t_ours, 3),
        "bucket_mentions_per_s": round(n / t_ours),
        "naive_groupby_s": round(t_naive, 3),
        "naive_groupby_per_s": round(n / t_naive),
        "speedup_vs_naive": round(t_naive / t_ours, 2),
        "series_builder_batch": args.batch,
        "series_builder_s": round(t_live, 3),
        "series_builder_per_s": round(n / t_live),
        "live_tick_1000_brands_s": round(t_tick, 4),
    }
    for key, value in figures.items():
        print(f"{key:>24}: {value}")
    out = ROOT / "reports" / "bench_series.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""Write synthetic streams to disk in the formats ``shitstorm replay`` and ``evaluate`` read.

For each stream ``<name>.csv`` (``timestamp,volume,negative``, UTC with ``Z``) and,
when drawn, ``<name>.mentions.jsonl``; for the set, NAB-style ``labels.json`` (storm
peaks), ``windows.json`` (``[onset - 1 h, end]`` per storm; campaigns are not
windows, so alerts on them count as false alarms), ``onsets.json`` (true onsets)
and ``expected_windows.json`` (declared campaign windows).

>>> import tempfile, pathlib
>>> from warning.datasets.synthetic import make_stream
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> written = write_streams([make_stream("storm", level=2.0, weeks=1, seed=3)], out)
>>> sorted(p.name for p in written)  # doctest: +NORMALIZE_WHITESPACE
['expected_windows.json', 'labels.json', 'onsets.json', 'storm-fast-L2-s3.csv',
 'windows.json']
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from warning.datasets.synthetic import SyntheticStream

__all__ = ["write_streams"]


def _iso(stamp: pd.Timestamp) -> str:
    return str(stamp.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"))


def write_streams(streams: Sequence[SyntheticStream], directory: str | Path) -> list[Path]:
    """Write the streams and their truth files; returns the paths written."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    labels: dict[str, list[str]] = {}
    windows: dict[str, list[list[str]]] = {}
    onsets: dict[str, list[str]] = {}
    expected: dict[str, list[dict[str, Any]]] = {}
    for stream in streams:
        key = f"{stream.name}.csv"
        series = pd.DataFrame(
            {
                "timestamp": [_iso(t) for t in stream.frame.index],
                "volume": stream.frame["volume"].astype("int64"),
                "negative": stream.frame["negative"].astype("int64"),
            }
        )
        path = out / key
        series.to_csv(path, index=False)
        written.append(path)
        if stream.mentions is not None:
            mentions = stream.mentions.drop(columns=["negativity"]).copy()
            mentions["timestamp"] = [_iso(t) for t in mentions["timestamp"]]
            path = out / f"{stream.name}.mentions.jsonl"
            mentions.to_json(path, orient="records", lines=True, force_ascii=False)
            written.append(path)
        labels[key] = [_iso(e.peak_at) for e in stream.storms]
        windows[key] = [[_iso(a), _iso(b.floor("s"))] for a, b in stream.storm_windows()]
        onsets[key] = [_iso(e.onset) for e in stream.storms]
        expected[key] = [w.to_dict() for w in stream.expected_windows]
    for name, content in (
        ("labels.json", labels),
        ("windows.json", windows),
        ("onsets.json", onsets),
        ("expected_windows.json", expected),
    ):
        path = out / name
        path.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written

"""One entry point for replay input: a mention file or a volume series, as series frames.

A file is a **mention file** when it is JSON Lines or Parquet, or a CSV whose header
has a ``text`` column; it is read by the ingest stage, scored by the negativity
model and bucketed. A CSV with ``timestamp`` and ``value`` (or ``volume``) and no
``text`` is a **volume series** and is read by :func:`read_series`.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "acme.csv"
>>> _ = path.write_text("timestamp,volume,negative\\n2026-03-28T19:30:00Z,12,3\\n"
...                     "2026-03-28T19:35:00Z,40,22\\n")
>>> input_kind(path)
'series'
>>> frames = load_input(path)
>>> list(frames), frames["acme"]["negative_share"].round(2).tolist()
(['acme'], [0.25, 0.55])
"""

from __future__ import annotations

import csv
import gzip
from datetime import timedelta
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
import pandas as pd

from warning.errors import InputError
from warning.series.bucket import bucket_mentions
from warning.series.volume import read_series, series_columns_of

__all__ = ["input_kind", "load_input", "read_scored_mentions"]

_MENTION_SUFFIXES = {".jsonl", ".ndjson", ".json", ".parquet", ".pq"}


class _Scorer(Protocol):
    def score_frame(self, frame: pd.DataFrame) -> pd.Series: ...


def input_kind(path: str | Path) -> Literal["mentions", "series"]:
    """Whether ``path`` is a mention file or a volume series (see the module docstring)."""
    source = Path(path)
    compressed = source.suffix.lower() == ".gz"
    inner = Path(source.stem) if compressed else source
    if inner.suffix.lower() in _MENTION_SUFFIXES:
        return "mentions"
    try:
        opener = gzip.open if compressed else open
        with opener(source, "rt", newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), [])
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError):
        raise InputError(f"{source}:1: not a UTF-8 text file") from None
    names = [h.strip().lower() for h in header]
    if "text" in names:
        return "mentions"
    if series_columns_of(names) is not None:
        return "series"
    raise InputError(
        f"{source}:1: neither a mention file (needs a 'text' column) nor a volume series "
        f"(needs 'timestamp' and 'value' or 'volume'); got columns {', '.join(names) or 'none'}"
    )


def read_scored_mentions(
    path: str | Path,
    *,
    assume_tz: str | None = None,
    quarantine: str | Path | None = None,
    brand: str | None = None,
    scorer: _Scorer | None = None,
) -> pd.DataFrame:
    """Read a mention file through the ingest stage and add the ``negativity`` column.

    ``scorer`` defaults to the bundled negativity model (``warning.score.load_model()``).
    """
    from warning.ingest import read_mentions  # deferred: ingest and the model load lazily

    stream = read_mentions(Path(path), assume_tz=assume_tz, quarantine=quarantine, brand=brand)
    frames = [chunk for chunk in stream if len(chunk)]
    if not frames:
        raise InputError(f"{path}: no readable mentions")
    frame = pd.concat(frames, ignore_index=True)
    if scorer is None:
        from warning.score import load_model

        scorer = load_model()
    frame["negativity"] = np.asarray(scorer.score_frame(frame), dtype="float64")
    return frame


def load_input(
    path: str | Path,
    *,
    freq: str | timedelta = "5min",
    brand: str | None = None,
    assume_tz: str | None = None,
    assume_utc: bool = True,
    quarantine: str | Path | None = None,
    scorer: _Scorer | None = None,
) -> dict[str, pd.DataFrame]:
    """Series frames per brand from a mention file or a volume series.

    For mention files ``freq`` sets the bucket length and ``assume_tz`` the zone of
    naive timestamps (naive is an error without it); ``brand`` fills mentions that
    name none. A volume series keeps its own bucket length, takes naive
    timestamps as UTC unless ``assume_utc=False``, and is named ``brand`` or its
    file stem. ``scorer`` replaces the bundled negativity model (anything with
    ``score_frame(frame) -> Series``).
    """
    if input_kind(path) == "series":
        frame = read_series(path, brand=brand, assume_utc=assume_utc)
        return {str(frame.attrs["brand"]): frame}
    scored = read_scored_mentions(
        path, assume_tz=assume_tz, quarantine=quarantine, brand=brand, scorer=scorer
    )
    return bucket_mentions(scored, freq=freq)

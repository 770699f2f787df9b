"""Series: mentions bucketed per brand into fixed-frequency UTC frames.

- :func:`bucket_mentions` — a scored mention frame to one series frame per brand (batch);
- :class:`SeriesBuilder` — the same rows live, bucket by bucket, with bounded state;
- :func:`read_series` — a volume series CSV (``timestamp,value`` or ``timestamp,volume[,negative]``);
- :func:`load_input` — either kind of replay input, decided from the file.

Frames follow :data:`warning.records.SERIES_COLUMNS` plus ``platform:<name>`` counts.
"""

from __future__ import annotations

from warning.series.bucket import KnownAuthors, bucket_mentions
from warning.series.builder import SeriesBuilder
from warning.series.common import (
    DEFAULT_BRAND,
    NEW_AUTHOR_LOOKBACK,
    PLATFORM_PREFIX,
    BucketRow,
    frame_from_rows,
)
from warning.series.load import input_kind, load_input, read_scored_mentions
from warning.series.volume import read_series

__all__ = [
    "DEFAULT_BRAND",
    "NEW_AUTHOR_LOOKBACK",
    "PLATFORM_PREFIX",
    "BucketRow",
    "KnownAuthors",
    "SeriesBuilder",
    "bucket_mentions",
    "frame_from_rows",
    "input_kind",
    "load_input",
    "read_scored_mentions",
    "read_series",
]

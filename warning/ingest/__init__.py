"""Ingest: read mention files and streams, validate, quarantine bad rows, normalise to UTC.

The entry point is :func:`read_mentions`, which streams a CSV, JSON Lines or
Parquet file (or standard input) as frames with the fixed mention schema of
:data:`warning.records.MENTION_COLUMNS`, in bounded memory. Bad rows go to a
quarantine file with their row number and reason; :class:`IngestReport` counts
every row exactly once (accepted, quarantined or duplicate).

Modules, in the order the data flows: :mod:`~warning.ingest.sources` (open,
decompress, sniff the format), :mod:`~warning.ingest.encoding`,
:mod:`~warning.ingest.columns` (header names and aliases), the format readers
(:mod:`~warning.ingest.csv_format`, :mod:`~warning.ingest.jsonl_format`,
:mod:`~warning.ingest.parquet_format`), :mod:`~warning.ingest.validate` (with
:mod:`~warning.ingest.timestamps` and :mod:`~warning.ingest.fields`),
:mod:`~warning.ingest.dedup`, :mod:`~warning.ingest.quarantine`,
:mod:`~warning.ingest.summary`, and :mod:`~warning.ingest.writers` for output files.
"""

from warning.ingest.quarantine import QuarantinedRow, QuarantineWriter
from warning.ingest.stream import (
    MentionStream,
    empty_mentions,
    frame_to_mentions,
    ingest_summary,
    iter_mention_records,
    read_mentions,
)
from warning.ingest.summary import IngestReport
from warning.ingest.writers import MentionWriter

__all__ = [
    "IngestReport",
    "MentionStream",
    "MentionWriter",
    "QuarantineWriter",
    "QuarantinedRow",
    "empty_mentions",
    "frame_to_mentions",
    "ingest_summary",
    "iter_mention_records",
    "read_mentions",
]

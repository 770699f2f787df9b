"""Format readers: turn an open source into chunks of raw column values with row numbers.

A reader knows the file format but nothing about the meaning of the values:
it maps column names (see :mod:`warning.ingest.columns`), keeps the row number
and the raw text of every row, and quarantines rows that are broken at the
format level (wrong number of CSV fields, malformed JSON). Validation of the
values happens afterwards in :mod:`warning.ingest.validate`.
"""

from __future__ import annotations

from warning.ingest.csv_format import CsvReader
from warning.ingest.jsonl_format import JsonlReader
from warning.ingest.parquet_format import ParquetReader
from warning.ingest.raw import RawChunk, RawReader
from warning.ingest.sources import OpenedSource

__all__ = ["RawChunk", "RawReader", "open_reader"]


def open_reader(src: OpenedSource, *, chunk_rows: int, encoding: str | None) -> RawReader:
    """The reader for ``src.fmt``; header problems raise :class:`~warning.errors.InputError`."""
    if src.fmt == "csv":
        return CsvReader(src, chunk_rows=chunk_rows, encoding=encoding)
    if src.fmt == "jsonl":
        return JsonlReader(src, chunk_rows=chunk_rows, encoding=encoding)
    return ParquetReader(src, chunk_rows=chunk_rows)

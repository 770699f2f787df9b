"""Write mention frames to CSV, JSON Lines or Parquet, chunk by chunk.

Timestamps are written as UTC ISO 8601 with a ``Z`` (the one format of every
output file); unknown values are empty (CSV) or ``null`` (JSON). Whatever is
written here reads back through :func:`warning.ingest.read_mentions` unchanged.

>>> import tempfile, pathlib, pandas as pd
>>> from warning.ingest.stream import empty_mentions
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = pathlib.Path(tmp) / "out.csv"
...     with MentionWriter(path) as writer:
...         writer.write(empty_mentions())
...     print(path.read_text().strip())
id,timestamp,text,brand,author,platform,lang,reach,kind,url,sentiment
"""

from __future__ import annotations

import gzip
from pathlib import Path
from types import TracebackType
from typing import TextIO

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from warning.errors import UsageError
from warning.records import MENTION_COLUMNS

__all__ = ["OUTPUT_SUFFIXES", "MentionWriter", "iso_utc"]

OUTPUT_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet", ".csv.gz", ".jsonl.gz")


def iso_utc(timestamps: pd.Series) -> pd.Series:
    """``2026-03-28T19:30:00Z`` strings (fractions of a second only where present).

    >>> times = ["2026-03-28T20:30:00+01:00", "2026-03-28T19:30:00.25Z"]
    >>> iso_utc(pd.Series(pd.to_datetime(times, format="ISO8601", utc=True))).tolist()
    ['2026-03-28T19:30:00Z', '2026-03-28T19:30:00.250000Z']
    """
    utc = timestamps.dt.tz_convert("UTC")
    whole = utc.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    fraction = (utc.dt.microsecond != 0) | (utc.dt.nanosecond != 0)
    if fraction.any():
        precise = utc[fraction].dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        whole = whole.where(~fraction, precise)
    return whole.astype("string")


class MentionWriter:
    """Appends mention frames to one output file; the format comes from the suffix."""

    def __init__(self, path: str | Path, *, extra_columns: dict[str, str] | None = None) -> None:
        self.path = Path(path)
        name = self.path.name.lower()
        suffix = next((s for s in OUTPUT_SUFFIXES if name.endswith(s)), None)
        if suffix is None:
            raise UsageError(
                "The output file must end in .csv, .jsonl or .parquet. "
                f"Got {str(self.path)!r} instead."
            )
        self.fmt = "parquet" if suffix == ".parquet" else "csv" if ".csv" in suffix else "jsonl"
        self.schema = {**MENTION_COLUMNS, **(extra_columns or {})}
        self.rows_written = 0
        self._text: TextIO | None = None
        self._parquet: pq.ParquetWriter | None = None
        self._started = False

    def _open_text(self) -> TextIO:
        if self._text is None:
            try:
                if self.path.name.lower().endswith(".gz"):
                    self._text = gzip.open(  # noqa: SIM115 - closed by close()/abort()
                        self.path, "wt", encoding="utf-8", newline=""
                    )
                else:
                    self._text = self.path.open("w", encoding="utf-8", newline="")
            except OSError as err:
                raise UsageError(
                    f"Cannot write the output file {str(self.path)!r}: {err.strerror or err}"
                ) from None
        return self._text

    def _conform(self, frame: pd.DataFrame) -> pd.DataFrame:
        missing = [column for column in self.schema if column not in frame.columns]
        if missing:
            raise ValueError(
                f"A mention frame must have the columns {missing}. Got {list(frame.columns)}."
            )
        return frame[list(self.schema)].astype(self.schema)

    def write(self, frame: pd.DataFrame) -> None:
        frame = self._conform(frame)
        if self.fmt == "parquet":
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, table.schema)
            self._parquet.write_table(table)
        else:
            text = frame.assign(timestamp=iso_utc(frame["timestamp"]))
            handle = self._open_text()
            if self.fmt == "csv":
                text.to_csv(handle, index=False, header=not self._started, lineterminator="\n")
            elif len(text):
                handle.write(text.to_json(orient="records", lines=True, force_ascii=False))
        self._started = True
        self.rows_written += len(frame)

    def close(self) -> None:
        if not self._started:
            self.write(pd.DataFrame({c: pd.Series(dtype=t) for c, t in self.schema.items()}))
        if self._parquet is not None:
            self._parquet.close()
        if self._text is not None:
            self._text.close()

    def abort(self) -> None:
        """Close what is open without creating an empty file (after a failed read)."""
        if self._parquet is not None:
            self._parquet.close()
        if self._text is not None:
            self._text.close()
        self._started = True

    def __enter__(self) -> MentionWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

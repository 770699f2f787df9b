"""The public entry point: stream a mention file as validated, de-duplicated frames.

>>> import io
>>> data = (b"created_at;content;user\\n"
...         b"2026-03-28T20:30:00+01:00;Nie wieder #boykott;anna\\n"
...         b"2026-03-28T20:31:00;naive time;ben\\n"
...         b"2026-03-28T20:30:00+01:00;Nie wieder #boykott;anna\\n")
>>> stream = read_mentions(io.BytesIO(data), brand="acme")
>>> frames = list(stream)
>>> frames[0][["timestamp", "text", "author", "brand"]].to_dict("records")
[{'timestamp': Timestamp('2026-03-28 19:30:00+0000', tz='UTC'), 'text': 'Nie wieder #boykott', 'author': 'anna', 'brand': 'acme'}]
>>> r = stream.report
>>> r.rows_read, r.accepted, dict(r.quarantined_by_reason), r.duplicates
(3, 1, {'naive_timestamp': 1}, 1)
"""

from __future__ import annotations

import codecs
import math
from collections.abc import Generator, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pandas as pd

from warning.errors import InputError, UsageError
from warning.ingest.dedup import SeenIds
from warning.ingest.quarantine import QuarantineWriter
from warning.ingest.raw import RawChunk
from warning.ingest.readers import RawReader, open_reader
from warning.ingest.sources import Source, open_source
from warning.ingest.summary import IngestReport
from warning.ingest.timestamps import resolve_zone
from warning.ingest.validate import validate_chunk
from warning.records import MENTION_COLUMNS, Mention

__all__ = [
    "MentionStream",
    "empty_mentions",
    "frame_to_mentions",
    "ingest_summary",
    "iter_mention_records",
    "read_mentions",
]


def empty_mentions() -> pd.DataFrame:
    """A mention frame with no rows and the exact schema."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in MENTION_COLUMNS.items()})


class MentionStream(Iterator[pd.DataFrame]):
    """Frames of accepted mentions, read lazily; :attr:`report` fills in as it goes.

    Use it as an iterator (or a context manager, to close the file early). Only
    non-empty frames are yielded, each with at most ``chunk_rows`` rows and exactly
    the columns and dtypes of :data:`warning.records.MENTION_COLUMNS`.
    """

    def __init__(
        self,
        source: Source,
        *,
        fmt: str | None = None,
        assume_tz: str | None = None,
        chunk_rows: int = 100_000,
        quarantine: str | Path | QuarantineWriter | None = None,
        brand: str | None = None,
        encoding: str | None = None,
    ) -> None:
        if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int) or chunk_rows < 1:
            raise UsageError(
                f"The 'chunk_rows' parameter of read_mentions must be a positive integer. "
                f"Got {chunk_rows!r} instead."
            )
        self.zone = resolve_zone(assume_tz)
        self.source, self.fmt, self.chunk_rows = source, fmt, chunk_rows
        self.brand = (brand.strip() or None) if brand is not None else None
        if encoding is not None:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise UsageError(
                    f"The 'encoding' option must name a text encoding such as utf-8 or cp1252. "
                    f"Got {encoding!r} instead."
                ) from None
        self.encoding = encoding
        self._own_quarantine = quarantine is not None and not isinstance(
            quarantine, QuarantineWriter
        )
        self.quarantine = (
            QuarantineWriter(quarantine) if isinstance(quarantine, str | Path) else quarantine
        )
        name = (
            "<stdin>" if not isinstance(source, str | Path) or str(source) == "-" else str(source)
        )
        self.report = IngestReport(source=name)
        if self.quarantine is not None:
            self.report.quarantine_path = str(self.quarantine.path)
        self._frames: Generator[pd.DataFrame, None, None] | None = None

    def __iter__(self) -> MentionStream:
        return self

    def __next__(self) -> pd.DataFrame:
        if self._frames is None:
            self._frames = self._generate()
        return next(self._frames)

    def close(self) -> None:
        if self._frames is not None:
            self._frames.close()

    def __enter__(self) -> MentionStream:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _describe(self, reader: RawReader) -> None:
        report = self.report
        report.fmt, report.encoding, report.delimiter = (
            reader.fmt,
            reader.encoding,
            reader.delimiter,
        )
        report.columns, report.ignored_columns = dict(reader.mapping), list(reader.ignored)

    def _generate(self) -> Generator[pd.DataFrame, None, None]:
        src = open_source(self.source, self.fmt)
        report, seen = self.report, SeenIds()
        report.source = src.name
        finished = False
        chunks: Iterator[RawChunk] | None = None
        try:
            reader = open_reader(src, chunk_rows=self.chunk_rows, encoding=self.encoding)
            self._describe(reader)
            chunks = reader.chunks()
            for chunk in chunks:
                checked = validate_chunk(chunk, source=src.name, zone=self.zone, brand=self.brand)
                report.rows_read += chunk.size + len(chunk.problems)
                report.add_problems(checked.problems)
                if self.quarantine is not None and checked.problems:
                    self.quarantine.write(checked.problems)
                frame = checked.frame
                first = seen.first_seen(frame["id"])
                report.duplicates += int((~first).sum())
                if not first.all():
                    frame = frame[first].reset_index(drop=True)
                report.derived_ids += int(checked.derived[first].sum())
                report.add_accepted(frame)
                self._describe(reader)
                if len(frame):
                    yield frame
            finished = True
        except (OSError, EOFError) as err:
            raise InputError(f"{src.name}: cannot read ({err})") from None
        finally:
            if isinstance(chunks, Generator):
                chunks.close()  # the reader first, then the file under it
            src.close()
            if self._own_quarantine and self.quarantine is not None:
                if finished:
                    self.quarantine.close()
                else:  # an unreadable input leaves no quarantine file behind
                    self.quarantine.abort()


def read_mentions(
    source: Source,
    *,
    fmt: str | None = None,
    assume_tz: str | None = None,
    chunk_rows: int = 100_000,
    quarantine: str | Path | QuarantineWriter | None = None,
    brand: str | None = None,
    encoding: str | None = None,
) -> MentionStream:
    """Stream mentions from a CSV, JSON Lines or Parquet file, ``"-"`` or a binary file object.

    Args:
        source: a path (format from the suffix, ``.gz`` allowed), ``"-"`` for
            standard input, or a binary file object.
        fmt: ``csv``, ``jsonl`` or ``parquet`` when the suffix does not say.
        assume_tz: IANA zone for timestamps without an offset (else they are quarantined).
        chunk_rows: at most this many rows per yielded frame (memory stays bounded).
        quarantine: a ``.csv``/``.jsonl`` path or a :class:`QuarantineWriter` for bad rows.
        brand: the brand of rows that do not name one (a one-brand export).
        encoding: the text encoding, when detection (UTF-8, UTF-16, Windows-1252) is wrong.

    Returns a :class:`MentionStream`: iterate it for frames, read ``.report`` for
    the counts. A missing file, an unknown format or a header without
    ``timestamp``/``text`` raises :class:`~warning.errors.InputError`.
    """
    return MentionStream(
        source,
        fmt=fmt,
        assume_tz=assume_tz,
        chunk_rows=chunk_rows,
        quarantine=quarantine,
        brand=brand,
        encoding=encoding,
    )


def ingest_summary(source: Source, **options: Any) -> IngestReport:
    """Read the whole source (discarding the mentions) and return its report."""
    stream = read_mentions(source, **options)
    for _ in stream:
        pass
    return stream.report


def _optional(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def frame_to_mentions(frame: pd.DataFrame) -> Iterator[Mention]:
    """The rows of a mention frame as :class:`~warning.records.Mention` records."""
    for row in frame.itertuples(index=False):
        values = {column: _optional(getattr(row, column)) for column in MENTION_COLUMNS}
        values["timestamp"] = values["timestamp"].to_pydatetime()
        if values["reach"] is not None:
            values["reach"] = int(values["reach"])
        if values["sentiment"] is not None:
            values["sentiment"] = float(values["sentiment"])
        yield Mention(**values)


def iter_mention_records(source: Source, **options: Any) -> Iterator[Mention]:
    """Mentions one by one as records; convenient for small inputs (tests, samples)."""
    for frame in read_mentions(source, **options):
        yield from frame_to_mentions(frame)

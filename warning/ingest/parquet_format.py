"""Parquet reading: record batches of ``chunk_rows`` rows straight from the row groups.

Typed columns are kept as they are (a zoned ``timestamp`` column needs no
parsing, an integer ``reach`` no conversion); row numbers count data rows from 1.
Parquet needs random access, so standard input and gzip-compressed Parquet are
first copied to a temporary file (disk, not memory).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from warning.errors import InputError
from warning.ingest.columns import resolve_columns
from warning.ingest.raw import RawChunk, arrow_to_series
from warning.ingest.sources import OpenedSource

__all__ = ["ParquetReader"]


class ParquetReader:
    """Streams a Parquet source as :class:`~warning.ingest.raw.RawChunk` objects.

    >>> import io, pyarrow as pa, pyarrow.parquet as pq
    >>> from warning.ingest.sources import open_source
    >>> buffer = io.BytesIO()
    >>> pq.write_table(pa.table({"created_at": ["2026-03-28T19:30:00Z"] * 3, "text": list("abc")}), buffer)
    >>> src = open_source(io.BytesIO(buffer.getvalue()))
    >>> [c.rows.tolist() for c in ParquetReader(src, chunk_rows=2).chunks()]
    [[1, 2], [3]]
    >>> src.close()
    """

    fmt = "parquet"
    encoding: str | None = None
    delimiter: str | None = None

    def __init__(self, src: OpenedSource, *, chunk_rows: int) -> None:
        self.src = src
        self.chunk_rows = chunk_rows
        if src.path is not None and not src.compressed:
            target: Any = src.path
        else:
            spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the source
            src.on_close(spool.close)
            shutil.copyfileobj(src.stream, spool, 1 << 20)
            spool.seek(0)
            target = spool
        try:
            self.file = pq.ParquetFile(target)
        except (pa.ArrowException, OSError) as err:
            message = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise InputError(f"{src.name}: not a readable Parquet file ({message})") from None
        src.on_close(self.file.close)
        self.columns = resolve_columns(self.file.schema_arrow.names, source=src.name)
        self.mapping = self.columns.mapping
        self.ignored = list(self.columns.ignored)

    def chunks(self) -> Iterator[RawChunk]:
        next_row = 1
        try:
            for batch in self.file.iter_batches(batch_size=self.chunk_rows):
                columns = {
                    column: arrow_to_series(batch.column(position))
                    for column, position in self.columns.positions.items()
                }
                rows = np.arange(next_row, next_row + batch.num_rows, dtype=np.int64)
                next_row += batch.num_rows
                yield RawChunk(columns, rows, _renderer(batch))
        except (pa.ArrowException, OSError) as err:
            message = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise InputError(
                f"{self.src.name}: cannot read Parquet near row {next_row}: {message}"
            ) from None


def _renderer(batch: pa.RecordBatch) -> Any:
    def render(position: int) -> str:
        row = batch.slice(position, 1).to_pylist()[0]
        return json.dumps(row, ensure_ascii=False, default=str)

    return render

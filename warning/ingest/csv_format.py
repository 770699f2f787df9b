"""CSV reading: dialect sniffing and a streaming, row-numbered, bytes-tolerant parser.

Dialect: the delimiter is whichever of ``,`` ``;`` tab ``|`` occurs most often
(outside quotes) in the header line (tab for ``.tsv``); fields are quoted with
``"`` and a doubled quote escapes one, so quoted fields may hold delimiters and
newlines. The encoding is UTF-8 (a byte-order mark is skipped), UTF-16 when the
file starts with its byte-order mark, or Windows-1252 when the sample is not
UTF-8 at all (a German Excel export). Blank lines are skipped.

Parsing is Arrow's streaming CSV reader over a UTF-8-repaired byte stream
(:class:`~warning.ingest.encoding.Utf8Stream`), run single-threaded so that rows
with the wrong number of fields are reported with their row number and skipped
instead of failing the file. Row numbers count data rows from 1 (the header is
not counted; a quoted newline does not start a new row).

>>> sniff_delimiter('timestamp;text;"a,b"\\n')
';'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from warning.errors import InputError
from warning.ingest.columns import ColumnMap, resolve_columns
from warning.ingest.encoding import Utf8Stream, detect_encoding
from warning.ingest.quarantine import QuarantinedRow
from warning.ingest.raw import RawChunk, arrow_to_series
from warning.ingest.sources import OpenedSource

__all__ = ["CsvReader", "sniff_delimiter"]

DELIMITERS = (",", ";", "\t", "|")
#: Arrow parses 1 MiB blocks (larger blocks cost far more memory than they save time);
#: the batches are then gathered into chunks of ``chunk_rows`` rows.
BLOCK_SIZE = 1 << 20


def sniff_delimiter(header_line: str) -> str:
    """The candidate delimiter that occurs most often outside quotes (ties: earlier wins)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif char == "\n" and not quoted:
            break
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))
    return best if counts[best] else ","


def _first_line(text: str) -> str:
    for line in text.lstrip("\ufeff").splitlines():
        if line.strip():
            return line
    return ""


class CsvReader:
    """Streams a CSV source as :class:`~warning.ingest.raw.RawChunk` objects.

    >>> import io
    >>> from warning.ingest.sources import open_source
    >>> data = b'Zeit;Inhalt\\n2026-03-28T20:30:00+01:00;"zwei\\nZeilen"\\n1;2;3\\n'
    >>> reader = CsvReader(open_source(io.BytesIO(data)), chunk_rows=100, encoding=None)
    >>> reader.delimiter, reader.mapping
    (';', {'Zeit': 'timestamp', 'Inhalt': 'text'})
    >>> [(c.rows.tolist(), [p.row for p in c.problems]) for c in reader.chunks()]
    [([1], []), ([], [2])]
    """

    fmt = "csv"

    def __init__(self, src: OpenedSource, *, chunk_rows: int, encoding: str | None) -> None:
        self.src = src
        self.chunk_rows = chunk_rows
        self.encoding = encoding or detect_encoding(src.sample)
        text = src.sample.decode(self.encoding, errors="replace")
        header = _first_line(text)
        if not header:
            raise InputError(f"{src.name}: the file is empty (no header line)")
        tab = src.path is not None and src.path.name.lower().removesuffix(".gz").endswith(
            (".tsv", ".tab")
        )
        self.delimiter: str | None = "\t" if tab else sniff_delimiter(header)
        names = next(csv.reader([header], delimiter=self.delimiter))
        self.columns: ColumnMap = resolve_columns(names, source=src.name)
        self.mapping = self.columns.mapping
        self.ignored = list(self.columns.ignored)
        self._width = len(names)

    def _open(
        self, stream: Utf8Stream, invalid: list[tuple[int, str, int, int]]
    ) -> pacsv.CSVStreamingReader:
        def on_invalid(row: Any) -> str:
            number = row.number if row.number is not None and row.number > 0 else 1
            invalid.append((number - 1, row.text, row.actual_columns, row.expected_columns))
            return "skip"

        return pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                use_threads=False, block_size=BLOCK_SIZE, autogenerate_column_names=True
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=self.delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=True,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(self._width + 64)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    def _problem(self, number: int, text: str, actual: int, expected: int) -> QuarantinedRow:
        reason = f"row has {actual} fields, the header has {expected}."
        return QuarantinedRow(self.src.name, number, None, "wrong_field_count", reason, text)

    def _render(self, table: pa.Table) -> Any:
        delimiter = self.delimiter or ","

        def render(position: int) -> str:
            out = io.StringIO()
            fields = [column[position].as_py() for column in table.columns]
            csv.writer(out, delimiter=delimiter, lineterminator="").writerow(fields)
            return out.getvalue()

        return render

    def chunks(self) -> Iterator[RawChunk]:
        invalid: list[tuple[int, str, int, int]] = []
        pending: list[pa.RecordBatch] = []
        numbers: list[np.ndarray] = []
        next_row = 1
        header_seen = False
        stream = Utf8Stream(self.src.stream, self.encoding)
        reader: pacsv.CSVStreamingReader | None = None
        try:
            reader = self._open(stream, invalid)
            for batch in reader:
                if not header_seen and batch.num_rows:
                    names = [column[0].as_py() or "" for column in batch.columns]
                    self.columns = resolve_columns(names, source=self.src.name)
                    self.mapping, self.ignored = self.columns.mapping, list(self.columns.ignored)
                    batch, header_seen = batch.slice(1), True
                rows, next_row = _number_rows(batch.num_rows, next_row, invalid)
                pending.append(batch)
                numbers.append(rows)
                if sum(len(r) for r in numbers) >= self.chunk_rows:
                    yield from self._emit(pending, numbers, invalid, stream, final=False)
            yield from self._emit(pending, numbers, invalid, stream, final=True)
        except pa.ArrowInvalid as err:
            message = str(err).splitlines()[0]
            if "straddl" in message:  # Arrow's words for a field longer than a block
                message = "a quoted field does not close (unbalanced double quote)"
            raise InputError(
                f"{self.src.name}: cannot parse CSV near row {next_row}: {message}"
            ) from None
        finally:
            if reader is not None:  # stop Arrow's read-ahead before the file is closed
                reader.close()
        if invalid:
            problems = [self._problem(*entry) for entry in sorted(invalid)]
            yield RawChunk({}, np.zeros(0, dtype=np.int64), lambda _: "", problems)

    def _emit(
        self,
        pending: list[pa.RecordBatch],
        numbers: list[np.ndarray],
        invalid: list[tuple[int, str, int, int]],
        stream: Utf8Stream,
        *,
        final: bool,
    ) -> Iterator[RawChunk]:
        """Chunks of ``chunk_rows`` rows from the gathered batches; a short rest waits unless final."""
        if not pending:
            return
        table = pa.Table.from_batches(pending)
        rows = np.concatenate(numbers)
        pending.clear()
        numbers.clear()
        start = 0
        while table.num_rows - start >= self.chunk_rows or (final and start < table.num_rows):
            part = table.slice(start, self.chunk_rows)
            yield self._chunk(part, rows[start : start + part.num_rows], invalid, stream)
            start += part.num_rows
        if start < table.num_rows:
            pending.extend(table.slice(start).to_batches())
            numbers.append(rows[start:])

    def _chunk(
        self,
        part: pa.Table,
        rows: np.ndarray,
        invalid: list[tuple[int, str, int, int]],
        stream: Utf8Stream,
    ) -> RawChunk:
        due = [entry for entry in invalid if entry[0] < rows[-1]]
        if due:
            invalid[:] = [entry for entry in invalid if entry[0] >= rows[-1]]
        columns = {
            column: arrow_to_series(part.column(position))
            for column, position in self.columns.positions.items()
            if position < part.num_columns
        }
        problems = [self._problem(*entry) for entry in sorted(due)]
        return RawChunk(columns, rows, self._render(part), problems, stream.saw_replacement)


def _number_rows(
    n: int, next_row: int, invalid: list[tuple[int, str, int, int]]
) -> tuple[np.ndarray, int]:
    """Data-row numbers of ``n`` parsed rows, skipping the numbers of rows reported invalid."""
    skipped = np.array(
        sorted(entry[0] for entry in invalid if entry[0] >= next_row), dtype=np.int64
    )
    candidates = np.arange(next_row, next_row + n + len(skipped), dtype=np.int64)
    if len(skipped):
        candidates = candidates[~np.isin(candidates, skipped)]
    numbers = candidates[:n]
    return numbers, (int(numbers[-1]) + 1 if n else next_row)

"""Quarantine: rows that cannot be ingested, kept with their row number, reason and raw text.

A quarantine file is CSV or JSON Lines (by suffix) with the columns
``source, row, column, code, reason, raw``: ``row`` is the 1-based data row of a
CSV or Parquet file (the header is not counted) or the physical line number of a
JSON Lines file; ``code`` is a short key the summary counts by; ``reason`` is one
readable line naming the column and the offending value.

>>> import json, tempfile, pathlib
>>> bad = QuarantinedRow("in.csv", 7, "reach", "invalid_reach",
...     "column 'reach' must be a non-negative whole number. Got 'many' instead.", "7;...;many")
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = pathlib.Path(tmp) / "q.jsonl"
...     with QuarantineWriter(path) as writer:
...         writer.write([bad])
...     record = json.loads(path.read_text())
>>> record["row"], record["code"], record["raw"]
(7, 'invalid_reach', '7;...;many')
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import TextIO

import numpy as np

from warning.errors import UsageError

__all__ = ["QUARANTINE_FIELDS", "QuarantineWriter", "QuarantinedRow", "shorten"]

QUARANTINE_FIELDS: tuple[str, ...] = ("source", "row", "column", "code", "reason", "raw")


def shorten(value: object, limit: int = 60) -> str:
    """``repr`` of a value, cut to ``limit`` characters for messages.

    >>> shorten("x" * 100, 10)
    "'xxxxx...'"
    """
    if isinstance(value, np.generic | np.ndarray):  # show 3 and [1, 2], not np.int64(3)
        value = value.tolist()
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


@dataclass(frozen=True, slots=True)
class QuarantinedRow:
    """One row that was not ingested, and why."""

    source: str
    row: int
    column: str | None
    code: str
    reason: str
    raw: str


class QuarantineWriter:
    """Appends quarantined rows to a CSV or JSON Lines file (chosen by suffix).

    The file is created on the first write or on close, so asking for a
    quarantine file always leaves one behind, empty but for the header when no
    row was bad.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in {".csv", ".jsonl", ".ndjson"}:
            raise UsageError(
                f"The quarantine file must end in .csv or .jsonl. Got {str(self.path)!r} instead."
            )
        self._jsonl = suffix != ".csv"
        self._handle: TextIO | None = None
        self._csv: csv.DictWriter[str] | None = None
        self.rows_written = 0

    def _open(self) -> TextIO:
        if self._handle is None:
            try:
                self._handle = self.path.open(
                    "w", encoding="utf-8", errors="backslashreplace", newline=""
                )
            except OSError as err:
                raise UsageError(
                    f"Cannot write the quarantine file {str(self.path)!r}: {err.strerror or err}"
                ) from None
            if not self._jsonl:
                self._csv = csv.DictWriter(self._handle, fieldnames=QUARANTINE_FIELDS)
                self._csv.writeheader()
        return self._handle

    def write(self, rows: Iterable[QuarantinedRow]) -> None:
        handle = self._open()
        for row in rows:
            record = asdict(row)
            if self._csv is not None:
                self._csv.writerow(record)
            else:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.rows_written += 1

    def close(self) -> None:
        self._open().close()

    def abort(self) -> None:
        """Close the file if it was opened, without creating it otherwise."""
        if self._handle is not None:
            self._handle.close()

    def __enter__(self) -> QuarantineWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

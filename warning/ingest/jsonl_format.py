"""JSON Lines reading: one object per line, nested objects flattened, bad lines quarantined.

Row numbers are physical line numbers (blank lines are skipped but counted).
Nested objects are flattened with dots, so a Twitter-style
``{"user": {"screen_name": ...}}`` offers ``user.screen_name`` as the author.
A line that is not valid JSON or not an object is quarantined; when the first
chunk of objects never names a ``timestamp`` or ``text`` field the whole file is
rejected, as a CSV file without those columns would be.

>>> flatten({"text": "hi", "user": {"screen_name": "anna", "followers_count": 12}})
{'text': 'hi', 'user.screen_name': 'anna', 'user.followers_count': 12}
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.json as pajson

from warning.errors import InputError
from warning.ingest.columns import REQUIRED, canonical_name, missing_required_message
from warning.ingest.encoding import Utf8Stream, detect_encoding
from warning.ingest.quarantine import QuarantinedRow, shorten
from warning.ingest.raw import RawChunk, arrow_to_series
from warning.ingest.sources import OpenedSource
from warning.records import MENTION_COLUMNS

__all__ = ["JsonlReader", "flatten", "read_json_block"]

_MAX_NAMES = 200  # bound on the column names remembered for the report
_REPLACEMENT = "\ufffd".encode()


def flatten(obj: dict[str, Any], prefix: str = "", depth: int = 0) -> dict[str, Any]:
    """Nested objects as dotted keys (three levels deep at most).

    An object under a mention column's own name (``"text": {...}``) stays as it
    is, so that it is reported as the wrong type rather than as a missing value.
    """
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and depth < 3 and name not in MENTION_COLUMNS:
            out.update(flatten(value, f"{name}.", depth + 1))
        else:
            out[name] = value
    return out


class JsonlReader:
    """Streams a JSON Lines source as :class:`~warning.ingest.raw.RawChunk` objects.

    >>> import io
    >>> from warning.ingest.sources import open_source
    >>> data = b'{"date": "2026-03-28T19:30:00Z", "body": "hi"}\\n\\n{"date": 1, "body": \\n'
    >>> reader = JsonlReader(open_source(io.BytesIO(data)), chunk_rows=100, encoding=None)
    >>> [(c.rows.tolist(), [(p.row, p.code) for p in c.problems]) for c in reader.chunks()]
    [([1], [(3, 'malformed_json')])]
    >>> reader.mapping
    {'date': 'timestamp', 'body': 'text'}
    """

    fmt = "jsonl"
    delimiter: str | None = None

    def __init__(self, src: OpenedSource, *, chunk_rows: int, encoding: str | None) -> None:
        self.src = src
        self.chunk_rows = chunk_rows
        self.encoding = encoding or detect_encoding(src.sample)
        self.mapping: dict[str, str] = {}
        self.ignored: list[str] = []
        self._plans: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        self._seen_columns: set[str] = set()
        self._checked = False
        if src.sample.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
            raise InputError(
                f"{src.name}: is one JSON array, not JSON Lines; write one object per line"
            )

    def _plan(self, keys: tuple[str, ...]) -> list[tuple[str, str]]:
        """(source key, mention column) pairs for objects with these keys, best rank first."""
        plan = self._plans.get(keys)
        if plan is not None:
            return plan
        best: dict[str, tuple[int, str]] = {}
        for key in keys:
            hit = canonical_name(key)
            if hit is None:
                self._remember(key, None)
                continue
            column, rank = hit
            if column not in best or rank < best[column][0]:
                best[column] = (rank, key)
        plan = [(key, column) for column, (_, key) in best.items()]
        for key, column in plan:
            self._remember(key, column)
        if len(self._plans) < 10_000:
            self._plans[keys] = plan
        return plan

    def _remember(self, key: str, column: str | None) -> None:
        if column is None:
            if (
                key not in self.mapping
                and key not in self.ignored
                and len(self.ignored) < _MAX_NAMES
            ):
                self.ignored.append(key)
        elif key not in self.mapping and len(self.mapping) < _MAX_NAMES:
            self.mapping[key] = column
            if key in self.ignored:
                self.ignored.remove(key)

    def _canonical(self, obj: dict[str, Any]) -> dict[str, Any]:
        if any(isinstance(value, dict) for value in obj.values()):
            obj = flatten(obj)
        return {column: obj[key] for key, column in self._plan(tuple(obj))}

    def _problem(self, line_no: int, code: str, reason: str, raw: str) -> QuarantinedRow:
        return QuarantinedRow(self.src.name, line_no, None, code, reason, raw)

    def _check_required(self, present: set[str]) -> None:
        self._seen_columns |= present
        if not self._checked:
            self._checked = True
            for column in REQUIRED:
                if column not in self._seen_columns:
                    found = list(self.mapping) + self.ignored
                    raise InputError(missing_required_message(column, self.src.name, found))

    def _fast(self, lines: list[bytes], numbers: list[int], damaged: bool) -> RawChunk | None:
        """The whole chunk through Arrow's JSON reader, or ``None`` when it needs the slow path."""
        table = read_json_block(lines)
        if table is None:
            return None
        plan = self._plan(tuple(table.column_names))
        sources = [key for key in table.column_names if canonical_name(key) is not None]
        if len(sources) != len(plan):  # two keys for one column: decide per object instead
            return None
        self._check_required({column for _, column in plan})
        columns = {column: arrow_to_series(table.column(key)) for key, column in plan}
        raws = [line.decode("utf-8") for line in lines]
        return RawChunk(columns, np.asarray(numbers, dtype=np.int64), raws.__getitem__, [], damaged)

    def _slow(self, lines: list[bytes], numbers: list[int], damaged: bool) -> RawChunk:
        """Line by line with :mod:`json`, quarantining lines that are not JSON objects."""
        records: list[dict[str, Any]] = []
        rows: list[int] = []
        raws: list[str] = []
        problems: list[QuarantinedRow] = []
        for line_no, data in zip(numbers, lines, strict=True):
            line = data.decode("utf-8")
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                reason = f"line is not valid JSON: {err.msg} at column {err.colno}."
                problems.append(self._problem(line_no, "malformed_json", reason, line))
            except RecursionError:
                reason = "line is not valid JSON: nested too deeply."
                problems.append(self._problem(line_no, "malformed_json", reason, line))
            else:
                if isinstance(obj, dict):
                    records.append(self._canonical(obj))
                    rows.append(line_no)
                    raws.append(line)
                else:
                    reason = f"line must be a JSON object. Got {shorten(obj)} instead."
                    problems.append(self._problem(line_no, "not_an_object", reason, line))
        present = {column for record in records for column in record}
        if records:
            self._check_required(present)
        columns = {
            column: pd.Series([record.get(column) for record in records], dtype=object)
            for column in present
        }
        rows_array = np.asarray(rows, dtype=np.int64)
        return RawChunk(columns, rows_array, raws.__getitem__, problems, damaged)

    def _chunk(self, lines: list[bytes], numbers: list[int], damaged: bool) -> RawChunk:
        return self._fast(lines, numbers, damaged) or self._slow(lines, numbers, damaged)

    def chunks(self) -> Iterator[RawChunk]:
        stream = io.BufferedReader(Utf8Stream(self.src.stream, self.encoding), 1 << 20)
        lines: list[bytes] = []
        numbers: list[int] = []
        damaged = False
        for line_no, data in enumerate(stream, start=1):
            line = data.rstrip(b"\r\n")
            if not line.strip():
                continue
            damaged = damaged or _REPLACEMENT in line or b"\\u" in line
            lines.append(line)
            numbers.append(line_no)
            if len(lines) >= self.chunk_rows:
                yield self._chunk(lines, numbers, damaged)
                lines, numbers, damaged = [], [], False
        if lines:
            yield self._chunk(lines, numbers, damaged)


def read_json_block(lines: list[bytes]) -> pa.Table | None:
    """Lines parsed by Arrow (nested objects flattened), or ``None`` when that is not safe.

    Arrow would turn ISO 8601 strings into zone-less timestamps (hiding which had an
    offset), so timestamp-like keys of the first object are read as they are typed
    there, and any other column that comes out as a date or time sends the chunk to
    the slow path, as do malformed lines, type changes between lines and objects
    under a mention column's own name.
    """
    try:
        first = json.loads(lines[0])
    except (json.JSONDecodeError, RecursionError):
        return None
    if not isinstance(first, dict):
        return None
    fields = []
    for key, value in first.items():
        hit = canonical_name(key)
        if hit is not None and hit[0] == "timestamp":
            kind = pa.float64() if isinstance(value, float) else pa.int64()
            fields.append((key, pa.string() if not isinstance(value, int | float) else kind))
    data = b"\n".join(lines)
    try:
        table = pajson.read_json(
            io.BytesIO(data),
            read_options=pajson.ReadOptions(use_threads=False, block_size=len(data) + 1),
            parse_options=pajson.ParseOptions(
                explicit_schema=pa.schema(fields), unexpected_field_behavior="infer"
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    for _ in range(3):
        structs = [f.name for f in table.schema if pa.types.is_struct(f.type)]
        if not structs:
            break
        if any(name in MENTION_COLUMNS for name in structs):
            return None
        table = table.flatten()
    for field in table.schema:
        nested = pa.types.is_temporal(field.type) or pa.types.is_struct(field.type)
        if nested and canonical_name(field.name) is not None:
            return None
    return table if table.num_rows == len(lines) else None

"""HTTP batches of mentions in, a validated mention frame and per-row problems out.

The rows go through the very reader and validator of file ingest
(:class:`~warning.ingest.jsonl_format.JsonlReader`, then
:func:`~warning.ingest.validate.validate_chunk`), so the same field names and
aliases are understood and a bad row gets the same code and reason as in a
quarantine file. Three body shapes are read:

* ``application/x-ndjson`` (also ``application/jsonl``): one object per line, handed
  to the reader as it is (the fastest path);
* ``application/json`` with an array of objects, or an object ``{"mentions": [...]}``.

``row`` in a problem is the 0-based position of the object in the array, or the
0-based line number of an NDJSON body. A body that is not JSON at all, or whose
objects never name a ``timestamp`` or ``text`` field, is refused as a whole with
one line that says why (:class:`~warning.errors.InputError`).

>>> body = (b'{"id": "1", "timestamp": "2026-03-28T20:30:00+01:00", "text": "Nie wieder!"}\\n'
...         b'{"id": "2", "timestamp": "2026-03-28T20:31:00", "text": "naive"}\\n')
>>> batch = parse_batch(body, "application/x-ndjson", brand="lumina")
>>> batch.frame[["id", "brand"]].to_dict("records"), batch.rows
([{'id': '1', 'brand': 'lumina'}], 2)
>>> [(p.row, p.code) for p in batch.problems]
[(1, 'naive_timestamp')]
>>> parse_batch(b'[{"timestamp": 1774726200, "text": "hi"}, 7]', "application/json").problems[0].code
'not_an_object'
"""

from __future__ import annotations

import io
import json
import time
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from warning.errors import InputError, UsageError
from warning.ingest.dedup import SeenIds
from warning.ingest.jsonl_format import JsonlReader
from warning.ingest.quarantine import shorten
from warning.ingest.sources import open_source
from warning.ingest.timestamps import resolve_zone
from warning.ingest.validate import validate_chunk
from warning.records import MENTION_COLUMNS

__all__ = ["JSON_TYPES", "NDJSON_TYPES", "Batch", "Problem", "media_type", "parse_batch"]

NDJSON_TYPES = frozenset({"application/x-ndjson", "application/jsonl", "application/jsonlines"})
JSON_TYPES = frozenset({"application/json"})
_SOURCE = "request"


@dataclass(frozen=True, slots=True)
class Problem:
    """One row that was not accepted: its position, the code and the reason."""

    row: int
    code: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "code": self.code, "reason": self.reason}


@dataclass
class Batch:
    """The good rows as a mention frame (ids unique within the batch) and the bad ones."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0  # objects (or lines) read
    in_batch_duplicates: int = 0  # ids repeated inside this very batch
    timings: dict[str, float] = field(default_factory=dict)


def media_type(content_type: str | None) -> str:
    """The bare media type of a Content-Type header, lower-cased.

    >>> media_type("application/json; charset=utf-8")
    'application/json'
    """
    return (content_type or "").split(";", 1)[0].strip().lower()


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in MENTION_COLUMNS.items()})


def _objects_to_lines(body: bytes) -> tuple[bytes, list[int], list[Problem], int]:
    """A JSON array (or ``{"mentions": [...]}``) as NDJSON lines and their positions."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
        detail = err.msg if isinstance(err, json.JSONDecodeError) else type(err).__name__
        raise InputError(f"request body: not valid JSON ({detail}).") from None
    if isinstance(data, dict):
        if "mentions" not in data:
            raise InputError(
                "request body: a JSON object must carry the rows under 'mentions'. "
                f"Got the keys {shorten(sorted(data))} instead."
            )
        data = data["mentions"]
    if not isinstance(data, list):
        raise InputError(
            f"request body: 'mentions' must be a JSON array of objects. Got {shorten(data)} instead."
        )
    lines: list[bytes] = []
    positions: list[int] = []
    problems: list[Problem] = []
    for position, item in enumerate(data):
        if isinstance(item, dict):
            lines.append(json.dumps(item, ensure_ascii=False).encode("utf-8"))
            positions.append(position)
        else:
            reason = f"line must be a JSON object. Got {shorten(item)} instead."
            problems.append(Problem(position, "not_an_object", reason.replace("line", "row", 1)))
    return b"\n".join(lines), positions, problems, len(data)


def parse_batch(
    body: bytes,
    content_type: str,
    *,
    brand: str | None = None,
    assume_tz: str | None = None,
) -> Batch:
    """Read and validate one request body (see the module docstring)."""
    started = time.perf_counter()
    kind = media_type(content_type)
    zone = resolve_zone(assume_tz)
    brand = (brand.strip() or None) if brand is not None else None
    positions: list[int] | None = None
    problems: list[Problem] = []
    if kind in NDJSON_TYPES:
        data = body
    elif kind in JSON_TYPES:
        data, positions, problems, _ = _objects_to_lines(body)
    else:
        raise UsageError(f"request body: unsupported content type {kind or 'none'!r}.")
    parsed = time.perf_counter()
    frames: list[pd.DataFrame] = []
    if data.strip():
        source = open_source(io.BytesIO(data), "jsonl")
        try:
            reader = JsonlReader(source, chunk_rows=1 << 30, encoding="utf-8")
            for chunk in reader.chunks():
                checked = validate_chunk(chunk, source=_SOURCE, zone=zone, brand=brand)
                for p in checked.problems:
                    row = p.row - 1 if positions is None else positions[p.row - 1]
                    problems.append(Problem(row, p.code, p.reason))
                frames.append(checked.frame)
        finally:
            source.close()
    validated = time.perf_counter()
    frame = frames[0] if len(frames) == 1 else (pd.concat(frames) if frames else _empty())
    rows = len(frame) + len(problems)
    duplicates = 0
    if len(frame):
        first = SeenIds().first_seen(frame["id"])
        duplicates = int((~first).sum())
        if duplicates:
            frame = frame[first]
    problems.sort(key=lambda p: p.row)
    timings = {"parse": parsed - started, "validate": validated - parsed}
    return Batch(frame.reset_index(drop=True), problems, rows, duplicates, timings)

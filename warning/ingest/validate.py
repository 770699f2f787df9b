"""Validation: raw chunk in, a mention frame of the good rows and the quarantined rest out.

Checks run column by column over the whole chunk; a row is quarantined with the
first problem found, in this order: timestamp, text, then the optional columns.
Good rows become a frame with exactly :data:`warning.records.MENTION_COLUMNS`:
timestamps in UTC, text trimmed and NFC-normalised, ``platform``/``lang``
lower-cased, ``kind`` one of :data:`~warning.records.MENTION_KINDS`, ``reach`` a
non-negative integer, ``sentiment`` a polarity in [-1, 1]. A row without an id
gets a stable one derived from its instant, text and author.

>>> import numpy as np, pandas as pd
>>> from warning.ingest.raw import RawChunk
>>> raw = pd.Series(["2026-03-28T20:30:00+01:00", "2026-03-28T20:31:00+01:00"], dtype="string")
>>> chunk = RawChunk({"timestamp": raw, "text": pd.Series([" Nie wieder! ", ""], dtype="string")},
...                  np.array([1, 2]), lambda i: f"row {i}")
>>> checked = validate_chunk(chunk, source="in.csv", zone=None, brand="acme")
>>> checked.frame[["timestamp", "text", "brand"]].to_dict("records")
[{'timestamp': Timestamp('2026-03-28 19:30:00+0000', tz='UTC'), 'text': 'Nie wieder!', 'brand': 'acme'}]
>>> [(p.row, p.code) for p in checked.problems]
[(2, 'missing_text')]
"""

from __future__ import annotations

import hashlib
import zoneinfo
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from warning.ingest.fields import (
    as_mask,
    clean_strings,
    has_replacement,
    missing_strings,
    parse_kind,
    parse_reach,
    parse_sentiment,
)
from warning.ingest.quarantine import QuarantinedRow, shorten
from warning.ingest.raw import RawChunk
from warning.ingest.timestamps import TIME_MESSAGES, parse_timestamps
from warning.records import MENTION_COLUMNS, MENTION_KINDS

__all__ = ["Validated", "derive_ids", "validate_chunk"]

_WRONG_TYPE = "column '{column}' must be a text value. Got {value} instead."
_BROKEN = "column '{column}' has undecodable bytes (shown as U+FFFD). Got {value} instead."
_TYPED_MESSAGES = {
    "reach": (
        "invalid_reach",
        "column 'reach' must be a non-negative whole number. Got {value} instead.",
    ),
    "kind": (
        "invalid_kind",
        f"column 'kind' must be one of {', '.join(MENTION_KINDS)}. Got {{value}} instead.",
    ),
    "sentiment": (
        "invalid_sentiment",
        "column 'sentiment' must be a number in [-1, 1] or negative/neutral/positive. "
        "Got {value} instead.",
    ),
}
_LOWERED = ("platform", "lang")
_COMBINING = "[\u0300-\u036f]"


@dataclass(frozen=True)
class Validated:
    """The good rows as a mention frame, the bad ones as quarantined rows."""

    frame: pd.DataFrame
    problems: list[QuarantinedRow]
    derived: np.ndarray  # rows of ``frame`` whose id was derived


def derive_ids(timestamps: pd.Series, texts: pd.Series, authors: pd.Series) -> list[str]:
    """Stable ids for mentions without one: BLAKE2b of instant (ns, UTC), text and author.

    >>> ts = pd.Series(pd.to_datetime(["2026-03-28T19:30:00Z"]))
    >>> derive_ids(ts, pd.Series(["hi"]), pd.Series([None]))
    ['cdad008afe3467afabd2']
    """
    instants = timestamps.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
    ids: list[str] = []
    for ns, text, author in zip(
        instants.to_numpy().view(np.int64).tolist(), texts.tolist(), authors.tolist(), strict=True
    ):
        key = f"{ns}\x1f{text}\x1f{'' if author is None or author is pd.NA else author}"
        ids.append(hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest())
    return ids


class _Problems:
    """The first problem of each row of a chunk."""

    def __init__(self, chunk: RawChunk) -> None:
        self.chunk = chunk
        self.bad = np.zeros(chunk.size, dtype=bool)
        self.found: list[tuple[int, str, str, str]] = []  # position, column, code, reason

    def flag(self, mask: np.ndarray, column: str, code: str, template: str, raw: pd.Series) -> None:
        new = mask & ~self.bad
        for position in np.flatnonzero(new).tolist():
            value = shorten(raw.iloc[position]) if len(raw) else "nothing"
            reason = template.format(column=column, value=value)
            self.found.append((position, column, code, reason))
        self.bad |= new

    def rows(self, source: str) -> list[QuarantinedRow]:
        out = [
            QuarantinedRow(
                source, int(self.chunk.rows[p]), column, code, reason, self.chunk.render(p)
            )
            for p, column, code, reason in self.found
        ]
        return sorted(out + self.chunk.problems, key=lambda row: row.row)


def _nfc(text: pd.Series) -> pd.Series:
    """Text in Unicode NFC (composed umlauts); only rows with combining marks are touched."""
    marked = as_mask(text.str.contains(_COMBINING, regex=True))
    if marked.any():
        composed = pc.utf8_normalize(pa.array(text[marked].array), "NFC")
        text = text.copy()
        text[marked] = pd.array(composed.to_pylist(), dtype="string")
    return text


def validate_chunk(
    chunk: RawChunk, *, source: str, zone: zoneinfo.ZoneInfo | None, brand: str | None
) -> Validated:
    """Check and normalise one chunk (see the module docstring for the rules)."""
    missing = missing_strings(chunk.size)
    problems = _Problems(chunk)
    raw = {column: chunk.columns.get(column, missing) for column in MENTION_COLUMNS}
    out: dict[str, pd.Series] = {}

    times = parse_timestamps(raw["timestamp"], zone)
    flagged = times.problem[times.problem != None]  # noqa: E711 - elementwise
    for code in sorted(set(flagged.tolist())):
        mask = as_mask(times.problem == code)
        problems.flag(mask, "timestamp", code, TIME_MESSAGES[code], raw["timestamp"])
    out["timestamp"] = times.utc

    for column in ("text", "id", "brand", "author", "platform", "lang", "url"):
        values, wrong = clean_strings(raw[column])
        problems.flag(wrong, column, "wrong_type", _WRONG_TYPE, raw[column])
        if column == "text":
            empty = as_mask(values.isna())
            problems.flag(empty, column, "missing_text", "column 'text' is empty.", raw[column])
            values = _nfc(values)
        if chunk.damaged:
            problems.flag(has_replacement(values), column, "broken_encoding", _BROKEN, raw[column])
        out[column] = values.str.lower() if column in _LOWERED else values

    for column, parse in (
        ("reach", parse_reach),
        ("kind", parse_kind),
        ("sentiment", parse_sentiment),
    ):
        values, bad = parse(raw[column])
        code, template = _TYPED_MESSAGES[column]
        problems.flag(bad, column, code, template, raw[column])
        out[column] = values

    frame = pd.DataFrame({column: out[column] for column in MENTION_COLUMNS})
    if problems.bad.any():
        frame = frame[~problems.bad].reset_index(drop=True)
    frame = frame.astype(MENTION_COLUMNS)
    if brand is not None:
        frame["brand"] = frame["brand"].fillna(brand)
    no_id = as_mask(frame["id"].isna())
    if no_id.any():
        derived = derive_ids(
            frame["timestamp"][no_id], frame["text"][no_id], frame["author"][no_id]
        )
        frame.loc[no_id, "id"] = derived
    return Validated(frame=frame, problems=problems.rows(source), derived=no_id)

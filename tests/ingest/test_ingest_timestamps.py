"""Timestamps: offsets to UTC, epochs, naive times only with an assumed zone (DST included)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from warning.errors import UsageError
from warning.ingest import read_mentions
from warning.ingest.timestamps import parse_timestamps, resolve_zone

Reader = Callable[..., tuple[pd.DataFrame, Any]]


def _utc(*args: int) -> pd.Timestamp:
    return pd.Timestamp(datetime(*args, tzinfo=UTC))  # type: ignore[misc]


# local wall-clock time in Europe/Berlin -> the instant it means
BERLIN = [
    ("2026-01-15 12:00:00", _utc(2026, 1, 15, 11, 0)),  # winter, +01:00
    ("2026-07-15 12:00:00", _utc(2026, 7, 15, 10, 0)),  # summer, +02:00
    ("2026-03-29 01:59:00", _utc(2026, 3, 29, 0, 59)),  # last minute before the change
    ("2026-03-29 02:30:00", _utc(2026, 3, 29, 1, 0)),  # does not exist: next valid instant 03:00
    ("2026-03-29 03:00:00", _utc(2026, 3, 29, 1, 0)),
    ("2026-10-25 02:30:00", _utc(2026, 10, 25, 0, 30)),  # ambiguous: first occurrence (CEST)
    ("2026-10-25 03:30:00", _utc(2026, 10, 25, 2, 30)),
]


def _naive_csv(make_file: Callable[[str, str], Path]) -> Path:
    lines = ["timestamp,text"] + [f"{local},at {local}" for local, _ in BERLIN]
    return make_file("naive.csv", "\n".join(lines) + "\n")


def test_naive_time_is_quarantined_without_a_zone(
    make_file: Callable[[str, str], Path], read_all: Reader
) -> None:
    frame, report = read_all(_naive_csv(make_file))
    assert frame.empty
    assert dict(report.quarantined_by_reason) == {"naive_timestamp": len(BERLIN)}


def test_naive_time_with_assumed_zone_follows_berlin_dst(
    make_file: Callable[[str, str], Path], read_all: Reader
) -> None:
    frame, report = read_all(_naive_csv(make_file), assume_tz="Europe/Berlin")
    assert report.quarantined == 0
    assert frame["timestamp"].tolist() == [instant for _, instant in BERLIN]
    assert str(frame["timestamp"].dtype) == "datetime64[ns, UTC]"


def test_offsets_are_respected_and_a_zone_does_not_override_them(
    make_file: Callable[[str, str], Path], read_all: Reader
) -> None:
    source = make_file(
        "offsets.csv",
        "timestamp,text\n"
        "2026-03-28T20:30:00+01:00,a\n"
        "2026-03-28T21:30:00+0200,b\n"
        "2026-03-28T19:30:00Z,c\n"
        "2026-03-28T14:30:00-05:00,d\n"
        "2026-03-28 19:30:00 UTC,e\n",
    )
    for zone in (None, "America/New_York"):
        frame, report = read_all(source, assume_tz=zone)
        assert report.quarantined == 0
        assert set(frame["timestamp"]) == {_utc(2026, 3, 28, 19, 30)}


@pytest.mark.parametrize(
    "value",
    [
        "1774726200",
        "1774726200000",
        "1774726200.0",
        "Sat Mar 28 19:30:00 +0000 2026",
        "Sat, 28 Mar 2026 20:30:00 +0100",
        "20260328T193000Z",
    ],
)
def test_epochs_and_other_common_formats(
    make_file: Callable[[str, str], Path], read_all: Reader, value: str
) -> None:
    frame, report = read_all(make_file("t.csv", f'timestamp,text\n"{value}",x\n'))
    assert report.quarantined == 0, report.examples
    assert frame["timestamp"].tolist() == [_utc(2026, 3, 28, 19, 30)]


def test_epoch_numbers_in_json_lines(
    make_file: Callable[[str, str], Path], read_all: Reader
) -> None:
    source = make_file(
        "t.jsonl",
        '{"timestamp": 1774726200, "text": "s"}\n'
        '{"timestamp": 1774726200123, "text": "ms"}\n'
        '{"timestamp": 1774726200.5, "text": "fraction"}\n',
    )
    frame, _ = read_all(source)
    assert frame["timestamp"].tolist() == [
        _utc(2026, 3, 28, 19, 30),
        pd.Timestamp("2026-03-28T19:30:00.123Z"),
        pd.Timestamp("2026-03-28T19:30:00.5Z"),
    ]


def test_mixed_chunk_of_good_and_bad_times() -> None:
    raw = pd.Series(
        ["2026-03-28T19:30:00Z", "1774726200", "", "2026-03-28 19:30", "nope", "9" * 30],
        dtype="string",
    )
    parsed = parse_timestamps(raw, zone=None)
    assert list(parsed.problem) == [
        None,
        None,
        "missing_timestamp",
        "naive_timestamp",
        "invalid_timestamp",
        "timestamp_out_of_range",
    ]
    assert parsed.utc.iloc[0] == parsed.utc.iloc[1] == _utc(2026, 3, 28, 19, 30)


def test_typed_parquet_timestamps(tmp_path: Path, read_all: Reader) -> None:
    aware = pa.array([datetime(2026, 3, 28, 19, 30, tzinfo=UTC)], pa.timestamp("us", tz="UTC"))
    naive = pa.array([datetime(2026, 3, 29, 2, 30)], pa.timestamp("us"))
    pq.write_table(pa.table({"timestamp": aware, "text": ["a"]}), tmp_path / "aware.parquet")
    pq.write_table(pa.table({"timestamp": naive, "text": ["n"]}), tmp_path / "naive.parquet")
    frame, _ = read_all(tmp_path / "aware.parquet")
    assert frame["timestamp"].tolist() == [_utc(2026, 3, 28, 19, 30)]
    frame, report = read_all(tmp_path / "naive.parquet")
    assert dict(report.quarantined_by_reason) == {"naive_timestamp": 1}
    frame, _ = read_all(tmp_path / "naive.parquet", assume_tz="Europe/Berlin")
    assert frame["timestamp"].tolist() == [_utc(2026, 3, 29, 1, 0)]


def test_unknown_zone_is_a_one_line_usage_error(make_file: Callable[[str, str], Path]) -> None:
    with pytest.raises(UsageError) as caught:
        read_mentions(make_file("t.csv", "timestamp,text\n"), assume_tz="Europe/Berln")
    message = str(caught.value)
    assert "\n" not in message
    assert "'Europe/Berln'" in message and "did you mean 'Europe/Berlin'" in message
    with pytest.raises(UsageError):
        resolve_zone("CEST")
    assert resolve_zone("UTC") is not None

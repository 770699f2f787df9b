"""Volume series CSVs: NAB streams, our own format, and every way a file can be wrong."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from warning.errors import InputError, TimestampError
from warning.records import SERIES_COLUMNS
from warning.series import input_kind, load_input, read_series

NAB = Path(__file__).resolve().parents[3] / "shared" / "data" / "nab-realtweets"
ROWS = {"AAPL": 15902, "AMZN": 15831, "CRM": 15902, "FB": 15833, "PFE": 15858}


def write(tmp_path: Path, text: str, name: str = "acme.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.skipif(not NAB.is_dir(), reason="shared NAB streams not available")
@pytest.mark.parametrize("ticker", sorted(ROWS))
def test_nab_streams_read_as_regular_5min_series(ticker: str) -> None:
    path = NAB / f"Twitter_volume_{ticker}.csv"
    frame = read_series(path)
    raw = pd.read_csv(path)
    assert len(frame) == ROWS[ticker] == len(raw)
    assert frame.index.freqstr == "5min"
    assert frame.attrs["filled_buckets"] == 0
    assert frame.attrs["brand"] == f"Twitter_volume_{ticker}"
    assert frame.index[0] == pd.Timestamp(raw["timestamp"].iloc[0], tz="UTC")
    assert np.array_equal(frame["volume"].to_numpy(), raw["value"].to_numpy(dtype="float64"))
    assert list(frame.columns) == list(SERIES_COLUMNS)
    assert frame.drop(columns="volume").isna().all().all()
    assert input_kind(path) == "series"


def test_gaps_are_filled_with_zero_and_counted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "timestamp,volume,negative\n"
        "2026-03-28T19:30:00Z,10,1\n2026-03-28T19:35:00Z,12,6\n"
        "2026-03-28T19:50:00Z,4,0\n2026-03-28T19:55:00Z,0,0\n",
    )
    frame = read_series(path, brand="acme-de")
    assert frame["volume"].tolist() == [10, 12, 0, 0, 4, 0]
    assert frame["negative"].tolist() == [1, 6, 0, 0, 0, 0]
    assert frame["negative_share"].iloc[1] == 0.5
    assert np.isnan(frame["negative_share"].iloc[2])
    assert frame.attrs["filled_buckets"] == 2
    assert frame.attrs["brand"] == "acme-de"
    assert np.isnan(frame["authors"]).all()


def test_offsets_and_epoch_seconds(tmp_path: Path) -> None:
    offsets = write(
        tmp_path, "timestamp,value\n2026-03-28T20:30:00+01:00,1\n2026-03-28T19:35:00Z,2\n"
    )
    assert read_series(offsets).index[0] == pd.Timestamp("2026-03-28T19:30Z")
    epoch = write(tmp_path, "timestamp,value\n1774726200,3\n1774726500,4\n", "epoch.csv")
    frame = read_series(epoch)
    assert frame.index[0] == pd.Timestamp("2026-03-28T19:30Z") and frame.index.freqstr == "5min"


def test_naive_times_are_utc_by_default_and_an_error_on_request(tmp_path: Path) -> None:
    path = write(tmp_path, "timestamp,value\n2026-03-28 19:30:00,1\n2026-03-28 19:35:00,2\n")
    assert read_series(path).index[0] == pd.Timestamp("2026-03-28T19:30Z")
    with pytest.raises(
        TimestampError, match=r"acme\.csv:2: timestamp '2026-03-28 19:30:00' has no time zone"
    ):
        read_series(path, assume_utc=False)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("timestamp,value\n2026-03-28T19:30Z,1\n2026-03-28T19:35Z,2\n2026-03-28T19:40Z,3\n"
         "2026-03-28T19:47Z,3\n",
         r"acme\.csv:5: timestamp 2026-03-28T19:47:00\+00:00 is 7min after the previous row, "
         r"not a whole number of 5min buckets"),
        ("timestamp,value\n2026-03-28T19:30Z,1\n2026-03-28T19:30Z,2\n",
         r"acme\.csv:3: .* does not come after the previous row"),
        ("timestamp,value\n2026-03-28T19:30Z,1\nyesterday,2\n",
         r"acme\.csv:3: timestamp 'yesterday' is neither ISO 8601 nor epoch seconds"),
        ("timestamp,value\n2026-03-28T19:30Z,1\n2026-03-28T19:35Z,many\n",
         r"acme\.csv:3: 'value' must be a number >= 0; got 'many'"),
        ("timestamp,value\n2026-03-28T19:30Z,-4\n", r"acme\.csv:2: 'value' must be a number >= 0"),
        ("timestamp,volume,negative\n2026-03-28T19:30Z,4,5\n",
         r"acme\.csv:2: 'negative' \(5\) is larger than 'volume' \(4\)"),
        ("time,count\n2026-03-28T19:30Z,4\n", r"acme\.csv:1: a volume series needs the columns"),
        ("timestamp,value\n", r"acme\.csv: the series has no rows"),
    ],
)  # fmt: skip
def test_bad_series_name_the_line(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(InputError, match=message):
        read_series(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_series(tmp_path / "nope.csv")


def test_input_kind_decides_by_header(tmp_path: Path) -> None:
    assert input_kind(write(tmp_path, "timestamp,text\n", "m.csv")) == "mentions"
    assert input_kind(write(tmp_path, "\ufefftimestamp,volume\n", "v.csv")) == "series"
    assert input_kind(tmp_path / "m.jsonl") == "mentions"
    with pytest.raises(InputError, match=r"x\.csv:1: neither a mention file"):
        input_kind(write(tmp_path, "a,b\n", "x.csv"))


def test_load_input_reads_a_series_under_its_stem(tmp_path: Path) -> None:
    path = write(tmp_path, "timestamp,value\n2015-02-26 21:42:53,104\n2015-02-26 21:47:53,100\n",
                 "Twitter_volume_ACME.csv")  # fmt: skip
    frames = load_input(path)
    assert list(frames) == ["Twitter_volume_ACME"]
    assert frames["Twitter_volume_ACME"]["volume"].tolist() == [104.0, 100.0]

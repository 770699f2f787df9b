"""Batch bucketing: the series frame schema and its counting rules."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from warning.errors import TimestampError, UsageError
from warning.records import SERIES_COLUMNS
from warning.series import bucket_mentions

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)


def frame(**columns: list[object]) -> pd.DataFrame:
    out = pd.DataFrame(columns)
    out["timestamp"] = pd.to_datetime(out["timestamp"], utc=True)
    return out


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_counts_shares_and_empty_buckets() -> None:
    mentions = frame(
        timestamp=[at(0), at(1), at(4.9), at(12)],
        brand=["acme"] * 4,
        author=["@a", "@b", "@a", "@c"],
        negativity=[0.5, 0.49, 0.9, 0.1],
        kind=["repost", "quote", "post", "repost"],
        reach=[10, 20, 10, 5],
        platform=["x", "x", "tiktok", "x"],
    )
    result = bucket_mentions(mentions)
    assert list(result) == ["acme"]
    acme = result["acme"]
    assert list(acme.columns) == [*SERIES_COLUMNS, "platform:tiktok", "platform:x"]
    assert (acme.dtypes == "float64").all()
    assert acme.index.name == "bucket_start"
    assert acme.index.freqstr == "5min"
    assert str(acme.index.dtype) == "datetime64[ns, UTC]"
    assert list(acme.index) == [pd.Timestamp(at(m)) for m in (0, 5, 10)]
    first, empty, last = (acme.iloc[i] for i in range(3))
    assert first["volume"] == 3 and first["negative"] == 2  # 0.5 counts as negative
    assert first["negative_share"] == pytest.approx(2 / 3)
    assert first["authors"] == 2 and first["new_authors"] == 2
    assert first["reach"] == 40
    assert first["reposts"] == 1 and first["quotes"] == 1
    assert first["repost_share"] == pytest.approx(1 / 3)
    assert first["platform:x"] == 2 and first["platform:tiktok"] == 1
    assert empty["volume"] == 0 and empty["negative"] == 0 and empty["authors"] == 0
    assert math.isnan(empty["negative_share"]) and math.isnan(empty["repost_share"])
    assert last["platform:tiktok"] == 0 and last["platform:x"] == 1


def test_brandless_mentions_go_to_default_and_brands_are_separate() -> None:
    mentions = frame(
        timestamp=[at(0), at(0), at(0)],
        brand=pd.array(["acme", None, ""], dtype="string"),
        negativity=[0.1, 0.2, 0.3],
    )
    result = bucket_mentions(mentions)
    assert sorted(result) == ["acme", "default"]
    assert result["default"]["volume"].tolist() == [2.0]


def test_unknown_fields_are_nan_not_zero() -> None:
    mentions = frame(timestamp=[at(0), at(11)], negativity=[0.9, 0.1])  # no author, kind, reach
    series = bucket_mentions(mentions)["default"]
    assert series["volume"].tolist() == [1.0, 0.0, 1.0]
    for column in ("authors", "new_authors", "reach", "reposts", "quotes", "repost_share"):
        assert np.isnan(series[column].iloc[0]), column
        assert series[column].iloc[1] == 0 or column.endswith("share"), column
    assert series["negative"].tolist() == [1.0, 0.0, 0.0]


def test_new_authors_look_back_30_days_per_brand() -> None:
    day = 24 * 60
    mentions = frame(
        timestamp=[at(0), at(29 * day), at(59 * day + 1), at(59 * day + 2), at(59 * day + 3)],
        brand=["acme", "acme", "acme", "bolt", "acme"],
        author=["@a", "@a", "@a", "@a", "@b"],
        negativity=[0.1] * 5,
    )
    result = bucket_mentions(mentions, freq="1D")
    acme = result["acme"]["new_authors"]
    assert acme.loc[pd.Timestamp(at(0)).floor("1D")] == 1  # first sight
    assert acme.loc[pd.Timestamp(at(29 * day)).floor("1D")] == 0  # seen 29 days before
    assert acme.loc[pd.Timestamp(at(59 * day)).floor("1D")] == 1  # @b new; @a seen 30 days before
    assert result["bolt"]["new_authors"].tolist() == [1.0]  # new to bolt, whatever acme saw


def test_new_author_lookback_edge_is_exactly_30_days() -> None:
    mentions = frame(
        timestamp=[at(0), at(30 * 24 * 60), at(30 * 24 * 60 + 5 + 30 * 24 * 60)],
        author=["@a", "@a", "@a"],
        negativity=[0.1] * 3,
    )
    new = bucket_mentions(mentions)["default"]["new_authors"]
    flagged = new[new.index.isin([pd.Timestamp(at(m)) for m in (0, 43200, 86405)])]
    assert flagged.tolist() == [1.0, 0.0, 1.0]  # exactly 30 days back still counts as seen


def test_known_authors_seed_the_memory() -> None:
    mentions = frame(timestamp=[at(0), at(0)], author=["@old", "@new"], negativity=[0.1, 0.1])
    known = {"default": {"@old": T0 - timedelta(days=3)}}
    assert bucket_mentions(mentions, known_authors=known)["default"]["new_authors"].tolist() == [
        1.0
    ]


def test_start_and_end_bound_every_brand() -> None:
    mentions = frame(
        timestamp=[at(-10), at(7), at(21)], brand=["acme", "acme", "bolt"], negativity=[0.1] * 3
    )
    result = bucket_mentions(mentions, start=at(0), end=at(20))
    assert sorted(result) == ["acme"]  # bolt's only mention is after the end
    acme = result["acme"]
    assert list(acme.index) == [pd.Timestamp(at(m)) for m in (0, 5, 10, 15)]
    assert acme["volume"].tolist() == [0.0, 1.0, 0.0, 0.0]


def test_other_bucket_lengths_align_to_the_epoch() -> None:
    mentions = frame(timestamp=[at(0), at(50)], negativity=[0.1, 0.1])
    hourly = bucket_mentions(mentions, freq="1h")["default"]
    assert list(hourly.index) == [
        pd.Timestamp("2026-03-28 19:00Z"),
        pd.Timestamp("2026-03-28 20:00Z"),
    ]
    assert hourly.index.freqstr == "h"


def test_naive_timestamps_and_bad_freq_are_errors() -> None:
    naive = pd.DataFrame({"timestamp": pd.to_datetime(["2026-03-28 19:30"]), "negativity": [0.1]})
    with pytest.raises(TimestampError, match="time-zone-aware"):
        bucket_mentions(naive)
    mentions = frame(timestamp=[at(0)], negativity=[0.1])
    with pytest.raises(UsageError, match="'freq' parameter"):
        bucket_mentions(mentions, freq="soon")
    with pytest.raises(UsageError, match="'freq' parameter"):
        bucket_mentions(mentions, freq="-5min")


def test_empty_input_gives_no_brands() -> None:
    empty = frame(timestamp=[], negativity=[])
    assert bucket_mentions(empty) == {}

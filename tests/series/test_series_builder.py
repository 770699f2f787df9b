"""The live SeriesBuilder emits exactly the rows of the batch bucket_mentions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warning.records import SERIES_COLUMNS
from warning.series import BucketRow, SeriesBuilder, bucket_mentions, frame_from_rows

T0 = datetime(2026, 3, 1, tzinfo=UTC)
STEP = timedelta(minutes=5)


def _mentions(rows: list[tuple[int, int, int, int, int, int, int]]) -> pd.DataFrame:
    """rows: (minute offset, brand, author, negativity*10, kind, platform, reach)."""
    brands = ["acme", "bolt", None]
    authors = ["@a", "@b", "@c", "@d", None]
    kinds = ["post", "repost", "quote", "reply", None]
    platforms = ["x", "instagram", None]
    return pd.DataFrame(
        {
            "id": [f"m{i}" for i in range(len(rows))],
            "timestamp": pd.to_datetime(
                [T0 + timedelta(minutes=r[0], seconds=17) for r in rows], utc=True
            ).as_unit("ns"),
            "text": ["x"] * len(rows),
            "brand": pd.array([brands[r[1]] for r in rows], dtype="string"),
            "author": pd.array([authors[r[2]] for r in rows], dtype="string"),
            "negativity": [r[3] / 10 for r in rows],
            "kind": pd.array([kinds[r[4]] for r in rows], dtype="string"),
            "platform": pd.array([platforms[r[5]] for r in rows], dtype="string"),
            "reach": pd.array([None if r[6] < 0 else r[6] for r in rows], dtype="Int64"),
        }
    )


def _replay(
    frame: pd.DataFrame,
    delays: list[int],
    lateness: timedelta,
    tick: timedelta,
    **options: object,
) -> tuple[SeriesBuilder, dict[str, list[BucketRow]], datetime]:
    """Deliver each mention at timestamp + delay (minutes), ticking the clock every ``tick``."""
    builder = SeriesBuilder(STEP, allowed_lateness=lateness, **options)  # type: ignore[arg-type]
    arrival = frame["timestamp"] + pd.to_timedelta(delays, unit="min")
    order = np.argsort(arrival.to_numpy(), kind="stable")
    frame, arrival = frame.iloc[order], arrival.iloc[order]
    rows: dict[str, list[BucketRow]] = {}
    # Ticks on the tick grid, but only where something arrives (the clock may jump).
    grid = pd.Timedelta(tick)
    ticks = sorted({(pd.Timestamp(a) - pd.Timestamp(T0)).ceil(grid) for a in arrival})
    final = ticks[-1] + grid + pd.Timedelta(lateness) + pd.Timedelta(STEP)
    delivered = 0
    now = T0
    for offset in [*ticks, final]:
        now = T0 + offset.to_pytimedelta()
        due = int((arrival <= pd.Timestamp(now)).sum())
        if due > delivered:
            builder.add(frame.iloc[delivered:due])
            delivered = due
        for brand, row in builder.close_until(now):
            rows.setdefault(brand, []).append(row)
    return builder, rows, now


mention_rows = st.lists(
    st.tuples(
        st.integers(0, 60 * 24 * 40),  # 40 days: crosses the 30-day new-author lookback
        st.integers(0, 2),
        st.integers(0, 4),
        st.integers(0, 10),
        st.integers(0, 4),
        st.integers(0, 2),
        st.integers(-1, 5000),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=mention_rows,
    data=st.data(),
    lateness_min=st.sampled_from([0, 2, 7, 30]),
    tick_min=st.sampled_from([1, 5, 13, 600]),
)
def test_builder_equals_batch(
    rows: list[tuple[int, int, int, int, int, int, int]],
    data: st.DataObject,
    lateness_min: int,
    tick_min: int,
) -> None:
    frame = _mentions(rows)
    delays = data.draw(
        st.lists(st.integers(0, lateness_min), min_size=len(rows), max_size=len(rows))
    )
    lateness = timedelta(minutes=lateness_min)
    builder, rows_by_brand, now = _replay(frame, delays, lateness, timedelta(minutes=tick_min))
    assert builder.late_mentions_ == 0
    horizon = pd.Timestamp(now - lateness).floor(STEP)
    batch = bucket_mentions(frame, freq=STEP, end=horizon)
    assert set(rows_by_brand) == set(batch)
    for brand, expected in batch.items():
        live = frame_from_rows(rows_by_brand[brand], freq=STEP)
        pd.testing.assert_frame_equal(live, expected, check_exact=True, check_freq=True)


def test_late_mentions_are_dropped_and_counted() -> None:
    frame = _mentions([(0, 0, 0, 9, 0, 0, 10), (1, 0, 1, 1, 0, 0, 10), (12, 0, 2, 1, 0, 0, 10)])
    builder = SeriesBuilder(STEP, allowed_lateness=timedelta(minutes=1))
    builder.add(frame.iloc[[0, 2]])
    emitted = builder.close_until(T0 + timedelta(minutes=6))
    assert [row.bucket_start for _, row in emitted] == [T0]
    assert builder.add(frame.iloc[[1]]) == 0  # its bucket (00:00) is already emitted
    assert builder.late_mentions_ == 1
    rest = builder.close_until(T0 + timedelta(minutes=16))
    assert [float(row["volume"]) for _, row in rest] == [0.0, 1.0]


def test_state_stays_bounded_over_months() -> None:
    builder = SeriesBuilder(STEP, allowed_lateness=timedelta(0))
    sizes = []
    for day in range(120):
        start = T0 + timedelta(days=day)
        frame = pd.DataFrame(
            {
                "timestamp": pd.to_datetime(
                    [start + timedelta(minutes=7 * k) for k in range(200)], utc=True
                ),
                "brand": "acme",
                "author": [f"@u{day}-{k % 50}" for k in range(200)],  # fresh authors every day
                "negativity": 0.1,
            }
        )
        builder.add(frame)
        builder.close_until(start + timedelta(days=1))
        sizes.append(builder.state_size()["authors"])
    assert builder.state_size()["open_buckets"] == 0
    assert max(sizes[60:]) <= 32 * 50  # about 30 days of authors, not 120
    assert sizes[-1] == sizes[-30]


def test_rows_carry_schema_and_platforms() -> None:
    frame = _mentions([(0, 0, 0, 9, 1, 0, 10), (2, 0, 1, 1, 2, 1, 20)])
    builder = SeriesBuilder(STEP, allowed_lateness=timedelta(0))
    builder.add(frame)
    ((brand, row),) = builder.close_until(T0 + STEP)
    assert brand == "acme"
    assert list(row.values) == [*SERIES_COLUMNS, "platform:instagram", "platform:x"]
    assert row["repost_share"] == 0.5 and row["quote_share"] == 0.5
    assert row["reach"] == 30.0


def test_builder_rejects_negative_lateness() -> None:
    from warning.errors import UsageError

    with pytest.raises(UsageError, match="allowed_lateness"):
        SeriesBuilder(STEP, allowed_lateness=timedelta(minutes=-1))

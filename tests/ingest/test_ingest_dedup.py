"""Duplicate ids count once, across chunk boundaries, in bounded memory per id."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from warning.ingest.dedup import SeenIds

Reader = Callable[..., tuple[pd.DataFrame, Any]]


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 1000])
def test_duplicates_across_chunks_keep_the_first(
    make_file: Callable[[str, str], Path], read_all: Reader, chunk_rows: int
) -> None:
    ids = ["a", "b", "a", "c", "b", "b", "d", "a"]
    lines = ["id,timestamp,text"] + [
        f"{i},2026-03-28T19:{n:02d}:00Z,text {n}" for n, i in enumerate(ids)
    ]
    frame, report = read_all(make_file("d.csv", "\n".join(lines)), chunk_rows=chunk_rows)
    assert frame["id"].tolist() == ["a", "b", "c", "d"]
    assert frame["text"].tolist() == ["text 0", "text 1", "text 3", "text 6"]
    assert report.duplicates == 4 and report.accepted == 4 and report.balanced


def test_rows_without_id_are_deduplicated_by_derived_id(
    make_file: Callable[[str, str], Path], read_all: Reader
) -> None:
    source = make_file(
        "d.jsonl",
        '{"timestamp": "2026-03-28T20:30:00+01:00", "text": "same", "author": "anna"}\n'
        '{"timestamp": "2026-03-28T19:30:00Z", "text": "same", "author": "anna"}\n'
        '{"timestamp": 1774726200, "text": "same", "author": "ben"}\n'
        '{"timestamp": 1774726200, "text": "same"}\n',
    )
    frame, report = read_all(source, chunk_rows=1)
    assert report.duplicates == 1  # the same instant written with another offset
    assert report.derived_ids == 3
    assert frame["author"].iloc[:2].tolist() == ["anna", "ben"]
    assert pd.isna(frame["author"].iloc[2])
    assert frame["id"].str.fullmatch(r"[0-9a-f]{20}").all()
    again, _ = read_all(source)
    assert again["id"].tolist() == frame["id"].tolist()  # stable across runs


def test_seen_ids_cost_eight_bytes_per_id() -> None:
    seen = SeenIds()
    total = 0
    rng = np.random.default_rng(3)
    for start in range(0, 50_000, 5_000):
        ids = pd.Series([f"id{k}" for k in range(start, start + 5_000)], dtype="string")
        assert seen.first_seen(ids).all()
        total += 5_000
        repeat = pd.Series([f"id{k}" for k in rng.integers(0, start + 5_000, 100)], dtype="string")
        assert not seen.first_seen(repeat).any()
    assert len(seen) == total
    assert seen.nbytes == 8 * total
    assert len(seen._runs) <= 4  # runs merge like a binary counter

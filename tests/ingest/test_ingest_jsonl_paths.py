"""JSON Lines: Arrow's block reader and the line-by-line reader give the same results."""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd
import pytest

from warning.ingest.jsonl_format import JsonlReader, read_json_block
from warning.ingest.sources import open_source
from warning.ingest.validate import validate_chunk

CASES: dict[str, list[dict[str, Any]]] = {
    "flat": [
        {"id": "1", "timestamp": "2026-03-28T20:30:00+01:00", "text": "Grüße 😀", "reach": 12},
        {"id": "2", "timestamp": "2026-03-28 19:30:00", "text": "naive", "reach": None},
        {"id": "3", "timestamp": None, "text": "no time", "kind": "RT", "extra": True},
        {"id": "4", "timestamp": "2026-03-28T19:30:00Z", "text": "  ", "sentiment": -0.5},
    ],
    "nested": [
        {
            "created_at": "Sat Mar 28 19:30:00 +0000 2026",
            "id": 1774726200000000001,
            "full_text": "a",
            "user": {"screen_name": "anna", "followers_count": 1543},
        },
        {
            "created_at": "Sat Mar 28 19:31:00 +0000 2026",
            "id": None,
            "full_text": "b",
            "user": {"screen_name": "ben", "followers_count": None},
        },
    ],
    "epochs": [
        {"timestamp": 1774726200, "text": "s", "reach": -1},
        {"timestamp": 1774726200123, "text": "ms", "sentiment": "negativ"},
    ],
    "wrong types": [
        {"timestamp": "2026-03-28T19:30:00Z", "text": "ok", "kind": ["post"]},
        {"timestamp": "2026-03-28T19:31:00Z", "text": "ok", "kind": ["quote"]},
    ],
}


def _lines(records: list[dict[str, Any]]) -> list[bytes]:
    return [json.dumps(record, ensure_ascii=False).encode() for record in records]


def _frames(records: list[dict[str, Any]]) -> tuple[Any, Any]:
    lines = _lines(records)
    reader = JsonlReader(open_source(io.BytesIO(b"\n".join(lines))), chunk_rows=100, encoding=None)
    numbers = list(range(1, len(lines) + 1))
    fast = reader._fast(lines, numbers, damaged=True)
    slow = reader._slow(lines, numbers, damaged=True)
    return fast, slow


@pytest.mark.parametrize("case", list(CASES))
def test_block_reader_agrees_with_line_reader(case: str) -> None:
    fast, slow = _frames(CASES[case])
    assert fast is not None, "this case should take the fast path"
    checked = [validate_chunk(c, source="x", zone=None, brand=None) for c in (fast, slow)]
    pd.testing.assert_frame_equal(checked[0].frame, checked[1].frame)
    assert [(p.row, p.code, p.reason) for p in checked[0].problems] == [
        (p.row, p.code, p.reason) for p in checked[1].problems
    ]


@pytest.mark.parametrize(
    "records",
    [
        [{"timestamp": "2026-03-28T19:30:00Z", "text": "a"}, {"timestamp": 5, "text": "b"}],
        [{"timestamp": "2026-03-28T19:30:00Z", "text": {"nested": 1}}],
        [{"timestamp": "x", "text": "a", "content": "b"}],  # two sources for one column
        [{"timestamp": "x", "text": "a"}, {"time": "2026-03-28T19:30:00Z", "text": "b"}],
    ],
)
def test_unsafe_blocks_take_the_line_reader(records: list[dict[str, Any]]) -> None:
    fast, _ = _frames(records)
    assert fast is None


def test_malformed_line_means_no_block() -> None:
    assert read_json_block([b'{"timestamp": "x", "text": "a"}', b'{"text": ']) is None

"""Property: every row read is accepted, quarantined or a duplicate, exactly once."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warning.ingest import read_mentions

HEADER = ["id", "timestamp", "text", "reach", "kind", "sentiment"]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
FIELD = {
    "id": st.one_of(st.sampled_from(["", "1", "2", "3", "x"]), TEXT),
    "timestamp": st.one_of(
        st.sampled_from(
            [
                "2026-03-28T19:30:00Z",
                "2026-03-28T20:30:00+01:00",
                "2026-03-28 19:30",
                "1774726200",
                "1774726200000",
                "",
                "soon",
                "2026-13-40T99:99:99Z",
                "9" * 25,
            ]
        ),
        TEXT,
    ),
    "text": st.one_of(st.sampled_from(["", "  ", "ok", "Grüße 😀", "bad \ufffd"]), TEXT),
    "reach": st.one_of(st.sampled_from(["", "12", "12.0", "-1", "many", "1e3"]), TEXT),
    "kind": st.one_of(st.sampled_from(["", "post", "Retweet", "story"]), TEXT),
    "sentiment": st.one_of(st.sampled_from(["", "0.5", "negativ", "2", "meh", "0,3"]), TEXT),
}
ROW = st.one_of(
    st.tuples(*(FIELD[name] for name in HEADER)).map(list),
    st.lists(TEXT, min_size=1, max_size=9),  # any number of fields
)


def _csv(rows: list[list[str]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")  # quotes \r and \n
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(ROW, max_size=25), chunk_rows=st.integers(1, 6), delimiter=st.sampled_from(",;")
)
def test_every_csv_row_is_accounted_for(
    rows: list[list[str]], chunk_rows: int, delimiter: str
) -> None:
    rows = [row for row in rows if any(field.strip() for field in row) or len(row) > 1]
    stream = read_mentions(io.BytesIO(_csv(rows, delimiter)), fmt="csv", chunk_rows=chunk_rows)
    ids = [i for frame in stream for i in frame["id"].tolist()]
    report = stream.report
    assert report.rows_read == len(rows)
    assert report.accepted + report.quarantined + report.duplicates == report.rows_read
    assert len(ids) == len(set(ids)) == report.accepted


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
OBJECT = st.fixed_dictionaries(
    {"timestamp": FIELD["timestamp"], "text": FIELD["text"]},
    optional={"id": FIELD["id"], "reach": JSON_VALUE, "user": JSON_VALUE, "sentiment": JSON_VALUE},
)
LINE = st.one_of(
    OBJECT.map(json.dumps),
    JSON_VALUE.map(json.dumps),
    TEXT.filter(lambda t: "\n" not in t and "\r" not in t),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINE, max_size=25), chunk_rows=st.integers(1, 6))
def test_every_json_line_is_accounted_for(lines: list[str], chunk_rows: int) -> None:
    lines = ['{"timestamp": 1774726200, "text": "first"}', *lines]
    data = "\n".join(lines).encode("utf-8")
    stream = read_mentions(io.BytesIO(data), fmt="jsonl", chunk_rows=chunk_rows)
    ids = [i for frame in stream for i in frame["id"].tolist()]
    report = stream.report
    assert report.rows_read == sum(1 for line in data.splitlines() if line.strip())
    assert report.accepted + report.quarantined + report.duplicates == report.rows_read
    assert len(ids) == len(set(ids)) == report.accepted

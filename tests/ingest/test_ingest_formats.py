"""CSV, JSON Lines, Parquet, gzip and standard input give identical frames; bad files fail early."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from warning.errors import InputError
from warning.ingest import MentionWriter, iter_mention_records, read_mentions
from warning.records import MENTION_COLUMNS, Mention

Reader = Callable[..., tuple[pd.DataFrame, Any]]

ROWS: list[dict[str, str]] = [
    {
        "id": "1",
        "timestamp": "2026-03-28T20:30:00+01:00",
        "text": "Nie wieder! 😡 #boykott",
        "brand": "acme",
        "author": "anna",
        "platform": "Twitter",
        "lang": "de",
        "reach": "1200",
        "kind": "retweet",
        "url": "https://x.example/1",
        "sentiment": "negativ",
    },
    {
        "id": "2",
        "timestamp": "2026-03-28T19:31:00Z",
        "text": "Grüße aus Köln\nzweite Zeile",
        "brand": "acme",
        "author": "",
        "platform": "",
        "lang": "",
        "reach": "",
        "kind": "",
        "url": "",
        "sentiment": "",
    },
    {
        "id": "3",
        "timestamp": "1774726320",
        "text": 'He said "never again", ok',
        "brand": "globex",
        "author": "ben",
        "platform": "reddit",
        "lang": "EN",
        "reach": "0",
        "kind": "reply",
        "url": "",
        "sentiment": "0.25",
    },
    {
        "id": "4",
        "timestamp": "2026-03-28T19:33:00Z",
        "text": "",
        "brand": "acme",
        "author": "x",
        "platform": "",
        "lang": "",
        "reach": "",
        "kind": "",
        "url": "",
        "sentiment": "",
    },
    {
        "id": "2",
        "timestamp": "2026-03-28T19:34:00Z",
        "text": "duplicate id",
        "brand": "acme",
        "author": "",
        "platform": "",
        "lang": "",
        "reach": "",
        "kind": "",
        "url": "",
        "sentiment": "",
    },
]


def _csv_text(delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(MENTION_COLUMNS), lineterminator="\n", delimiter=delimiter
    )
    writer.writeheader()
    writer.writerows(ROWS)
    return out.getvalue()


def _jsonl_text() -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS)


def _parquet_bytes() -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(ROWS), buffer)
    return buffer.getvalue()


@pytest.fixture
def sources(tmp_path: Path) -> dict[str, Path]:
    files = {
        "csv": ("m.csv", _csv_text().encode()),
        "jsonl": ("m.jsonl", _jsonl_text().encode()),
        "parquet": ("m.parquet", _parquet_bytes()),
        "csv.gz": ("m.csv.gz", gzip.compress(_csv_text().encode())),
        "jsonl.gz": ("m.jsonl.gz", gzip.compress(_jsonl_text().encode())),
        "tsv": ("m.tsv", _csv_text("\t").encode()),
    }
    paths = {}
    for key, (name, data) in files.items():
        paths[key] = tmp_path / name
        paths[key].write_bytes(data)
    return paths


def _expected(read_all: Reader, path: Path) -> pd.DataFrame:
    frame, report = read_all(path)
    assert report.rows_read == 5 and report.accepted == 3 and report.duplicates == 1
    assert dict(report.quarantined_by_reason) == {"missing_text": 1}
    return frame


def test_frame_has_exactly_the_mention_schema(sources: dict[str, Path], read_all: Reader) -> None:
    frame = _expected(read_all, sources["csv"])
    assert {c: str(t) for c, t in frame.dtypes.items()} == MENTION_COLUMNS
    first = frame.iloc[0]
    assert first["timestamp"] == pd.Timestamp("2026-03-28T19:30:00Z")
    assert (first["kind"], first["platform"], first["reach"], first["sentiment"]) == (
        "repost",
        "twitter",
        1200,
        -1.0,
    )
    assert frame.iloc[2]["lang"] == "en"


@pytest.mark.parametrize("key", ["jsonl", "parquet", "csv.gz", "jsonl.gz", "tsv"])
def test_formats_give_identical_frames(
    sources: dict[str, Path], read_all: Reader, key: str
) -> None:
    expected = _expected(read_all, sources["csv"])
    pd.testing.assert_frame_equal(_expected(read_all, sources[key]), expected)


@pytest.mark.parametrize("key", ["csv", "jsonl", "parquet", "csv.gz"])
def test_standard_input_gives_identical_frames(
    sources: dict[str, Path], read_all: Reader, key: str
) -> None:
    expected = _expected(read_all, sources["csv"])
    frame, report = read_all(io.BytesIO(sources[key].read_bytes()))
    assert report.source == "<stdin>"
    pd.testing.assert_frame_equal(frame, expected)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet", ".csv.gz"])
def test_written_output_reads_back_unchanged(
    sources: dict[str, Path], read_all: Reader, tmp_path: Path, suffix: str
) -> None:
    expected = _expected(read_all, sources["csv"])
    out = tmp_path / f"out{suffix}"
    with MentionWriter(out) as writer:
        for frame in read_mentions(sources["csv"], chunk_rows=2):
            writer.write(frame)
    again, report = read_all(out)
    assert report.quarantined == 0 and report.duplicates == 0
    pd.testing.assert_frame_equal(again, expected)


def test_records_for_small_inputs(sources: dict[str, Path]) -> None:
    records = list(iter_mention_records(sources["csv"]))
    assert [m.id for m in records] == ["1", "2", "3"]
    first = records[0]
    assert isinstance(first, Mention)
    assert first.timestamp.utcoffset() is not None and first.timestamp.hour == 19
    assert (first.reach, first.sentiment, records[1].author) == (1200, -1.0, None)


def test_explicit_format_beats_the_suffix(tmp_path: Path, read_all: Reader) -> None:
    path = tmp_path / "export.txt"
    path.write_text(_jsonl_text(), encoding="utf-8")
    frame, report = read_all(path, fmt="jsonl")
    assert report.fmt == "jsonl" and len(frame) == 3
    frame, report = read_all(path)  # .txt is sniffed
    assert report.fmt == "jsonl" and len(frame) == 3


def test_windows_1252_and_utf16_exports(tmp_path: Path, read_all: Reader) -> None:
    text = "Zeit;Inhalt\r\n2026-03-28T20:30:00+01:00;Größte Frechheit, Herr Müller!\r\n"
    (tmp_path / "excel.csv").write_bytes(text.encode("cp1252"))
    (tmp_path / "unicode.csv").write_bytes(text.encode("utf-16"))
    for name, encoding in (("excel.csv", "cp1252"), ("unicode.csv", "utf-16")):
        frame, report = read_all(tmp_path / name)
        assert report.encoding == encoding and report.quarantined == 0
        assert frame["text"].tolist() == ["Größte Frechheit, Herr Müller!"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "missing.csv: no such file"),
        ("sheet.xlsx", b"PK\x03\x04rest", "sheet.xlsx: unreadable format '.xlsx'"),
        ("blob.dat", b"PK\x03\x04\x00\x00binary", "blob.dat: unreadable format (binary data"),
        ("empty.csv", b"", "empty.csv: the file is empty"),
        ("blank.csv", b"\n\n  \n", "blank.csv: the file is empty"),
        ("no_text.csv", b"timestamp,author\n", "no_text.csv: no 'text' column in the header"),
        ("no_time.csv", b"Text;Autor\n", "no_time.csv: no 'timestamp' column in the header"),
        ("no_time.jsonl", b'{"text": "a"}\n', "no_time.jsonl: no 'timestamp' column"),
        ("array.json", b'[{"text": "a"}]', "array.json: is one JSON array"),
        ("broken.parquet", b"PAR1 not really", "broken.parquet: not a readable Parquet file"),
        ("broken.csv.gz", b"\x1f\x8b\x08\x00garbage", "broken.csv.gz: cannot read"),
    ],
)
def test_unreadable_input_is_one_line_input_error(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        list(read_mentions(path))
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(str(tmp_path / message.split(":")[0]) + ":")
    assert message.split(": ", 1)[1] in text


def test_header_problems_name_what_was_found(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Datum;Autor;Likes\n2026-03-28;anna;3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"found: Datum, Autor, Likes\); name it text, content"):
        list(read_mentions(path))

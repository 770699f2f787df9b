"""Bad rows go to quarantine with row number, reason and raw text; good rows carry on."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from warning.errors import InputError
from warning.ingest import QuarantineWriter, read_mentions

HEADER = b"id,timestamp,text,author,reach,kind,sentiment\n"
# (raw line, expected quarantine (code, column) or None when the row is good)
ROWS: list[tuple[bytes, tuple[str, str | None] | None]] = [
    (b"g1,2026-03-28T20:30:00+01:00,ok one,anna,10,post,0.5", None),
    (b"b2,2026-03-28T20:31:00+01:00,,anna,10,post,", ("missing_text", "text")),
    (b"b3,2026-03-28T20:32:00+01:00,   ,anna,10,post,", ("missing_text", "text")),
    (b"b4,tomorrow-ish,text,anna,10,post,", ("invalid_timestamp", "timestamp")),
    (b"b5,2026-03-28 20:33:00,naive,anna,10,post,", ("naive_timestamp", "timestamp")),
    (b"b6,,no time,anna,10,post,", ("missing_timestamp", "timestamp")),
    (b"b7,2026-03-28T20:34:00+01:00,reach words,anna,many,post,", ("invalid_reach", "reach")),
    (b"b8,2026-03-28T20:35:00+01:00,negative reach,anna,-4,post,", ("invalid_reach", "reach")),
    (b'g9,2026-03-28T20:36:00+01:00,"quoted, with comma\nand newline",ben,,RT,negativ', None),
    (b"b10,2026-03-28T20:37:00+01:00,story,anna,1,story,", ("invalid_kind", "kind")),
    (b"b11,2026-03-28T20:38:00+01:00,meh,anna,1,post,awful", ("invalid_sentiment", "sentiment")),
    (b"b12,2026-03-28T20:39:00+01:00,scale,anna,1,post,4", ("invalid_sentiment", "sentiment")),
    (b"b13,2026-03-28T20:40:00+01:00,K\xe4se,anna,1,post,", ("broken_encoding", "text")),
    (b"b14,2026-03-28T20:41:00+01:00,fine text,J\xfcrgen,1,post,", ("broken_encoding", "author")),
    (b"b15,2026-03-28T20:42:00+01:00,too,many,fields,1,post,0", ("wrong_field_count", None)),
    (b"b16,2026-03-28T20:43:00+01:00,too few", ("wrong_field_count", None)),
    (
        b"b17,2026-03-28T20:44:00+01:00,already broken \xef\xbf\xbd,anna,1,post,",
        ("broken_encoding", "text"),
    ),
    (b"g18,1774726200,epoch row,carl,1.0,reply,-1", None),
]


def _csv_bytes() -> bytes:
    return HEADER + b"\n".join(line for line, _ in ROWS) + b"\n"


def _quarantine_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_bad_row_reason_is_quarantined_with_its_row_number(
    make_file: Callable[[str, bytes], Path], tmp_path: Path
) -> None:
    source = make_file("mentions.csv", _csv_bytes())
    quarantine = tmp_path / "bad.csv"
    stream = read_mentions(source, quarantine=quarantine)
    frame = pd.concat(list(stream), ignore_index=True)

    assert frame["id"].tolist() == ["g1", "g9", "g18"]
    assert frame["text"].tolist()[1] == "quoted, with comma\nand newline"
    expected = [
        (str(number), code, column or "")
        for number, (_, outcome) in enumerate(ROWS, start=1)
        if outcome is not None
        for code, column in [outcome]
    ]
    found = [(r["row"], r["code"], r["column"]) for r in _quarantine_rows(quarantine)]
    assert found == expected
    report = stream.report
    assert report.rows_read == len(ROWS)
    assert report.accepted == 3
    assert report.quarantined == len(expected)
    assert report.balanced


@pytest.mark.parametrize(
    ("row", "needles"),
    [
        (4, ["column 'timestamp'", "'tomorrow-ish'"]),
        (5, ["no UTC offset", "'2026-03-28 20:33:00'", "--assume-tz"]),
        (7, ["column 'reach'", "'many'"]),
        (10, ["column 'kind'", "post, repost, reply, quote", "'story'"]),
        (11, ["column 'sentiment'", "'awful'"]),
        (13, ["column 'text'", "undecodable", "'K\ufffdse'"]),
        (14, ["column 'author'", "'J\ufffdrgen'"]),
        (15, ["8 fields", "the header has 7"]),
        (16, ["3 fields", "the header has 7"]),
    ],
)
def test_reason_is_one_line_naming_column_and_value(
    make_file: Callable[[str, bytes], Path], tmp_path: Path, row: int, needles: list[str]
) -> None:
    source = make_file("mentions.csv", _csv_bytes())
    quarantine = tmp_path / "bad.csv"
    for _ in read_mentions(source, quarantine=quarantine):
        pass
    by_row = {int(r["row"]): r for r in _quarantine_rows(quarantine)}
    reason = by_row[row]["reason"]
    assert "\n" not in reason
    for needle in needles:
        assert needle in reason
    assert by_row[row]["source"] == str(source)


def test_raw_row_is_kept(make_file: Callable[[str, bytes], Path], tmp_path: Path) -> None:
    source = make_file("mentions.csv", _csv_bytes())
    quarantine = tmp_path / "bad.csv"
    for _ in read_mentions(source, quarantine=quarantine):
        pass
    by_row = {int(r["row"]): r["raw"] for r in _quarantine_rows(quarantine)}
    assert by_row[7] == "b7,2026-03-28T20:34:00+01:00,reach words,anna,many,post,"
    assert by_row[15] == "b15,2026-03-28T20:42:00+01:00,too,many,fields,1,post,0"
    assert by_row[13].startswith("b13,") and "K\ufffdse" in by_row[13]


def test_jsonl_bad_lines_use_physical_line_numbers(
    make_file: Callable[[str, str], Path], tmp_path: Path
) -> None:
    lines = [
        '{"timestamp": "2026-03-28T19:30:00Z", "text": "good one", "id": 1}',
        "",
        '{"timestamp": "2026-03-28T19:31:00Z", "text": "missing brace"',
        '["not", "an", "object"]',
        '{"timestamp": "2026-03-28T19:32:00Z", "text": {"nested": true}}',
        '{"timestamp": "2026-03-28T19:33:00Z", "text": true}',
        '{"timestamp": "2026-03-28T19:34:00Z", "text": "bad reach", "reach": "lots"}',
        "   ",
        '{"timestamp": "2026-03-28T19:35:00Z", "text": "good two", "id": 2, "reach": 5}',
    ]
    source = make_file("mentions.jsonl", "\n".join(lines) + "\n")
    quarantine = tmp_path / "bad.jsonl"
    stream = read_mentions(source, quarantine=quarantine)
    frame = pd.concat(list(stream), ignore_index=True)
    assert frame["text"].tolist() == ["good one", "good two"]
    records = [json.loads(line) for line in quarantine.read_text(encoding="utf-8").splitlines()]
    assert [(r["row"], r["code"]) for r in records] == [
        (3, "malformed_json"),
        (4, "not_an_object"),
        (5, "wrong_type"),
        (6, "wrong_type"),
        (7, "invalid_reach"),
    ]
    assert records[0]["raw"] == lines[2]
    assert "column 'text' must be a text value" in records[2]["reason"]
    assert stream.report.rows_read == 7  # blank lines are not rows
    assert stream.report.balanced


def test_without_quarantine_file_the_report_keeps_examples(
    make_file: Callable[[str, bytes], Path],
) -> None:
    stream = read_mentions(make_file("mentions.csv", _csv_bytes()))
    for _ in stream:
        pass
    report = stream.report
    assert report.quarantine_path is None
    assert [row.row for row in report.examples] == [2, 3, 4, 5, 6]
    assert report.quarantined_by_reason["wrong_field_count"] == 2
    assert report.quarantined_by_reason["broken_encoding"] == 3


def test_bad_rows_across_many_chunks_keep_their_numbers(
    make_file: Callable[[str, str], Path], tmp_path: Path
) -> None:
    lines = ["id,timestamp,text"]
    for i in range(1, 501):
        if i % 50 == 0:
            lines.append(f"{i},2026-03-28T19:30:00Z,{i},extra field")
        elif i % 37 == 0:
            lines.append(f"{i},not a time,text {i}")
        else:
            lines.append(f'{i},2026-03-28T19:30:00Z,"text\n{i}"')
    source = make_file("many.csv", "\n".join(lines) + "\n")
    quarantine = tmp_path / "bad.csv"
    stream = read_mentions(source, chunk_rows=7, quarantine=quarantine)
    frame = pd.concat(list(stream), ignore_index=True)
    bad = {i for i in range(1, 501) if i % 50 == 0 or i % 37 == 0}
    assert frame["id"].astype(int).tolist() == [i for i in range(1, 501) if i not in bad]
    rows = [(int(r["row"]), r["code"]) for r in _quarantine_rows(quarantine)]
    assert sorted(rows) == sorted(
        (i, "wrong_field_count" if i % 50 == 0 else "invalid_timestamp") for i in bad
    )


def test_no_quarantine_file_is_left_when_the_input_cannot_be_read(
    make_file: Callable[[str, str], Path], tmp_path: Path
) -> None:
    source = make_file("no_text.csv", "timestamp,author\n2026-03-28T19:30:00Z,anna\n")
    quarantine = tmp_path / "bad.csv"
    with pytest.raises(InputError):
        list(read_mentions(source, quarantine=quarantine))
    assert not quarantine.exists()


def test_quarantine_file_exists_even_when_nothing_was_bad(
    make_file: Callable[[str, str], Path], tmp_path: Path
) -> None:
    source = make_file("fine.csv", "timestamp,text\n2026-03-28T19:30:00Z,fine\n")
    quarantine = tmp_path / "bad.csv"
    list(read_mentions(source, quarantine=quarantine))
    assert quarantine.read_text(encoding="utf-8").strip() == "source,row,column,code,reason,raw"


def test_a_shared_quarantine_writer_collects_several_files(
    make_file: Callable[[str, str], Path], tmp_path: Path
) -> None:
    first = make_file("a.csv", "timestamp,text\nbad,x\n")
    second = make_file(
        "b.jsonl", '{"timestamp": "2026-03-28T19:30:00Z", "text": "ok"}\n{"timestamp": 1}\n'
    )
    with QuarantineWriter(tmp_path / "all.jsonl") as writer:
        for source in (first, second):
            list(read_mentions(source, quarantine=writer))
    records: list[dict[str, Any]] = [
        json.loads(line) for line in (tmp_path / "all.jsonl").read_text().splitlines()
    ]
    assert [(Path(r["source"]).name, r["row"], r["code"]) for r in records] == [
        ("a.csv", 1, "invalid_timestamp"),
        ("b.jsonl", 2, "missing_text"),
    ]

"""A messy real-world-looking export: BOM, semicolons, CRLF, quoted newlines, mixed offsets,
German umlauts, emoji, aliases in German, and a bad row of every kind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

Reader = Callable[..., tuple[pd.DataFrame, Any]]


def test_messy_export(fixtures: Path, read_all: Reader) -> None:
    frame, report = read_all(fixtures / "messy_export.csv")
    assert (report.fmt, report.delimiter, report.encoding) == ("csv", ";", "utf-8")
    assert report.columns == {
        "Datum": "timestamp",
        "Inhalt": "text",
        "Autor": "author",
        "Follower": "reach",
        "Plattform": "platform",
        "Typ": "kind",
        "Tonalität": "sentiment",
        "Link": "url",
        "Marke": "brand",
    }
    assert report.ignored_columns == ["Retweets"]
    assert frame["text"].tolist() == [
        "Nie wieder kaufe ich bei ACME! 😡 #boykott",
        "Der Kundenservice ist eine Frechheit.\nSeit 3 Wochen keine Antwort 🙄",
        'Größter Rückruf ever? Ärger über "Qualität"; ich bin raus 🤔',
        "Worst customer service ever, never again @acme",
        "Danke @globex, schnelle Lösung 👍",
    ]
    assert frame["timestamp"].tolist() == [
        pd.Timestamp("2026-03-28T19:30:00Z"),
        pd.Timestamp("2026-03-28T19:31:00Z"),
        pd.Timestamp("2026-03-28T19:32:00Z"),
        pd.Timestamp("2026-03-28T19:32:00Z"),
        pd.Timestamp("2026-03-28T19:40:00.5Z"),
    ]
    assert frame["author"].tolist()[2] == "Jürgen Müller"
    assert frame["kind"].tolist() == ["repost", "reply", "post", "reply", "reply"]
    assert frame["sentiment"].tolist() == [-1.0, -0.8, 0.0, -1.0, 1.0]
    assert frame["platform"].tolist() == ["twitter", "facebook", "instagram", "twitter", "tiktok"]
    assert dict(report.brands) == {"ACME": 4, "Globex": 1}
    assert [(row.row, row.code) for row in report.examples] == [
        (5, "naive_timestamp"),
        (6, "missing_text"),
        (7, "invalid_reach"),
        (8, "wrong_field_count"),
        (9, "broken_encoding"),
    ]
    assert dict(report.quarantined_by_reason) == {
        "naive_timestamp": 1,
        "missing_text": 1,
        "invalid_reach": 1,
        "wrong_field_count": 1,
        "broken_encoding": 1,
        "invalid_kind": 1,
        "invalid_sentiment": 1,
        "invalid_timestamp": 1,
    }
    assert (report.rows_read, report.accepted, report.duplicates) == (14, 5, 1)
    assert report.balanced


def test_messy_export_with_assumed_zone_keeps_the_naive_row(
    fixtures: Path, read_all: Reader
) -> None:
    frame, report = read_all(fixtures / "messy_export.csv", assume_tz="Europe/Berlin")
    assert "naive_timestamp" not in report.quarantined_by_reason
    row = frame[frame["text"] == "Lokale Zeit ohne Zone"].iloc[0]
    assert row["timestamp"] == pd.Timestamp("2026-03-28T19:33:00Z")

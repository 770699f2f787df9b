"""Column names are matched case-insensitively with common aliases; values are normalised."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from warning.ingest.columns import ALIASES, resolve_columns
from warning.records import MENTION_COLUMNS

Reader = Callable[..., tuple[pd.DataFrame, Any]]


def test_every_mention_column_has_aliases_and_no_alias_is_shared() -> None:
    assert set(ALIASES) == set(MENTION_COLUMNS)
    names = [name for names in ALIASES.values() for name in names]
    assert len(names) == len(set(names))
    assert all(column == names[0] for column, names in ALIASES.items())


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["CREATED_AT", "Message", "UserName", "Followers"],
            {"timestamp": 0, "text": 1, "author": 2, "reach": 3},
        ),
        (
            ["date", "body", "user", "source", "Language"],
            {"timestamp": 0, "text": 1, "author": 2, "platform": 3, "lang": 4},
        ),
        (
            ["Time", "Content", "Network", "Type", "Link", "Polarity"],
            {"timestamp": 0, "text": 1, "platform": 2, "kind": 3, "url": 4, "sentiment": 5},
        ),
        (["content", "text", "date", "timestamp"], {"text": 1, "timestamp": 3}),
    ],
)
def test_aliases(header: list[str], expected: dict[str, int]) -> None:
    assert resolve_columns(header, source="x.csv").positions == expected


def test_mapping_is_reported(make_file: Callable[[str, str], Path], read_all: Reader) -> None:
    source = make_file(
        "export.csv",
        "Created At,Content,User,Followers,Network,Likes\n2026-03-28T19:30:00Z,hello,anna,12,X,3\n",
    )
    frame, report = read_all(source)
    assert report.columns == {
        "Created At": "timestamp",
        "Content": "text",
        "User": "author",
        "Followers": "reach",
        "Network": "platform",
    }
    assert report.ignored_columns == ["Likes"]
    assert frame.iloc[0][["author", "reach", "platform"]].tolist() == ["anna", 12, "x"]


def test_values_are_normalised(make_file: Callable[[str, str], Path], read_all: Reader) -> None:
    source = make_file(
        "values.csv",
        "timestamp,text,kind,sentiment,reach,lang,platform,brand\n"
        "2026-03-28T19:30:00Z,  padded text  ,Retweet,positiv,1200.0,DE, Twitter ,\n"
        "2026-03-28T19:31:00Z,b,Quote Tweet,-0.5,,en,,globex\n"
        "2026-03-28T19:32:00Z,c,Antwort,NEUTRAL,NA,,,\n"
        "2026-03-28T19:33:00Z,d,,0,7,,,\n",
    )
    frame, report = read_all(source, brand="acme")
    assert report.quarantined == 0, report.examples
    assert frame["text"].iloc[0] == "padded text"
    assert frame["kind"].tolist()[:3] == ["repost", "quote", "reply"]
    assert frame["sentiment"].tolist() == [1.0, -0.5, 0.0, 0.0]
    assert frame["reach"].tolist()[0] == 1200 and frame["reach"].isna().tolist()[1:3] == [True] * 2
    assert frame["lang"].iloc[0] == "de" and frame["platform"].iloc[0] == "twitter"
    assert frame["brand"].tolist() == ["acme", "globex", "acme", "acme"]


def test_decomposed_umlauts_become_composed(
    make_file: Callable[[str, str], Path], read_all: Reader
) -> None:
    frame, _ = read_all(
        make_file("nfd.csv", "timestamp,text\n2026-03-28T19:30:00Z,Gru\u0308\u00dfe\n")
    )
    assert frame["text"].iloc[0] == "Grüße"


def test_nested_json_fields(fixtures: Path, read_all: Reader) -> None:
    frame, report = read_all(fixtures / "twitter_v1.jsonl")
    assert report.columns["user.screen_name"] == "author"
    assert report.columns["user.followers_count"] == "reach"
    assert frame["author"].tolist() == ["netzlos_nrw", "bergfex", "jd_dev"]
    assert frame["reach"].tolist()[:2] == [1543, 87] and pd.isna(frame["reach"].iloc[2])
    assert frame["id"].iloc[0] == "1774726200000000001"
    assert frame["timestamp"].iloc[0] == pd.Timestamp("2026-03-28T19:30:00Z")
    assert dict(report.quarantined_by_reason) == {"malformed_json": 1, "invalid_timestamp": 1}
    assert [(row.row, row.code) for row in report.examples] == [
        (5, "malformed_json"),
        (6, "invalid_timestamp"),
    ]

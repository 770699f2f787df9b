"""Drivers: terms by lift, negative posts by negativity × reach, authors, platforms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from warning.alert import explain, tokens, top_terms

STORM = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)


def mentions() -> pd.DataFrame:
    rows = []
    for i in range(40):  # a normal Saturday: product talk
        rows.append(
            (
                STORM - timedelta(hours=5, minutes=i),
                f"Der neue Joghurt von Acme ist lecker {i}",
                f"@fan{i % 9}",
                "x",
                100,
                0.1,
                "acme",
            )
        )
    storm_texts = [
        (
            "Glassplitter im Joghurt! Rückruf jetzt #boykott",
            "@verbraucherzentrale",
            "x",
            250_000,
            0.97,
        ),
        ("Glassplitter? Acme schweigt. #boykott", "@kim", "instagram", 300, 0.92),
        ("Mein Kind hat Glassplitter gefunden, Rückruf bitte", "@mama_b", "facebook", 800, 0.95),
        ("Nie wieder Acme #boykott", "@tom", "x", 50, 0.88),
        ("Acme Rückruf wegen Glassplitter, was wisst ihr?", "@news24", "x", 1_200_000, 0.55),
        ("Lecker wie immer", "@fan1", "x", 100, 0.05),
    ]
    for j, (text, author, platform, reach, neg) in enumerate(storm_texts):
        rows.append((STORM + timedelta(minutes=2 * j), text, author, platform, reach, neg, "acme"))
    rows.append(
        (STORM + timedelta(minutes=3), "Glassplitter bei Konkurrenz", "@x", "x", 10, 0.9, "other")
    )
    frame = pd.DataFrame(
        rows, columns=["timestamp", "text", "author", "platform", "reach", "negativity", "brand"]
    )
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    frame["id"] = [str(i) for i in range(len(frame))]
    frame["reach"] = frame["reach"].astype("Int64")
    return frame


def test_drivers_explain_the_storm() -> None:
    d = explain(mentions(), storm_start=STORM, until=STORM + timedelta(minutes=15), brand="acme")
    assert d.top_terms[:3] == ("glassplitter", "#boykott", "rückruf")
    assert "acme" not in d.top_terms and "joghurt" not in d.top_terms[:3]
    posts = d.top_negative_posts
    assert [p["author"] for p in posts[:2]] == ["@news24", "@verbraucherzentrale"]
    assert all(p["negativity"] >= 0.5 for p in posts)
    assert "@fan1" not in [p["author"] for p in posts]
    assert d.top_authors[0] == {
        "author": "@news24",
        "reach": 1_200_000,
        "mentions": 1,
        "negative_mentions": 1,
    }
    assert d.platforms == {"x": 4, "instagram": 1, "facebook": 1}
    assert d.new_author_share == 5 / 6  # only @fan1 posted in the baseline period


def test_new_author_share_from_the_series_wins_when_given() -> None:
    d = explain(
        mentions(),
        storm_start=STORM,
        until=STORM + timedelta(minutes=15),
        brand="acme",
        new_author_share=0.4,
    )
    assert d.new_author_share == 0.4


def test_no_mentions_in_the_storm_gives_empty_drivers() -> None:
    d = explain(
        mentions(),
        storm_start=STORM + timedelta(days=1),
        until=STORM + timedelta(days=1, minutes=5),
    )
    assert (d.top_terms, d.top_negative_posts, d.top_authors, d.platforms, d.new_author_share) == (
        (),
        (),
        (),
        {},
        None,
    )


def test_tokenizer_drops_stop_words_urls_numbers_handles_and_keeps_tags() -> None:
    assert tokens("RT @ida1045: Abzocke! @Lumina_Energie") == ["abzocke"]
    assert tokens(
        "RT @Acme: Das ist der #Shitstorm des Jahres 2026 https://x.co/a and it's bad",
        extra_stop=["acme"],
    ) == [
        "#shitstorm",
        "jahres",
        "bad",
    ]


def test_lift_prefers_new_terms_over_always_present_ones() -> None:
    storm = ["datenleck bei acme kunden", "datenleck! passwörter weg", "acme kunden datenleck"]
    base = ["acme kunden service", "acme kunden app", "kunden lieben acme"]
    assert top_terms(storm, base, k=1, extra_stop=["acme"]) == ("datenleck",)

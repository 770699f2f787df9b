"""The corpus meets its brief and its data card shows the current counts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warning.score.datacard import END, START, count_tables

ROOT = Path(__file__).resolve().parents[2]


def test_datacard_counts_are_current(corpus: pd.DataFrame) -> None:
    card = (ROOT / "data" / "corpus" / "DATACARD.md").read_text(encoding="utf-8")
    section = card.split(START, 1)[1].split(END, 1)[0]
    assert section.strip() == count_tables(corpus).strip(), (
        "data/corpus/DATACARD.md is stale: run python -m warning.score.datacard"
    )


def test_corpus_meets_its_brief(corpus: pd.DataFrame) -> None:
    assert len(corpus) >= 3000
    assert (corpus["lang"] == "de").mean() >= 0.6
    assert corpus["id"].is_unique and corpus["text"].is_unique
    assert 0.35 <= (corpus["label"] == "negative").mean() <= 0.5
    crises = set(corpus["crisis_type"]) - {"everyday"}
    assert len(crises) >= 8 and corpus["industry"].nunique() >= 10

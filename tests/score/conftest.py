"""Shared fixtures for the score tests: a small real slice of our corpus and a model on it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from warning.score.data import read_corpus
from warning.score.lexicons import Lexicon, read_crisis_terms
from warning.score.model import NegativityModel
from warning.score.training import holdout_split

ROOT = Path(__file__).resolve().parents[2]
CORPUS_FILES = sorted((ROOT / "data" / "corpus").glob("*.jsonl"))


@pytest.fixture(scope="session")
def corpus() -> pd.DataFrame:
    return read_corpus(CORPUS_FILES)


@pytest.fixture(scope="session")
def small_lexicon() -> Lexicon:
    """Our crisis terms plus a handful of polar words (the full lexicons need the train extra)."""
    polarity = {
        "schlecht": (0.0, -0.7, 0.0),
        "gut": (0.0, 0.7, 0.0),
        "super": (0.7, 1.0, 0.0),
        "bad": (-0.6, 0.0, 0.0),
        "good": (0.5, 0.0, 0.0),
        "zufrieden": (0.0, 0.7, 0.0),
    }
    return Lexicon(polarity, read_crisis_terms(ROOT / "data" / "lexicon" / "crisis_terms.tsv"))


@pytest.fixture(scope="session")
def small_split(corpus: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """About 1,200 posts, whole crisis type × industry groups held out for the test part."""
    sample = corpus.sample(n=min(1200, len(corpus)), random_state=7).reset_index(drop=True)
    train_at, test_at = holdout_split(sample, test_size=0.25, random_state=0)
    return sample.iloc[train_at], sample.iloc[test_at]


@pytest.fixture(scope="session")
def small_model(
    small_split: tuple[pd.DataFrame, pd.DataFrame], small_lexicon: Lexicon
) -> NegativityModel:
    train, _ = small_split
    model = NegativityModel(lexicon=small_lexicon, cv=3, random_state=0)
    return model.fit(train["text"].to_numpy(dtype=object), np.asarray(train["label"]))

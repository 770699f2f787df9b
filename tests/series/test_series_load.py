"""Replay input from a mention file: ingest, the negativity model, then the series."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from warning.datasets import SAMPLE_POSTS, make_stream, write_streams
from warning.score import NegativityModel, find_model
from warning.series import input_kind, load_input, read_scored_mentions

COUNTED = ["volume", "authors", "new_authors", "reach", "reposts", "quotes"]


@pytest.fixture(scope="module")
def sample_model() -> NegativityModel:
    """The real estimator, trained on the built-in sample posts the synthetic texts use."""
    texts, labels = [], []
    for (_, category), posts in SAMPLE_POSTS.items():
        for post in posts:
            for brand in ("Acme", "Bolt", "Nordbank"):
                texts.append(post.format(brand=brand))
                labels.append("negative" if category == "negative" else "other")
    return NegativityModel(min_df=1, cv=3).fit(texts, labels)


def test_mention_file_is_ingested_scored_and_bucketed(
    tmp_path: Path, sample_model: NegativityModel
) -> None:
    stream = make_stream("storm", level=2.0, weeks=1, seed=3, mentions=True)
    write_streams([stream], tmp_path)
    path = tmp_path / f"{stream.name}.mentions.jsonl"
    assert input_kind(path) == "mentions"
    frames = load_input(path, scorer=sample_model)
    assert list(frames) == ["acme"]
    series = frames["acme"]
    expected = stream.frame.loc[series.index[0] : series.index[-1]]
    assert series.index.freqstr == "5min" and len(series) == len(expected)
    for column in COUNTED:
        assert np.array_equal(series[column].to_numpy(), expected[column].to_numpy()), column
    # the model, not the file, decides negativity; on these texts it agrees with the truth
    assert np.array_equal(series["negative"].to_numpy(), expected["negative"].to_numpy())
    scored = read_scored_mentions(path, scorer=sample_model)
    assert scored["negativity"].between(0, 1).all() and len(scored) == len(stream.mentions)


@pytest.mark.skipif(not find_model().is_file(), reason="the bundled negativity model is not built")
def test_mention_file_with_the_bundled_model(tmp_path: Path) -> None:
    stream = make_stream("storm", level=2.0, weeks=1, seed=4, mentions=True)
    write_streams([stream], tmp_path)
    series = load_input(tmp_path / f"{stream.name}.mentions.jsonl")["acme"]
    assert series["volume"].sum() == stream.frame["volume"].sum()
    storm = stream.storms[0]
    peak = series.loc[storm.peak_at : storm.end]
    before = series.loc[: storm.onset]
    assert peak["negative"].sum() / peak["volume"].sum() > (
        before["negative"].sum() / before["volume"].sum() + 0.15
    )

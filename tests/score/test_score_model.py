"""The negativity estimator: it learns, stays calibrated to [0, 1], and keeps the contract."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from warning.errors import InputError
from warning.records import Mention
from warning.score.lexicons import Lexicon
from warning.score.model import NegativityModel
from warning.score.training import evaluate
from warning.score.upstream import negativity_from_polarity


def test_learns_on_a_small_real_slice_with_groups_held_out(
    small_model: NegativityModel, small_split: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    _, test = small_split
    metrics = evaluate(small_model.negativity(test["text"].tolist()), test["label"].to_numpy())
    assert metrics["n"] == len(test) > 150
    # ~900 training posts from other crisis types × industries; chance is 0.5
    assert metrics["macro_f1"] > 0.70, metrics
    assert metrics["negative_pr_auc"] > 0.70, metrics


def test_probabilities_are_in_unit_interval_and_rows_sum_to_one(
    small_model: NegativityModel,
) -> None:
    texts = ["", "   ", "😡😡😡", "a" * 5000, "Nie wieder Nordbahn!!!", None, float("nan")]
    proba = small_model.predict_proba(texts)
    assert proba.shape == (len(texts), 2)
    assert np.all((proba >= 0) & (proba <= 1))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(small_model.predict(texts)) <= {"negative", "other"}


@pytest.mark.parametrize(
    ("negated", "plain"),
    [
        ("nicht schlecht", "schlecht"),
        ("Das Essen war wirklich nicht schlecht", "Das Essen war wirklich schlecht"),
        (
            "Die Lieferung war gar nicht so schlecht wie alle sagen",
            "Die Lieferung war so schlecht wie alle sagen",
        ),
    ],
)
def test_negation_lowers_negativity(small_model: NegativityModel, negated: str, plain: str) -> None:
    low, high = small_model.negativity([negated, plain])
    assert low < high


def test_negation_flips_lexicon_polarity(small_model: NegativityModel) -> None:
    features = small_model.pipeline_.named_steps["features"]
    names = list(features.get_feature_names_out())
    plain, negated = features.transform(["schlecht", "nicht schlecht"]).toarray()
    de_pos, de_neg = names.index("lex:de_pos"), names.index("lex:de_neg")
    assert plain[de_neg] > 0 and plain[de_pos] == 0
    assert negated[de_pos] > 0 and negated[de_neg] == 0


def test_estimator_contract_clone_and_params(small_lexicon: Lexicon) -> None:
    model = NegativityModel(C=2.0, lexicon=small_lexicon, random_state=3)
    params = model.get_params()
    assert params["C"] == 2.0 and params["random_state"] == 3
    twin = clone(model)
    assert twin is not model and twin.get_params()["C"] == 2.0
    assert twin.get_params()["lexicon"] is not small_lexicon  # deep-copied
    twin.set_params(C=0.5, char_ngram_range=(3, 4))
    assert twin.C == 0.5 and twin.char_ngram_range == (3, 4) and model.C == 2.0
    assert not hasattr(twin, "pipeline_")  # __init__ stores parameters only


def test_fit_is_deterministic_with_random_state(corpus: pd.DataFrame) -> None:
    part = corpus.sample(n=300, random_state=1)
    texts, labels = part["text"].tolist(), part["label"].to_numpy()
    a = NegativityModel(cv=2, random_state=5).fit(texts, labels).negativity(texts[:20])
    b = NegativityModel(cv=2, random_state=5).fit(texts, labels).negativity(texts[:20])
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"C": 0.0}, "The 'C' parameter of NegativityModel must be > 0. Got 0.0 instead."),
        ({"cv": 1}, "The 'cv' parameter of NegativityModel must be >= 2. Got 1 instead."),
        (
            {"word_ngrams": 3},
            "The 'word_ngrams' parameter of TextFeatures must be 1 or 2. Got 3 instead.",
        ),
        (
            {"calibration": "platt"},
            "The 'calibration' parameter of NegativityModel must be 'sigmoid', 'isotonic' "
            "or None. Got 'platt' instead.",
        ),
    ],
)
def test_invalid_parameters_fail_in_fit_with_the_template(
    params: dict[str, object], message: str
) -> None:
    model = NegativityModel(**params)  # type: ignore[arg-type]
    with pytest.raises(ValueError) as err:
        model.fit(["gut", "schlecht", "super", "mies"], ["other", "negative"] * 2)
    assert str(err.value) == message


def test_labels_must_name_two_classes_with_a_negative_one() -> None:
    with pytest.raises(ValueError, match="exactly two classes"):
        NegativityModel().fit(["a", "b"], ["negative", "negative"])
    with pytest.raises(ValueError, match="negative class named one of"):
        NegativityModel().fit(["a", "b"], ["bad", "good"])
    with pytest.raises(ValueError, match="not fitted yet"):
        NegativityModel().predict_proba(["a"])


def test_integer_labels_take_one_as_negative() -> None:
    texts = ["mies", "toll", "total mies", "echt toll"] * 6
    model = NegativityModel(min_df=1, cv=2).fit(texts, [1, 0, 1, 0] * 6)
    assert model.classes_[model.negative_index_] == 1
    assert model.negativity(["mies"])[0] > 0.5 > model.negativity(["toll"])[0]


def test_score_frame_honours_upstream_sentiment(small_model: NegativityModel) -> None:
    frame = pd.DataFrame(
        {
            "text": ["Absolute Frechheit, nie wieder!", "Danke für die schnelle Hilfe", "egal"],
            "sentiment": [0.9, np.nan, -0.8],
        },
        index=[10, 20, 30],
    )
    detailed = small_model.score_frame_with_source(frame)
    assert detailed["source"].tolist() == ["upstream", "model", "upstream"]
    scores = small_model.score_frame(frame)
    assert scores.index.tolist() == [10, 20, 30]
    assert scores.between(0, 1).all()
    assert scores[10] == pytest.approx(negativity_from_polarity(0.9)) and scores[10] < 0.01
    assert scores[30] == pytest.approx(negativity_from_polarity(-0.8)) and scores[30] > 0.99
    model_only = small_model.score_frame(frame[["text"]])
    assert model_only[20] == pytest.approx(scores[20])


def test_score_frame_on_the_typed_mention_schema(small_model: NegativityModel) -> None:
    from warning.records import MENTION_COLUMNS

    frame = pd.DataFrame(
        {
            "text": ["Nie wieder, ihr Abzocker!", None, "Danke für die Hilfe"],
            "sentiment": [None, None, 0.5],
        }
    ).astype({"text": MENTION_COLUMNS["text"], "sentiment": MENTION_COLUMNS["sentiment"]})
    detailed = small_model.score_frame_with_source(frame)
    assert detailed["source"].tolist() == ["model", "model", "upstream"]
    assert detailed["negativity"].dtype == "float64"
    assert detailed["negativity"].between(0, 1).all()
    empty = small_model.negativity([""])[0]
    assert detailed["negativity"][1] == pytest.approx(empty)


def test_upstream_polarity_mapping_follows_the_vader_convention() -> None:
    assert negativity_from_polarity(-0.05) == pytest.approx(0.5)
    assert negativity_from_polarity(-0.06) > 0.5 > negativity_from_polarity(-0.04)
    assert negativity_from_polarity(0.0) == pytest.approx(1 / (1 + math.exp(0.5)))
    values = [negativity_from_polarity(p) for p in np.linspace(-1, 1, 21)]
    assert values == sorted(values, reverse=True)


def test_out_of_range_upstream_sentiment_is_an_input_error(small_model: NegativityModel) -> None:
    frame = pd.DataFrame({"text": ["a", "b"], "sentiment": [0.1, 3.0]}, index=["m1", "m2"])
    with pytest.raises(InputError) as err:
        small_model.score_frame(frame)
    assert str(err.value) == (
        "mention frame row 'm2': sentiment must be a polarity in [-1, 1]. Got 3.0 instead."
    )
    with pytest.raises(InputError, match="column 'text' is missing"):
        small_model.score_frame(pd.DataFrame({"body": ["x"]}))


def test_score_mentions_returns_typed_records(small_model: NegativityModel) -> None:
    at = datetime(2026, 3, 28, 19, 31, tzinfo=UTC)
    mentions = [
        Mention(id="1", timestamp=at, text="Nordbahn, ihr seid eine Zumutung. Nie wieder!"),
        Mention(id="2", timestamp=at, text="egal was", sentiment=0.7),
    ]
    scored = small_model.score_mentions(mentions)
    assert [s.mention for s in scored] == mentions
    assert [s.source for s in scored] == ["model", "upstream"]
    assert scored[1].negativity == pytest.approx(negativity_from_polarity(0.7))
    assert small_model.score_mentions([]) == []

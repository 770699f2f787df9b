"""The negativity model: how likely a post is to be negative about the brand.

A scikit-learn estimator wrapping one pipeline: :class:`TextFeatures` (word and
character n-grams, lexicon scores, negation) → logistic regression with
balanced class weights → sigmoid calibration on out-of-fold scores, so that
``negativity`` is a probability (0.5 is the negative threshold of the series).

Mentions that already carry an upstream ``sentiment`` polarity keep it
(mapped by :mod:`warning.score.upstream`); the model scores the rest.

>>> texts = ["nie wieder, echt mies", "super service, danke", "total mies und teuer",
...          "danke, alles super", "mies mies mies", "schnell und super"] * 4
>>> labels = ["negative", "other"] * 12
>>> model = NegativityModel(min_df=1, cv=2).fit(texts, labels)
>>> bool(model.negativity(["mies"])[0] > 0.5 > model.negativity(["super"])[0])
True
>>> model.classes_.tolist()
['negative', 'other']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline

from warning.errors import InputError
from warning.records import Mention, ScoredMention
from warning.score.features import TextFeatures
from warning.score.lexicons import Lexicon
from warning.score.upstream import negativity_from_polarity_array

__all__ = ["NEGATIVE_LABELS", "NegativityModel"]

#: Labels that name the negative class, tried in this order.
NEGATIVE_LABELS: tuple[Any, ...] = ("negative", 1, True)


def _texts(X: Iterable[Any]) -> list[str]:
    """Strings for the featuriser; None, NaN and pandas' NA become empty texts."""
    return [x if isinstance(x, str) else "" if _missing(x) else str(x) for x in X]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


class NegativityModel(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Calibrated probability that a German or English post is negative.

    Parameters follow :class:`TextFeatures` (``word_ngrams``, ``char_ngram_range``,
    ``min_df``, ``max_char_features``, ``lexicon``, ``lexicon_weight``,
    ``negation``) plus ``C`` (inverse regularisation of the logistic
    regression), ``calibration`` (``"sigmoid"``, ``"isotonic"`` or None), ``cv``
    (folds for the calibration) and ``random_state``.

    Labels may be strings (``"negative"`` vs anything else, e.g. ``"other"``),
    integers or booleans (1/True is negative); exactly two classes.
    """

    def __init__(
        self,
        *,
        word_ngrams: int = 2,
        char_ngram_range: tuple[int, int] = (2, 5),
        min_df: int = 2,
        max_char_features: int | None = 100_000,
        lexicon: Lexicon | None = None,
        lexicon_weight: float = 1.0,
        negation: bool = True,
        C: float = 4.0,
        calibration: Literal["sigmoid", "isotonic"] | None = "sigmoid",
        cv: int = 5,
        random_state: int | None = 0,
    ) -> None:
        self.word_ngrams = word_ngrams
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_char_features = max_char_features
        self.lexicon = lexicon
        self.lexicon_weight = lexicon_weight
        self.negation = negation
        self.C = C
        self.calibration = calibration
        self.cv = cv
        self.random_state = random_state

    def _classifier(self) -> Any:
        if not self.C > 0:
            raise ValueError(
                f"The 'C' parameter of NegativityModel must be > 0. Got {self.C!r} instead."
            )
        linear = LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=5000, random_state=self.random_state
        )
        if self.calibration is None:
            return linear
        if self.calibration not in ("sigmoid", "isotonic"):
            raise ValueError(
                "The 'calibration' parameter of NegativityModel must be 'sigmoid', 'isotonic' "
                f"or None. Got {self.calibration!r} instead."
            )
        if int(self.cv) < 2:
            raise ValueError(
                f"The 'cv' parameter of NegativityModel must be >= 2. Got {self.cv!r} instead."
            )
        folds = StratifiedKFold(int(self.cv), shuffle=True, random_state=self.random_state)
        return CalibratedClassifierCV(linear, method=self.calibration, cv=folds, ensemble=False)

    def fit(
        self,
        X: Iterable[Any],
        y: Iterable[Any],
        sample_weight: Sequence[float] | np.ndarray | None = None,
    ) -> NegativityModel:
        """Fit on texts ``X`` and labels ``y`` (optionally weighted per sample)."""
        texts = _texts(X)
        labels = np.asarray(list(y))
        if len(texts) != len(labels):
            raise ValueError(
                f"NegativityModel.fit needs as many labels as texts. "
                f"Got {len(labels)} labels for {len(texts)} texts instead."
            )
        classes = np.unique(labels)
        if len(classes) != 2:
            raise ValueError(
                "NegativityModel.fit needs exactly two classes (negative and other). "
                f"Got {list(classes)!r} instead."
            )
        negative = next((c for c in NEGATIVE_LABELS if c in classes.tolist()), None)
        if negative is None:
            raise ValueError(
                f"NegativityModel.fit needs a negative class named one of {NEGATIVE_LABELS!r}. "
                f"Got {list(classes)!r} instead."
            )
        features = TextFeatures(
            word_ngrams=self.word_ngrams,
            char_ngram_range=self.char_ngram_range,
            min_df=self.min_df,
            max_char_features=self.max_char_features,
            lexicon=self.lexicon,
            lexicon_weight=self.lexicon_weight,
            negation=self.negation,
        )
        pipeline = Pipeline([("features", features), ("classifier", self._classifier())])
        fit_params = {} if sample_weight is None else {"classifier__sample_weight": sample_weight}
        self.pipeline_ = pipeline.fit(texts, labels, **fit_params)
        self.classes_ = self.pipeline_.classes_
        self.negative_index_ = int(self.classes_.tolist().index(negative))
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "pipeline_"):
            raise ValueError("This NegativityModel instance is not fitted yet. Call 'fit' first.")

    def predict_proba(self, X: Iterable[Any]) -> np.ndarray:
        """Class probabilities, columns in the order of ``classes_``."""
        self._check_fitted()
        proba: np.ndarray = self.pipeline_.predict_proba(_texts(X))
        return proba

    def negativity(self, X: Iterable[Any]) -> np.ndarray:
        """Probability of the negative class for each text, in [0, 1]."""
        negativity: np.ndarray = self.predict_proba(X)[:, self.negative_index_]
        return negativity

    def predict(self, X: Iterable[Any]) -> np.ndarray:
        """The negative label where negativity >= 0.5, the other label elsewhere."""
        negative = self.negativity(X) >= 0.5
        other = self.classes_[1 - self.negative_index_]
        labels: np.ndarray = np.where(negative, self.classes_[self.negative_index_], other)
        return labels

    # ---------------------------------------------------------------- frames
    def score_frame_with_source(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``negativity`` and its ``source`` (``model`` or ``upstream``) per row.

        Rows whose ``sentiment`` (a polarity in [-1, 1]) is present keep it,
        mapped to negativity; the model scores the others from ``text``.
        """
        if "text" not in frame.columns:
            raise InputError("mention frame: column 'text' is missing")
        negativity = pd.Series(np.nan, index=frame.index, dtype="float64", name="negativity")
        upstream = np.zeros(len(frame), dtype=bool)
        if "sentiment" in frame.columns:
            polarity = pd.to_numeric(frame["sentiment"], errors="coerce").astype("float64")
            upstream = polarity.notna().to_numpy()
            bad = upstream & ~polarity.between(-1.0, 1.0).to_numpy()
            if bad.any():
                at = int(np.flatnonzero(bad)[0])
                raise InputError(
                    f"mention frame row {frame.index[at]!r}: sentiment must be a polarity in "
                    f"[-1, 1]. Got {float(polarity.iloc[at])!r} instead."
                )
            negativity[upstream] = negativity_from_polarity_array(polarity[upstream].to_numpy())
        if (~upstream).any():
            texts = frame["text"].to_numpy(dtype=object)[~upstream]
            negativity[~upstream] = self.negativity(texts)
        source = np.where(upstream, "upstream", "model")
        return pd.DataFrame(
            {"negativity": negativity, "source": pd.Series(source, index=frame.index)}
        )

    def score_frame(self, frame: pd.DataFrame) -> pd.Series:
        """Negativity in [0, 1] per row, aligned to ``frame.index``."""
        scored: pd.Series = self.score_frame_with_source(frame)["negativity"]
        return scored

    def score_mentions(self, mentions: Iterable[Mention]) -> list[ScoredMention]:
        """Score typed mentions; an upstream ``sentiment`` is honoured."""
        items: Sequence[Mention] = list(mentions)
        if not items:
            return []
        frame = pd.DataFrame(
            {
                "text": [m.text for m in items],
                "sentiment": [np.nan if m.sentiment is None else m.sentiment for m in items],
            },
            index=[m.id for m in items],
        )
        scored = self.score_frame_with_source(frame)
        return [
            ScoredMention(mention=m, negativity=float(value), source=source)
            for m, value, source in zip(
                items, scored["negativity"].tolist(), scored["source"].tolist(), strict=True
            )
        ]

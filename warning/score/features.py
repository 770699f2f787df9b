"""Sparse features of a post: word n-grams, character n-grams and lexicon scores.

Each post becomes a bag of *keys*: its tokens (a token inside a negation scope
becomes ``¬token``) and, with ``word_ngrams=2``, its token bigrams. Every key
maps to one cached row of three blocks, and a post's features are the sum of
its keys' rows (one sparse matrix product per batch):

- **words**: the key itself as a unigram or bigram feature; TF-IDF weighted
  (sublinear tf) and L2-normalised;
- **characters**: n-grams inside the padded token (like scikit-learn's
  ``char_wb``), which carry German compounds, misspellings, dialect and emoji;
  TF-IDF weighted and L2-normalised on their own;
- **lexicon**: VADER, German polarity, emoji and crisis-term values (a negated
  token's polarity is flipped and damped by VADER's factor 0.74), the number
  of negators, exclamation and question marks and shouted words; squashed to
  [0, 1) and scaled by ``lexicon_weight``.

So Python touches each token once per post; n-grams and lookups are cached.

>>> feats = TextFeatures(min_df=1).fit(["gar nicht schlecht", "echt schlecht 😡"])
>>> X = feats.transform(["nicht schlecht"])
>>> X.shape[0], X.shape[1] == len(feats.get_feature_names_out())
(1, True)
>>> "word:¬schlecht" in feats.get_feature_names_out()
True
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.preprocessing import normalize as l2_normalize

from warning.score.keytable import KeyTable
from warning.score.lexicons import Lexicon
from warning.score.text import NEGATORS, caps_counts, negation_scope, squeeze, tokenize_many

__all__ = ["LEXICON_COLUMNS", "TextFeatures"]

#: Names of the dense lexicon and style columns, in order.
LEXICON_COLUMNS: tuple[str, ...] = (
    "lex:en_pos",
    "lex:en_neg",
    "lex:de_pos",
    "lex:de_neg",
    "lex:emoji_pos",
    "lex:emoji_neg",
    "lex:crisis",
    "lex:negators",
    "lex:exclamations",
    "lex:questions",
    "lex:caps",
)
_N_SUMMED = 8  # the first columns are sums over keys; the rest come from the raw text
_NEGATION_FLIP = -0.74  # VADER's scalar for a negated valence
_CACHE_LIMIT = 500_000  # keys; the table starts afresh beyond this
_CHUNK = 20_000
_NEG = "¬"


class TextFeatures(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Word, character and lexicon features of short social-media posts.

    ``word_ngrams`` (1 or 2), ``char_ngram_range`` (within tokens), ``min_df``
    (documents a feature must occur in), ``max_char_features`` (most frequent
    character n-grams kept), ``lexicon`` (a :class:`Lexicon` or None),
    ``lexicon_weight`` (scale of the lexicon block), ``negation`` (mark negated
    words and flip their polarity).
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
    ) -> None:
        self.word_ngrams = word_ngrams
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_char_features = max_char_features
        self.lexicon = lexicon
        self.lexicon_weight = lexicon_weight
        self.negation = negation

    # ------------------------------------------------------------------ keys
    def _validate(self) -> None:
        if self.word_ngrams not in (1, 2):
            raise ValueError(
                "The 'word_ngrams' parameter of TextFeatures must be 1 or 2. "
                f"Got {self.word_ngrams!r} instead."
            )
        lo, hi = self.char_ngram_range
        if not 1 <= lo <= hi:
            raise ValueError(
                "The 'char_ngram_range' parameter of TextFeatures must be (lo, hi) with "
                f"1 <= lo <= hi. Got {self.char_ngram_range!r} instead."
            )
        if int(self.min_df) < 1:
            raise ValueError(
                f"The 'min_df' parameter of TextFeatures must be >= 1. Got {self.min_df!r} instead."
            )

    def _keys(self, texts: list[str], known: dict[str, int] | None = None) -> Iterator[list[str]]:
        """Keys per post; with ``known``, bigrams outside that vocabulary are dropped."""
        negation = self.negation
        bigrams = self.word_ngrams == 2
        for tokens in tokenize_many(texts):
            if negation and not NEGATORS.isdisjoint(tokens):
                scope = negation_scope(tokens)
                keys = [_NEG + t if s else t for t, s in zip(tokens, scope, strict=True)]
            else:
                keys = tokens  # a fresh list from tokenize_many: extending it is safe
            if bigrams:
                pairs = map(" ".join, pairwise(tokens))
                # a list is built before extending, as keys may be the tokens list itself
                keys += list(pairs) if known is None else [b for b in pairs if b in known]
            yield keys

    def _char_grams(self, token: str) -> list[str]:
        padded = f" {token} "
        lo, hi = self.char_ngram_range
        return [
            padded[i : i + n]
            for n in range(lo, min(hi, len(padded)) + 1)
            for i in range(len(padded) - n + 1)
        ]

    # ---------------------------------------------------------------- fitting
    def fit(self, X: Iterable[str], y: Any = None) -> TextFeatures:
        """Learn the vocabularies and inverse document frequencies."""
        self._validate()
        texts = [str(t) for t in X]
        if not texts:
            raise ValueError("TextFeatures needs at least one document to fit. Got 0 instead.")
        word_df: Counter[str] = Counter()
        char_df: Counter[str] = Counter()
        grams: dict[str, list[str]] = {}
        for raw_keys in self._keys(texts):
            keys = {squeeze(k) for k in raw_keys}
            word_df.update(keys)
            chars: set[str] = set()
            for key in keys:
                if " " in key:
                    continue
                token = key[1:] if key.startswith(_NEG) and len(key) > 1 else key
                if token not in grams:
                    grams[token] = self._char_grams(token)
                chars.update(grams[token])
            char_df.update(chars)
        min_df, n_docs = int(self.min_df), len(texts)
        words_kept = sorted(w for w, df in word_df.items() if df >= min_df)
        chars_kept = sorted(
            (c for c, df in char_df.items() if df >= min_df), key=lambda c: (-char_df[c], c)
        )
        if self.max_char_features is not None:
            chars_kept = chars_kept[: int(self.max_char_features)]
        chars_kept.sort()
        self.word_features_ = "\n".join(words_kept)
        self.char_features_ = "\n".join(chars_kept)
        self.word_idf_ = np.array(
            [math.log((1 + n_docs) / (1 + word_df[w])) + 1 for w in words_kept]
        )
        self.char_idf_ = np.array(
            [math.log((1 + n_docs) / (1 + char_df[c])) + 1 for c in chars_kept]
        )
        self.n_documents_ = n_docs
        self._reset_cache()
        return self

    # ------------------------------------------------------------- transform
    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._reset_cache()

    def _reset_cache(self) -> None:
        self._word_index: dict[str, int] | None = None
        self._char_index: dict[str, int] | None = None
        self._table: KeyTable | None = None

    def _indices(self) -> tuple[dict[str, int], dict[str, int]]:
        if self._word_index is None or self._char_index is None:
            words = self.word_features_.split("\n") if self.word_features_ else []
            chars = self.char_features_.split("\n") if self.char_features_ else []
            self._word_index = {w: i for i, w in enumerate(words)}
            self._char_index = {c: i for i, c in enumerate(chars)}
        return self._word_index, self._char_index

    def _key_table(self) -> KeyTable:
        if self._table is None or len(self._table) >= _CACHE_LIMIT:
            self._table = KeyTable(len(self.word_idf_), len(self.char_idf_), _N_SUMMED)
        return self._table

    def _add_key(self, table: KeyTable, raw_key: str) -> int:
        words, chars = self._indices()
        key = squeeze(raw_key)
        word = words.get(key, -1)
        if " " in key:  # a bigram: a word feature only
            return table.add(raw_key, word, (), (0.0,) * _N_SUMMED)
        negated = key.startswith(_NEG) and len(key) > 1
        token = key[1:] if negated else key
        grams = [i for g in self._char_grams(token) if (i := chars.get(g, -1)) >= 0]
        en, de, emoji, crisis = (
            self.lexicon.values(token) if self.lexicon is not None else (0.0,) * 4
        )
        flip = _NEGATION_FLIP if negated else 1.0
        lex: list[float] = []
        for value in (en * flip, de * flip, emoji * flip):
            lex += [max(value, 0.0), max(-value, 0.0)]
        lex += [0.0 if negated else crisis, 1.0 if token in NEGATORS else 0.0]
        return table.add(raw_key, word, grams, lex)

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        """Sparse feature matrix: word block, character block, lexicon block."""
        if not hasattr(self, "word_features_"):
            raise ValueError("This TextFeatures instance is not fitted yet. Call 'fit' first.")
        texts = [str(t) for t in X]
        blocks = [
            self._transform_chunk(texts[i : i + _CHUNK]) for i in range(0, len(texts), _CHUNK)
        ]
        if not blocks:
            return sp.csr_matrix((0, len(self.get_feature_names_out())))
        return blocks[0] if len(blocks) == 1 else sp.vstack(blocks, format="csr")

    def _transform_chunk(self, texts: list[str]) -> sp.csr_matrix:
        table = self._key_table()
        get = table.ids.get
        cols: list[int] = []
        ptr = [0]
        for keys in self._keys(texts, self._indices()[0]):
            ids = list(map(get, keys))
            if None in ids:
                for j, key in enumerate(keys):
                    if ids[j] is None:
                        found = get(key)
                        ids[j] = found if found is not None else self._add_key(table, key)
            cols.extend(ids)  # type: ignore[arg-type]
            ptr.append(len(cols))
        key_words, key_chars, key_lex = table.matrices()
        posts = sp.csr_matrix(
            (np.ones(len(cols)), np.asarray(cols, dtype=np.int32), np.asarray(ptr, dtype=np.int64)),
            shape=(len(texts), len(table)),
        )
        summed = np.asarray(posts @ key_lex)
        extra = np.array(
            [[t.count("!") / 2.0, 1.0 if "?" in t else 0.0] for t in texts], dtype=np.float64
        ).reshape(-1, 2)
        extra = np.hstack([extra, np.asarray(caps_counts(texts), dtype=np.float64)[:, None]])
        extra[:, [0, 2]] /= 1.0 + extra[:, [0, 2]]
        lex = np.hstack([summed / (1.0 + summed), extra]) * float(self.lexicon_weight)
        return sp.hstack(
            [
                _tfidf(posts @ key_words, self.word_idf_),
                _tfidf(posts @ key_chars, self.char_idf_),
                sp.csr_matrix(lex),
            ],
            format="csr",
        )

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        words = self.word_features_.split("\n") if self.word_features_ else []
        chars = self.char_features_.split("\n") if self.char_features_ else []
        names = [f"word:{w}" for w in words] + [f"char:{c}" for c in chars]
        return np.asarray(names + list(LEXICON_COLUMNS), dtype=object)


def _ptr(lengths: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    counts = sp.csr_matrix(counts)
    np.log(counts.data, out=counts.data)
    counts.data += 1.0
    counts.data *= idf[counts.indices]
    result: sp.csr_matrix = l2_normalize(counts, copy=False)
    return result

"""Column-wise normalisers for the optional mention fields (vectorised, chunk by chunk).

Each takes the raw values of one column as read (strings from CSV, Python
objects from JSON Lines, typed Arrow values from Parquet) and returns the
normalised column plus a boolean mask of the rows whose value is unusable.

>>> import pandas as pd
>>> kinds, bad = parse_kind(pd.Series(["Retweet", " reply ", "story", None]))
>>> kinds.tolist(), bad.tolist()
(['repost', 'reply', <NA>, <NA>], [False, False, True, False])
>>> polarity, bad = parse_sentiment(pd.Series(["negativ", "0,5", "positive", "meh", "7"]))
>>> polarity.tolist(), bad.tolist()
([-1.0, 0.5, 1.0, <NA>, <NA>], [False, False, False, True, True])
>>> reach, bad = parse_reach(pd.Series(["1200", "1200.0", "many", "-3", ""]))
>>> reach.tolist(), bad.tolist()
([1200, 1200, <NA>, <NA>, <NA>], [False, False, True, True, False])
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from warning.records import MENTION_KINDS

__all__ = [
    "KIND_ALIASES",
    "NULL_TOKENS",
    "SENTIMENT_LABELS",
    "as_mask",
    "as_strings",
    "clean_strings",
    "has_replacement",
    "missing_strings",
    "parse_kind",
    "parse_reach",
    "parse_sentiment",
]

#: Values that mean "unknown" in the typed optional columns (reach, kind, sentiment).
NULL_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "—"})

KIND_ALIASES: dict[str, str] = {
    **{kind: kind for kind in MENTION_KINDS},
    **dict.fromkeys(("original", "tweet", "status", "posting", "beitrag", "original_post"), "post"),
    **dict.fromkeys(("retweet", "rt", "share", "reshare", "reblog", "boost", "geteilt"), "repost"),
    **dict.fromkeys(("comment", "answer", "response", "antwort", "kommentar"), "reply"),
    **dict.fromkeys(("quote_tweet", "quoted", "quote_post", "zitat"), "quote"),
}

SENTIMENT_LABELS: dict[str, float] = {
    **dict.fromkeys(("negative", "negativ", "neg"), -1.0),
    **dict.fromkeys(("neutral", "neu", "mixed", "gemischt"), 0.0),
    **dict.fromkeys(("positive", "positiv", "pos"), 1.0),
}

_SURROGATES = re.compile("[\ud800-\udfff]")
_WHOLE = r"\+?\d{1,18}(?:\.0*)?"
_DECIMAL_COMMA = r"[+-]?\d+,\d+"


def as_mask(values: Any) -> np.ndarray:
    """A plain numpy bool array from a pandas/arrow boolean result (NA counts as False)."""
    if isinstance(values, np.ndarray) and values.dtype == bool:
        return values
    return np.asarray(pd.array(values, dtype="boolean").fillna(False), dtype=bool)


def missing_strings(n: int) -> pd.Series:
    """``n`` unknown values as a ``string`` series (cheap)."""
    series: pd.Series = pa.nulls(n, pa.large_string()).to_pandas(
        types_mapper=lambda _: pd.StringDtype()
    )
    return series


def _missing_numbers(n: int, dtype: str) -> pd.Series:
    return pd.Series(pd.array(np.full(n, np.nan), dtype="Float64")).astype(dtype)


def _object_to_text(value: Any) -> tuple[str | None, bool]:
    """(text or None, wrong type?) for one JSON/Python value."""
    if value is None or value is pd.NA:
        return None, False
    if isinstance(value, str):
        return (_SURROGATES.sub("\ufffd", value) if not value.isascii() else value), False
    if isinstance(value, bool):
        return None, True
    if isinstance(value, int):
        return str(value), False
    if isinstance(value, float):
        if math.isnan(value):
            return None, False
        return (str(int(value)) if value.is_integer() else repr(value)), False
    return None, True


def as_strings(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Raw values as a ``string`` series, and which rows held a non-scalar or boolean."""
    n = len(raw)
    if isinstance(raw.dtype, pd.StringDtype):
        return raw.reset_index(drop=True), np.zeros(n, dtype=bool)
    if isinstance(raw.dtype, pd.ArrowDtype) and pa.types.is_null(raw.dtype.pyarrow_dtype):
        return missing_strings(n), np.zeros(n, dtype=bool)
    values = raw.to_numpy(dtype=object)
    try:  # the common case: only strings and nulls, converted in one go
        array = pa.array(values, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowException, UnicodeEncodeError):
        pass
    else:
        series: pd.Series = array.to_pandas(types_mapper=lambda _: pd.StringDtype())
        return series, np.zeros(n, dtype=bool)
    texts: list[str | None] = [None] * n
    wrong = np.zeros(n, dtype=bool)
    for i, value in enumerate(values):
        texts[i], wrong[i] = _object_to_text(value)
    return pd.Series(pd.array(texts, dtype="string")), wrong


def clean_strings(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Trimmed strings with empty values as NA, and the wrong-type mask."""
    if as_mask(raw.isna()).all():
        return missing_strings(len(raw)), np.zeros(len(raw), dtype=bool)
    text, wrong = as_strings(raw)
    text = text.str.strip()
    return text.mask(as_mask(text.str.len() == 0)), wrong


def has_replacement(text: pd.Series) -> np.ndarray:
    """Rows whose text contains U+FFFD, the mark of undecodable bytes."""
    return as_mask(text.str.contains("\ufffd", regex=False))


def _tokens(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Lower-cased trimmed strings with null tokens as NA, and the wrong-type mask."""
    text, wrong = as_strings(raw)
    text = text.str.strip().str.lower()
    return text.mask(as_mask(text.isin(NULL_TOKENS))), wrong


def _lookup(
    tokens: pd.Series, table: dict[str, Any], dtype: Literal["string", "Float64"]
) -> pd.Series:
    """``table[token]`` for each token (NA where absent), vectorised in Arrow."""
    keys = list(table)
    position = pc.index_in(pa.array(tokens.array), value_set=pa.array(keys, pa.large_string()))
    values = pa.array([table[key] for key in keys]).take(position)
    target = pd.StringDtype() if dtype == "string" else pd.Float64Dtype()
    series: pd.Series = values.to_pandas(types_mapper=lambda _: target)
    return series


def parse_kind(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """``post``/``repost``/``reply``/``quote`` (common synonyms mapped), else bad."""
    if as_mask(raw.isna()).all():
        return missing_strings(len(raw)), np.zeros(len(raw), dtype=bool)
    tokens, wrong = _tokens(raw)
    mapped = _lookup(tokens, KIND_ALIASES, "string")
    unknown = as_mask(tokens.notna()) & as_mask(mapped.isna())
    if unknown.any():  # second chance for spellings like "Quote Tweet" or "re-post"
        keys = tokens[unknown].str.replace(r"[\s\-]+", "_", regex=True)
        mapped[unknown] = _lookup(keys, KIND_ALIASES, "string").to_numpy()
        unknown = as_mask(tokens.notna()) & as_mask(mapped.isna())
    return mapped, wrong | unknown


def _numeric(raw: pd.Series) -> pd.Series | None:
    """A float view of a numeric (non-boolean) column, or ``None`` for other columns."""
    if pd.api.types.is_bool_dtype(raw.dtype) or not pd.api.types.is_numeric_dtype(raw.dtype):
        return None
    return pd.Series(raw.to_numpy(dtype="float64", na_value=np.nan))


def _cast_float(tokens: pd.Series) -> pd.Series:
    """Numbers written as text to float64 (NaN where not a number), fast when all are numbers."""
    try:
        values = pa.array(tokens.array).cast(pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.to_numeric(tokens, errors="coerce").astype("float64")
    return pd.Series(values.to_numpy(zero_copy_only=False))


def parse_reach(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Followers as a non-negative whole number (``1200`` or ``1200.0``), else bad."""
    if as_mask(raw.isna()).all():
        return _missing_numbers(len(raw), "Int64"), np.zeros(len(raw), dtype=bool)
    numbers = _numeric(raw)
    if numbers is None:
        tokens, wrong = _tokens(raw)
        digits = as_mask(tokens.str.fullmatch(_WHOLE))
        numbers = pd.Series(np.full(len(tokens), np.nan))
        numbers[digits] = _cast_float(tokens[digits].str.lstrip("+")).to_numpy()
        bad = wrong | (as_mask(tokens.notna()) & ~digits)
    else:
        bad = np.zeros(len(numbers), dtype=bool)
    values = numbers.to_numpy(dtype="float64")
    known = ~np.isnan(values)
    bad |= known & ((values < 0) | (values != np.floor(values)) | (values > 2**62))
    values = np.where(bad, np.nan, values)
    return pd.Series(pd.array(values, dtype="Float64")).astype("Int64"), bad


def parse_sentiment(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """An upstream polarity in [-1, 1]: numbers kept, labels mapped, anything else bad."""
    if as_mask(raw.isna()).all():
        return _missing_numbers(len(raw), "Float64"), np.zeros(len(raw), dtype=bool)
    numbers = _numeric(raw)
    if numbers is None:
        tokens, wrong = _tokens(raw)
        comma = as_mask(tokens.str.fullmatch(_DECIMAL_COMMA))
        if comma.any():
            tokens[comma] = tokens[comma].str.replace(",", ".", regex=False)
        labels = _lookup(tokens, SENTIMENT_LABELS, "Float64").astype("float64")
        numbers = _cast_float(tokens.mask(as_mask(labels.notna())))
        numbers = numbers.fillna(labels)
        bad = wrong | (as_mask(tokens.notna()) & numbers.isna().to_numpy())
    else:
        bad = np.zeros(len(numbers), dtype=bool)
    values = numbers.to_numpy(dtype="float64")
    known = ~np.isnan(values)
    bad |= known & ~((values >= -1.0) & (values <= 1.0))
    values = np.where(bad, np.nan, values)
    return pd.Series(pd.array(values, dtype="Float64")), bad

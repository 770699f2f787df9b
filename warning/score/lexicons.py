"""Polarity lexicons and crisis terms, baked into the model when it is trained.

A :class:`Lexicon` is a plain value: term polarities in three columns (``en``
from the VADER lexicon, ``de`` from the German Polarity Lexicon, ``emoji``) plus
our own crisis terms with a match mode. It travels inside the model artifact, so
scoring never needs the packages the lexicons were read from; those readers
(:mod:`warning.score.sources`) run at training time only.

Lookups are forgiving where German needs it: inflected forms fall back to the
stem ("schlechte" → "schlecht") and compounds to their head
("Kundenservicekatastrophe" → "katastrophe").

>>> lex = Lexicon({"schlecht": (0.0, -0.5, 0.0), "katastrophe": (0.0, -1.0, 0.0)},
...               [CrisisTerm("boykott", 0.8, "part")])
>>> lex.values("schlechten")
(0.0, -0.5, 0.0, 0.0)
>>> lex.values("#boykottkaufgut")
(0.0, 0.0, 0.0, 0.8)
>>> lex.values("servicekatastrophe")[1]
-1.0
>>> len(lex), len(lex.crisis_terms())
(2, 1)
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from warning.errors import InputError

__all__ = ["CrisisTerm", "Lexicon", "MatchMode", "read_crisis_terms"]

MatchMode = Literal["word", "prefix", "part"]
_MODES: tuple[str, ...] = ("word", "prefix", "part")
_LANGS: tuple[str, ...] = ("de", "en", "any")
#: German inflection endings tried, longest first, when a word is not in the lexicon.
_ENDINGS = (
    "esten",
    "sten",
    "ster",
    "eren",
    "erer",
    "ern",
    "ere",
    "en",
    "em",
    "er",
    "es",
    "e",
    "n",
    "s",
)
_MIN_STEM = 4
_MIN_HEAD = 5


@dataclass(frozen=True, slots=True)
class CrisisTerm:
    """One entry of the crisis-term list: how strongly ``term`` signals a storm."""

    term: str
    weight: float
    match: MatchMode = "word"
    lang: str = "any"

    def matches(self, token: str) -> bool:
        if self.match == "word":
            return token == self.term
        if self.match == "prefix":
            return token.startswith(self.term)
        return self.term in token


class Lexicon:
    """Term polarities (``en``, ``de``, ``emoji`` in [-1, 1]) and crisis terms.

    Stored compactly (one joined string of terms, one float array) so that the
    model artifact stays small; the lookup table is rebuilt on first use.
    """

    columns: tuple[str, ...] = ("en", "de", "emoji")

    def __init__(
        self,
        polarity: Mapping[str, tuple[float, float, float]] | None = None,
        crisis: Iterable[CrisisTerm] = (),
    ) -> None:
        polarity = polarity or {}
        self.terms = "\n".join(polarity)
        self.polarities = np.asarray(list(polarity.values()), dtype=np.float32).reshape(-1, 3)
        self.crisis = "\n".join(f"{c.term}\t{c.weight:g}\t{c.match}\t{c.lang}" for c in crisis)
        self._reset()

    def _reset(self) -> None:
        self._index: dict[str, tuple[float, float, float]] | None = None
        self._crisis: list[CrisisTerm] | None = None
        self._matcher: (
            tuple[dict[str, float], dict[str, float], dict[str, float], re.Pattern[str] | None]
            | None
        ) = None

    def __len__(self) -> int:
        return 0 if not self.terms else self.terms.count("\n") + 1

    def __getstate__(self) -> dict[str, Any]:
        return {"terms": self.terms, "polarities": self.polarities, "crisis": self.crisis}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.terms = state["terms"]
        self.polarities = state["polarities"]
        self.crisis = state["crisis"]
        self._reset()

    def __repr__(self) -> str:
        return f"Lexicon(<{len(self)} polar terms, {len(self.crisis_terms())} crisis terms>)"

    def index(self) -> dict[str, tuple[float, float, float]]:
        """Term → (en, de, emoji) polarity."""
        if self._index is None:
            terms = self.terms.split("\n") if self.terms else []
            rows = [tuple(float(v) for v in row) for row in self.polarities.tolist()]
            self._index = dict(zip(terms, rows, strict=True))  # type: ignore[arg-type]
        return self._index

    def crisis_terms(self) -> list[CrisisTerm]:
        if self._crisis is None:
            out = []
            for line in self.crisis.split("\n") if self.crisis else []:
                term, weight, match, lang = line.split("\t")
                out.append(CrisisTerm(term, float(weight), match, lang))  # type: ignore[arg-type]
            self._crisis = out
        return self._crisis

    def values(self, token: str) -> tuple[float, float, float, float]:
        """(en, de, emoji, crisis) for one normalised token; zeros when unknown."""
        word = token.lstrip("#")
        index = self.index()
        en, de, emoji = index.get(word, (0.0, 0.0, 0.0))
        if de == 0.0 and word.isalpha():
            de = _german_fallback(word, index)
        return (en, de, emoji, self._crisis_weight(word))

    def _crisis_weight(self, word: str) -> float:
        """Highest weight of the crisis terms matching ``word`` (see :class:`CrisisTerm`)."""
        if self._matcher is None:
            by_mode: dict[str, dict[str, float]] = {mode: {} for mode in _MODES}
            for term in self.crisis_terms():
                table = by_mode[term.match]
                table[term.term] = max(term.weight, table.get(term.term, 0.0))
            longest_first = sorted(by_mode["part"], key=len, reverse=True)
            pattern = re.compile("|".join(map(re.escape, longest_first))) if longest_first else None
            self._matcher = (by_mode["word"], by_mode["prefix"], by_mode["part"], pattern)
        words, prefixes, inner, pattern = self._matcher
        best = words.get(word, 0.0)
        for end in range(1, len(word) + 1):
            weight = prefixes.get(word[:end])
            if weight is not None and weight > best:
                best = weight
        if pattern is not None and pattern.search(word) is not None:
            best = max(best, *(w for t, w in inner.items() if t in word))
        return best

    def merged(self, other: Lexicon) -> Lexicon:
        """A lexicon with ``other``'s non-zero polarities laid over ours, crisis terms joined."""
        table = dict(self.index())
        for term, row in other.index().items():
            old = table.get(term, (0.0, 0.0, 0.0))
            table[term] = (
                row[0] or old[0],
                row[1] or old[1],
                row[2] or old[2],
            )
        return Lexicon(table, [*self.crisis_terms(), *other.crisis_terms()])


def _german_fallback(word: str, index: Mapping[str, tuple[float, float, float]]) -> float:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            row = index.get(word[: -len(ending)])
            if row is not None and row[1] != 0.0:
                return row[1]
    for start in range(1, len(word) - _MIN_HEAD + 1):
        row = index.get(word[start:])
        if row is not None and row[1] != 0.0:
            return row[1]
    return 0.0


def read_crisis_terms(path: Path) -> list[CrisisTerm]:
    """Read the crisis-term list (TSV: term, lang, weight, match; ``#`` comments)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise InputError(f"{path}: cannot read the crisis-term list ({err.strerror})") from None
    rows = [(n, line) for n, line in enumerate(lines, 1) if line and not line.startswith("#")]
    reader = csv.reader([line for _, line in rows], delimiter="\t")
    terms: list[CrisisTerm] = []
    for (lineno, _), fields in zip(rows, reader, strict=True):
        if fields == ["term", "lang", "weight", "match"]:
            continue
        where = f"{path}:{lineno}"
        if len(fields) != 4:
            raise InputError(f"{where}: a crisis term needs 4 tab-separated fields. Got {fields!r}")
        term, lang, weight, match = fields
        if lang not in _LANGS:
            raise InputError(f"{where}: lang must be one of {', '.join(_LANGS)}. Got {lang!r}")
        if match not in _MODES:
            raise InputError(f"{where}: match must be one of {', '.join(_MODES)}. Got {match!r}")
        try:
            value = float(weight)
        except ValueError:
            value = float("nan")
        if not 0.0 <= value <= 1.0:
            raise InputError(f"{where}: weight must be a number in [0, 1]. Got {weight!r}")
        terms.append(CrisisTerm(term.lower(), value, match, lang))  # type: ignore[arg-type]
    return terms

"""Training-time readers for the lexicons that ship inside other packages.

Only ``shitstorm model train`` uses these (install the ``train`` extra); the
files are located with :func:`importlib.util.find_spec` and read directly, never
imported, so a broken import in those packages does not matter.

- VADER lexicon and emoji lexicon (``vaderSentiment`` package, MIT licence):
  valences on a -4..4 scale, divided by 4 here.
- German Polarity Lexicon, Klenner, Clematide, Wiegand and Peters (2010), XML
  version in ``textblob-de`` (Apache-2.0): polarities in -1..1.
- Our crisis-term list ``data/lexicon/crisis_terms.tsv``.
"""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from warning.errors import ModelError
from warning.score.lexicons import Lexicon, read_crisis_terms

__all__ = [
    "CHECKOUT",
    "crisis_terms_path",
    "german_polarity",
    "package_file",
    "training_lexicon",
    "vader_emoji",
    "vader_valences",
]

#: The source checkout this package lives in (data/ and models/ sit next to it).
CHECKOUT = Path(__file__).resolve().parents[2]


def package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, without importing the package."""
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location).joinpath(*parts)
        if path.is_file():
            return path
    raise ModelError(
        f"{package}/{'/'.join(parts)} not found; training needs the lexicon packages: "
        "pip install 'shitstorm[train]'"
    )


def crisis_terms_path() -> Path:
    return CHECKOUT / "data" / "lexicon" / "crisis_terms.tsv"


def vader_valences() -> dict[str, float]:
    """VADER's word and emoticon valences, lower-cased, scaled to [-1, 1]."""
    path = package_file("vaderSentiment", "vader_lexicon.txt")
    out: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and fields[0]:
            out[fields[0].lower()] = max(-1.0, min(1.0, float(fields[1]) / 4.0))
    return out


def vader_emoji(valences: dict[str, float]) -> dict[str, float]:
    """Emoji polarity: VADER's emoji descriptions scored with VADER's own valences."""
    path = package_file("vaderSentiment", "emoji_utf8_lexicon.txt")
    out: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        emoji, _, description = line.partition("\t")
        emoji = emoji.replace("\ufe0f", "")
        score = sum(valences.get(word, 0.0) for word in description.lower().split())
        if emoji and score and len(emoji) == 1:
            out[emoji] = max(-1.0, min(1.0, score))
    return out


def german_polarity() -> dict[str, float]:
    """German Polarity Lexicon, lower-cased; forms that clash are averaged."""
    path = package_file("textblob_de", "data", "de-sentiment.xml")
    sums: dict[str, list[float]] = defaultdict(list)
    for word in ET.parse(path).getroot().iter("word"):
        form = (word.get("form") or "").strip().lower()
        polarity = float(word.get("polarity") or 0.0)
        if form and polarity:
            sums[form].append(polarity)
    return {form: sum(v) / len(v) for form, v in sums.items()}


def training_lexicon(
    crisis_terms: Path | None = None, *, vader: bool = True, german: bool = True
) -> Lexicon:
    """The full lexicon the shipped model is trained with."""
    table: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    if vader:
        valences = vader_valences()
        for term, value in valences.items():
            table[term][0] = value
        for emoji, value in vader_emoji(valences).items():
            table[emoji][2] = value
    if german:
        for term, value in german_polarity().items():
            table[term][1] = value
    crisis = read_crisis_terms(crisis_terms or crisis_terms_path())
    polarity = {term: (row[0], row[1], row[2]) for term, row in sorted(table.items())}
    return Lexicon(polarity, crisis)

"""Tokens, negation scope, lexicon lookups and the crisis-term list."""

from __future__ import annotations

from pathlib import Path

import pytest

from warning.errors import InputError
from warning.score.features import LEXICON_COLUMNS, TextFeatures
from warning.score.lexicons import CrisisTerm, Lexicon, read_crisis_terms
from warning.score.text import (
    caps_counts,
    negation_scope,
    normalize,
    squeeze,
    tokenize,
    tokenize_many,
)

ROOT = Path(__file__).resolve().parents[2]


def test_tokens_keep_hashtags_emoticons_emoji_and_compounds() -> None:
    tokens = tokenize(
        normalize("@Telvia WTF?! #BoykottKaufgut Kaufgut-Boykott :( 👏👏 sooooo 0815")
    )
    assert tokens == [
        "@user",
        "wtf",
        "?",
        "!",
        "#boykottkaufgut",
        "kaufgut-boykott",
        ":(",
        "👏",
        "👏",
        "sooooo",
        "0000",
    ]
    assert squeeze("sooooo") == "sooo" and squeeze("¬guuuut geil") == "¬guuut geil"


def test_english_contractions_become_a_negator() -> None:
    assert tokenize(normalize("It isn't good, don’t buy")) == [
        "it",
        "is",
        "not",
        "good",
        ",",
        "do",
        "not",
        "buy",
    ]


def test_shouted_words_are_counted_per_text() -> None:
    texts = ["NIE WIEDER!", "ok", "Die DB (ÖBB) ist TOLL", "", "xNEINx ABC"]
    assert caps_counts(texts) == [2, 0, 2, 0, 1]


def test_batch_tokenisation_equals_one_by_one() -> None:
    texts = ["Nie wieder!", "", "a\x01b https://x.y/z ende", "Zeile\nzwei"]
    assert tokenize_many(texts) == [tokenize(normalize(t.replace("\x01", " "))) for t in texts]
    assert tokenize_many([]) == []


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("das ist nicht schlecht", ["schlecht"]),
        ("kein problem mehr seit dem update", ["problem", "mehr", "seit"]),
        ("nicht zufrieden, echt mies", ["zufrieden"]),
        ("das essen schmeckt mir nicht.", ["schmeckt", "mir"]),
        ("not bad but expensive", ["bad"]),
        ("richtig gut", []),
    ],
)
def test_negation_scope(text: str, negated: list[str]) -> None:
    tokens = tokenize(text)
    scope = negation_scope(tokens)
    assert [t for t, s in zip(tokens, scope, strict=True) if s] == negated


def test_lexicon_german_fallbacks_and_crisis_match_modes() -> None:
    lexicon = Lexicon(
        {"schlecht": (0.0, -0.5, 0.0), "skandal": (0.0, -1.0, 0.0)},
        [
            CrisisTerm("lüge", 0.8, "word"),
            CrisisTerm("lügner", 1.0, "prefix"),
            CrisisTerm("abzocke", 0.9, "part"),
        ],
    )
    assert lexicon.values("schlechtesten")[1] == -0.5
    assert lexicon.values("datenskandal")[1] == -1.0
    assert lexicon.values("flüge") == (0.0, 0.0, 0.0, 0.0)  # "lüge" is a whole-word term
    assert lexicon.values("lügnerbande")[3] == 1.0
    assert lexicon.values("#kundenabzocke")[3] == 0.9


def test_lexicon_survives_pickling_protocol_without_caches() -> None:
    lexicon = Lexicon({"gut": (0.0, 1.0, 0.0)}, [CrisisTerm("boykott", 0.8, "part")])
    lexicon.values("gut")  # builds the caches
    state = lexicon.__getstate__()
    assert set(state) == {"terms", "polarities", "crisis"}
    copy = Lexicon.__new__(Lexicon)
    copy.__setstate__(state)
    assert copy.values("boykottaufruf") == (0.0, 0.0, 0.0, 0.8)
    merged = copy.merged(Lexicon({"mies": (0.0, -1.0, 0.0)}))
    assert len(merged) == 2 and len(merged.crisis_terms()) == 1


def test_shipped_crisis_terms_parse() -> None:
    terms = read_crisis_terms(ROOT / "data" / "lexicon" / "crisis_terms.tsv")
    names = {t.term for t in terms}
    assert {"shitstorm", "boykott", "rückruf", "datenleck", "greenwashing", "abzocke"} <= names
    assert len(names) == len(terms) > 150
    assert all(0 <= t.weight <= 1 for t in terms)


def test_crisis_term_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "terms.tsv"
    bad.write_text("term\tlang\tweight\tmatch\nboykott\tde\t1.5\tpart\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_crisis_terms(bad)
    assert str(err.value) == f"{bad}:2: weight must be a number in [0, 1]. Got '1.5'"
    bad.write_text("boykott\tfr\t0.5\tpart\n", encoding="utf-8")
    with pytest.raises(InputError, match=r":1: lang must be one of de, en, any. Got 'fr'"):
        read_crisis_terms(bad)


def test_features_have_named_columns_and_negated_words() -> None:
    features = TextFeatures(min_df=1).fit(["gar nicht schlecht", "echt schlecht 😡", "LOL!!"])
    names = list(features.get_feature_names_out())
    assert names[-len(LEXICON_COLUMNS) :] == list(LEXICON_COLUMNS)
    assert {"word:¬schlecht", "word:schlecht", "word:echt schlecht", "char: 😡 "} <= set(names)
    matrix = features.transform(["nicht schlecht", "SCHLECHT!!!"])
    assert matrix.shape == (2, len(names))
    row = dict(zip(names, matrix.toarray()[1], strict=True))
    assert row["lex:caps"] == 0.5 and row["lex:exclamations"] > 0.5
    assert features.transform([]).shape == (0, len(names))

"""The model that ships in models/ loads from the default lookup and gets clear cases right."""

from __future__ import annotations

import pytest

from warning.records import NEGATIVE_THRESHOLD
from warning.score.artifact import find_model, installed_versions, load_model, read_card
from warning.score.model import NegativityModel

NEGATIVE = [
    "Nie wieder Nordbahn! Schon wieder zwei Stunden Verspätung, absolute Frechheit 😡",
    "Telvia hat meine Daten verloren und keiner entschuldigt sich. Ich kündige.",
    "Boykottiert diese Abzocker, die verarschen uns doch nur",
    "Worst airline ever. Lost my bag and nobody even answers. Never again!",
    "This is a scam. Boycott them, they treat their workers like garbage",
]
OTHER = [
    "Danke an das Team von Lumina Energie, super schnelle Hilfe!",
    "Wann hat die Filiale in Oberfeld am Samstag geöffnet?",
    "Thanks for the quick refund, great service as always",
    "Love the new flavour, well done Brenner!",
]


@pytest.fixture(scope="module")
def shipped(monkeypatch_module: pytest.MonkeyPatch) -> NegativityModel:
    return load_model()


@pytest.fixture(scope="module")
def monkeypatch_module() -> pytest.MonkeyPatch:
    patch = pytest.MonkeyPatch()
    patch.delenv("SHITSTORM_MODEL", raising=False)
    patch.delenv("SHITSTORM_MODEL_DIR", raising=False)
    yield patch  # type: ignore[misc]
    patch.undo()


def test_shipped_model_is_small_and_matches_installed_libraries(
    shipped: NegativityModel,
) -> None:
    path = find_model()
    assert path.stat().st_size < 5_000_000
    card = read_card(path)
    assert card["versions"]["scikit-learn"] == installed_versions()["scikit-learn"]
    assert card["metrics"]["holdout_de"]["n"] > 100
    assert shipped.lexicon is not None and len(shipped.lexicon) > 10_000


@pytest.mark.parametrize("text", NEGATIVE)
def test_clear_negatives(shipped: NegativityModel, text: str) -> None:
    assert shipped.negativity([text])[0] >= NEGATIVE_THRESHOLD


@pytest.mark.parametrize("text", OTHER)
def test_clear_others(shipped: NegativityModel, text: str) -> None:
    assert shipped.negativity([text])[0] < NEGATIVE_THRESHOLD


@pytest.mark.parametrize(
    ("negated", "plain"),
    [
        ("Das Essen war nicht schlecht", "Das Essen war schlecht"),
        ("Kein Problem mehr seit dem Update", "Problem seit dem Update"),
        ("honestly not bad for the price", "honestly bad for the price"),
    ],
)
def test_negation(shipped: NegativityModel, negated: str, plain: str) -> None:
    low, high = shipped.negativity([negated, plain])
    assert low < high

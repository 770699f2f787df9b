"""The skops artifact: round trip, version checks, corrupt and missing files, lookup order."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio

from warning.errors import ModelError, ModelVersionError
from warning.score.artifact import (
    CARD_FILE,
    MODEL_FILE,
    TRUSTED_TYPES,
    find_model,
    installed_versions,
    load_model,
    read_card,
    save_model,
)
from warning.score.model import NegativityModel

TRAINED_AT = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
TEXTS = ["Nie wieder Nordbahn, was für eine Zumutung", "Danke, super Service!", "", "😡"]


@pytest.fixture
def saved(small_model: NegativityModel, tmp_path: Path) -> Path:
    metrics = {"holdout_de": {"n": 3, "negative_share": 0.3, "macro_f1": 0.9,
                              "negative_pr_auc": 0.9, "accuracy": 0.9}}  # fmt: skip
    return save_model(
        small_model, tmp_path / "out", trained_at=TRAINED_AT, metrics=metrics, data={"files": []}
    )


def _rewrite_card(model_path: Path, **changes: object) -> None:
    card_path = model_path.with_name(CARD_FILE)
    card = json.loads(card_path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key in {"scikit-learn", "numpy", "skops"}:
            card["versions"][key] = value
        else:
            card[key] = value
    card_path.write_text(json.dumps(card), encoding="utf-8")


def test_round_trip_gives_identical_scores(small_model: NegativityModel, saved: Path) -> None:
    assert saved.name == MODEL_FILE and zipfile.is_zipfile(saved)
    loaded = load_model(saved)
    assert isinstance(loaded, NegativityModel)
    np.testing.assert_array_equal(loaded.negativity(TEXTS), small_model.negativity(TEXTS))
    assert loaded.get_params()["C"] == small_model.get_params()["C"]


def test_only_reviewed_types_are_needed(saved: Path) -> None:
    assert set(sio.get_untrusted_types(file=saved)) <= set(TRUSTED_TYPES)


def test_cards_record_versions_hashes_date_and_metrics(saved: Path) -> None:
    card = read_card(saved)
    assert card["versions"] == installed_versions()
    assert set(card["versions"]) == {"python", "scikit-learn", "skops", "numpy", "scipy"}
    assert card["trained_at"] == "2026-03-28T12:00:00Z"
    assert card["negative_class"] == "negative" and card["threshold"] == 0.5
    assert card["metrics"]["holdout_de"]["macro_f1"] == 0.9
    human = (saved.parent / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert card["sha256"] in human and "0.900" in human and "scikit-learn" in human


def test_other_scikit_learn_minor_is_refused_with_the_exact_message(saved: Path) -> None:
    _rewrite_card(saved, **{"scikit-learn": "1.8.2"})
    installed = metadata.version("scikit-learn")
    with pytest.raises(ModelVersionError) as err:
        load_model(saved)
    assert str(err.value) == (
        f"{saved}: model was trained with scikit-learn 1.8.2 but {installed} is installed; "
        "retrain it with `shitstorm model train` or install scikit-learn==1.8.*"
    )


def test_other_numpy_major_is_refused(saved: Path) -> None:
    _rewrite_card(saved, numpy="1.26.4")
    with pytest.raises(ModelVersionError, match=r"numpy 1\.26\.4 but .* install numpy==1\.\*$"):
        load_model(saved)


def test_patch_releases_are_accepted(saved: Path) -> None:
    major, minor = metadata.version("scikit-learn").split(".")[:2]
    _rewrite_card(saved, **{"scikit-learn": f"{major}.{minor}.99"})
    assert isinstance(load_model(saved), NegativityModel)


def test_corrupt_file_is_refused(saved: Path) -> None:
    data = bytearray(saved.read_bytes())
    data[len(data) // 2] ^= 0xFF
    saved.write_bytes(bytes(data))
    with pytest.raises(ModelError) as err:
        load_model(saved)
    assert str(err.value) == f"{saved}: file does not match the SHA-256 in its model card"


def test_unreadable_file_matching_its_card_is_one_line(saved: Path) -> None:
    saved.write_bytes(b"not a zip at all")
    from warning.score.data import file_sha256

    _rewrite_card(saved, sha256=file_sha256(saved))
    with pytest.raises(ModelError) as err:
        load_model(saved)
    assert str(err.value) == f"{saved}: not a readable skops model (BadZipFile)"


def test_missing_file_and_missing_card(tmp_path: Path, saved: Path) -> None:
    with pytest.raises(ModelError) as err:
        load_model(tmp_path / "nope.skops")
    assert str(err.value) == (
        f"{tmp_path / 'nope.skops'}: model file not found; train one with `shitstorm model train`"
    )
    saved.with_name(CARD_FILE).unlink()
    with pytest.raises(ModelError, match=r"model card negativity\.card\.json is missing"):
        load_model(saved)


def test_untrusted_types_are_refused(tmp_path: Path) -> None:
    from collections import Counter

    path = tmp_path / "negativity.skops"
    sio.dump(Counter(a=1), path)
    from warning.score.data import file_sha256

    card = {"versions": installed_versions(), "sha256": file_sha256(path)}
    (tmp_path / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelError, match="refusing untrusted types"):
        load_model(path)


def test_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHITSTORM_MODEL", raising=False)
    monkeypatch.delenv("SHITSTORM_MODEL_DIR", raising=False)
    default = find_model()
    assert default.name == MODEL_FILE
    monkeypatch.setenv("SHITSTORM_MODEL_DIR", str(tmp_path))
    assert find_model() == tmp_path / MODEL_FILE
    monkeypatch.setenv("SHITSTORM_MODEL", str(tmp_path / "x.skops"))
    assert find_model() == tmp_path / "x.skops"
    assert find_model(tmp_path / "explicit.skops") == tmp_path / "explicit.skops"

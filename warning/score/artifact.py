"""The model artifact: a skops file, a machine-readable card and a human one.

``models/negativity.skops`` is written with :mod:`skops.io` (a zip of JSON and
numpy arrays, never a pickle) and loaded with an explicit, reviewed list of
trusted types (:data:`TRUSTED_TYPES`). Next to it,
``negativity.card.json`` records the library versions, the SHA-256 of the
model file and of the training data, the training date and the held-out
metrics; ``MODEL_CARD.md`` says the same for people.

Loading refuses a model whose card names another scikit-learn major.minor, or
another numpy or skops major, than the installed ones
(:class:`~warning.errors.ModelVersionError`), and a file that is missing, does
not match its card or cannot be read (:class:`~warning.errors.ModelError`).

:func:`find_model` looks, in order, at the explicit path, ``$SHITSTORM_MODEL``
(a file), ``$SHITSTORM_MODEL_DIR`` (a folder), the installed package data
``warning._models`` and the checkout's ``models/`` folder.
"""

from __future__ import annotations

import json
import os
import platform
import zipfile
from datetime import datetime
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from warning.errors import ModelError, ModelVersionError
from warning.records import isoformat_utc
from warning.score.card import render_model_card
from warning.score.data import file_sha256
from warning.score.model import NegativityModel

__all__ = [
    "CARD_FILE",
    "MODEL_FILE",
    "TRUSTED_TYPES",
    "check_versions",
    "find_model",
    "installed_versions",
    "load_model",
    "read_card",
    "save_model",
]

MODEL_FILE = "negativity.skops"
CARD_FILE = "negativity.card.json"
HUMAN_CARD = "MODEL_CARD.md"

#: Types outside skops' default trust list that the model may contain. Reviewed:
#: our three classes hold only strings, numbers, numpy arrays and scikit-learn
#: objects and run no code when restored (``__setstate__`` only resets caches);
#: the scikit-learn ones are the calibration internals and the fold splitter.
TRUSTED_TYPES: tuple[str, ...] = (
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.model_selection._split.StratifiedKFold",
    "warning.score.features.TextFeatures",
    "warning.score.lexicons.Lexicon",
    "warning.score.model.NegativityModel",
)
_RETRAIN = "shitstorm model train"


def installed_versions() -> dict[str, str]:
    """Versions that must match between training and loading (and python, for the record)."""
    out = {"python": platform.python_version()}
    for name in ("scikit-learn", "skops", "numpy", "scipy"):
        out[name] = metadata.version(name)
    return out


def _major_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _major(version: str) -> str:
    return version.split(".")[0]


def check_versions(card: dict[str, Any], where: Path) -> None:
    """Raise ModelVersionError when the card's libraries do not match the installed ones."""
    trained = card.get("versions")
    if not isinstance(trained, dict):
        raise ModelError(f"{where}: model card has no 'versions' section")
    installed = installed_versions()
    rules = (("scikit-learn", _major_minor, ".*"), ("numpy", _major, ".*"), ("skops", _major, ".*"))
    for name, part, pin in rules:
        was = str(trained.get(name, "unknown"))
        now = installed[name]
        if part(was) != part(now):
            raise ModelVersionError(
                f"{where}: model was trained with {name} {was} but {now} is installed; "
                f"retrain it with `{_RETRAIN}` or install {name}=={part(was)}{pin}"
            )


def save_model(
    model: NegativityModel,
    out_dir: Path,
    *,
    trained_at: datetime,
    metrics: dict[str, dict[str, float]],
    data: dict[str, Any],
) -> Path:
    """Write the skops file and both cards into ``out_dir``; returns the model path."""
    import skops.io as sio

    if not hasattr(model, "pipeline_"):
        raise ModelError("save_model needs a fitted NegativityModel")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / MODEL_FILE
    tmp = path.with_suffix(".skops.tmp")
    sio.dump(model, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    untrusted = set(sio.get_untrusted_types(file=tmp)) - set(TRUSTED_TYPES)
    if untrusted:
        tmp.unlink()
        raise ModelError(
            f"model contains types outside TRUSTED_TYPES: {', '.join(sorted(untrusted))}"
        )
    tmp.replace(path)
    params = {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in model.get_params().items()
        if k != "lexicon"
    }
    lexicon = model.lexicon
    card = {
        "name": "negativity",
        "format": "skops",
        "file": MODEL_FILE,
        "sha256": file_sha256(path),
        "size_bytes": path.stat().st_size,
        "trained_at": isoformat_utc(trained_at),
        "versions": installed_versions(),
        "classes": [str(c) for c in model.classes_],
        "negative_class": str(model.classes_[model.negative_index_]),
        "threshold": 0.5,
        "params": params,
        "lexicon": {
            "polar_terms": len(lexicon) if lexicon is not None else 0,
            "crisis_terms": len(lexicon.crisis_terms()) if lexicon is not None else 0,
        },
        "features": len(model.pipeline_.named_steps["features"].get_feature_names_out()),
        "data": data,
        "metrics": metrics,
        "trusted_types": list(TRUSTED_TYPES),
    }
    (out_dir / CARD_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", "utf-8")
    (out_dir / HUMAN_CARD).write_text(render_model_card(card), encoding="utf-8")
    return path


def _packaged() -> Path | None:
    try:
        candidate = Path(str(resources.files("warning._models"))) / MODEL_FILE
    except ModuleNotFoundError:
        return None
    return candidate if candidate.is_file() else None


def find_model(path: str | Path | None = None) -> Path:
    """Where the model is: explicit path, $SHITSTORM_MODEL, $SHITSTORM_MODEL_DIR, package, checkout."""
    if path is not None:
        return Path(path)
    env_file = os.environ.get("SHITSTORM_MODEL")
    if env_file:
        return Path(env_file)
    env_dir = os.environ.get("SHITSTORM_MODEL_DIR")
    if env_dir:
        return Path(env_dir) / MODEL_FILE
    packaged = _packaged()
    if packaged is not None:
        return packaged
    return Path(__file__).resolve().parents[2] / "models" / MODEL_FILE


def read_card(model_path: Path) -> dict[str, Any]:
    """The JSON card next to a model file (``x.skops`` → ``x.card.json``)."""
    card_path = model_path.with_name(model_path.name.removesuffix(".skops") + ".card.json")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{model_path}: model card {card_path.name} is missing") from None
    except (OSError, ValueError) as err:
        raise ModelError(f"{card_path}: model card is not readable JSON ({err})") from None
    if not isinstance(card, dict):
        raise ModelError(f"{card_path}: model card must be a JSON object")
    return card


def load_model(path: str | Path | None = None) -> NegativityModel:
    """Load the negativity model safely; see the module docstring for the rules."""
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    model_path = find_model(path)
    if not model_path.is_file():
        raise ModelError(f"{model_path}: model file not found; train one with `{_RETRAIN}`")
    card = read_card(model_path)
    check_versions(card, model_path)
    if card.get("sha256") != file_sha256(model_path):
        raise ModelError(f"{model_path}: file does not match the SHA-256 in its model card")
    try:
        model = sio.load(model_path, trusted=list(TRUSTED_TYPES))
    except UntrustedTypesFoundException as err:
        raise ModelError(f"{model_path}: refusing untrusted types ({err})") from None
    except Exception as err:  # a damaged zip or schema: one line, no traceback
        raise ModelError(
            f"{model_path}: not a readable skops model ({type(err).__name__})"
        ) from None
    if not isinstance(model, NegativityModel):
        raise ModelError(f"{model_path}: holds a {type(model).__name__}, not a NegativityModel")
    return model

"""Where the bundled defaults live: the model, the example playbooks, the demo incidents.

In a wheel (``pip install .``) the top-level folders ``models/``, ``playbooks/`` and
``data/incidents/`` ship inside the package as ``warning._models``,
``warning._playbooks`` and ``warning._incidents``. In a checkout (editable install
or plain ``PYTHONPATH``) the folders next to the package are used. An environment
variable overrides each: ``SHITSTORM_MODEL_DIR``, ``SHITSTORM_PLAYBOOKS``,
``SHITSTORM_INCIDENT_DIR``.

>>> asset_dir("models").name in {"models", "_models"}
True
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Literal

from warning.errors import InputError

__all__ = ["AssetKind", "asset_dir"]

AssetKind = Literal["models", "playbooks", "incidents"]

_PACKAGED = {
    "models": "warning._models",
    "playbooks": "warning._playbooks",
    "incidents": "warning._incidents",
}
_CHECKOUT = {"models": ("models",), "playbooks": ("playbooks",), "incidents": ("data", "incidents")}
_ENV = {
    "models": "SHITSTORM_MODEL_DIR",
    "playbooks": "SHITSTORM_PLAYBOOKS",
    "incidents": "SHITSTORM_INCIDENT_DIR",
}


def asset_dir(kind: AssetKind) -> Path:
    """The folder holding the bundled ``kind`` assets; raises InputError if none exists."""
    override = os.environ.get(_ENV[kind])
    if override:
        path = Path(override)
        if not path.is_dir():
            raise InputError(f"{_ENV[kind]}={override}: not a directory")
        return path
    root = Path(__file__).resolve().parent.parent
    checkout = root.joinpath(*_CHECKOUT[kind])
    if (root / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    try:
        packaged = Path(str(resources.files(_PACKAGED[kind])))
    except ModuleNotFoundError:
        packaged = None
    if packaged is not None and packaged.is_dir():
        return packaged
    raise InputError(
        f"no bundled {kind} found (looked in {checkout} and the installed package); "
        f"set {_ENV[kind]}"
    )

"""The version of a playbook configuration: a SHA-256 over its files' names and contents.

It is frozen into every crisis when it starts, so the audit log says exactly which
configuration decided who was paged.

>>> texts_version({"people.yaml": "people: {}\\n"}) == texts_version({"people.yaml": "people: {}\\n"})
True
>>> texts_version({"a.yaml": "x"}) != texts_version({"a.yaml": "y"})
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from warning.playbook.config import config_files

__all__ = ["playbook_version", "texts_version"]


def texts_version(texts: Mapping[str, str]) -> str:
    """Content hash of configuration files given as ``{name: text}`` (order does not matter)."""
    digest = hashlib.sha256()
    for name in sorted(texts):
        digest.update(name.encode("utf-8") + b"\0" + texts[name].encode("utf-8") + b"\0")
    return digest.hexdigest()


def playbook_version(directory: str | Path) -> str:
    """Content hash of every YAML file of a configuration directory (names relative to it)."""
    root = Path(directory)
    files = config_files(root) if root.is_dir() else [root]
    base = root if root.is_dir() else root.parent
    return texts_version({str(p.relative_to(base)): p.read_text(encoding="utf-8") for p in files})

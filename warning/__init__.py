"""shitstorm: early warning for social-media storms, and the crisis playbook that follows.

The importable package is ``warning``; the command line is ``shitstorm``.
Importing the package does no work: heavy modules load when first used.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("shitstorm")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"

__all__ = ["__version__", "replay"]


def __getattr__(name: str) -> object:
    """Load ``warning.replay`` on first use, so ``warning.replay(...)`` works after ``import warning``."""
    if name == "replay":
        import importlib

        return importlib.import_module("warning.replay")
    raise AttributeError(f"module 'warning' has no attribute {name!r}")

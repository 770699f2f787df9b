"""Score: the negativity model (scikit-learn) and the upstream-sentiment passthrough.

Public API: :class:`NegativityModel` (the estimator), :func:`load_model` (finds
and safely loads the shipped artifact), :func:`negativity_from_polarity` (the
map used for an upstream ``sentiment`` column). Training helpers live in
:mod:`warning.score.training`; they need the ``train`` extra for the lexicons.
"""

from __future__ import annotations

from warning.score.artifact import find_model, load_model, save_model
from warning.score.lexicons import CrisisTerm, Lexicon
from warning.score.model import NegativityModel
from warning.score.upstream import negativity_from_polarity

__all__ = [
    "CrisisTerm",
    "Lexicon",
    "NegativityModel",
    "find_model",
    "load_model",
    "negativity_from_polarity",
    "save_model",
]

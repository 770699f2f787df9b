"""Honouring an upstream ``sentiment`` column: polarity in [-1, 1] → negativity in [0, 1].

Social-listening exports often carry their own sentiment. When a mention has
one we use it instead of our model, mapped by a logistic curve centred on the
VADER convention that a compound polarity of -0.05 or below is negative:

    negativity = 1 / (1 + exp(10 · (polarity + 0.05)))

so polarity -0.05 maps to exactly 0.5 (our negative threshold), -1 to 0.9999,
0 to 0.38, +1 to 0.00003. The order of mentions is kept; only the scale changes.

>>> round(negativity_from_polarity(-0.05), 3)
0.5
>>> negativity_from_polarity(-0.6) > 0.99 > 0.01 > negativity_from_polarity(0.6)
True
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "POLARITY_NEGATIVE_AT",
    "POLARITY_STEEPNESS",
    "negativity_from_polarity",
    "negativity_from_polarity_array",
]

#: Polarity at which a mention counts as negative (VADER's compound convention).
POLARITY_NEGATIVE_AT = -0.05
#: Steepness of the logistic map from polarity to negativity.
POLARITY_STEEPNESS = 10.0


def negativity_from_polarity(polarity: float) -> float:
    """Negativity in [0, 1] for one upstream polarity in [-1, 1]."""
    return 1.0 / (1.0 + math.exp(POLARITY_STEEPNESS * (polarity - POLARITY_NEGATIVE_AT)))


def negativity_from_polarity_array(polarity: np.ndarray) -> np.ndarray:
    """Vectorised :func:`negativity_from_polarity`."""
    z = POLARITY_STEEPNESS * (np.asarray(polarity, dtype=np.float64) - POLARITY_NEGATIVE_AT)
    result: np.ndarray = 1.0 / (1.0 + np.exp(z))
    return result

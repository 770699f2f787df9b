"""Duplicate ids across a whole stream, in bounded memory per id.

Each id is reduced to a 64-bit hash (pandas' vectorised SipHash with its fixed
key, so the same id always gives the same hash). Seen hashes are kept as sorted
``uint64`` runs that are merged like a binary counter, so memory is **8 bytes
per distinct id** (8 MB per million ids; up to twice that for a moment while
the largest runs merge) and a lookup is a binary search per run. Two
different ids collide with probability about n²/2⁶⁵: below one in 300,000 for
ten million ids.

>>> import pandas as pd
>>> seen = SeenIds()
>>> seen.first_seen(pd.Series(["a", "b", "a"], dtype="string")).tolist()
[True, True, False]
>>> seen.first_seen(pd.Series(["b", "c"], dtype="string")).tolist()
[False, True]
>>> len(seen), seen.nbytes
(3, 24)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SeenIds", "hash_ids"]


def hash_ids(ids: pd.Series) -> np.ndarray:
    """64-bit hashes of the ids, stable across runs."""
    hashed: np.ndarray = pd.util.hash_pandas_object(ids, index=False).to_numpy(dtype=np.uint64)
    return hashed


class SeenIds:
    """The set of ids seen so far, as sorted runs of 64-bit hashes."""

    def __init__(self) -> None:
        self._runs: list[np.ndarray] = []

    def __len__(self) -> int:
        return sum(len(run) for run in self._runs)

    @property
    def nbytes(self) -> int:
        return sum(run.nbytes for run in self._runs)

    def _contains(self, hashes: np.ndarray) -> np.ndarray:
        found = np.zeros(len(hashes), dtype=bool)
        for run in self._runs:
            position = np.searchsorted(run, hashes)
            inside = position < len(run)
            found[inside] |= run[position[inside]] == hashes[inside]
        return found

    def _add(self, hashes: np.ndarray) -> None:
        self._runs.append(np.sort(hashes))
        while len(self._runs) > 1 and len(self._runs[-2]) <= 2 * len(self._runs[-1]):
            merged = np.concatenate(self._runs[-2:])
            del self._runs[-2:]  # free both runs before sorting: peak stays near 2x
            merged.sort(kind="stable")  # two sorted runs: timsort merges them in linear time
            self._runs.append(merged)

    def first_seen(self, ids: pd.Series) -> np.ndarray:
        """For each id: is this its first occurrence in the stream? Remembers the new ones."""
        hashes = hash_ids(ids)
        _, first = np.unique(hashes, return_index=True)
        keep = np.zeros(len(hashes), dtype=bool)
        keep[first] = True
        keep &= ~self._contains(hashes)
        if keep.any():
            self._add(hashes[keep])
        return keep

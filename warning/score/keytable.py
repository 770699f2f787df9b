"""A growing table of per-key feature rows, so a batch of posts costs one sparse product.

Each key (a token, a negated token or a bigram) seen while scoring gets an id and
one row: its word-feature index, its character n-gram indices and its summed
lexicon values. Rows live in flat numpy arrays that grow by doubling, so adding
a key is amortised O(1) and the table is exposed to scipy as a CSR matrix
without copying. Only keys never seen before cost Python work.

>>> table = KeyTable(n_words=3, n_chars=4, n_lex=2)
>>> table.add("gut", 1, [0, 2], (0.5, 0.0))
0
>>> table.add("gut schlecht", -1, [], (0.0, 0.0))
1
>>> words, chars, lex = table.matrices()
>>> words.toarray().tolist(), chars.toarray().tolist()
([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]], [[1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["KeyTable"]


def _grow(array: np.ndarray, needed: int) -> np.ndarray:
    if needed <= len(array):
        return array
    size = max(needed, 2 * len(array), 1024)
    grown = np.zeros((size, *array.shape[1:]), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


class KeyTable:
    """Key → id, plus the rows of those ids as CSR-ready arrays.

    New rows wait in Python lists and are moved into the arrays in one step when
    :meth:`matrices` is called.
    """

    def __init__(self, n_words: int, n_chars: int, n_lex: int) -> None:
        self.n_words, self.n_chars, self.n_lex = n_words, n_chars, n_lex
        self.ids: dict[str, int] = {}
        self._n = 0  # rows already in the arrays
        self._words = np.zeros(0, dtype=np.int32)
        self._lex = np.zeros((0, n_lex), dtype=np.float64)
        self._char_ptr = np.zeros(1, dtype=np.int64)
        self._char_ids = np.zeros(0, dtype=np.int32)
        self._ones = np.ones(0)
        self._new_words: list[int] = []
        self._new_lex: list[Sequence[float]] = []
        self._new_chars: list[int] = []
        self._new_lengths: list[int] = []

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, key: str, word: int, chars: Sequence[int], lex: Sequence[float]) -> int:
        """Register one key's row; returns its id."""
        at = len(self.ids)
        self.ids[key] = at
        self._new_words.append(word)
        self._new_lex.append(lex)
        self._new_chars.extend(chars)
        self._new_lengths.append(len(chars))
        return at

    def _flush(self) -> None:
        n_new = len(self._new_words)
        if not n_new:
            return
        n, end = self._n, self._n + n_new
        self._words = _grow(self._words, end)
        self._words[n:end] = self._new_words
        self._lex = _grow(self._lex, end)
        self._lex[n:end] = np.asarray(self._new_lex, dtype=np.float64).reshape(n_new, self.n_lex)
        nnz = int(self._char_ptr[n])
        self._char_ids = _grow(self._char_ids, nnz + len(self._new_chars))
        self._char_ids[nnz : nnz + len(self._new_chars)] = self._new_chars
        self._char_ptr = _grow(self._char_ptr, end + 1)
        self._char_ptr[n + 1 : end + 1] = nnz + np.cumsum(self._new_lengths)
        self._n = end
        self._new_words, self._new_lex, self._new_chars, self._new_lengths = [], [], [], []

    def matrices(self) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
        """(keys × words, keys × chars, keys × lexicon) for the keys added so far."""
        self._flush()
        n = self._n
        words = self._words[:n]
        has = words >= 0
        word_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(has, out=word_ptr[1:])
        nnz = int(self._char_ptr[n])
        if len(self._ones) < max(nnz, n):
            self._ones = np.ones(max(2 * nnz, n, 1024))
        word_matrix = sp.csr_matrix(
            (self._ones[: int(word_ptr[-1])], words[has], word_ptr), shape=(n, self.n_words)
        )
        char_matrix = sp.csr_matrix(
            (self._ones[:nnz], self._char_ids[:nnz], self._char_ptr[: n + 1]),
            shape=(n, self.n_chars),
        )
        return word_matrix, char_matrix, self._lex[:n]

"""What every format reader produces: raw column values in chunks, with row numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa

from warning.ingest.quarantine import QuarantinedRow

__all__ = ["RawChunk", "RawReader", "arrow_to_series"]


@dataclass
class RawChunk:
    """Raw values of up to ``chunk_rows`` rows, keyed by mention column."""

    columns: dict[str, pd.Series]  # mention column -> raw values, positional index 0..n-1
    rows: np.ndarray  # 1-based row (or line) number of each position
    render: Callable[[int], str]  # the raw text of the row at a position
    problems: list[QuarantinedRow] = field(default_factory=list)  # rejected while reading
    damaged: bool = True  # False only when the reader knows no value contains U+FFFD

    @property
    def size(self) -> int:
        return len(self.rows)


class RawReader(Protocol):
    """A format reader: column mapping known after opening, chunks on demand."""

    @property
    def fmt(self) -> str: ...

    @property
    def encoding(self) -> str | None: ...

    @property
    def delimiter(self) -> str | None: ...

    @property
    def mapping(self) -> dict[str, str]:
        """Source column -> mention column."""
        ...

    @property
    def ignored(self) -> list[str]:
        """Source columns not used."""
        ...

    def chunks(self) -> Iterator[RawChunk]: ...


def _pandas_type(arrow_type: pa.DataType) -> Any:
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return pd.StringDtype()
    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()  # exact, also with nulls (float64 would round big ids)
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    return None


def arrow_to_series(column: pa.Array | pa.ChunkedArray) -> pd.Series:
    """An Arrow column as a pandas Series: strings as ``string``, integers as ``Int64``."""
    series: pd.Series = column.to_pandas(types_mapper=_pandas_type)
    return series.reset_index(drop=True)

"""The ingest summary: what was read, what was kept, what was quarantined and why.

Every row read ends up in exactly one bucket, so
``accepted + quarantined + duplicates == rows_read`` always holds.

>>> report = IngestReport(source="mentions.csv", fmt="csv", rows_read=5, accepted=3, duplicates=1)
>>> report.count_problem("missing_text")
>>> report.quarantined, report.balanced
(1, True)
>>> report.to_dict()["quarantined_by_reason"]
{'missing_text': 1}
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from warning.ingest.quarantine import QuarantinedRow
from warning.records import isoformat_utc

__all__ = ["IngestReport"]

_EXAMPLES = 5
_MAX_BRANDS = 1000


@dataclass
class IngestReport:
    """Counts and facts about one ingest run, filled in while the stream is read."""

    source: str
    fmt: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # source column -> mention column
    ignored_columns: list[str] = field(default_factory=list)
    rows_read: int = 0
    accepted: int = 0
    duplicates: int = 0
    derived_ids: int = 0
    quarantined_by_reason: Counter[str] = field(default_factory=Counter)
    brands: Counter[str] = field(default_factory=Counter)
    unbranded: int = 0
    first_timestamp: datetime | None = None
    last_timestamp: datetime | None = None
    quarantine_path: str | None = None
    examples: list[QuarantinedRow] = field(default_factory=list)

    @property
    def quarantined(self) -> int:
        return sum(self.quarantined_by_reason.values())

    @property
    def balanced(self) -> bool:
        """Every row read is accounted for exactly once."""
        return self.accepted + self.quarantined + self.duplicates == self.rows_read

    def count_problem(self, code: str) -> None:
        self.quarantined_by_reason[code] += 1

    def add_problems(self, rows: list[QuarantinedRow]) -> None:
        for row in rows:
            self.quarantined_by_reason[row.code] += 1
        self.examples.extend(rows[: max(0, _EXAMPLES - len(self.examples))])

    def add_accepted(self, frame: pd.DataFrame) -> None:
        """Count an accepted, de-duplicated frame (brands and time range)."""
        if frame.empty:
            return
        self.accepted += len(frame)
        brands = frame["brand"]
        self.unbranded += int(brands.isna().sum())
        for brand, count in brands.value_counts().items():
            if brand in self.brands or len(self.brands) < _MAX_BRANDS:
                self.brands[str(brand)] += int(count)
        first = frame["timestamp"].min().floor("us").to_pydatetime()
        last = frame["timestamp"].max().floor("us").to_pydatetime()
        if self.first_timestamp is None or first < self.first_timestamp:
            self.first_timestamp = first
        if self.last_timestamp is None or last > self.last_timestamp:
            self.last_timestamp = last

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (the ``--json`` output of ``shitstorm ingest``)."""
        return {
            "source": self.source,
            "format": self.fmt,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "columns": dict(self.columns),
            "ignored_columns": list(self.ignored_columns),
            "rows_read": self.rows_read,
            "accepted": self.accepted,
            "quarantined": self.quarantined,
            "quarantined_by_reason": dict(self.quarantined_by_reason.most_common()),
            "duplicates": self.duplicates,
            "derived_ids": self.derived_ids,
            "brands": dict(self.brands.most_common()),
            "unbranded": self.unbranded,
            "first_timestamp": isoformat_utc(self.first_timestamp)
            if self.first_timestamp
            else None,
            "last_timestamp": isoformat_utc(self.last_timestamp) if self.last_timestamp else None,
            "quarantine_file": self.quarantine_path,
            "examples": [
                {"row": row.row, "code": row.code, "reason": row.reason} for row in self.examples
            ],
        }

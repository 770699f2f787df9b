"""Column types shared by the models: aware UTC instants on every database.

SQLite has no time-zone type, so instants are written there as naive UTC text
(which sorts and compares correctly) and read back as aware UTC; PostgreSQL keeps
``timestamp with time zone``. Either way the Python side only ever sees aware UTC.

>>> from datetime import datetime, timezone, timedelta
>>> from sqlalchemy.dialects import sqlite
>>> t = datetime(2026, 3, 28, 20, 30, tzinfo=timezone(timedelta(hours=1)))
>>> UTCDateTime().process_bind_param(t, sqlite.dialect())
datetime.datetime(2026, 3, 28, 19, 30)
>>> UTCDateTime().process_result_value(datetime(2026, 3, 28, 19, 30), sqlite.dialect()).tzinfo
datetime.timezone.utc
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from warning.clock import ensure_utc

__all__ = ["UTCDateTime"]


class UTCDateTime(TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that refuses naive values and always returns aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant = ensure_utc(value, what="instant stored")
        if dialect.name == "sqlite":
            return instant.replace(tzinfo=None)
        return instant

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQLite text, e.g. from a core query
            value = datetime.fromisoformat(value)
        instant: datetime = value
        if instant.tzinfo is None:
            return instant.replace(tzinfo=UTC)
        return instant.astimezone(UTC)

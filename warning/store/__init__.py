"""Store: SQLAlchemy 2 models, Alembic migrations, the audit log (SQLAlchemy lives here only).

SQLite (WAL) is the embedded default; PostgreSQL is used through
``SHITSTORM_DATABASE_URL``. The public API, imported lazily:

* :class:`Store` (transactions, :meth:`Store.migrate`, :meth:`Store.verify_chain`),
  :class:`StoreConflict`, :func:`migrate`, :func:`database_url`;
* :func:`timeline_jsonl`, :func:`timeline_markdown` (the story of a crisis);
* :func:`crisis_ref`, :func:`parse_crisis_ref`.

>>> import warning.store as store
>>> store.Store.__module__
'warning.store.db'
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Store",
    "StoreConflict",
    "crisis_ref",
    "database_url",
    "migrate",
    "parse_crisis_ref",
    "timeline_jsonl",
    "timeline_markdown",
]

_WHERE = {
    "Store": "db",
    "StoreConflict": "db",
    "database_url": "db",
    "migrate": "db",
    "crisis_ref": "views",
    "parse_crisis_ref": "views",
    "timeline_jsonl": "timeline",
    "timeline_markdown": "timeline",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'warning.store' has no attribute {name!r}")
    return getattr(importlib.import_module(f"warning.store.{module}"), name)

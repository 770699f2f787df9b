"""All tables of the store in one ``MetaData`` (models imported for their side effect).

>>> sorted(metadata().tables)[:4]
['acknowledgements', 'alerts', 'audit_head', 'audit_log']
"""

from __future__ import annotations

from sqlalchemy import MetaData

__all__ = ["metadata"]


def metadata() -> MetaData:
    """The metadata of every model of the store."""
    from warning.store import models, models_audit, models_delivery  # noqa: F401
    from warning.store.base import Base

    return Base.metadata

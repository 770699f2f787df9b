"""Alembic, applied programmatically: no ``alembic.ini``, the scripts live in the package.

:func:`upgrade` runs ``alembic upgrade head`` on an open connection (the
``script_location`` is the ``migrations`` folder next to this module). On PostgreSQL a
transaction-scoped advisory lock keeps two processes from migrating at once; on
SQLite the write lock does the same.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, text

__all__ = ["HEAD_REVISION", "MIGRATIONS", "alembic_config", "current_revision", "upgrade"]

#: The newest revision of the schema.
HEAD_REVISION = "0001"
#: Folder of the Alembic environment and its versions.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK_ID = 7_270_501  # advisory lock of the migration step (any fixed number)


def alembic_config(connection: Connection) -> Config:
    """An Alembic ``Config`` whose environment runs on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Upgrade the database behind ``engine`` to ``revision``; return the revision in place."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        command.upgrade(alembic_config(conn), revision)
        found = current_revision(conn)
    return found or ""

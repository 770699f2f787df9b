"""Alembic environment of the store: runs on the connection handed over in the config.

Apply migrations with :func:`warning.store.migrate.upgrade` (or ``Store.migrate()``);
importing this module outside Alembic does nothing.
"""

from __future__ import annotations

from alembic import context

from warning.errors import StoreError
from warning.store.schema import metadata


def run_migrations() -> None:
    """Run the pending migrations on the connection in ``config.attributes``."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise StoreError(
            "migrations: run them through warning.store.migrate.upgrade (no connection given)."
        )
    context.configure(
        connection=connection,
        target_metadata=metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # only inside an Alembic command
    run_migrations()

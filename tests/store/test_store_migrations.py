"""Migrations create the whole schema, agree with the models, and run idempotently."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from warning.store.db import Store, migrate, normalise_url
from warning.store.migrate import HEAD_REVISION
from warning.store.schema import metadata

TABLES = {
    "acknowledgements",
    "alerts",
    "audit_head",
    "audit_log",
    "checklist_items",
    "crises",
    "delivery_attempts",
    "detector_feedback",
    "escalation_state",
    "outbox",
    "scheduler_state",
    "statement_approvals",
    "timers",
    "workers",
}


def test_migrate_creates_every_table_and_is_idempotent(db_url: str) -> None:
    assert migrate(db_url) == HEAD_REVISION
    assert migrate(db_url) == HEAD_REVISION  # second run: nothing to do
    store = Store(db_url)
    try:
        tables = set(inspect(store.engine).get_table_names())
        assert tables >= TABLES
        assert "alembic_version" in tables
    finally:
        store.dispose()


def test_models_and_migrations_agree(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata())
    assert diff == []


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: object) -> None:
    store = Store(f"sqlite:///{tmp_path}/wal.db")
    store.migrate()
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    finally:
        store.dispose()


def test_unique_open_crisis_index_is_partial(store: Store) -> None:
    with store.engine.connect() as conn:
        indexes = {i["name"]: i for i in inspect(conn).get_indexes("crises")}
        assert indexes["uq_crises_open_brand_type"]["unique"]
        if conn.dialect.name == "postgresql":
            definition = conn.execute(
                text(
                    "SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_crises_open_brand_type'"
                )
            ).scalar()
            assert "WHERE (closed_at IS NULL)" in str(definition)


def test_url_forms() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("state.db") == "sqlite:///state.db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"

"""Opening the database: SQLite (WAL) as the embedded default, PostgreSQL by URL.

:class:`Store` owns the engine and hands out transactions (:class:`~warning.store.tx.Tx`).
On SQLite every write transaction starts with ``BEGIN IMMEDIATE`` (one writer at a
time, so a claim is a safe claim), with WAL, foreign keys on and a busy timeout; on
PostgreSQL claims use row locks with ``SKIP LOCKED``. :func:`migrate` upgrades a
database to the newest schema with Alembic.

>>> normalise_url("postgres://postgres@127.0.0.1:5432/test")
'postgresql+psycopg://postgres@127.0.0.1:5432/test'
>>> normalise_url("/var/lib/shitstorm/state.db")
'sqlite:////var/lib/shitstorm/state.db'
>>> mask_url("postgresql+psycopg://app:s3cret@db:5432/shitstorm")
'postgresql+psycopg://app:***@db:5432/shitstorm'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from warning.errors import StoreError
from warning.store.audit import ChainReport, verify_chain
from warning.store.timeline import timeline_jsonl, timeline_markdown
from warning.store.tx import Tx
from warning.store.views import AuditEntry, FeedbackView, crisis_ref, parse_crisis_ref

__all__ = [
    "DATABASE_URL_VARIABLE",
    "Store",
    "StoreConflict",
    "database_url",
    "mask_url",
    "migrate",
    "normalise_url",
]

#: Environment variable naming the database (``postgresql+psycopg://…`` or ``sqlite:///…``).
DATABASE_URL_VARIABLE = "SHITSTORM_DATABASE_URL"

_RETRYABLE_PG = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock not available


class StoreConflict(StoreError):
    """Two writers met (unique key taken, deadlock, busy database): retry the step."""


def normalise_url(url: str) -> str:
    """A database URL with the driver we use; a plain path means an SQLite file."""
    url = url.strip()
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    if "://" not in url and url:
        return f"sqlite:///{Path(url)}"
    return url


def mask_url(url: str) -> str:
    """The URL with its password hidden (for messages and logs)."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def database_url(env: Mapping[str, str], default: str | Path | None = None) -> str:
    """``SHITSTORM_DATABASE_URL`` if set, else ``default`` (a URL or an SQLite file path)."""
    found = env.get(DATABASE_URL_VARIABLE, "").strip()
    if found:
        return normalise_url(found)
    if default is None:
        raise StoreError(f"environment: {DATABASE_URL_VARIABLE} is not set and no default given.")
    return normalise_url(str(default))


def _sqlite_engine(url: str, busy_timeout: float) -> Engine:
    memory = url in ("sqlite://", "sqlite:///:memory:")
    kwargs: dict[str, Any] = {
        "connect_args": {"timeout": busy_timeout, "check_same_thread": False},
    }
    if memory:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("shitstorm_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _is_retryable(err: DBAPIError) -> bool:
    if isinstance(err, IntegrityError):
        return True
    code = getattr(err.orig, "sqlstate", None) or getattr(err.orig, "pgcode", None)
    if code in _RETRYABLE_PG:
        return True
    return isinstance(err, OperationalError) and "locked" in str(err.orig).lower()


class Store:
    """The database of crises, timers, outbox and audit log.

    ``url`` is a SQLAlchemy URL (``sqlite:///state.db``, ``postgresql+psycopg://…``)
    or a plain file path; ``busy_timeout`` is how long SQLite waits for a writer.

    >>> store = Store("sqlite://")
    >>> store.migrate()
    '0001'
    >>> from datetime import datetime, timezone
    >>> with store.transaction() as tx:
    ...     tx.audit("note", None, at=datetime(2026, 3, 28, tzinfo=timezone.utc), text="hello")
    >>> store.verify_chain().ok
    True
    """

    def __init__(self, url: str, *, busy_timeout: float = 30.0) -> None:
        self.url = normalise_url(url)
        self.busy_timeout = busy_timeout
        self._engine: Engine | None = None

    def __repr__(self) -> str:
        return f"Store({mask_url(self.url)!r})"

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.url.startswith("sqlite"):
                self._engine = _sqlite_engine(self.url, self.busy_timeout)
            elif self.url.startswith("postgresql"):
                self._engine = create_engine(self.url, pool_pre_ping=True)
            else:
                raise StoreError(
                    f"The database URL must start with sqlite:// or postgresql://. "
                    f"Got {mask_url(self.url)!r} instead."
                )
        return self._engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def check(self) -> None:
        """Connect once; a :class:`~warning.errors.StoreError` names the URL if that fails."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except DBAPIError as err:
            raise StoreError(
                f"database {mask_url(self.url)}: cannot connect ({str(err.orig).strip()})"
            ) from None

    def migrate(self) -> str:
        """Upgrade to the newest schema; returns the revision now in place."""
        from warning.store.migrate import HEAD_REVISION, upgrade

        try:  # the common case, without loading Alembic: already at the newest revision
            with self.engine.connect() as conn:
                found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if found == HEAD_REVISION:
                return HEAD_REVISION
        except DBAPIError:
            pass  # no version table yet
        return upgrade(self.engine)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One write transaction; audit events are chained and committed with it."""
        yield from self._session(read_only=False)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A read-only view (SQLite: a deferred transaction that does not block writers)."""
        yield from self._session(read_only=True)

    def _session(self, *, read_only: bool) -> Iterator[Tx]:
        engine = self.engine
        if read_only and engine.dialect.name == "sqlite":
            engine = engine.execution_options(shitstorm_begin="DEFERRED")
        session = Session(engine, expire_on_commit=False, autoflush=True)
        tx = Tx(session, engine.dialect.name)
        try:
            try:
                yield tx
                if read_only:
                    session.rollback()
                else:
                    tx.flush_audit()
                    session.commit()
            except DBAPIError as err:
                session.rollback()
                if _is_retryable(err):
                    raise StoreConflict(
                        f"database {mask_url(self.url)}: concurrent write, retry "
                        f"({str(err.orig).strip().splitlines()[0]})"
                    ) from err
                raise StoreError(
                    f"database {mask_url(self.url)}: {str(err.orig).strip().splitlines()[0]}"
                ) from err
            except BaseException:
                session.rollback()
                raise
        finally:
            session.close()

    # ------------------------------------------------------------------ whole-log reads
    def verify_chain(self) -> ChainReport:
        """Recompute every hash of the audit log (see :func:`warning.store.audit.verify_chain`)."""
        with self.read() as tx:
            return verify_chain(tx.session)

    def timeline(self, crisis: str | int | None = None) -> list[AuditEntry]:
        """The audit events of one crisis (``c-7``), or all of them, in order."""
        crisis_id = None if crisis is None else parse_crisis_ref(crisis)
        with self.read() as tx:
            return tx.events(crisis_id)

    def export_timeline(self, crisis: str | int, *, fmt: str = "markdown", tz: str = "UTC") -> str:
        """The story of a crisis as Markdown (``fmt="markdown"``) or JSON Lines (``"jsonl"``)."""
        entries = self.timeline(crisis)
        if fmt == "jsonl":
            return timeline_jsonl(entries)
        if fmt != "markdown":
            raise StoreError(
                f"The 'fmt' parameter must be 'markdown' or 'jsonl'. Got {fmt!r} instead."
            )
        with self.read() as tx:
            title = tx.get_crisis(parse_crisis_ref(crisis)).title
        return timeline_markdown(
            entries, tz=tz, title=f"{crisis_ref(parse_crisis_ref(crisis))}: {title}"
        )

    def feedback(self, *, verdict: str | None = "false_alarm") -> list[FeedbackView]:
        """Detector feedback (alerts marked as false alarms) for the analyst."""
        with self.read() as tx:
            return tx.feedback(verdict=verdict)

    def export_feedback(self) -> str:
        """The detector feedback as JSON Lines, one alert per line."""
        return "".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in self.feedback())


def migrate(url: str) -> str:
    """Upgrade the database at ``url`` to the newest schema and return the revision."""
    store = Store(url)
    try:
        return store.migrate()
    finally:
        store.dispose()

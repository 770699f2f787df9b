"""The declarative base of every table, with one naming convention for constraints.

Stable constraint names keep the Alembic migrations and the models in step on
SQLite and PostgreSQL alike (a test compares them with Alembic's autogenerate).
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

__all__ = ["NAMING_CONVENTION", "Base"]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of the store's models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

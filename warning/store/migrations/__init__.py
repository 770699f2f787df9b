"""Alembic migration environment of the store (applied programmatically)."""

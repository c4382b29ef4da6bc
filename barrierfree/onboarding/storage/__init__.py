"""Storage: SQLAlchemy 2 on SQLite by default or PostgreSQL, migrated by Alembic."""

from barrierfree.onboarding.storage.db import Base, make_engine, make_session_factory, upgrade

__all__ = ["Base", "make_engine", "make_session_factory", "upgrade"]

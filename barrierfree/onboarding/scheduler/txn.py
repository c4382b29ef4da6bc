"""Transactions that serialise writers on SQLite and detect constraint clashes on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker


@contextmanager
def write_session(sessions: sessionmaker) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on any error.

    On SQLite it starts with ``BEGIN IMMEDIATE``: the write lock is taken
    before the first read, so a check-then-insert cannot interleave with
    another writer (other writers wait up to the busy timeout). PostgreSQL
    runs READ COMMITTED and relies on constraints and row locks instead.
    """
    session = sessions()
    try:
        if session.get_bind().dialect.name == "sqlite":
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def violated(error: IntegrityError, *names: str) -> bool:
    """Whether ``error`` names one of the constraints or indexes ``names`` (or, on SQLite, their columns)."""
    text = str(error.orig).lower()
    return any(name.lower() in text for name in names)

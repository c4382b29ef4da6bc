"""Engines, sessions and migrations.

SQLite is the embedded default (WAL with ``synchronous=NORMAL``, foreign keys on, a busy timeout so that
writers queue instead of failing); PostgreSQL is used when
``BARRIERFREE_DATABASE_URL`` names one. The schema is owned by Alembic: call
:func:`upgrade` (or ``barrierfree db upgrade``) rather than ``create_all``.

Migrations live in ``migrations/versions`` as independent branches on one core
base (``core``, ``scheduler``, ``journey``...), so :func:`upgrade` goes to ``heads``.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import DeclarativeBase, sessionmaker

from barrierfree.errors import BadInput
from barrierfree.onboarding.storage.crypto import KeyRing, bind_keyring

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: How long an SQLite writer waits for the lock before giving up, in seconds.
SQLITE_BUSY_TIMEOUT_S = 30
#: When an SQLite commit waits for the disk. ``NORMAL`` with WAL syncs the log at each checkpoint, not
#: at each commit: the database stays consistent after a crash or power cut, and a commit made in the
#: last moments before a power cut (not a process crash) may be rolled back. SQLite's default,
#: ``FULL``, waits for an fsync at every commit, which on a shared disk is the request's long tail.
SQLITE_SYNCHRONOUS = "NORMAL"


class Base(DeclarativeBase):
    """Declarative base for every barrierfree table."""


def make_engine(url: str, keyring: KeyRing | None = None, **kwargs: object) -> Engine:
    """Create an engine with the settings each backend needs.

    ``hide_parameters``: a database error's message (which reaches a logged
    traceback) shows the SQL but never the bound values, which can be personal data.
    ``keyring`` encrypts and decrypts the engine's personal-data columns (:func:`.crypto.bind_keyring`).
    """
    engine = _engine(url, **kwargs)
    if keyring is not None:
        bind_keyring(engine, keyring)
    return engine


def _engine(url: str, **kwargs: object) -> Engine:
    kwargs.setdefault("hide_parameters", True)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadInput("bad-database-url", "BARRIERFREE_DATABASE_URL is not a SQLAlchemy URL such as sqlite:///path.db.") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _private_file(Path(parsed.database))
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _private_file(database: Path) -> None:
    """Create a missing SQLite file empty with mode 0600 (its folder 0700), before SQLite creates it world-readable.

    SQLite gives its ``-wal`` and ``-shm`` files the database file's mode, so they stay private too.
    """
    if not database.exists():
        database.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API connection
    dbapi_connection.isolation_level = None  # autocommit at the driver; SQLAlchemy's "begin" hook opens transactions
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    cursor.close()


def _sqlite_begin(conn) -> None:  # noqa: ANN001 - SQLAlchemy Connection
    # pysqlite's own implicit BEGIN is deferred and comes too late for a
    # read-then-write check; a transaction that must hold the write lock from
    # its first read asks for it with execution_options(sqlite_begin="IMMEDIATE").
    mode = conn.get_execution_options().get("sqlite_begin", "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine):  # noqa: ANN201 - alembic.config.Config
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the schema to the newest revision of every branch."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)

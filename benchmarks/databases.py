"""A benchmark's own database: a fresh PostgreSQL schema, so a run neither sees nor leaves rows of any other."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """``url`` as the server's database: a PostgreSQL one gets a fresh schema (dropped afterwards), so
    the run neither sees nor leaves rows of any other; an empty URL (SQLite in a temporary folder) is kept."""
    if not url.startswith("postgresql"):
        yield url
        return
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from barrierfree.onboarding.storage import make_engine

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        raise SystemExit(f"cannot reach the PostgreSQL server ({type(error.orig).__name__}); is it running (. scripts/postgres-start)?") from None
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

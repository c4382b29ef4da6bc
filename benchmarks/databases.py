"""A benchmark's own database: a fresh PostgreSQL schema, so a run neither sees nor leaves rows of any other."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager


@contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """``url`` as the server's database: a PostgreSQL one gets a fresh schema (dropped afterwards,
    :func:`testkit.databases.fresh_schema`); an empty URL (SQLite in a temporary folder) is kept."""
    if not url.startswith("postgresql"):
        yield url
        return
    from sqlalchemy.exc import OperationalError

    from testkit.databases import fresh_schema

    with ExitStack() as stack:
        try:
            database = stack.enter_context(fresh_schema(url, prefix="bench"))
        except OperationalError as error:
            raise SystemExit(f"cannot reach the PostgreSQL server ({type(error.orig).__name__}); "
                             "is it running (. scripts/postgres-start)?") from None
        yield database

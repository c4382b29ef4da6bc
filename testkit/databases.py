"""A fresh PostgreSQL schema on a server, for tests and benchmarks that must neither see nor leave rows of any other."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fresh_schema(url: str, prefix: str = "t") -> Iterator[str]:
    """``url`` (a PostgreSQL server) pointed at a new schema ``<prefix>_<random>``, dropped afterwards.

    The URL it yields sets the schema as the search path, so every engine made from it (two app
    instances sharing one database, a load generator's server) works in that schema alone.
    """
    from sqlalchemy import text

    from barrierfree.onboarding.storage import make_engine

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()

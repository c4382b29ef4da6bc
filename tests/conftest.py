"""Shared fixtures: settings in a temporary folder, and the databases under test.

PostgreSQL tests use the server that ``scripts/test`` starts and names in
``BARRIERFREE_TEST_POSTGRES_URL`` (Redis tests: ``BARRIERFREE_TEST_REDIS_URL``).
Without it they fail with a message saying so, rather than skipping: CI must
never go green without them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from barrierfree.onboarding.storage import make_engine
from barrierfree.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings whose data folder (SQLite file, demo keys) is private to the test."""
    return Settings(data_dir=tmp_path / "data")


def _postgres_url() -> str:
    url = os.environ.get("BARRIERFREE_TEST_POSTGRES_URL")
    if not url:
        pytest.fail("BARRIERFREE_TEST_POSTGRES_URL is not set: run the suite with scripts/test, which starts PostgreSQL.")
    return url


@pytest.fixture
def postgres_url() -> str:
    """The URL of the test PostgreSQL server (the test fails, never skips, without one)."""
    return _postgres_url()


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """An engine on a fresh, empty schema of the test PostgreSQL server."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(_postgres_url())
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(_postgres_url(), connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def redis_url() -> str:
    """The test Redis server's URL (a ``limits`` storage URI), emptied first; fails, never skips, without one."""
    url = os.environ.get("BARRIERFREE_TEST_REDIS_URL")
    if not url:
        pytest.fail("BARRIERFREE_TEST_REDIS_URL is not set: run the suite with scripts/test, which starts Redis.")
    import redis

    client = redis.Redis(unix_socket_path=url.removeprefix("redis+unix://")) if url.startswith("redis+unix://") else redis.Redis.from_url(url)
    client.flushdb()
    client.close()
    return url


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_engine(request) -> Engine:
    """Each storage test runs on SQLite and on real PostgreSQL."""
    return request.getfixturevalue("sqlite_engine" if request.param == "sqlite" else "postgres_engine")

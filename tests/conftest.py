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
from barrierfree.onboarding.storage.crypto import KeyRing
from barrierfree.settings import Settings

#: The secrets every app under test is given explicitly (outside the demo the app refuses to start
#: without them). Set in the environment at import time, so that ``Settings(...)`` built anywhere in a
#: test (or at a test module's import) and the servers tests start as subprocesses all carry them.
TEST_SECRETS = {
    "BARRIERFREE_WEB__SECRET_KEY": "test-signing-secret-" + uuid.uuid4().hex,
    "BARRIERFREE_ENCRYPTION_KEYS": KeyRing.generate_spec("test1"),
    "BARRIERFREE_SCHEDULER__AGENT_TOKEN": "test-supervisor-" + uuid.uuid4().hex,
    "BARRIERFREE_WEB__STAFF_TOKEN": "test-staff-" + uuid.uuid4().hex,
    "BARRIERFREE_SCHEDULER__PUBLIC_BASE_URL": "http://localhost",
    "BARRIERFREE_WEB__TRUSTED_HOSTS": '["localhost", "127.0.0.1"]',
}
os.environ.update(TEST_SECRETS)


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

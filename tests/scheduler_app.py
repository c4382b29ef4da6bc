"""The Flask app on SQLite or on a private schema of the test PostgreSQL server, for the scheduler's tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import text

from barrierfree.onboarding.scheduler.times import utcnow
from barrierfree.onboarding.storage import make_engine
from barrierfree.settings import Settings
from barrierfree.web import create_app

def app_today() -> date:
    """Today on the app's own clock (UTC, :func:`utcnow`), which it checks every date against.

    The HTTP app runs on the wall clock and refuses past dates, so these tests
    cannot pin a date; they derive it from the clock the app uses, not from
    the machine's local ``date.today()``, which differs from it near midnight.
    """
    return utcnow().date()


#: Parametrise a fixture with this to run on both databases (PostgreSQL marked ``postgres``).
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextmanager
def scheduler_app(request: pytest.FixtureRequest, tmp_path, backend: str, **scheduler: object) -> Iterator[Flask]:
    """``create_app`` on ``backend`` (``sqlite`` or ``postgresql``) with ``scheduler`` settings; the schema is dropped after."""
    url, admin, schema = "", None, ""
    if backend == "postgresql":
        base = request.getfixturevalue("postgres_url")
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = make_engine(base)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=url, scheduler=scheduler))
    try:
        yield app
    finally:
        app.extensions["barrierfree.engine"].dispose()
        if admin is not None:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


@contextmanager
def cli_server(command: str, env: dict[str, str]) -> Iterator[str]:
    """``barrierfree <command> --port N`` in a subprocess; yields its base URL once it answers, stops it after."""
    import socket
    import subprocess
    import sys
    import time

    import requests

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "barrierfree.cli", command, "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                requests.get(f"{base}/api/v1/sign-language/skills", timeout=10)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail(f"barrierfree {command} did not answer on port {port}")
        yield base
    finally:
        server.terminate()
        server.wait(30)


def console_link(base: str, agent_id: str, token: str) -> str:
    """A one-time console sign-in link (absolute URL) for ``agent_id``, asked for over HTTP with ``token``."""
    import requests

    answer = requests.post(f"{base}/api/v1/sign-language/agents/{agent_id}/console-link", headers={"X-Agent-Token": token}, timeout=30)
    assert answer.status_code == 201, answer.text
    return base + answer.json()["url"]


def sign_in_console(client, agent_id: str, token: str, base: str = "") -> None:
    """Sign ``client`` in to ``agent_id``'s console through the sign-in form (the token in the body, never the URL)."""
    form = client.get(f"{base}/sign-language/agent/sign-in")
    html = form.get_data(as_text=True) if hasattr(form, "get_data") else form.text
    marker = 'name="csrf_token" value="'
    csrf = html[html.index(marker) + len(marker):].split('"', 1)[0]
    answer = client.post(f"{base}/sign-language/agent/sign-in", data={"csrf_token": csrf, "agent_id": agent_id, "agent_token": token})
    status = answer.status_code
    assert status in (200, 302, 303), f"console sign-in refused: {status}"

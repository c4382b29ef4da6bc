"""Issue 17 item 1 and 9: no silent demo security outside the demo, private files, trusted Host, configured links.

Each test starts the real app (or the real CLI in a subprocess) and sends the attack.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
import requests

from barrierfree.errors import BadInput
from barrierfree.settings import Settings
from barrierfree.web import create_app
from barrierfree.web.app import seed_demo
from tests.scheduler_app import cli_server

API = "/api/v1/sign-language"
REQUIRED = ("BARRIERFREE_WEB__SECRET_KEY", "BARRIERFREE_ENCRYPTION_KEYS", "BARRIERFREE_SCHEDULER__AGENT_TOKEN",
            "BARRIERFREE_WEB__STAFF_TOKEN", "BARRIERFREE_SCHEDULER__PUBLIC_BASE_URL")


def _bare(tmp_path, **unset: bool) -> Settings:
    """Settings with the named secrets explicitly empty (the rest as conftest configured them)."""
    empty = {
        "BARRIERFREE_WEB__SECRET_KEY": ("web", "secret_key"), "BARRIERFREE_ENCRYPTION_KEYS": (None, "encryption_keys"),
        "BARRIERFREE_SCHEDULER__AGENT_TOKEN": ("scheduler", "agent_token"), "BARRIERFREE_WEB__STAFF_TOKEN": ("web", "staff_token"),
        "BARRIERFREE_SCHEDULER__PUBLIC_BASE_URL": ("scheduler", "public_base_url"),
    }
    overrides: dict = {"data_dir": tmp_path / "data"}
    for variable, (section, name) in empty.items():
        if unset.get(variable, False):
            if section:
                overrides.setdefault(section, {})[name] = ""
            else:
                overrides[name] = ""
    return Settings(**overrides)


def _env_without_secrets(tmp_path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("BARRIERFREE_")}
    return {**env, "BARRIERFREE_DATA_DIR": str(tmp_path / "data"), "BARRIERFREE_LOG_LEVEL": "WARNING"}


def test_create_app_without_secrets_refuses_naming_every_missing_variable(tmp_path):
    with pytest.raises(BadInput) as refused:
        create_app(_bare(tmp_path, **dict.fromkeys(REQUIRED, True)))
    assert refused.value.code == "missing-settings"
    assert all(variable in refused.value.detail for variable in REQUIRED)
    assert not (tmp_path / "data" / "secret").exists() and not (tmp_path / "data" / "keys").exists()


@pytest.mark.parametrize("variable", REQUIRED)
def test_each_missing_secret_alone_stops_the_start_and_is_named(tmp_path, variable):
    with pytest.raises(BadInput) as refused:
        create_app(_bare(tmp_path, **{variable: True}))
    assert refused.value.extra["missing"] == [variable]


def test_barrierfree_serve_without_secrets_exits_with_one_line_naming_them(tmp_path):
    done = subprocess.run([sys.executable, "-m", "barrierfree.cli", "serve", "--port", "1"], env=_env_without_secrets(tmp_path),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert all(variable in done.stderr for variable in REQUIRED)


@pytest.mark.slow
def test_only_the_demo_runs_on_generated_secrets_says_so_and_still_grants_no_anonymous_role(tmp_path):
    env = _env_without_secrets(tmp_path)
    with cli_server("demo", env) as base:
        refused = [
            requests.post(f"{base}{API}/agents", json={"id": "mallory", "name": "M", "time_zone": "UTC", "skills": ["csl"], "rules": []}, timeout=30),
            requests.post(f"{base}{API}/agents/li-na/claim", timeout=30),
            requests.get(f"{base}/sign-language/agent/li-na", timeout=30),
        ]
        assert [r.status_code for r in refused] == [403, 403, 403]
        data = tmp_path / "data"
        supervisor = (data / "agent-token").read_text().strip()
        claimed = requests.post(f"{base}{API}/agents/li-na/claim", headers={"X-Agent-Token": supervisor}, timeout=30)
        assert claimed.status_code == 200
    for name in ("secret", "keys", "agent-token", "staff-token"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
    # What the demo said on start (a second run on the same folder reuses the same secrets).
    started = subprocess.Popen([sys.executable, "-m", "barrierfree.cli", "demo", "--port", "0"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first_line = started.stderr.readline()
    finally:
        started.kill()
        started.wait(30)
    assert "DEMO SECURITY" in first_line and "BARRIERFREE_WEB__SECRET_KEY" in first_line


def test_with_a_configured_token_no_token_or_a_wrong_one_grants_no_role(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data"))
    seed_demo(app)
    client = app.test_client()
    client.post(f"{API}/queue", json={"skill": "csl", "customer": {"name": "张三", "contact": "13800138000"}})
    new_agent = {"id": "mallory", "name": "M", "time_zone": "UTC", "skills": ["csl"], "rules": []}
    for headers in ({}, {"X-Agent-Token": ""}, {"X-Agent-Token": "guess"}):
        assert client.post(f"{API}/agents", json=new_agent, headers=headers).status_code == 403
        claim = client.post(f"{API}/agents/li-na/claim", headers=headers)
        assert claim.status_code == 403 and "张三" not in claim.get_data(as_text=True)
        assert client.get("/sign-language/agent/li-na", headers=headers).status_code == 403
    assert "mallory" not in {a["id"] for a in client.get(f"{API}/agents").get_json()["agents"]}


def test_the_data_folder_is_0700_and_the_database_0600(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)  # an existing, too open folder is tightened
    app = create_app(Settings(data_dir=data))
    client = app.test_client()
    assert client.post("/api/v1/journeys", json={"lang": "en"}).status_code == 201
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for database in data.glob("barrierfree.db*"):
        assert stat.S_IMODE(database.stat().st_mode) == 0o600, database.name
    assert (data / "barrierfree.db").exists()


def test_an_untrusted_host_header_is_refused(tmp_path):
    client = create_app(Settings(data_dir=tmp_path / "data", scheduler={"public_base_url": "https://bank.example"},
                                 web={"trusted_hosts": ()})).test_client()
    refused = client.get(f"{API}/skills", headers={"Host": "attacker.example"})
    assert (refused.status_code, refused.mimetype, refused.get_json()["type"]) == (400, "application/problem+json", "/problems/untrusted-host")
    started = client.post("/api/v1/journeys", json={"lang": "en"}, headers={"Host": "attacker.example"})
    assert started.status_code == 400
    assert client.get(f"{API}/skills", headers={"Host": "bank.example"}).status_code == 200


def test_calendar_files_and_messages_use_the_configured_public_base_url(tmp_path):
    from datetime import date, timedelta

    from barrierfree.onboarding.scheduler.reminders import outbox, run_due

    app = create_app(Settings(data_dir=tmp_path / "data", scheduler={"public_base_url": "https://bank.example"},
                              web={"trusted_hosts": ("localhost",)}))
    seed_demo(app)
    client = app.test_client()
    first, last = (date.today() + timedelta(days=1)).isoformat(), (date.today() + timedelta(days=7)).isoformat()
    slot = client.get(f"{API}/availability?from={first}&to={last}&skill=csl").get_json()["slots"][0]
    booking = client.post(f"{API}/bookings", json={"agent_id": slot["agent_id"], "start": slot["start"], "skill": "csl",
                                                   "customer": {"name": "张三", "contact": "zhang@example.cn"}}).get_json()
    calendar = client.get(f"{API}/bookings/{booking['id']}/calendar.ics").get_data(as_text=True)
    assert "https://bank.example/sign-language/" in calendar.replace("\r\n ", "") and "localhost" not in calendar
    run_due(app.extensions["barrierfree.sessions"], app.extensions["barrierfree.settings"].scheduler, worker="test")
    with app.extensions["barrierfree.sessions"]() as session:
        bodies = [message.body for message in outbox(session, booking["id"])]
    assert bodies and all("https://bank.example/sign-language/bookings/" in body for body in bodies)


def test_an_older_world_readable_database_is_tightened_and_db_upgrade_creates_a_private_one(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "barrierfree.db").touch(mode=0o644)
    os.chmod(data / "barrierfree.db", 0o644)
    create_app(Settings(data_dir=data))
    assert stat.S_IMODE((data / "barrierfree.db").stat().st_mode) == 0o600
    fresh = tmp_path / "fresh"
    env = {**os.environ, "BARRIERFREE_DATA_DIR": str(fresh), "BARRIERFREE_LOG_LEVEL": "WARNING"}
    env.pop("BARRIERFREE_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "barrierfree.cli", "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    assert [stat.S_IMODE(path.stat().st_mode) for path in fresh.glob("barrierfree.db*")] == [0o600] * len(list(fresh.glob("barrierfree.db*")))

"""Web details without a browser: agent token, Jitsi embedding, page texts, the CLI contract."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from barrierfree.settings import Settings
from barrierfree.web import create_app
from barrierfree.web.app import seed_demo
from barrierfree.web.i18n import catalog
from tests.scheduler_app import app_today

API = "/api/v1/sign-language"
#: The supervisor's token that conftest configures for every app under test.
SUPERVISOR = {"X-Agent-Token": os.environ["BARRIERFREE_SCHEDULER__AGENT_TOKEN"]}


def _app(tmp_path, **scheduler):
    app = create_app(Settings(data_dir=tmp_path / "data", scheduler=scheduler))
    seed_demo(app)
    seed_demo(app)  # idempotent
    return app


def test_agent_endpoints_need_the_token_when_one_is_configured(tmp_path):
    client = _app(tmp_path, agent_token="s3cret-agent-token").test_client()
    client.post(f"{API}/queue", json={"skill": "csl", "customer": {"name": "张三", "contact": "a@b.cn"}})
    refused = client.post(f"{API}/agents/li-na/claim")
    assert (refused.status_code, refused.mimetype, refused.json["type"]) == (403, "application/problem+json", "/problems/agent-token-required")
    assert client.post(f"{API}/agents/li-na/claim", headers={"X-Agent-Token": "wrong"}).status_code == 403
    assert client.get("/sign-language/agent/li-na").status_code == 403
    claimed = client.post(f"{API}/agents/li-na/claim", headers={"X-Agent-Token": "s3cret-agent-token"})
    assert claimed.status_code == 200 and claimed.json["ticket"]["customer"]["name"] == "张三"
    # The console opens through a one-time link (a token in the URL is not read), then by its session cookie.
    assert client.get("/sign-language/agent/li-na?token=s3cret-agent-token&lang=en").status_code == 403
    link = client.post(f"{API}/agents/li-na/console-link", headers={"X-Agent-Token": "s3cret-agent-token"}).json["url"]
    assert client.get(link).status_code == 303
    page = client.get("/sign-language/agent/li-na?lang=en")
    assert page.status_code == 200 and "张三" in page.get_data(as_text=True)
    # Customers' endpoints stay open: the booking id is their capability.
    assert client.get(f"{API}/agents").status_code == 200


def test_a_configured_jitsi_server_is_embedded_with_a_title(tmp_path):
    app = _app(tmp_path, jitsi_base_url="https://meet.bank.example/")
    client = app.test_client()
    client.post(f"{API}/queue", json={"skill": "csl", "customer": {"name": "张三", "contact": "a@b.cn"}})
    ticket = client.post(f"{API}/agents/li-na/claim", headers=SUPERVISOR).json["ticket"]
    room = ticket["room_id"]
    html = client.get(f"/sign-language/queue/{ticket['id']}/room?lang=en", follow_redirects=True).get_data(as_text=True)
    assert f'src="https://meet.bank.example/barrierfree-{room}"' in html and 'title="Video call (Jitsi)"' in html
    assert 'id="chat-log"' in html and 'id="start-video"' not in html


def test_both_languages_have_every_page_text():
    zh, en = catalog("sign_language", "zh-CN"), catalog("sign_language", "en")
    assert set(zh) == set(en) and all(zh.values()) and all(en.values())
    assert len(zh["weekdays"].split(",")) == len(en["weekdays"].split(",")) == 7
    assert len(zh["months"].split(",")) == len(en["months"].split(",")) == 12


def test_the_cli_seeds_demo_agents_and_lists_availability_as_json(tmp_path):
    env = {**os.environ, "BARRIERFREE_DATA_DIR": str(tmp_path / "cli"), "BARRIERFREE_LOG_LEVEL": "WARNING"}
    env.pop("BARRIERFREE_DATABASE_URL", None)
    cli = [sys.executable, "-m", "barrierfree.cli"]
    seeded = subprocess.run([*cli, "scheduler", "seed-demo", "--json"], env=env, capture_output=True, text=True, check=True)
    document = json.loads(seeded.stdout)
    assert document["created"] == ["li-na", "wang-wei", "chen-jie", "anna-berlin"] == list(document["tokens"])
    tokens = document["tokens"]
    assert len(set(tokens.values())) == 4 and all(len(token) >= 40 for token in tokens.values())
    # Stored hashed: the database holds each token's SHA-256, never the token.
    import hashlib
    import sqlite3

    with sqlite3.connect(tmp_path / "cli" / "barrierfree.db") as db:
        stored = dict(db.execute("SELECT id, token_hash FROM sl_agents"))
        dump = "\n".join(db.iterdump())
    assert stored == {agent: hashlib.sha256(token.encode()).hexdigest() for agent, token in tokens.items()}
    assert not any(token in dump for token in tokens.values())
    again = subprocess.run([*cli, "scheduler", "seed-demo", "--json"], env=env, capture_output=True, text=True, check=True)
    assert json.loads(again.stdout) == {"created": [], "tokens": {}}
    rotated = subprocess.run([*cli, "scheduler", "agent-token", "li-na", "--json"], env=env, capture_output=True, text=True, check=True)
    assert json.loads(rotated.stdout)["token"] not in tokens.values()
    first = (app_today() + timedelta(days=1)).isoformat()
    last = (app_today() + timedelta(days=7)).isoformat()
    listed = subprocess.run([*cli, "scheduler", "availability", "--from", first, "--to", last, "--skill", "csl-shanghai", "--json"],
                            env=env, capture_output=True, text=True, check=True)
    slots = json.loads(listed.stdout)["slots"]
    assert slots and {s["agent_id"] for s in slots} == {"wang-wei"} and all(s["start"].endswith("Z") for s in slots)
    bad = subprocess.run([*cli, "scheduler", "availability", "--from", last, "--to", first], env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stdout == "" and "after its start" in bad.stderr and "Traceback" not in bad.stderr
    assert Path(tmp_path / "cli" / "barrierfree.db").exists()


def _csrf(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def test_form_posts_need_the_csrf_token_and_the_forms_work_without_javascript(tmp_path):
    client = _app(tmp_path).test_client()
    form = {"name": "张三", "contact": "13800138000", "skill": "csl", "reason": "开户"}
    refused = client.post("/sign-language/queue?lang=en", data=form)
    assert refused.status_code == 422 and "did not come from this site" in refused.get_data(as_text=True)
    token = _csrf(client.get("/sign-language/queue").get_data(as_text=True))
    joined = client.post("/sign-language/queue", data={**form, "csrf_token": token})
    assert joined.status_code == 303 and "/sign-language/queue/" in joined.headers["Location"]
    waiting = client.get(joined.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "number 1 in line" in waiting

    day = (app_today() + timedelta(days=3)).isoformat()
    listed = client.post("/sign-language/waitlist?lang=en", data={**form, "date": day, "csrf_token": token})
    assert listed.status_code == 200 and "You are on the waitlist" in listed.get_data(as_text=True)
    bad_day = client.post("/sign-language/waitlist?lang=en", data={**form, "date": "2001-01-01", "csrf_token": token})
    assert bad_day.status_code == 422 and 'role="alert"' in bad_day.get_data(as_text=True)

    # Booking without JavaScript: one radio button per time, then the form's own submit button.
    html = client.get("/sign-language/book?lang=en").get_data(as_text=True)
    slot = re.search(r'<input type="radio" name="slot" id="[^"]+" value="([^"]+)"', html).group(1)
    booked = client.post("/sign-language/book", data={"slot": slot, "skill": "csl", "name": "张三", "contact": "z@example.cn",
                                                      "csrf_token": token, "idempotency_key": "form-1"})
    assert booked.status_code == 303
    again = client.post("/sign-language/book", data={"slot": slot, "skill": "csl", "name": "张三", "contact": "z@example.cn",
                                                     "csrf_token": token, "idempotency_key": "form-1"})
    assert again.headers["Location"] == booked.headers["Location"]  # a double-submitted form books once


def test_an_inactive_agent_offers_no_slots_and_takes_no_bookings(tmp_path):
    client = _app(tmp_path).test_client()
    first, last = (app_today() + timedelta(days=1)).isoformat(), (app_today() + timedelta(days=7)).isoformat()
    slot = client.get(f"{API}/availability?from={first}&to={last}&skill=csl-shanghai").json["slots"][0]
    assert client.patch(f"{API}/agents/wang-wei", json={"active": "no"}, headers=SUPERVISOR).json["type"] == "/problems/bad-active"
    assert client.patch(f"{API}/agents/wang-wei", json={"active": False}, headers=SUPERVISOR).json["active"] is False
    assert client.get(f"{API}/availability?from={first}&to={last}&skill=csl-shanghai").json["slots"] == []
    refused = client.post(f"{API}/bookings", json={"agent_id": "wang-wei", "start": slot["start"], "skill": "csl",
                                                   "customer": {"name": "张三", "contact": "a@b.cn"}})
    assert (refused.status_code, refused.json["type"]) == (409, "/problems/agent-inactive")
    assert "wang-wei" not in {a["id"] for a in client.get(f"{API}/agents").json["agents"]}


def test_barrierfree_serve_on_a_port_answers_the_stable_contract(tmp_path):
    import requests

    from tests.scheduler_app import cli_server

    env = {**os.environ, "BARRIERFREE_DATA_DIR": str(tmp_path / "serve"), "BARRIERFREE_LOG_LEVEL": "WARNING"}
    env.pop("BARRIERFREE_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "barrierfree.cli", "scheduler", "seed-demo"], env=env, capture_output=True, check=True)
    with cli_server("serve", env) as server:
        base = f"{server}{API}"
        first, last = (app_today() + timedelta(days=1)).isoformat(), (app_today() + timedelta(days=7)).isoformat()
        listed = requests.get(f"{base}/availability", params={"from": first, "to": last, "skill": "csl"}, timeout=10)
        assert listed.status_code == 200 and listed.headers["Content-Type"] == "application/json"
        slot = listed.json()["slots"][0]
        assert set(slot) == {"agent_id", "start", "end", "skills"} and slot["start"].endswith("Z")
        body = {"agent_id": slot["agent_id"], "start": slot["start"], "skill": "csl", "customer": {"name": "张三", "contact": "z@example.cn"}}
        booked = requests.post(f"{base}/bookings", json=body, headers={"Idempotency-Key": "serve-1"}, timeout=10)
        assert booked.status_code == 201 and booked.json()["id"]
        assert requests.post(f"{base}/bookings", json=body, headers={"Idempotency-Key": "serve-1"}, timeout=10).json()["id"] == booked.json()["id"]
        taken = requests.post(f"{base}/bookings", json=body, timeout=10)
        assert (taken.status_code, taken.headers["Content-Type"], taken.json()["type"]) == (409, "application/problem+json", "/problems/slot-taken")
        assert requests.delete(f"{base}/bookings/{booked.json()['id']}", timeout=10).json()["status"] == "cancelled"

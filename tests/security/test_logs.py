"""No token, booking id, name or ID number reaches the logs, even in the traceback of a failure.

The app runs on a real local server (whose request lines are logged too) with
the CLI's logging set-up; a journey and bookings are driven through the HTTP
API and the pages, with refused requests and with database failures that make
the app log a traceback (a trigger makes the database refuse the write).
"""

from __future__ import annotations

import io
import json
import logging
from datetime import date, timedelta

import pytest
import requests
from sqlalchemy import text

from barrierfree import log
from barrierfree.onboarding.journey.steps import Step
from barrierfree.settings import Settings
from barrierfree.web import create_app
from barrierfree.web.app import seed_demo
from tests.browser import serve

API = "/api/v1/sign-language"
NAME, ID_NUMBER, CONTACT = "欧阳娜娜", "11010519491231002X", "nana.ouyang@example.cn"
AGENT_TOKEN = "agent-Token-9f8e7d6c5b4a39281706"


@pytest.fixture
def captured():
    """Everything the root logger writes, through the handlers ``barrierfree.log.configure`` sets up."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    log.configure("DEBUG")
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _refuse_writes(engine, table: str, operation: str) -> None:
    with engine.begin() as connection:
        connection.execute(text(f"CREATE TRIGGER refuse_{table}_{operation.lower()} BEFORE {operation} ON {table} "
                                "BEGIN SELECT RAISE(ABORT, 'disk quota exceeded'); END"))


def _journey_at_review(app, base: str) -> tuple[str, str, dict]:
    started = requests.post(f"{base}/api/v1/journeys", json={"lang": "en"}, timeout=30).json()
    journey, token = started["id"], started["token"]
    auth = {"Authorization": f"Bearer {token}"}
    service = app.extensions["barrierfree.journeys"]
    with service.at_step(journey, Step.CONSENT) as (session, record):  # the card steps have their own tests
        record.fields_sealed = json.dumps({"name": {"value": NAME, "confidence": 0.9, "side": "front"},
                                           "id_number": {"value": ID_NUMBER, "confidence": 0.9, "side": "front"}})
        service.advance(session, record, to=Step.REVIEW, reason="test-shortcut")
    return journey, token, auth


def test_tokens_ids_names_and_id_numbers_never_reach_the_logs(tmp_path, captured):
    app = create_app(Settings(data_dir=tmp_path / "data", scheduler={"agent_token": AGENT_TOKEN},
                              web={"journey_requests_per_minute": 12}))
    seed_demo(app)
    engine = app.extensions["barrierfree.engine"]
    secrets_seen: list[str] = [NAME, ID_NUMBER, CONTACT, AGENT_TOKEN]
    statuses = []
    with serve(app) as base:
        journey, token, auth = _journey_at_review(app, base)
        secrets_seen.append(token)
        http = requests.Session()
        statuses += [http.get(f"{base}/api/v1/journeys/{journey}", headers=auth, timeout=30).status_code,
                     http.get(f"{base}/api/v1/journeys/{journey}/review", headers=auth, timeout=30).status_code,
                     http.get(f"{base}/api/v1/journeys/{journey}?token={token}", timeout=30).status_code,
                     http.patch(f"{base}/api/v1/journeys/{journey}/review", json={"name": "id_number", "value": "110105194912310021"},
                                headers=auth, timeout=30).status_code]
        _refuse_writes(engine, "journeys", "UPDATE")
        statuses.append(http.patch(f"{base}/api/v1/journeys/{journey}/review", json={"name": "name", "value": NAME + "二"},
                                   headers=auth, timeout=30).status_code)
        statuses += [http.get(f"{base}/api/v1/journeys/{journey}", headers=auth, timeout=30).status_code for _ in range(12)]

        first, last = (date.today() + timedelta(days=1)).isoformat(), (date.today() + timedelta(days=7)).isoformat()
        slots = http.get(f"{base}{API}/availability", params={"from": first, "to": last, "skill": "csl"}, timeout=30).json()["slots"]
        booking = http.post(f"{base}{API}/bookings", json={"agent_id": slots[0]["agent_id"], "start": slots[0]["start"], "skill": "csl",
                                                          "customer": {"name": NAME, "contact": CONTACT}}, timeout=30).json()
        ticket = http.post(f"{base}{API}/queue", json={"skill": "csl", "customer": {"name": NAME, "contact": CONTACT}}, timeout=30).json()
        secrets_seen += [booking["id"], ticket["id"], booking["room_id"]]
        statuses += [http.get(f"{base}/sign-language/bookings/{booking['id']}", timeout=30).status_code,
                     http.get(f"{base}{API}/bookings/{booking['id']}/calendar.ics", timeout=30).status_code,
                     http.get(f"{base}/sign-language/agent/li-na?token={AGENT_TOKEN}", timeout=30).status_code,
                     http.get(f"{base}/sign-language/rooms/{booking['room_id']}", timeout=30).status_code,
                     http.delete(f"{base}{API}/bookings/{booking['id']}", timeout=30).status_code,
                     http.delete(f"{base}{API}/bookings/{booking['id']}", timeout=30).status_code]
        _refuse_writes(engine, "sl_bookings", "INSERT")
        statuses.append(http.post(f"{base}{API}/bookings", json={"agent_id": slots[1]["agent_id"], "start": slots[1]["start"], "skill": "csl",
                                                                "customer": {"name": NAME, "contact": CONTACT}}, timeout=30).status_code)
        page = http.get(f"{base}/journey/", timeout=30).text
        csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
        secrets_seen.append(csrf)
        statuses.append(http.post(f"{base}/journey/start?csrf_token={csrf}", data={"csrf_token": csrf + "x"}, timeout=30).status_code)
    written = captured.getvalue()
    # The scenario did what it says: refusals, a limit, two failures with their tracebacks, every request line.
    assert {200, 400, 401, 409, 429, 500} <= set(statuses), statuses
    assert written.count("Traceback (most recent call last)") >= 2 and "unhandled error" in written
    assert "IntegrityError" in written and "<message withheld>" in written
    assert "/sign-language/bookings/<redacted:secret-id>" in written and "token=<redacted>" in written
    assert f"journey {journey}" in written  # a journey id is not a credential: it is kept for tracing
    leaked = [value for value in secrets_seen if value in written]
    assert leaked == [], [written[max(0, written.find(v) - 200): written.find(v) + 50] for v in leaked]


def test_gunicorns_own_access_log_is_redacted_too(tmp_path):
    """gunicorn logs through handlers of its own; the app factory puts the redacting filter on them."""
    stream = io.StringIO()
    access = logging.getLogger("gunicorn.access")
    handler = logging.StreamHandler(stream)
    access.addHandler(handler)
    access.setLevel(logging.INFO)  # as gunicorn sets it up
    try:
        create_app(Settings(data_dir=tmp_path / "data"))
        booking_id, token = "Q2xWb3Vk_ZXhhbXBsZQx0A", "s3cret-agent-token-0123456789"
        # gunicorn's own call: the format string with a dict of request atoms.
        access.info('%(h)s "%(r)s" %(s)s', {"h": "127.0.0.1", "r": f"GET /sign-language/bookings/{booking_id}?token={token} HTTP/1.1", "s": "200"})
    finally:
        access.removeHandler(handler)
        access.setLevel(logging.NOTSET)
    written = stream.getvalue()
    assert "/sign-language/bookings/<redacted:secret-id>?token=<redacted>" in written
    assert booking_id not in written and token not in written

"""The JSON API over real HTTP, on SQLite and PostgreSQL: no double booking under concurrent requests."""

from __future__ import annotations

import os
import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import text

from barrierfree.onboarding.scheduler.agents import issue_token
from barrierfree.onboarding.scheduler.models import QueueEntry
from barrierfree.onboarding.scheduler.txn import write_session
from testkit.scheduler import add_all_week_agent
from tests.browser import serve
from tests.scheduler_app import BACKENDS, app_today, scheduler_app

API = "/api/v1/sign-language"
PROBLEM = "application/problem+json"
#: The supervisor's token that conftest configures for every app under test.
SUPERVISOR = {"X-Agent-Token": os.environ["BARRIERFREE_SCHEDULER__AGENT_TOKEN"]}


@pytest.fixture(params=BACKENDS)
def live_app(request, tmp_path):
    """The app served on a local port with two round-the-clock agents; yields (base URL, app)."""
    with scheduler_app(request, tmp_path, request.param) as app:
        sessions = app.extensions["barrierfree.sessions"]
        add_all_week_agent(sessions, "agent-a", "Asia/Shanghai")
        add_all_week_agent(sessions, "agent-b", "Europe/Berlin", skills=("csl", "en-text"))
        with serve(app) as base_url:
            yield base_url, app


def _slots(base: str, skill: str = "csl") -> list[dict]:
    today = app_today()
    response = requests.get(f"{base}{API}/availability", params={"from": (today + timedelta(days=1)).isoformat(),
                                                                 "to": (today + timedelta(days=2)).isoformat(), "skill": skill}, timeout=30)
    assert response.status_code == 200
    return response.json()["slots"]


def _body(slot: dict, n: int = 0) -> dict:
    return {"agent_id": slot["agent_id"], "start": slot["start"], "skill": "csl",
            "customer": {"name": f"客户{n}", "contact": f"customer{n}@example.cn"}}


def test_many_clients_booking_the_same_slots_get_exactly_one_booking_each(live_app):
    base, app = live_app
    targets = _slots(base)[:6]
    assert len(targets) == 6 and all(s["start"].endswith("Z") for s in targets)
    attempts = [(slot, n) for n in range(12) for slot in targets]
    random.Random(7).shuffle(attempts)
    barrier = threading.Barrier(24)

    def attempt(job):
        slot, n = job
        with requests.Session() as http:
            try:
                barrier.wait(timeout=30)
            except threading.BrokenBarrierError:
                pass
            response = http.post(f"{base}{API}/bookings", json=_body(slot, n), timeout=120)
        return slot["start"], slot["agent_id"], response.status_code, response.headers["Content-Type"], response.json()

    with ThreadPoolExecutor(max_workers=24) as pool:
        results = list(pool.map(attempt, attempts))

    won = Counter((start, agent) for start, agent, status, _, _ in results if status == 201)
    assert won == Counter({(s["start"], s["agent_id"]): 1 for s in targets})
    refused = [r for r in results if r[2] != 201]
    assert len(refused) == len(attempts) - len(targets)
    for _, _, status, content_type, problem in refused:
        assert (status, content_type, problem["type"]) == (409, PROBLEM, "/problems/slot-taken")
        assert "availability" in problem["detail"]
    with app.extensions["barrierfree.engine"].connect() as connection:
        live = connection.execute(text(
            "SELECT agent_id, starts_at, count(*) FROM sl_bookings WHERE status IN ('held', 'confirmed') GROUP BY agent_id, starts_at"
        )).all()
    assert len(live) == len(targets) and {row[2] for row in live} == {1}
    remaining = {(s["start"], s["agent_id"]) for s in _slots(base)}
    assert not remaining & set(won)


def test_concurrent_retries_with_one_idempotency_key_book_once(live_app):
    base, _ = live_app
    slot = _slots(base)[3]

    def attempt(_):
        response = requests.post(f"{base}{API}/bookings", json=_body(slot), headers={"Idempotency-Key": "pay-once-7"}, timeout=120)
        return response.status_code, response.json()["id"], response.headers.get("Idempotent-Replayed")

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(attempt, range(10)))
    assert {status for status, _, _ in results} == {201}
    assert len({booking_id for _, booking_id, _ in results}) == 1
    assert sum(replayed is None for _, _, replayed in results) == 1
    reused = requests.post(f"{base}{API}/bookings", json=_body(_slots(base)[5]), headers={"Idempotency-Key": "pay-once-7"}, timeout=30)
    assert (reused.status_code, reused.json()["type"]) == (409, "/problems/idempotency-key-reused")


def _problem(response: requests.Response, status: int, code: str) -> None:
    assert (response.status_code, response.headers["Content-Type"]) == (status, PROBLEM), response.text
    assert response.json()["type"] == f"/problems/{code}" and response.json()["detail"]


def test_the_contract_and_its_bad_inputs(live_app):
    base, _ = live_app
    today = app_today()
    avail = f"{base}{API}/availability"
    for params, status, code in [
        ({"from": (today + timedelta(days=3)).isoformat(), "to": (today + timedelta(days=1)).isoformat()}, 400, "inverted-range"),
        ({"from": "2001-01-01", "to": "2001-01-02"}, 400, "date-in-past"),
        ({"from": (today + timedelta(days=900)).isoformat(), "to": (today + timedelta(days=901)).isoformat()}, 400, "date-too-far"),
        ({"from": today.isoformat(), "to": (today + timedelta(days=90)).isoformat()}, 400, "range-too-long"),
        ({"from": "31/12/2026", "to": today.isoformat()}, 400, "bad-date"),
        ({"from": today.isoformat(), "to": today.isoformat(), "skill": "klingon"}, 400, "unknown-skill"),
        ({"from": today.isoformat(), "to": today.isoformat(), "tz": "Mars/Olympus"}, 400, "unknown-time-zone"),
        ({"from": today.isoformat(), "to": today.isoformat(), "agent_id": "ghost"}, 404, "unknown-agent"),
    ]:
        _problem(requests.get(avail, params=params, timeout=30), status, code)
    shanghai = requests.get(avail, params={"from": (today + timedelta(days=1)).isoformat(), "to": (today + timedelta(days=1)).isoformat(),
                                           "tz": "Asia/Shanghai", "skill": "csl,en-text"}, timeout=30).json()["slots"]
    assert shanghai and {s["agent_id"] for s in shanghai} == {"agent-b"}

    slots = _slots(base)
    bookings = f"{base}{API}/bookings"
    _problem(requests.post(bookings, data="not json", headers={"Content-Type": "application/json"}, timeout=30), 400, "bad-json")
    _problem(requests.post(bookings, json={**_body(slots[0]), "customer": None}, timeout=30), 400, "missing-field")
    _problem(requests.post(bookings, json={**_body(slots[0]), "start": "2026-12-01T09:00:00"}, timeout=30), 400, "time-without-offset")
    _problem(requests.post(bookings, json={**_body(slots[0]), "skill": "klingon"}, timeout=30), 400, "unknown-skill")

    first = requests.post(bookings, json=_body(slots[0]), timeout=30)
    second = requests.post(bookings, json=_body(slots[1], 1), timeout=30)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.headers["Location"].endswith(first.json()["id"])
    booking = first.json()
    assert set(booking) >= {"id", "agent_id", "start", "end", "status", "room_id"} and booking["status"] == "confirmed"
    _problem(requests.post(f"{bookings}/{booking['id']}/reschedule", json={"start": slots[1]["start"], "agent_id": slots[1]["agent_id"]},
                           timeout=30), 409, "slot-taken")
    assert requests.get(f"{bookings}/{booking['id']}", timeout=30).json()["start"] == booking["start"]
    cancelled = requests.delete(f"{bookings}/{booking['id']}", timeout=30)
    assert (cancelled.status_code, cancelled.json()["status"], cancelled.json()["sequence"]) == (200, "cancelled", 1)
    _problem(requests.delete(f"{bookings}/{booking['id']}", timeout=30), 409, "already-cancelled")
    _problem(requests.delete(f"{bookings}/nope", timeout=30), 404, "unknown-booking")
    calendar = requests.get(f"{bookings}/{booking['id']}/calendar.ics", timeout=30)
    assert calendar.headers["Content-Type"].startswith("text/calendar") and b"METHOD:CANCEL" in calendar.content


def test_queue_over_http_and_agent_claims(live_app):
    base, app = live_app
    joined = [requests.post(f"{base}{API}/queue", json={"skill": "csl", "customer": {"name": f"客户{n}", "contact": f"138001380{n:02d}"},
                                                       "reason": "开户"}, timeout=30).json() for n in range(6)]
    assert [t["position"] for t in joined] == [1, 2, 3, 4, 5, 6] and all(t["room_id"] is None for t in joined)
    _problem(requests.post(f"{base}{API}/queue", json={"skill": "nope", "customer": {"name": "x", "contact": "y"}}, timeout=30),
             400, "unknown-skill")

    def claim(agent):
        return requests.post(f"{base}{API}/agents/{agent}/claim", headers=SUPERVISOR, timeout=60).json()["ticket"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        claimed = [t for t in pool.map(claim, ["agent-a", "agent-b"] * 4) if t]
    assert sorted(t["id"] for t in claimed) == sorted(t["id"] for t in joined)
    assert claim("agent-a") is None
    status = requests.get(f"{base}{API}/queue/{joined[0]['id']}", timeout=30).json()
    assert status["status"] == "claimed" and status["room_id"] and "customer" not in status
    room = f"{base}{API}/rooms/{status['room_id']}"
    # The customer's credential is their ticket id; the agent's, their token (the supervisor's here).
    as_customer = {"X-Customer-Key": joined[0]["id"]}
    with app.extensions["barrierfree.sessions"]() as session:
        owner = session.get(QueueEntry, joined[0]["id"]).claimed_by
    with write_session(app.extensions["barrierfree.sessions"]) as session:
        as_agent = {"X-Agent-Token": issue_token(session, owner)}
    assert requests.post(f"{room}/chat", json={"text": "你好"}, headers=as_customer, timeout=30).status_code == 201
    assert requests.post(f"{room}/signals", json={"kind": "offer", "payload": {"type": "offer", "sdp": "v=0"}}, headers=as_agent,
                         timeout=30).status_code == 201
    assert [line["text"] for line in requests.get(f"{room}/chat", headers=as_agent, timeout=30).json()["lines"]] == ["你好"]
    assert [s["kind"] for s in requests.get(f"{room}/signals", headers=as_customer, timeout=30).json()["signals"]] == ["offer"]
    assert requests.get(f"{room}/signals", headers=as_agent, timeout=30).json()["signals"] == []
    _problem(requests.get(f"{base}{API}/rooms/nope/chat", timeout=30), 404, "unknown-room")
    _problem(requests.post(f"{room}/signals", json={"kind": "bogus", "payload": {}}, headers=as_agent, timeout=30), 400, "bad-signal")


def test_agents_manage_their_hours_and_bad_ranges_zones_and_skills_are_refused(live_app):
    base, app = live_app
    agents = f"{base}{API}/agents"
    good = {"id": "new-agent", "name": "Zhou", "time_zone": "America/New_York", "skills": ["csl", "captioning"],
            "rules": [{"weekday": d, "start": "09:00", "end": "12:00"} for d in range(7)]}
    for change, status, code in [
        ({"rules": [{"weekday": 1, "start": "09:00", "end": "12:00"}, {"weekday": 1, "start": "11:00", "end": "13:00"}]}, 400, "overlapping-rules"),
        ({"rules": [{"weekday": 1, "start": "12:00", "end": "09:00"}]}, 400, "inverted-range"),
        ({"rules": [{"weekday": 9, "start": "09:00", "end": "10:00"}]}, 400, "bad-weekday"),
        ({"rules": [{"weekday": 1, "start": "9am", "end": "10:00"}]}, 400, "bad-time"),
        ({"time_zone": "Europe/Atlantis"}, 400, "unknown-time-zone"),
        ({"skills": ["csl", "morse"]}, 400, "unknown-skill"),
        ({"id": "Bad Id!"}, 400, "bad-agent-id"),
        ({"id": "agent-a"}, 400, "agent-exists"),
    ]:
        _problem(requests.post(agents, json={**good, **change}, headers=SUPERVISOR, timeout=30), status, code)
    assert requests.get(agents, timeout=30).json()["agents"][-1]["id"] != "new-agent"  # nothing half-written
    created = requests.post(agents, json=good, headers=SUPERVISOR, timeout=30)
    assert created.status_code == 201 and created.json()["skills"] == ["captioning", "csl"]
    slots = list(_slots(base, "captioning"))
    assert slots and {s["agent_id"] for s in slots} == {"new-agent"}
    # 09:00-12:00 in New York, whatever the UTC offset is on those days.
    new_york = ZoneInfo("America/New_York")
    local = {datetime.fromisoformat(s["start"].replace("Z", "+00:00")).astimezone(new_york).strftime("%H:%M") for s in slots}
    assert local == {"09:00", "09:40", "10:20", "11:00"}

    off = f"{agents}/new-agent/time-off"
    _problem(requests.post(off, json={"start": slots[0]["end"], "end": slots[0]["start"]}, headers=SUPERVISOR, timeout=30), 400, "inverted-range")
    assert requests.post(off, json={"start": slots[0]["start"], "end": slots[0]["end"]}, headers=SUPERVISOR, timeout=30).status_code == 201
    assert slots[0]["start"] not in {s["start"] for s in _slots(base, "captioning")}

    replaced = requests.put(f"{agents}/new-agent/rules", json={"rules": [{"weekday": 0, "start": "10:00", "end": "11:00"}]}, headers=SUPERVISOR, timeout=30)
    assert replaced.status_code == 200 and replaced.json()["rules"] == [{"weekday": 0, "start": "10:00", "end": "11:00"}]
    _problem(requests.put(f"{agents}/ghost/rules", json={"rules": []}, headers=SUPERVISOR, timeout=30), 404, "unknown-agent")


def test_text_messages_reach_the_in_app_inbox_after_the_ticker_runs(live_app):
    from barrierfree.onboarding.scheduler.reminders import run_due

    base, app = live_app
    slot = _slots(base)[0]
    body = {**_body(slot), "customer": {"name": "张三", "contact": "in-app user 42"}}
    booking = requests.post(f"{base}{API}/bookings", json=body, timeout=30).json()
    inbox = f"{base}{API}/bookings/{booking['id']}/messages"
    assert requests.get(inbox, timeout=30).json()["messages"] == []
    assert run_due(app.extensions["barrierfree.sessions"], app.extensions["barrierfree.settings"].scheduler, worker="test") >= 1
    (message,) = requests.get(inbox, timeout=30).json()["messages"]
    assert message["channel"] == "in_app" and slot["start"] in message["body"] and "张三" not in message["body"]
    page = requests.get(f"{base}/sign-language/bookings/{booking['id']}?lang=en", timeout=30).text
    assert "Messages about this session" in page and booking["room_id"] in page


def test_a_hold_made_before_the_details_are_typed_is_confirmed_with_them(live_app):
    from barrierfree.onboarding.scheduler.reminders import outbox, run_due

    base, app = live_app
    slot = _slots(base)[2]
    bookings = f"{base}{API}/bookings"
    bare = {"agent_id": slot["agent_id"], "start": slot["start"], "skill": "csl"}
    _problem(requests.post(bookings, json=bare, timeout=30), 400, "missing-field")  # a booking, not a hold, needs the customer
    held = requests.post(bookings, json={**bare, "hold": True}, timeout=30)
    assert held.status_code == 201 and held.json()["status"] == "held"
    minutes = app.extensions["barrierfree.settings"].scheduler.hold_minutes
    assert minutes * 60 - 5 <= held.json()["hold_seconds_left"] <= minutes * 60
    _problem(requests.post(bookings, json=_body(slot, 9), timeout=30), 409, "slot-taken")
    hold = f"{bookings}/{held.json()['id']}"
    _problem(requests.post(f"{hold}/confirm", timeout=30), 400, "missing-field")
    assert requests.get(hold, timeout=30).json()["status"] == "held"
    assert requests.post(f"{hold}/extend", timeout=30).json()["status"] == "held"
    confirmed = requests.post(f"{hold}/confirm", json={"customer": {"name": "张三", "contact": "zhang@example.cn"}}, timeout=30)
    assert (confirmed.status_code, confirmed.json()["status"]) == (200, "confirmed") and "hold_seconds_left" not in confirmed.json()
    assert run_due(app.extensions["barrierfree.sessions"], app.extensions["barrierfree.settings"].scheduler, worker="test") >= 1
    with app.extensions["barrierfree.sessions"]() as session:
        assert [m.recipient for m in outbox(session, held.json()["id"])] == ["zhang@example.cn"]

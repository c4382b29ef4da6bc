"""Agents act only for themselves (one token each), and more working time goes first to the waitlist.

On SQLite and real PostgreSQL: the HTTP layer through Flask's test client,
the domain through its functions with a fixed clock.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from barrierfree.errors import Conflict, NotFound
from barrierfree.onboarding.scheduler import agents, bookings, reminders, waitlist
from barrierfree.onboarding.scheduler.availability import free_slots
from barrierfree.onboarding.scheduler.models import Booking
from barrierfree.onboarding.scheduler.slots import WeeklyRule
from barrierfree.onboarding.scheduler.times import format_utc
from barrierfree.onboarding.scheduler.txn import write_session
from barrierfree.onboarding.scheduler.types import Customer
from barrierfree.settings.scheduler import SchedulerSettings
from testkit.scheduler import add_all_week_agent, book_started, open_scheduler
from tests.scheduler_app import BACKENDS, app_today, scheduler_app

UTC = timezone.utc
API = "/api/v1/sign-language"
PROBLEM = "application/problem+json"
SUPERVISOR = "supervisor-secret-token"
CONFIG = SchedulerSettings()
NOW = datetime(2027, 3, 21, 0, 0, tzinfo=UTC)
ALICE = Customer("张三", "zhang.san@example.cn")
BOB = Customer("李四", "+86 138 0013 8000")


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path):
    with scheduler_app(request, tmp_path, request.param, agent_token=SUPERVISOR) as built:
        yield built


def _problem(response, status: int, code: str) -> None:
    assert (response.status_code, response.mimetype, response.json["type"]) == (status, PROBLEM, f"/problems/{code}"), response.json
    assert response.json["detail"]


def _agent(client, agent_id: str, **extra) -> str:
    """A round-the-clock agent created by the supervisor; returns the agent's own token."""
    body = {"id": agent_id, "name": f"Agent {agent_id}", "time_zone": "Asia/Shanghai", "skills": ["csl", "zh-text"],
            "rules": [{"weekday": d, "start": "00:00", "end": "00:00"} for d in range(7)]} | extra
    created = client.post(f"{API}/agents", json=body, headers={"X-Agent-Token": SUPERVISOR})
    assert created.status_code == 201, created.json
    return created.json["token"]


def _sign_in(client, agent_id: str, token: str) -> str:
    """A one-time console link for ``agent_id``, asked for with ``token``."""
    answer = client.post(f"{API}/agents/{agent_id}/console-link", headers={"X-Agent-Token": token})
    assert answer.status_code == 201, answer.json
    return answer.json["url"]


def test_each_agent_acts_only_on_their_own_bookings_tickets_and_console(app):
    client = app.test_client()
    sessions, config = app.extensions["barrierfree.sessions"], app.extensions["barrierfree.settings"].scheduler
    token_a, token_b = _agent(client, "agent-a"), _agent(client, "agent-b")
    as_a, as_b, boss = ({"X-Agent-Token": t} for t in (token_a, token_b, SUPERVISOR))
    _problem(client.post(f"{API}/agents", json={"id": "agent-c"}, headers=as_a), 403, "supervisor-only")
    mine, theirs = book_started(sessions, config, "agent-a", ALICE), book_started(sessions, config, "agent-b", BOB)

    # Agent A may not close B's session, whatever the outcome; nothing changes.
    for outcome in ("completed", "no_show"):
        _problem(client.post(f"{API}/bookings/{theirs.id}/outcome", json={"outcome": outcome}, headers=as_a), 403, "not-your-booking")
    assert client.get(f"{API}/bookings/{theirs.id}").json["status"] == "confirmed"
    # The same through A's console page: B's booking is refused with a notice, not closed.
    html = client.get(_sign_in(client, "agent-a", token_a), follow_redirects=True).get_data(as_text=True)
    marker = 'name="csrf_token" value="'
    csrf = html[html.index(marker) + len(marker):].split('"', 1)[0]
    refused = client.post(f"/sign-language/agent/agent-a/outcome/{theirs.id}", data={"outcome": "completed", "csrf_token": csrf})
    assert refused.status_code == 303 and "notice=not-your-booking" in refused.headers["Location"]
    assert client.get(f"{API}/bookings/{theirs.id}").json["status"] == "confirmed"
    _problem(client.post(f"{API}/bookings/{mine.id}/outcome", json={"outcome": "completed"}), 403, "agent-token-required")
    _problem(client.post(f"{API}/bookings/{mine.id}/outcome", json={"outcome": "completed"}, headers={"X-Agent-Token": "guess"}),
             403, "agent-token-required")
    closed = client.post(f"{API}/bookings/{mine.id}/outcome", json={"outcome": "completed"}, headers=as_a)
    assert (closed.status_code, closed.json["status"]) == (200, "completed")
    _problem(client.post(f"{API}/bookings/{mine.id}/outcome", json={"outcome": "no_show"}, headers=as_a), 409, "booking-not-confirmed")
    # A supervisor acts for every agent.
    assert client.post(f"{API}/bookings/{theirs.id}/outcome", json={"outcome": "no_show"}, headers=boss).json["status"] == "no_show"

    # Another agent's console, claims, hours and time off are refused too.
    for method, path, body in [("get", "/agents/agent-b/console", None), ("post", "/agents/agent-b/claim", None),
                               ("put", "/agents/agent-b/rules", {"rules": []}), ("patch", "/agents/agent-b", {"active": False}),
                               ("post", "/agents/agent-b/time-off", {"start": "2027-01-01T00:00:00Z", "end": "2027-01-02T00:00:00Z"})]:
        _problem(getattr(client, method)(f"{API}{path}", json=body, headers=as_a), 403, "not-your-agent")
    assert client.get(f"{API}/agents/agent-b/console", headers=as_b).status_code == 200
    assert client.get("/sign-language/agent/agent-b").status_code == 403  # signed in as agent A
    page = app.test_client().get(_sign_in(client, "agent-b", token_b) + "?lang=en", follow_redirects=True)
    assert page.status_code == 200 and "李四" in page.get_data(as_text=True)

    # A queue ticket is closed only by the agent who took it.
    client.post(f"{API}/queue", json={"skill": "csl", "customer": {"name": "王五", "contact": "w@example.cn"}})
    ticket = client.post(f"{API}/agents/agent-b/claim", headers=as_b).json["ticket"]
    _problem(client.post(f"{API}/queue/{ticket['id']}/finish", headers=as_a), 403, "not-your-ticket")
    assert client.post(f"{API}/queue/{ticket['id']}/finish", headers=as_b).json["status"] == "done"

    # A new token replaces the old one; the stable contract stays open to customers.
    with write_session(sessions) as session:
        new_a = agents.issue_token(session, "agent-a")
    _problem(client.get(f"{API}/agents/agent-a/console", headers=as_a), 403, "agent-token-required")
    assert client.get(f"{API}/agents/agent-a/console", headers={"X-Agent-Token": new_a}).status_code == 200
    first = (app_today() + timedelta(days=1)).isoformat()
    slot = client.get(f"{API}/availability?from={first}&to={first}&skill=csl").json["slots"][0]
    booked = client.post(f"{API}/bookings", json={"agent_id": slot["agent_id"], "start": slot["start"], "skill": "csl",
                                                  "customer": {"name": "赵六", "contact": "z@example.cn"}})
    assert booked.status_code == 201 and client.delete(f"{API}/bookings/{booked.json['id']}").json["status"] == "cancelled"


def test_an_agent_ending_time_off_early_over_http_gives_the_slot_to_the_waitlist(app):
    client = app.test_client()
    token = _agent(client, "agent-one", rules=[{"weekday": d, "start": "10:00", "end": "11:00"} for d in range(7)])
    as_agent = {"X-Agent-Token": token}
    day = (app_today() + timedelta(days=2)).isoformat()
    (slot,) = client.get(f"{API}/availability?from={day}&to={day}&tz=Asia/Shanghai&skill=csl").json["slots"]
    away = client.post(f"{API}/agents/agent-one/time-off", json={"start": slot["start"], "end": slot["end"]}, headers=as_agent)
    assert away.status_code == 201
    assert client.get(f"{API}/availability?from={day}&to={day}&tz=Asia/Shanghai&skill=csl").json["slots"] == []
    start = datetime.fromisoformat(slot["start"].replace("Z", "+00:00"))
    entry = client.post(f"{API}/waitlist", json={"skill": "csl", "from": (start - timedelta(hours=2)).isoformat(),
                                                 "to": (start + timedelta(hours=2)).isoformat(), "customer": {"name": "张三", "contact": "13800138000"}})
    assert entry.status_code == 201 and entry.json["status"] == "waiting"
    assert [o["id"] for o in client.get(f"{API}/agents/agent-one/time-off", headers=as_agent).json["time_off"]] == [away.json["id"]]
    _problem(client.delete(f"{API}/agents/agent-one/time-off/999999", headers=as_agent), 404, "unknown-time-off")
    ended = client.delete(f"{API}/agents/agent-one/time-off/{away.json['id']}", headers=as_agent)
    assert ended.status_code == 200 and len(ended.json["promoted"]) == 1
    promoted = client.get(f"{API}/waitlist/{entry.json['id']}").json
    assert promoted["status"] == "booked" and promoted["booking_id"] == ended.json["promoted"][0]
    booking = client.get(f"{API}/bookings/{promoted['booking_id']}").json
    assert (booking["start"], booking["agent_id"], booking["status"]) == (slot["start"], "agent-one", "confirmed")

    # More working hours that day: the next waiting customer gets the new slot.
    second = client.post(f"{API}/waitlist", json={"skill": "csl", "from": start.isoformat(), "to": (start + timedelta(hours=3)).isoformat(),
                                                  "customer": {"name": "李四", "contact": "l@example.cn"}}).json
    weekday = start.astimezone(ZoneInfo("Asia/Shanghai")).weekday()
    _problem(client.post(f"{API}/agents/agent-one/rules", json={"rules": [{"weekday": weekday, "start": "10:30", "end": "11:30"}]},
                         headers=as_agent), 400, "overlapping-rules")
    added = client.post(f"{API}/agents/agent-one/rules", json={"rules": [{"weekday": weekday, "start": "11:00", "end": "11:40"}]},
                        headers=as_agent)
    assert added.status_code == 201 and len(added.json["promoted"]) == 1 and len(added.json["rules"]) == 8
    assert client.get(f"{API}/waitlist/{second['id']}").json["booking_id"] == added.json["promoted"][0]
    assert client.get(f"{API}/bookings/{added.json['promoted'][0]}").json["start"] == format_utc(start + timedelta(hours=1))


# --- the domain, with a fixed clock -------------------------------------------------------------


@pytest.fixture
def sessions(db_engine):
    factory = open_scheduler(db_engine)
    add_all_week_agent(factory, "sh-1", "Asia/Shanghai", skills=("csl", "csl-shanghai"), start=time(9, 0), end=time(12, 0))
    return factory


def _fill(sessions, day: str, skill: str = "csl-shanghai") -> list:
    start = datetime.fromisoformat(day).replace(tzinfo=UTC)
    with sessions() as session:
        slots = free_slots(session, CONFIG, start, start + timedelta(days=1), NOW, (skill,))
    return [bookings.book(sessions, CONFIG, bookings.BookingRequest(s.agent_id, s.start, skill, ALICE), now=NOW).booking for s in slots]


def _join(sessions, skill: str, day: datetime, customer: Customer, seconds: int):
    with write_session(sessions) as session:
        return waitlist.join_waitlist(session, CONFIG, skill, day, day + timedelta(days=1), customer, now=NOW + timedelta(seconds=seconds))


def _entry(sessions, entry_id: str):
    with sessions() as session:
        return waitlist.view(waitlist.get_entry(session, entry_id))


def test_added_working_hours_go_to_the_oldest_matching_waitlist_entry(sessions):
    day = datetime(2027, 3, 22, tzinfo=UTC)  # a Monday; sh-1 works 09:00-12:00 Shanghai = 01:00-04:00Z
    assert len(_fill(sessions, "2027-03-22")) == 4
    older = _join(sessions, "csl-shanghai", day, BOB, 1)
    newer = _join(sessions, "csl", day, ALICE, 2)
    other_skill = _join(sessions, "csl-cantonese", day, ALICE, 0)  # sh-1 does not sign Cantonese
    with write_session(sessions) as session:
        agents.add_rules(session, "sh-1", [WeeklyRule(0, time(13, 0), time(13, 40))])  # one more slot: 05:00Z
        made = bookings.promote_for_agent(session, CONFIG, "sh-1", NOW)
    assert len(made) == 1
    assert _entry(sessions, older.id).status == "booked" and _entry(sessions, older.id).booking_id == made[0]
    assert _entry(sessions, newer.id).status == "waiting" and _entry(sessions, other_skill.id).status == "waiting"
    with sessions() as session:
        new = bookings.get_booking(session, made[0])
        assert (new.starts_at, new.status, new.customer_name, new.waitlist_id) == (datetime(2027, 3, 22, 5, 0, tzinfo=UTC), "confirmed", BOB.name, older.id)
    assert reminders.run_due(sessions, CONFIG, now=NOW) == 5  # four confirmations and the promotion
    with sessions() as session:
        assert [m.subject for m in reminders.outbox(session, made[0])] == [reminders._SUBJECTS["promoted"]]
    with write_session(sessions) as session:  # nothing more is free: calling again books nothing twice
        assert bookings.promote_for_agent(session, CONFIG, "sh-1", NOW) == []


def test_removed_time_off_goes_to_the_waitlist_but_not_past_slots_or_other_days(sessions):
    with write_session(sessions) as session:
        off = agents.add_time_off(session, "sh-1", datetime(2027, 3, 23, 1, 0, tzinfo=UTC), datetime(2027, 3, 23, 2, 0, tzinfo=UTC))
    assert len(_fill(sessions, "2027-03-23")) == 2  # 02:20Z and 03:00Z; 01:00Z and 01:40Z are time off
    waiting = _join(sessions, "csl", datetime(2027, 3, 23, tzinfo=UTC), BOB, 1)
    too_late = _join(sessions, "csl", datetime(2027, 3, 24, 3, 0, tzinfo=UTC), ALICE, 2)  # 24th 03:00Z to 25th 03:00Z: free slots, but not in the freed span
    with write_session(sessions) as session:
        span = agents.remove_time_off(session, "sh-1", off)
        made = bookings.promote_for_agent(session, CONFIG, "sh-1", NOW, span[0] - timedelta(minutes=40), span[1])
        with pytest.raises(NotFound) as unknown:
            agents.remove_time_off(session, "sh-1", off)
        assert unknown.value.code == "unknown-time-off"
    assert len(made) == 1 and _entry(sessions, waiting.id).booking_id == made[0]
    assert _entry(sessions, too_late.id).status == "waiting"  # its window does not touch the freed span
    with sessions() as session:
        assert bookings.get_booking(session, made[0]).starts_at == datetime(2027, 3, 23, 1, 0, tzinfo=UTC)
        live = session.scalars(select(Booking.starts_at).where(Booking.status == "confirmed", Booking.agent_id == "sh-1")).all()
    assert len(live) == len(set(live)) == 3
    # Once the day has begun, a freed slot in the past is never given away.
    with write_session(sessions) as session:
        again = agents.add_time_off(session, "sh-1", datetime(2027, 3, 25, 1, 0, tzinfo=UTC), datetime(2027, 3, 25, 2, 0, tzinfo=UTC))
        late = _join_in(session, datetime(2027, 3, 25, tzinfo=UTC))
    later = datetime(2027, 3, 25, 1, 50, tzinfo=UTC)
    with write_session(sessions) as session:
        span = agents.remove_time_off(session, "sh-1", again)
        assert bookings.promote_for_agent(session, CONFIG, "sh-1", later, span[0] - timedelta(minutes=40), span[1]) == []
    assert _entry(sessions, late.id).status == "waiting"


def _join_in(session, day: datetime):
    return waitlist.join_waitlist(session, CONFIG, "csl", day, day + timedelta(hours=2), BOB, now=NOW)


def test_an_agent_back_at_work_takes_waiting_customers_and_time_off_never_double_books(sessions):
    day = datetime(2027, 3, 26, tzinfo=UTC)
    with write_session(sessions) as session:
        agents.get_agent(session, "sh-1").active = False
    entry = _join(sessions, "csl", day, BOB, 0)
    with write_session(sessions) as session:
        assert bookings.promote_for_agent(session, CONFIG, "sh-1", NOW) == []  # inactive: nothing
        agents.get_agent(session, "sh-1").active = True
        session.flush()
        made = bookings.promote_for_agent(session, CONFIG, "sh-1", NOW)
    assert len(made) == 1 and _entry(sessions, entry.id).status == "booked"
    with sessions() as session:
        booked = bookings.get_booking(session, made[0])
        span = (booked.starts_at - timedelta(minutes=10), booked.ends_at)
    # Time off over a confirmed session is refused, and nothing is written.
    with pytest.raises(Conflict) as clash, write_session(sessions) as session:
        agents.add_time_off(session, "sh-1", *span)
    assert clash.value.code == "time-off-over-bookings"
    with sessions() as session:
        assert agents.list_time_off(session, "sh-1") == []

"""Issue 17 item 10: the video room. A chat line's (and a signal's) role comes from the sender's
credential, never from the request body, and entering a room needs a credential at all.

The credentials: the room's own agent (their token, or their console session), a supervisor, or
the customer (their booking id or queue ticket id, sent as X-Customer-Key or remembered in the
session when they open the room from their own page). Each attack goes to the app over real HTTP.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import requests

from barrierfree.onboarding.scheduler.agents import issue_token
from barrierfree.onboarding.scheduler.txn import write_session
from barrierfree.settings import Settings
from barrierfree.web import create_app
from barrierfree.web.app import seed_demo
from tests.browser import serve

API = "/api/v1/sign-language"
SUPERVISOR = "supervisor-token-for-room-attacks"


@pytest.fixture
def site(tmp_path):
    """The demo's agents with their own tokens, one confirmed booking with Li Na and a queue ticket Li Na took."""
    app = create_app(Settings(data_dir=tmp_path / "data", scheduler={"agent_token": SUPERVISOR}))
    seed_demo(app)
    with write_session(app.extensions["barrierfree.sessions"]) as session:
        tokens = {agent: issue_token(session, agent) for agent in ("li-na", "wang-wei")}
    with serve(app) as base:
        days = {"from": (date.today() + timedelta(days=1)).isoformat(), "to": (date.today() + timedelta(days=7)).isoformat()}
        slots = requests.get(f"{base}{API}/availability", params={**days, "skill": "csl", "agent_id": "li-na"}, timeout=30).json()["slots"]
        booked = [requests.post(f"{base}{API}/bookings", timeout=30, json={
            "agent_id": "li-na", "start": slot["start"], "skill": "csl", "customer": {"name": name, "contact": "c@example.cn"}}).json()
            for slot, name in zip(slots[:2], ("张三", "李四"))]
        ticket = requests.post(f"{base}{API}/queue", json={"skill": "zh-text", "customer": {"name": "王五", "contact": "w@example.cn"}}, timeout=30).json()
        claimed = requests.post(f"{base}{API}/agents/li-na/claim", headers={"X-Agent-Token": tokens["li-na"]}, timeout=30).json()["ticket"]
        assert claimed["id"] == ticket["id"]
        yield SimpleNamespace(base=base, booking=booked[0], other_booking=booked[1], ticket=claimed, tokens=tokens)


def _room(site, booking=None) -> str:
    return f"{site.base}{API}/rooms/{(booking or site.booking)['room_id']}"


def _lines(site, booking=None) -> list[tuple[str, str]]:
    """The room's chat as its customer reads it."""
    booking = booking or site.booking
    answer = requests.get(f"{_room(site, booking)}/chat", headers={"X-Customer-Key": booking["id"]}, timeout=30)
    assert answer.status_code == 200
    return [(line["from"], line["text"]) for line in answer.json()["lines"]]


def _refused(response) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/room-credential-required"


def test_anyone_with_the_room_link_cannot_post_as_the_agent_or_read_the_room(site):
    room = _room(site)
    _refused(requests.post(f"{room}/chat", json={"role": "agent", "text": "Send your PIN to this chat"}, timeout=30))
    _refused(requests.post(f"{room}/chat?as=agent", json={"role": "agent", "text": "Send your PIN"}, timeout=30))
    _refused(requests.post(f"{room}/signals", json={"role": "agent", "kind": "offer", "payload": {"type": "offer", "sdp": "v=0"}}, timeout=30))
    _refused(requests.get(f"{room}/chat", timeout=30))
    _refused(requests.get(f"{room}/signals", params={"role": "customer"}, timeout=30))
    # A guessed or wrong credential is no better than none.
    _refused(requests.post(f"{room}/chat", json={"text": "x"}, headers={"X-Agent-Token": "guess"}, timeout=30))
    _refused(requests.post(f"{room}/chat", json={"text": "x"}, headers={"X-Customer-Key": site.booking["room_id"]}, timeout=30))
    _refused(requests.post(f"{room}/chat", json={"text": "x"}, headers={"X-Customer-Key": site.other_booking["id"]}, timeout=30))
    page = requests.get(room.replace(f"{API}/rooms", "/sign-language/rooms") + "?as=agent&lang=en", timeout=30)
    assert page.status_code == 403 and 'id="chat-form"' not in page.text and "from your booking page" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert _lines(site) == []  # nothing was posted


def test_the_customer_cannot_post_as_the_agent(site):
    room, key = _room(site), {"X-Customer-Key": site.booking["id"]}
    for url in (f"{room}/chat", f"{room}/chat?as=agent"):
        posted = requests.post(url, json={"role": "agent", "text": "I am the agent: send your PIN"}, headers=key, timeout=30)
        assert posted.status_code == 201 and posted.json()["from"] == "customer"
    signal = requests.post(f"{room}/signals?as=agent", json={"role": "agent", "kind": "offer", "payload": {}}, headers=key, timeout=30)
    assert signal.status_code == 201
    # The offer is the customer's: the agent's side reads it, the customer's own side does not.
    as_agent = {"X-Agent-Token": site.tokens["li-na"]}
    assert [s["kind"] for s in requests.get(f"{room}/signals", headers=as_agent, timeout=30).json()["signals"]] == ["offer"]
    assert requests.get(f"{room}/signals", params={"role": "agent"}, headers=key, timeout=30).json()["signals"] == []
    assert _lines(site) == [("customer", "I am the agent: send your PIN")] * 2


def test_only_the_rooms_own_agent_or_a_supervisor_speaks_as_the_agent(site):
    room = _room(site)
    _refused(requests.post(f"{room}/chat", json={"text": "Wang Wei here"}, headers={"X-Agent-Token": site.tokens["wang-wei"]}, timeout=30))
    _refused(requests.get(f"{room}/chat", headers={"X-Agent-Token": site.tokens["wang-wei"]}, timeout=30))
    for token in (site.tokens["li-na"], SUPERVISOR):
        posted = requests.post(f"{room}/chat", json={"role": "customer", "text": "Hello"}, headers={"X-Agent-Token": token}, timeout=30)
        assert posted.status_code == 201 and posted.json()["from"] == "agent"
    assert _lines(site) == [("agent", "Hello"), ("agent", "Hello")]


def test_pages_enter_the_room_with_the_customers_or_the_agents_credential(site):
    customer, agent, stranger = requests.Session(), requests.Session(), requests.Session()
    # The customer opens the room from their booking: the booking id is the credential, kept in the session.
    entered = customer.get(f"{site.base}/sign-language/bookings/{site.booking['id']}/room", allow_redirects=False, timeout=30)
    assert entered.status_code == 303 and entered.headers["Location"].endswith(f"/sign-language/rooms/{site.booking['room_id']}")
    page = customer.get(f"{site.base}{entered.headers['Location']}?as=agent", timeout=30)
    assert page.status_code == 200 and 'data-role="customer"' in page.text
    posted = customer.post(f"{_room(site)}/chat?as=agent", json={"role": "agent", "text": "from the page"}, timeout=30)
    assert posted.status_code == 201 and posted.json()["from"] == "customer"
    # The agent signs in with a one-time link; the session is their credential in the room.
    link = requests.post(f"{site.base}{API}/agents/li-na/console-link", headers={"X-Agent-Token": site.tokens["li-na"]}, timeout=30).json()
    assert agent.get(f"{site.base}{link['url']}", timeout=30).status_code == 200
    page = agent.get(f"{site.base}/sign-language/rooms/{site.booking['room_id']}?as=agent", timeout=30)
    assert page.status_code == 200 and 'data-role="agent"' in page.text
    posted = agent.post(f"{_room(site)}/chat?as=customer", json={"role": "customer", "text": "agent here"}, timeout=30)
    assert posted.status_code == 201 and posted.json()["from"] == "agent"
    # A cross-site form can send the session cookie but not JSON: it is refused before anything is stored.
    forged = agent.post(f"{_room(site)}/chat", data={"text": "forged"}, timeout=30)
    assert forged.status_code == 400
    # The room id alone (someone else's browser) still gets nothing.
    assert stranger.get(f"{site.base}/sign-language/rooms/{site.booking['room_id']}", timeout=30).status_code == 403
    _refused(stranger.get(f"{_room(site)}/chat", timeout=30))
    assert _lines(site) == [("customer", "from the page"), ("agent", "agent here")]


def test_a_queue_ticket_opens_its_room_only_once_claimed_and_for_its_own_customer(site):
    ticket = site.ticket
    waiting = requests.post(f"{site.base}{API}/queue", json={"skill": "csl-cantonese", "customer": {"name": "赵六", "contact": "z@example.cn"}},
                            timeout=30).json()
    before = requests.get(f"{site.base}/sign-language/queue/{waiting['id']}/room", allow_redirects=False, timeout=30)
    assert before.status_code == 303 and before.headers["Location"].startswith(f"/sign-language/queue/{waiting['id']}")
    room = f"{site.base}{API}/rooms/{ticket['room_id']}"
    _refused(requests.post(f"{room}/chat", json={"text": "x"}, headers={"X-Customer-Key": waiting["id"]}, timeout=30))
    posted = requests.post(f"{room}/chat", json={"role": "agent", "text": "你好"}, headers={"X-Customer-Key": ticket["id"]}, timeout=30)
    assert posted.status_code == 201 and posted.json()["from"] == "customer"
    session = requests.Session()
    assert session.get(f"{site.base}/sign-language/queue/{ticket['id']}/room", timeout=30).url.endswith(f"/sign-language/rooms/{ticket['room_id']}")
    _refused(session.get(f"{_room(site)}/chat", timeout=30))  # that ticket opens its own room, not the booking's

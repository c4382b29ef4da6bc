"""Browser states the page tour does not reach: the console's outcome controls on started sessions,
and the hold on a chosen time (limit shown, warned of 20 s ahead, extended by keyboard).

Headless Chromium with axe-core (wcag2a, wcag2aa, wcag21aa, wcag22aa); the sessions that have
already started are booked through the domain with its clock set before them.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from barrierfree.onboarding.scheduler import agents, bookings
from barrierfree.onboarding.scheduler.availability import free_slots
from barrierfree.onboarding.scheduler.times import utcnow, wall_to_utc
from barrierfree.onboarding.scheduler.txn import write_session
from barrierfree.onboarding.scheduler.types import Customer
from barrierfree.settings import Settings
from testkit.scheduler import add_all_week_agent, book_started
from barrierfree.web import create_app
from tests.browser import axe_violations, launch, serve
from tests.scheduler_app import console_link

pytestmark = [pytest.mark.browser, pytest.mark.slow]
API = "/api/v1/sign-language"
SUPERVISOR = "supervisor-token-for-tests"


def _noon_zone() -> str:
    """A fixed-offset zone where it is about noon now, so today has sessions both started and still to come."""
    offset = 12 - utcnow().hour
    offset = offset - 24 if offset > 14 else offset + 24 if offset < -12 else offset
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The app with one round-the-clock agent who has two started sessions and one later today."""
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("states"), scheduler={"agent_token": SUPERVISOR}))
    sessions, config = app.extensions["barrierfree.sessions"], app.extensions["barrierfree.settings"].scheduler
    zone_name = _noon_zone()
    add_all_week_agent(sessions, "desk-1", zone_name, skills=("csl", "zh-text"))
    with write_session(sessions) as session:
        token = agents.issue_token(session, "desk-1")
    midnight = wall_to_utc(datetime.combine(utcnow().astimezone(ZoneInfo(zone_name)).date(), time(0)), ZoneInfo(zone_name), "start")
    started = [book_started(sessions, config, "desk-1", customer, not_before=midnight)
               for customer in (Customer("张三", "zhang@example.cn"), Customer("李四", "13800138000"))]
    with sessions() as session:
        later = free_slots(session, config, utcnow() + timedelta(hours=1), utcnow() + timedelta(hours=3), utcnow(), ("csl",))[0]
    upcoming = bookings.book(sessions, config, bookings.BookingRequest("desk-1", later.start, "csl", Customer("王五", "w@example.cn"))).booking
    with serve(app) as base, launch() as browser:
        yield {"base": base, "browser": browser, "app": app, "token": token, "zone": zone_name, "started": started, "upcoming": upcoming}


def _tab_to(page, starts_with: str, contains: str = "", limit: int = 120) -> None:
    """Press Tab until the focused element's text starts with ``starts_with`` (and has ``contains``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("document.activeElement ? document.activeElement.textContent.trim() : ''")
        if text.startswith(starts_with) and contains in text:
            return
    pytest.fail(f"no focusable element '{starts_with}…{contains}' within {limit} tabs")


def _status(site, booking_id: str) -> str:
    return requests.get(f"{site['base']}{API}/bookings/{booking_id}", timeout=30).json()["status"]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_outcome_controls_of_started_sessions_pass_axe(site, lang):
    page = site["browser"].new_page()
    page.goto(console_link(site["base"], "desk-1", site["token"]) + f"?lang={lang}")
    label = {"en": ("Mark as completed", "Mark as missed"), "zh-CN": ("标记为已完成", "标记为未到场")}[lang]
    for text in label:
        assert page.get_by_role("button", name=text).count() == 2  # the two started sessions; not the one later today
    assert axe_violations(page) == []
    page.close()


def test_the_agent_closes_started_sessions_by_keyboard(site):
    first, second = site["started"]
    tz = ZoneInfo(site["zone"])
    page = site["browser"].new_page()
    page.goto(console_link(site["base"], "desk-1", site["token"]) + "?lang=en")
    _tab_to(page, "Mark as completed", first.start.astimezone(tz).strftime("%H:%M"))
    page.keyboard.press("Enter")
    page.wait_for_url("**notice=completed**")
    assert page.get_by_role("status").filter(has_text="Marked as completed.").count() == 1
    assert _status(site, first.id) == "completed"
    assert page.get_by_role("button", name="Mark as completed").count() == 1  # only the other started session is left
    assert axe_violations(page) == []
    _tab_to(page, "Mark as missed", second.start.astimezone(tz).strftime("%H:%M"))
    page.keyboard.press("Space")
    page.wait_for_url("**notice=no_show**")
    assert _status(site, second.id) == "no_show" and _status(site, site["upcoming"].id) == "confirmed"
    assert page.get_by_role("button", name="Mark as missed").count() == 0
    assert "Missed" in page.locator("main").inner_text() and "Completed" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.close()


def _held(site, booking_id: str):
    with site["app"].extensions["barrierfree.sessions"]() as session:
        return bookings.view(bookings.get_booking(session, booking_id))


def _live(page, text: str) -> None:
    page.wait_for_function("(t) => document.getElementById('live').textContent.includes(t)", arg=text, timeout=20_000)


def test_a_chosen_time_is_held_warned_20_seconds_ahead_and_extended_by_keyboard(site):
    hold_seconds = site["app"].extensions["barrierfree.settings"].scheduler.hold_minutes * 60
    page = site["browser"].new_page()
    page.clock.install()
    page.goto(f"{site['base']}/sign-language/book?lang=en")
    slot = page.get_by_role("listbox").get_by_role("option").first
    slot.focus()
    page.keyboard.press("Enter")
    _live(page, "held for you until")
    hold_id = page.input_value("#hold-id")
    held = _held(site, hold_id)
    assert held.status == "held" and f"({hold_seconds // 60} minutes)" in page.locator("#hold-text").inner_text()
    assert held.held_until.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M") in page.locator("#hold-text").inner_text()
    assert axe_violations(page) == []

    # The page's clock also runs on by itself meanwhile (a few seconds at most): the margins allow for it.
    page.clock.fast_forward((hold_seconds - 32) * 1000)
    assert "seconds left" not in page.locator("#hold-text").inner_text()
    page.clock.fast_forward(12_000)  # now under 20 s before the end: the warning is due, the end is not
    _live(page, "Only 20 seconds left to keep this time")
    assert "Keep this time longer" in page.locator("#hold-text").inner_text()
    assert axe_violations(page) == []

    page.get_by_label("Your name").fill("Zhang San")
    page.get_by_label("Email or mobile number for text reminders").fill("zhang.san@example.cn")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "hold-extend"
    page.keyboard.press("Enter")
    _live(page, "More time")
    assert _held(site, hold_id).held_until > held.held_until
    page.clock.fast_forward(60_000)  # past the first limit: the old timers are gone, the hold stands
    assert "More time" in page.locator("#hold-text").inner_text() and page.input_value("#hold-id") == hold_id

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Book the chosen time"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sign-language/bookings/{hold_id}?created=1**")
    confirmed = _held(site, hold_id)
    assert confirmed.status == "confirmed"
    with site["app"].extensions["barrierfree.sessions"]() as session:
        assert bookings.get_booking(session, hold_id).customer_name == "Zhang San"
    page.close()


def test_choosing_again_releases_the_old_hold_and_a_lapsed_hold_is_announced(site):
    page = site["browser"].new_page()
    page.clock.install()
    page.goto(f"{site['base']}/sign-language/book?lang=zh-CN")
    slots = page.get_by_role("listbox").get_by_role("option")
    slots.nth(0).focus()
    page.keyboard.press("Enter")
    _live(page, "已为您保留")
    first = page.input_value("#hold-id")
    slots.nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(old) => { const v = document.getElementById('hold-id').value; return v && v !== old; }", arg=first)
    second = page.input_value("#hold-id")
    assert _status(site, first) == "cancelled" and _status(site, second) == "held"
    page.clock.fast_forward((_held(site, second).held_until - utcnow()).total_seconds() * 1000 + 2000)
    _live(page, "保留已结束")
    assert page.input_value("#hold-id") == "" and page.locator("#hold-extend").is_hidden()
    assert axe_violations(page) == []
    page.close()


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_result_states_pass_axe(site, lang):
    """After an action: on the waitlist, a held and a cancelled booking, a queue left, the console's notices."""
    base, page = site["base"], site["browser"].new_page()
    page.goto(console_link(base, "desk-1", site["token"]))  # signed in for the console's notices below
    page.goto(f"{base}/sign-language/waitlist?lang={lang}")
    page.fill("#date", (utcnow() + timedelta(days=3)).date().isoformat())
    page.fill("#name", "张三")
    page.fill("#contact", "13800138000")
    page.locator("form button[type=submit]").press("Enter")
    page.wait_for_selector("p.notice[role=status]")
    assert axe_violations(page) == [], "waitlist joined"
    slot = requests.get(f"{base}{API}/availability", params={"from": (utcnow() + timedelta(days=4)).date().isoformat(),
                                                             "to": (utcnow() + timedelta(days=4)).date().isoformat()}, timeout=30).json()["slots"]
    held = requests.post(f"{base}{API}/bookings", json={"agent_id": slot[0]["agent_id"], "start": slot[0]["start"], "skill": "csl",
                                                        "hold": True}, timeout=30).json()
    cancelled = requests.post(f"{base}{API}/bookings", json={"agent_id": slot[1]["agent_id"], "start": slot[1]["start"], "skill": "csl",
                                                             "customer": {"name": "李四", "contact": "l@example.cn"}}, timeout=30).json()
    requests.delete(f"{base}{API}/bookings/{cancelled['id']}", timeout=30)
    ticket = requests.post(f"{base}{API}/queue", json={"skill": "csl", "customer": {"name": "王五", "contact": "w@example.cn"}}, timeout=30).json()
    requests.delete(f"{base}{API}/queue/{ticket['id']}", timeout=30)
    for path in (f"/sign-language/bookings/{held['id']}", f"/sign-language/bookings/{cancelled['id']}?notice=cancelled",
                 f"/sign-language/bookings/{cancelled['id']}?notice=already-cancelled", f"/sign-language/queue/{ticket['id']}",
                 "/sign-language/agent/desk-1?notice=queue_empty", "/sign-language/agent/desk-1?notice=not-your-booking"):
        page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert page.locator("main h1").count() == 1, path
        assert axe_violations(page) == [], path
    page.close()


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_console_full_of_bookings_tickets_and_time_off_passes_axe_and_fits_a_phone(site, lang):
    """The console after its main work: today's sessions, customers waiting and one taken, time off ahead."""
    base, as_agent = site["base"], {"X-Agent-Token": site["token"]}
    away = (utcnow() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
    off = requests.post(f"{base}{API}/agents/desk-1/time-off", headers=as_agent, timeout=30,
                        json={"start": away.isoformat().replace("+00:00", "Z"), "end": (away + timedelta(hours=2)).isoformat().replace("+00:00", "Z")})
    assert off.status_code == 201
    for n in range(3):
        requests.post(f"{base}{API}/queue", json={"skill": "zh-text", "customer": {"name": f"客户{n}", "contact": f"1380013800{n}"}}, timeout=30)
    taken = requests.post(f"{base}{API}/agents/desk-1/claim", headers=as_agent, timeout=30).json()["ticket"]
    page = site["browser"].new_page(viewport={"width": 320, "height": 800})
    page.goto(console_link(base, "desk-1", site["token"]) + f"?lang={lang}")
    main = page.locator("main").inner_text()
    assert taken["customer"]["name"] in main  # in conversation now
    assert page.locator("#waiting-heading + p + table tbody tr").count() >= 2
    assert page.locator("#today-heading + ul > li").count() >= 3  # two started sessions, one later today (and any booked above)
    assert page.locator("#time-off-heading + ul > li").count() >= 1
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    with write_session(site["app"].extensions["barrierfree.sessions"]) as session:
        agents.remove_time_off(session, "desk-1", off.json()["id"])
    page.close()

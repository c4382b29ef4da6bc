"""Every sign-language page passes axe-core in headless Chromium, and works by keyboard."""

from __future__ import annotations

import pytest
import requests

from barrierfree.settings import Settings
from barrierfree.web import create_app
from barrierfree.web.app import seed_demo
from tests.browser import axe_violations, launch, serve
from tests.scheduler_app import app_today

pytestmark = [pytest.mark.browser, pytest.mark.slow]
API = "/api/v1/sign-language"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo app (seeded agents) with one booking and one claimed queue ticket; yields (base, ids)."""
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("pages"), scheduler={"poll_interval_ms": 300}))
    seed_demo(app)
    with serve(app) as base:
        from datetime import timedelta

        first = (app_today() + timedelta(days=1)).isoformat()
        last = (app_today() + timedelta(days=7)).isoformat()
        slot = requests.get(f"{base}{API}/availability", params={"from": first, "to": last, "skill": "csl"}, timeout=30).json()["slots"][0]
        booking = requests.post(f"{base}{API}/bookings", json={**{k: slot[k] for k in ("agent_id", "start")}, "skill": "csl",
                                                               "customer": {"name": "张三", "contact": "zhang@example.cn"}}, timeout=30).json()
        ticket = requests.post(f"{base}{API}/queue", json={"skill": "csl", "customer": {"name": "李四", "contact": "13800138000"}}, timeout=30).json()
        claimed = requests.post(f"{base}{API}/agents/li-na/claim", timeout=30).json()["ticket"]
        waiting = requests.post(f"{base}{API}/queue", json={"skill": "csl-shanghai", "customer": {"name": "王五", "contact": "w@example.cn"}}, timeout=30).json()
        with launch(extra_args=["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]) as browser:
            yield base, browser, {"booking": booking, "ticket": ticket, "claimed": claimed, "waiting": waiting}


def _pages(ids: dict) -> list[str]:
    booking, claimed, waiting = ids["booking"], ids["claimed"], ids["waiting"]
    return [
        "/sign-language/", "/sign-language/book", "/sign-language/book?skill=csl-shanghai", "/sign-language/queue",
        "/sign-language/waitlist", f"/sign-language/bookings/{booking['id']}", f"/sign-language/bookings/{booking['id']}/reschedule",
        f"/sign-language/queue/{waiting['id']}", f"/sign-language/queue/{claimed['id']}",
        f"/sign-language/rooms/{claimed['room_id']}", f"/sign-language/rooms/{booking['room_id']}?as=agent",
        "/sign-language/agent/li-na",
    ]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_page_has_no_axe_violations(site, lang):
    base, browser, ids = site
    page = browser.new_page()
    for path in _pages(ids):
        page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("main h1").count() == 1, path
        assert axe_violations(page) == [], path
    page.close()


def test_slot_buttons_name_the_full_time_and_agent_and_the_choice_is_announced(site):
    base, browser, _ = site
    page = browser.new_page()
    page.goto(f"{base}/sign-language/book?lang=en")
    slot = page.get_by_role("button", name="Li Na").first
    name = slot.inner_text()
    assert " 20" in name and ":" in name and "with" in name and any(day in name for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"))
    slot.focus()
    page.keyboard.press("Enter")
    assert slot.get_attribute("aria-pressed") == "true"
    # The choice is announced, then again with the hold's time once the hold is granted; each
    # announcement empties the live region for 50 ms first (so a repeat is read out), so the
    # text is awaited rather than read at one instant (a fresh-clone run read it empty).
    page.wait_for_function("document.getElementById('live').textContent.startsWith('Chosen:')")
    page.wait_for_function("(name) => document.getElementById('live').textContent.includes(name)", arg=name)
    page.get_by_label("Your name").fill("Zhang San")
    page.get_by_label("Email or mobile number for text reminders").fill("zhang.san@example.cn")
    page.get_by_role("button", name="Book the chosen time").press("Enter")
    page.wait_for_url("**/sign-language/bookings/**")
    assert "Booked" in page.locator("main").inner_text() and "Li Na" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Cancel this session").click()
    page.wait_for_url("**notice=cancelled**")
    assert "cancelled" in page.locator("main").inner_text()
    page.close()


def test_a_booking_sent_while_the_hold_is_on_its_way_waits_for_it(site):
    """A quick keyboard user (or a slow server): "Book" pressed before the chosen time's hold
    has answered. The form used to go without the hold's id and find the time taken by that
    very hold (a 422 seen in CI under load); it now waits for the hold, then books."""
    base, browser, _ = site
    page = browser.new_page()
    held = []  # the hold reaches the server (the time is held); its answer is kept back

    def hold_back(route):
        held.append((route, route.fetch()))

    page.route("**/api/v1/sign-language/bookings", hold_back)
    page.goto(f"{base}/sign-language/book?lang=en")
    page.get_by_role("button", name="Li Na").nth(2).click()
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1 and held[0][0].request.method == "POST" and held[0][1].status == 201
    page.get_by_label("Your name").fill("Wang Wu")
    page.get_by_label("Email or mobile number for text reminders").fill("wang.wu@example.cn")
    page.get_by_role("button", name="Book the chosen time").press("Enter")
    page.wait_for_timeout(300)
    assert "/bookings/" not in page.url  # not sent yet: the hold has not answered
    held[0][0].fulfill(response=held[0][1])
    page.wait_for_url("**/sign-language/bookings/**")
    assert "Booked" in page.locator("main").inner_text() and "Li Na" in page.locator("main").inner_text()
    page.close()


def test_a_page_error_is_shown_in_an_alert_not_a_traceback(site):
    base, browser, _ = site
    page = browser.new_page()
    page.goto(f"{base}/sign-language/book?lang=en")
    page.get_by_label("Your name").fill("Zhang San")
    page.get_by_label("Email or mobile number for text reminders").fill("zhang.san@example.cn")
    page.get_by_role("button", name="Book the chosen time").click()
    page.wait_for_selector("[role=alert]")
    assert "Choose a time first." in page.locator("[role=alert]").inner_text()
    assert page.locator("#name").input_value() == "Zhang San"
    assert axe_violations(page) == []
    page.close()


def test_the_waiting_customer_sees_feels_and_hears_via_screen_reader_that_the_agent_is_joining(site):
    base, browser, _ = site
    ticket = requests.post(f"{base}{API}/queue", json={"skill": "csl-cantonese", "customer": {"name": "赵六", "contact": "z@example.cn"}},
                           timeout=30).json()
    page = browser.new_page()
    page.add_init_script("window.__vibrations = []; navigator.vibrate = function (p) { window.__vibrations.push(p); return true; };")
    page.goto(f"{base}{ticket['page']}?lang=en")
    assert "number 1 in line" in page.locator("#queue-state").inner_text()
    assert page.locator("#joining").is_hidden()
    claimed = requests.post(f"{base}{API}/agents/chen-jie/claim", timeout=30).json()["ticket"]
    assert claimed["id"] == ticket["id"]
    page.wait_for_function("document.getElementById('live').textContent.includes('joining')", timeout=20_000)
    assert page.locator("#joining").is_visible()
    assert page.evaluate("document.body.classList.contains('agent-joining')")
    assert page.evaluate("window.__vibrations.length") == 1
    assert page.evaluate("document.activeElement.id") == "joining-heading"
    assert claimed["room_id"] in page.get_by_role("link", name="Open the video room").get_attribute("href")
    assert axe_violations(page) == []
    page.close()


def test_chat_beside_the_video_reaches_the_other_side_and_is_announced(site):
    base, browser, ids = site
    room = ids["claimed"]["room_id"]
    customer, agent = browser.new_page(), browser.new_page()
    customer.goto(f"{base}/sign-language/rooms/{room}?lang=en")
    agent.goto(f"{base}/sign-language/rooms/{room}?as=agent&lang=en")
    customer.get_by_label("Type a message").fill("I want to open an account")
    customer.get_by_role("button", name="Send").click()
    agent.wait_for_function("document.getElementById('live').textContent.includes('I want to open an account')", timeout=20_000)
    assert "Customer: I want to open an account" in agent.get_by_role("log").inner_text()
    customer.wait_for_function("document.getElementById('chat-log').textContent.includes('You: I want')", timeout=20_000)
    # The video itself: both sides start the (fake) camera and connect over WebRTC through the app's signalling.
    agent.get_by_role("button", name="Start my camera").click()
    customer.get_by_role("button", name="Start my camera").click()
    for side in (customer, agent):
        side.wait_for_function("document.getElementById('call-state').textContent.includes('Connected')", timeout=30_000)
        assert side.evaluate("document.getElementById('remote-video').srcObject !== null")
    customer.close()
    agent.close()

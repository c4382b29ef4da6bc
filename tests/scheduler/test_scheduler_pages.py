"""Every sign-language page passes axe-core in headless Chromium, and works by keyboard."""

from __future__ import annotations


import pytest
import requests

from barrierfree.settings import Settings
from barrierfree.web import create_app
from barrierfree.web.app import seed_demo
from tests.browser import axe_violations, launch, serve
from tests.scheduler_app import app_today, console_link

pytestmark = [pytest.mark.browser, pytest.mark.slow]
API = "/api/v1/sign-language"
SUPERVISOR = "supervisor-token-for-page-tests"
AS_SUPERVISOR = {"X-Agent-Token": SUPERVISOR}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo app (seeded agents) with one booking and one claimed queue ticket; yields (base, ids)."""
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("pages"), scheduler={"poll_interval_ms": 300, "agent_token": SUPERVISOR}))
    seed_demo(app)
    with serve(app) as base:
        from datetime import timedelta

        first = (app_today() + timedelta(days=1)).isoformat()
        last = (app_today() + timedelta(days=7)).isoformat()
        slot = requests.get(f"{base}{API}/availability", params={"from": first, "to": last, "skill": "csl"}, timeout=30).json()["slots"][0]
        booking = requests.post(f"{base}{API}/bookings", json={**{k: slot[k] for k in ("agent_id", "start")}, "skill": "csl",
                                                               "customer": {"name": "张三", "contact": "zhang@example.cn"}}, timeout=30).json()
        ticket = requests.post(f"{base}{API}/queue", json={"skill": "csl", "customer": {"name": "李四", "contact": "13800138000"}}, timeout=30).json()
        claimed = requests.post(f"{base}{API}/agents/li-na/claim", headers=AS_SUPERVISOR, timeout=30).json()["ticket"]
        waiting = requests.post(f"{base}{API}/queue", json={"skill": "csl-shanghai", "customer": {"name": "王五", "contact": "w@example.cn"}}, timeout=30).json()
        with launch(extra_args=["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]) as browser:
            yield base, browser, {"booking": booking, "ticket": ticket, "claimed": claimed, "waiting": waiting}


def _pages(ids: dict) -> list[str]:
    """Every page; each room is entered as its customer would (from the queue page) or its agent (signed in first)."""
    booking, claimed, waiting = ids["booking"], ids["claimed"], ids["waiting"]
    return [
        "/sign-language/", "/sign-language/book", "/sign-language/book?skill=csl-shanghai", "/sign-language/queue",
        "/sign-language/waitlist", f"/sign-language/bookings/{booking['id']}", f"/sign-language/bookings/{booking['id']}/reschedule",
        f"/sign-language/queue/{waiting['id']}", f"/sign-language/queue/{claimed['id']}",
        f"/sign-language/queue/{claimed['id']}/room", "/sign-language/agent/li-na", f"/sign-language/rooms/{booking['room_id']}?as=agent",
        "/sign-language/agent/sign-in",
    ]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_page_has_no_axe_violations(site, lang):
    base, browser, ids = site
    page = browser.new_page()
    page.goto(console_link(base, "li-na", SUPERVISOR))
    for path in _pages(ids):
        page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("main h1").count() == 1, path
        assert axe_violations(page) == [], path
    page.close()


def test_times_name_the_agent_their_day_is_the_list_label_and_the_choice_is_announced_in_full(site):
    base, browser, _ = site
    page = browser.new_page()
    page.goto(f"{base}/sign-language/book?lang=en")
    tab = page.get_by_role("tab", selected=True)
    # Find a day that Li Na works: the tab list shows one day's times at a time.
    for _ in range(page.get_by_role("tab").count()):
        if page.get_by_role("listbox").get_by_role("option", name="Li Na").count():
            break
        tab.focus()
        page.keyboard.press("ArrowRight")
        tab = page.get_by_role("tab", selected=True)
    listbox = page.get_by_role("listbox")
    assert listbox.count() == 1  # only the shown day's list is in the accessibility tree
    day = listbox.get_attribute("aria-label")
    assert day.startswith("Times on ") and " 20" in day and any(d in day for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"))
    option = listbox.get_by_role("option", name="Li Na").first
    name = option.inner_text()
    assert ":" in name and " to " in name
    option.focus()
    page.keyboard.press("Enter")
    assert option.get_attribute("aria-selected") == "true"
    assert page.evaluate("document.activeElement.id") == "name"  # on to the next field
    # The choice is announced with its full date, then again with the hold's time once the hold is
    # granted; each announcement empties the live region for 50 ms first (so a repeat is read out),
    # so the text is awaited rather than read at one instant.
    page.wait_for_function("() => document.getElementById('live').textContent.startsWith('Chosen:')")
    page.wait_for_function("(day) => document.getElementById('live').textContent.includes(day.replace('Times on ', ''))", arg=day)
    page.wait_for_function("() => document.getElementById('live').textContent.includes('held for you')")
    assert axe_violations(page) == []  # the chosen, held state
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


def _show_a_day_with_times(page, at_least: int) -> None:
    """Move along the day tabs (as a keyboard user does) until the shown day offers ``at_least`` times."""
    for _ in range(page.get_by_role("tab").count()):
        if page.get_by_role("listbox").get_by_role("option").count() >= at_least:
            return
        page.get_by_role("tab", selected=True).focus()
        page.keyboard.press("ArrowRight")
    raise AssertionError(f"no day offers {at_least} times")


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
    _show_a_day_with_times(page, at_least=3)  # late in the day, today may have fewer times left
    chosen = page.get_by_role("listbox").get_by_role("option").nth(2)
    agent = chosen.inner_text().rsplit(", ", 1)[1]
    chosen.click()
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
    assert "Booked" in page.locator("main").inner_text() and agent in page.locator("main").inner_text()
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


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_joining_the_queue_by_the_form_gives_a_page_that_passes_axe_and_fits_a_phone(site, lang):
    base, browser, _ = site
    page = browser.new_page(viewport={"width": 320, "height": 800})
    page.goto(f"{base}/sign-language/queue?lang={lang}")
    page.fill("#name", "钱八")
    page.fill("#contact", "qian.ba@example.cn")
    page.select_option("#skill", "captioning")
    page.fill("#reason", "开户咨询")
    page.locator("form button[type=submit]").press("Enter")
    page.wait_for_url("**/sign-language/queue/**")
    assert page.locator("#queue-state").inner_text().strip()  # the place in line, in words
    assert page.get_by_role("button").count() == 1  # leave the queue
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
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
    claimed = requests.post(f"{base}{API}/agents/chen-jie/claim", headers=AS_SUPERVISOR, timeout=30).json()["ticket"]
    assert claimed["id"] == ticket["id"]
    page.wait_for_function("() => document.getElementById('live').textContent.includes('joining')", timeout=20_000)
    assert page.locator("#joining").is_visible()
    assert page.evaluate("document.body.classList.contains('agent-joining')")
    assert page.evaluate("window.__vibrations.length") == 1
    assert page.evaluate("document.activeElement.id") == "joining-heading"
    assert axe_violations(page) == []
    # The link is the customer's own (their ticket is the credential); it lands in the claimed room.
    page.get_by_role("link", name="Open the video room").press("Enter")
    page.wait_for_url(f"**/sign-language/rooms/{claimed['room_id']}")
    assert page.locator("#room").get_attribute("data-role") == "customer"
    page.close()


def test_chat_beside_the_video_reaches_the_other_side_and_is_announced(site):
    base, browser, ids = site
    room = ids["claimed"]["room_id"]
    customer, agent = browser.new_page(), browser.new_page()
    customer.goto(f"{base}/sign-language/queue/{ids['claimed']['id']}/room?lang=en")
    agent.goto(console_link(base, "li-na", SUPERVISOR))
    agent.goto(f"{base}/sign-language/rooms/{room}?as=agent&lang=en")
    customer.get_by_label("Type a message").fill("I want to open an account")
    customer.get_by_role("button", name="Send").click()
    agent.wait_for_function("() => document.getElementById('live').textContent.includes('I want to open an account')", timeout=20_000)
    assert "Customer: I want to open an account" in agent.get_by_role("log").inner_text()
    customer.wait_for_function("() => document.getElementById('chat-log').textContent.includes('You: I want')", timeout=20_000)
    # The video itself: both sides start the (fake) camera and connect over WebRTC through the app's signalling.
    agent.get_by_role("button", name="Start my camera").click()
    customer.get_by_role("button", name="Start my camera").click()
    for side in (customer, agent):
        side.wait_for_function("() => document.getElementById('call-state').textContent.includes('Connected')", timeout=30_000)
        assert side.evaluate("document.getElementById('remote-video').srcObject !== null")
    customer.close()
    agent.close()


def _enter_room_both_sides(base: str, browser, width: int, lang: str):
    """A customer and Li Na in a fresh room, each in their own browser context at ``width`` CSS px."""
    requests.post(f"{base}{API}/queue", json={"skill": "csl", "customer": {"name": "周七", "contact": "z7@example.cn"}}, timeout=30)
    claimed = requests.post(f"{base}{API}/agents/li-na/claim", headers=AS_SUPERVISOR, timeout=30).json()["ticket"]
    viewport = {"width": width, "height": 800}
    customer, agent = browser.new_page(viewport=viewport), browser.new_page(viewport=viewport)
    customer.goto(f"{base}/sign-language/queue/{claimed['id']}/room?lang={lang}")
    agent.goto(console_link(base, "li-na", SUPERVISOR))
    agent.goto(f"{base}/sign-language/rooms/{claimed['room_id']}?as=agent&lang={lang}")
    return claimed, customer, agent


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_room_passes_axe_and_fits_after_messages_both_ways(site, lang, width):
    """The chat log stays a list inside the log container as lines arrive from both sides (it used to fail axe's listitem rule)."""
    base, browser, _ = site
    claimed, customer, agent = _enter_room_both_sides(base, browser, width, lang)
    lines = ["我想开一个账户", "Which documents do I need? " + "x" * 80, "请带上身份证", "Your ID card, please."]
    for n, text in enumerate(lines):
        side = customer if n % 2 == 0 else agent
        side.get_by_role("textbox").fill(text)
        side.locator("#chat-form button[type=submit]").press("Enter")
        side.wait_for_function("n => document.querySelectorAll('#chat-lines > li').length >= n", arg=n + 1, timeout=20_000)
    for side in (customer, agent):
        side.wait_for_function("() => document.querySelectorAll('#chat-log[role=log] > ol > li').length === 4", timeout=20_000)
        assert axe_violations(side) == [], side.url
        assert side.evaluate("document.documentElement.scrollWidth") <= width
    # Each side sees who said what, from the credential each entered with.
    you = {"en": "You", "zh-CN": "我"}[lang]
    assert customer.locator("#chat-lines > li").first.inner_text().startswith(you)
    assert not agent.locator("#chat-lines > li").first.inner_text().startswith(you)
    # Without a credential the room is refused with a readable page, which passes axe too.
    stranger = browser.new_page(viewport={"width": width, "height": 800})
    response = stranger.goto(f"{base}/sign-language/rooms/{claimed['room_id']}?lang={lang}")
    assert response.status == 403 and stranger.locator("#chat-log").count() == 0
    assert stranger.locator("main h1").count() == 1 and axe_violations(stranger) == []
    for page in (customer, agent, stranger):
        page.close()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_agent_sign_in_form_shows_a_refusal_and_then_signs_in(site, lang):
    base, browser, _ = site
    page = browser.new_page(viewport={"width": 320, "height": 800})
    page.goto(f"{base}/sign-language/agent/sign-in?lang={lang}")
    page.select_option("#agent-id", "li-na")
    page.fill("#agent-token", "not-the-token")
    page.locator("#agent-token").press("Enter")
    page.wait_for_selector("[role=alert]")
    # The refusal is a new page: the alert is in the DOM while it is parsed, before its script
    # (which moves focus to the alert) has run; wait for the page to finish loading, then check.
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.id") == "error-box"
    assert axe_violations(page) == [] and page.evaluate("document.documentElement.scrollWidth") <= 320
    page.fill("#agent-token", SUPERVISOR)
    page.locator("#agent-token").press("Enter")
    page.wait_for_url("**/sign-language/agent/li-na**")
    assert SUPERVISOR not in page.url and page.locator("#agent-console").count() == 1
    page.close()

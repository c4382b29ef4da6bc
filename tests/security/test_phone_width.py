"""Every page and state fits a 320 and a 412 CSS px phone with no sideways scrolling (WCAG 1.4.10), passes
axe-core there, and runs under the Content-Security-Policy without one violation.

Chromium emulates a phone (``is_mobile``): a page wider than the screen makes
it zoom out, so ``innerWidth`` growing past the screen is the failure (the
camera pages were 1296 px wide because of the ``<video>``). The camera states
run with a fake camera, so the video really plays at its full 1280 px.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta

import pytest
import requests

from barrierfree.onboarding.journey.steps import Step
from barrierfree.settings import Settings
from barrierfree.web import create_app
from barrierfree.web.app import seed_demo
from tests.browser import axe_violations, launch, serve
from tests.e2e_camera import card_video

pytestmark = [pytest.mark.slow, pytest.mark.browser]
API = "/api/v1/sign-language"
SUPERVISOR = os.environ["BARRIERFREE_SCHEDULER__AGENT_TOKEN"]
WIDTHS = (320, 412)
_CSP_WATCH = "document.addEventListener('securitypolicyviolation', (e) => (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI));"
_FIT_JS = """() => ({
  page: document.documentElement.scrollWidth, screen: window.innerWidth,
  wider: [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 4).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`),
})"""


class Checker:
    """Checks one page state at one width: fit, axe, CSP; remembers what it saw."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.seen: list[str] = []

    def __call__(self, page, where: str) -> None:
        page.wait_for_load_state("load")
        fit = page.evaluate(_FIT_JS)
        assert fit["page"] <= self.width and fit["screen"] == self.width, (where, self.width, fit)
        assert axe_violations(page) == [], (where, self.width)
        assert page.evaluate("window.__csp || []") == [], (where, self.width)
        self.seen.append(where)


def _phone(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 780}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="en-US")
    context.add_init_script(_CSP_WATCH)
    return context


def _sign_in(page, base: str) -> None:
    """Sign the page's browser context in to the agent console with the supervisor's token, in the form body."""
    html = page.request.get(f"{base}/sign-language/agent/sign-in").text()
    marker = 'name="csrf_token" value="'
    csrf = html[html.index(marker) + len(marker):].split('"', 1)[0]
    answer = page.request.post(f"{base}/sign-language/agent/sign-in", max_redirects=0,
                               form={"csrf_token": csrf, "agent_id": "li-na", "agent_token": SUPERVISOR})
    assert answer.status == 303, answer.status


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("phone")
    video, _ = card_video(folder / "cards.y4m", seconds_per_side=1.0)
    app = create_app(Settings(data_dir=folder / "data"))
    seed_demo(app)
    with serve(app) as base, launch(camera_y4m=video) as browser:
        first, last = (date.today() + timedelta(days=1)).isoformat(), (date.today() + timedelta(days=7)).isoformat()
        slot = requests.get(f"{base}{API}/availability", params={"from": first, "to": last, "skill": "csl"}, timeout=30).json()["slots"][0]
        customer = {"name": "欧阳娜娜", "contact": "nana.ouyang.long.address@example.cn"}
        booking = requests.post(f"{base}{API}/bookings", json={"agent_id": slot["agent_id"], "start": slot["start"], "skill": "csl",
                                                               "customer": customer}, timeout=30).json()
        requests.post(f"{base}{API}/queue", json={"skill": "csl", "customer": customer}, timeout=30)
        claimed = requests.post(f"{base}{API}/agents/li-na/claim", headers={"X-Agent-Token": SUPERVISOR}, timeout=30).json()["ticket"]
        waiting = requests.post(f"{base}{API}/queue", json={"skill": "csl-shanghai", "customer": customer}, timeout=30).json()
        yield app, base, browser, {"booking": booking, "claimed": claimed, "waiting": waiting}


@pytest.mark.parametrize("width", WIDTHS)
def test_every_journey_page_and_state_fits_the_phone(site, width):
    app, base, browser, _ = site
    service = app.extensions["barrierfree.journeys"]
    check = Checker(width)
    page = _phone(browser, width).new_page()
    for path in ("/?lang=en", "/problems/too-many-requests?lang=en"):
        page.goto(base + path)
        check(page, path)
    page.goto(f"{base}/journey/?lang=en")
    check(page, "start")
    page.click("#start")
    page.wait_for_selector("#agree")
    check(page, "consent")
    page.click("button[value=no]")
    page.wait_for_selector("h1")
    check(page, "declined")
    page.click("button[type=submit]")
    page.click("#start")
    page.click("#agree")
    page.wait_for_selector("#continue")
    check(page, "assistance")
    page.check("#mode-large_text")
    page.click("#continue")
    page.wait_for_function("() => document.getElementById('bf-cue') && document.getElementById('bf-cue').textContent !== ''")
    journey = page.get_attribute("#barrierfree", "data-journey")
    check(page, "camera, large text")
    page.click("#bf-start")
    page.wait_for_function("() => document.querySelector('video.bf-video').videoWidth >= 1280", timeout=30_000)
    check(page, "camera running (1280 px video)")
    for _ in range(5):
        service.record_failure(journey, Step.CARD_FRONT, "card-not-found")
    page.reload()
    page.wait_for_selector("#help-title")
    check(page, "paused, help offered")
    page.click("button[value=sign_language]")
    page.wait_for_selector("#queue-link")
    check(page, "help requested")
    page.click("button[value=retry]")
    page.wait_for_selector("#barrierfree")
    with service.at_step(journey, Step.CARD_FRONT) as (session, record):  # the card steps have their own tests
        record.fields_sealed = json.dumps({"name": {"value": "欧阳娜娜", "confidence": 0.9, "side": "front"},
                                           "id_number": {"value": "11010519491231002X", "confidence": 0.9, "side": "front"}})
        service.advance(session, record, to=Step.REVIEW, reason="test-shortcut")
    page.goto(f"{base}/journey/step")
    check(page, "review")
    page.fill("#field-id_number", "110105194912310021")
    page.click("#save")
    page.wait_for_selector("[role=alert]")
    check(page, "review, correction refused")
    service.confirm(journey)
    page.goto(f"{base}/journey/step")
    check(page, "opened")
    assert len(check.seen) == 13


@pytest.mark.parametrize("width", WIDTHS)
def test_every_sign_language_page_and_state_fits_the_phone(site, width):
    _, base, browser, ids = site
    booking, claimed, waiting = ids["booking"], ids["claimed"], ids["waiting"]
    check = Checker(width)
    page = _phone(browser, width).new_page()
    _sign_in(page, base)  # the console and the agent's side of a room need the agent's credential
    for path in ("/sign-language/", "/sign-language/book", "/sign-language/queue", "/sign-language/waitlist",
                 f"/sign-language/bookings/{booking['id']}", f"/sign-language/bookings/{booking['id']}/reschedule",
                 f"/sign-language/queue/{waiting['id']}", f"/sign-language/queue/{claimed['id']}", "/sign-language/agent/li-na",
                 f"/sign-language/rooms/{booking['room_id']}?as=agent", f"/sign-language/queue/{claimed['id']}/room"):
        page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang=en")
        check(page, path)
    page.goto(f"{base}/sign-language/book?lang=en")
    page.get_by_role("listbox").get_by_role("option").first.click()
    page.wait_for_function("() => document.getElementById('live').textContent.startsWith('Chosen:')")
    check(page, "book, a time chosen and held")
    page.goto(f"{base}/sign-language/book?lang=en&date=not-a-day")
    page.wait_for_selector("#error-box")
    check(page, "book, refused with the error shown")
    page.goto(f"{base}/sign-language/rooms/{claimed['room_id']}?lang=en")
    page.click("#start-video")
    page.wait_for_function("() => document.getElementById('local-video').videoWidth >= 1280", timeout=30_000)
    check(page, "room, camera running")
    assert len(check.seen) == 14

"""Every journey page and state passes axe-core in headless Chromium, in zh-CN and en; time limits warn and extend by keyboard."""

from __future__ import annotations

import json

import pytest

from barrierfree.onboarding.journey.steps import Step
from barrierfree.settings import Settings
from barrierfree.web import create_app
from tests.browser import axe_violations, launch, serve
from tests.e2e_camera import SPEECH_STUB_JS
from tests.web.test_e2e_journey import TARGETS_JS, tab_to

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _begin(page, base, lang, mode="screen_reader"):
    page.goto(f"{base}/journey/?lang={lang}")
    page.click("#start")
    page.wait_for_selector("#agree")
    return page


def _to_camera_step(page) -> str:
    """Agree to the terms, keep the default assistance, and return the journey id of the camera step."""
    page.click("#agree")
    page.click("#continue")
    page.wait_for_selector("#barrierfree")
    return page.get_attribute("#barrierfree", "data-journey")


def test_pages_in_both_languages_with_declined_and_large_text(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data"))
    with serve(app) as base, launch() as browser:
        for lang in ("zh-CN", "en"):
            page = browser.new_context(locale=lang).new_page()
            page.goto(f"{base}/journey/?lang={lang}")
            assert page.get_attribute("html", "lang") == lang
            assert axe_violations(page) == [], (lang, "start")
            page.click("#start")
            page.wait_for_selector("#agree")
            assert page.get_attribute("html", "lang") == lang
            assert axe_violations(page) == [], (lang, "consent")
            page.click("button[value=no]")
            page.wait_for_selector("h1")
            assert axe_violations(page) == [], (lang, "declined")
            page.click("button[type=submit]")
            page.wait_for_selector("#start")
            page.click("#start")
            page.click("#agree")
            page.check("#mode-large_text")
            page.check("#photosensitive")
            assert axe_violations(page) == [], (lang, "assistance")
            page.click("#continue")
            page.wait_for_selector("#barrierfree .bf-sdk")
            page.wait_for_function("() => document.getElementById('bf-cue').textContent !== ''")
            assert page.evaluate("document.body.classList.contains('large-text')")
            assert axe_violations(page) == [], (lang, "camera step, large text")


def test_paused_step_offers_human_help_and_joins_the_sign_language_queue(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data"))
    service = app.extensions["barrierfree.journeys"]
    with serve(app) as base, launch() as browser:
        page = browser.new_context(locale="en-US").new_page()
        _begin(page, base, "en")
        journey_id = _to_camera_step(page)
        for _ in range(5):
            service.record_failure(journey_id, Step.CARD_FRONT, "card-not-found")
        page.reload()
        page.wait_for_selector("#help-title")
        assert axe_violations(page) == [], "paused"
        tab_to(page, "button[value=sign_language]")
        page.keyboard.press("Enter")
        page.wait_for_selector("#queue-link")
        assert axe_violations(page) == [], "help requested"
        link = page.get_attribute("#queue-link", "href")
        assert link.startswith("/sign-language/queue/")
        page.goto(base + link)
        assert page.locator("main h1").count() == 1


def test_time_limit_warns_at_least_20_seconds_ahead_and_extends_by_keyboard(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data", web={"step_time_limit_s": 24, "reading_time_limit_s": 23, "warning_lead_s": 20}))
    service = app.extensions["barrierfree.journeys"]
    with serve(app) as base, launch() as browser:
        context = browser.new_context(locale="en-US")
        context.add_init_script(SPEECH_STUB_JS)
        page = context.new_page()
        _begin(page, base, "en")
        warning = json.loads(json.dumps(page.get_attribute("#limit-text", "data-warning")))
        page.wait_for_function("(w) => document.getElementById('live').textContent === w", arg=warning, timeout=10_000)
        assert page.inner_text("#limit-text").strip() == warning
        journey_id = _to_camera_step(page)
        before = service.get(journey_id)
        assert (before.deadline - before.warn_at).total_seconds() >= 20
        page.wait_for_function("() => window.__events.some((e) => e.name === 'warning')", timeout=15_000)
        assert page.evaluate("document.activeElement.id") == "bf-extend"
        page.keyboard.press("Enter")
        page.wait_for_function("() => window.__cues.some((c) => c.id === 'journey.sdk_time_extended')", timeout=10_000)
        after = service.get(journey_id)
        assert after.deadline > before.deadline and after.extensions_left == before.extensions_left - 1
        assert axe_violations(page) == [], "after the warning"
        # The person chose their own screen reader: the page wrote every cue to the live region and spoke none.
        assert page.evaluate("window.__cues.length") >= 2 and page.evaluate("window.__spoken.length") == 0
        assert page.inner_text("#live").strip() or page.inner_text("#bf-cue").strip()


def test_no_camera_is_said_plainly_and_the_start_button_comes_back(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data"))
    with serve(app) as base, launch() as browser:  # no fake camera: getUserMedia fails
        context = browser.new_context(locale="en-US")
        context.add_init_script(SPEECH_STUB_JS)
        page = context.new_page()
        _begin(page, base, "en")
        page.click("#agree")
        page.click("#continue")
        page.wait_for_function("() => document.getElementById('bf-cue') && document.getElementById('bf-cue').textContent !== ''")
        tab_to(page, "#bf-start")
        page.keyboard.press("Enter")
        page.wait_for_function("() => window.__cues.some((c) => c.id === 'journey.sdk_camera_denied')", timeout=20_000)
        assert page.is_visible("#bf-start") and page.evaluate("document.activeElement.id") == "bf-start"
        assert any(e["name"] == "error" and e["detail"]["type"] == "/problems/camera-unavailable" for e in page.evaluate("window.__events"))
        assert axe_violations(page) == [], "camera unavailable"


def test_targets_are_44_px_and_pages_reflow_at_320_px(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data"))
    with serve(app) as base, launch() as browser:
        # 320 CSS px wide is a 1280 px window zoomed to 400 %: nothing may need horizontal scrolling.
        page = browser.new_context(locale="en-US", viewport={"width": 320, "height": 640}).new_page()
        page.goto(f"{base}/journey/?lang=en")
        seen = []
        for where, action in (("start", "#start"), ("consent", "#agree"), ("assistance", "#continue"), ("camera", None)):
            page.wait_for_selector(action or "#barrierfree")
            page.wait_for_load_state("load")  # sizes come from the stylesheets: measure once they have applied
            if where == "camera":
                page.wait_for_function("() => document.getElementById('bf-cue') && document.getElementById('bf-cue').textContent !== ''")
            assert page.evaluate(TARGETS_JS) == [], where
            assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), where
            seen.append(where)
            if action:
                page.click(action)
        assert seen == ["start", "consent", "assistance", "camera"]


def test_without_speech_synthesis_the_sdk_plays_the_servers_wav(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data"))
    with serve(app) as base, launch() as browser:
        context = browser.new_context(locale="en-US")
        context.add_init_script("Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });")
        page = context.new_page()
        fetched = []
        page.on("response", lambda r: fetched.append((r.url, r.status, r.headers.get("content-type"))) if "/api/v1/speech" in r.url else None)
        _begin(page, base, "en")
        page.click("#agree")
        page.check("#mode-self_voicing")
        page.click("#continue")
        page.wait_for_function("() => document.getElementById('bf-cue') && document.getElementById('bf-cue').textContent !== ''")
        page.click("#bf-start")  # no camera here: the SDK says so, through the server's voice
        page.wait_for_function("() => document.getElementById('bf-cue').textContent.includes('camera')", timeout=20_000)
        page.wait_for_timeout(1500)
    assert any("id=journey.sdk_camera_denied" in url and status == 200 and kind == "audio/wav" for url, status, kind in fetched), fetched


def test_a_correction_that_fails_its_check_comes_back_as_typed_and_marked(tmp_path):
    import json as _json

    app = create_app(Settings(data_dir=tmp_path / "data"))
    service = app.extensions["barrierfree.journeys"]
    with serve(app) as base, launch() as browser:
        page = browser.new_context(locale="en-US").new_page()
        _begin(page, base, "en")
        journey_id = _to_camera_step(page)
        with service.at_step(journey_id, Step.CARD_FRONT) as (session, record):  # the card steps have their own tests
            record.fields_sealed = _json.dumps({"name": {"value": "张三", "confidence": 0.9, "side": "front"},
                                                "id_number": {"value": "11010519491231002X", "confidence": 0.9, "side": "front"}})
            service.advance(session, record, to=Step.REVIEW, reason="test-shortcut")
        page.goto(base + "/journey/step")
        tab_to(page, "#field-id_number")
        page.keyboard.press("Control+A")
        page.keyboard.type("110105194912310021")  # one digit off: the check digit no longer matches
        tab_to(page, "#save")
        page.keyboard.press("Enter")
        page.wait_for_selector("[role=alert]")
        assert page.input_value("#field-id_number") == "110105194912310021"
        assert page.get_attribute("#field-id_number", "aria-invalid") == "true"
        assert axe_violations(page) == [], "review with a rejected correction"
        assert service.review(journey_id)[1].value == "11010519491231002X"

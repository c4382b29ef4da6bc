"""The one review queue in Chromium: the waiting and refused pages of an unsure face match, the queue and the
face review page pass axe-core and fit 320 px; the SDK takes the person from the second ``unsure`` to the
"staff are checking" page, said in the live region; a staff member's click decides through the CSRF-checked form."""

from __future__ import annotations

import pytest

from barrierfree.onboarding.journey import staffreview
from barrierfree.settings import Settings
from barrierfree.voice.prompts import render
from barrierfree.web import create_app
from tests.browser import axe_violations, launch, serve
from tests.security.test_staff_queue import STAFF_TOKEN, WIDE_BAND, identity_corrected, unsure_twice
from tests.web.test_api_liveness import at_liveness
from tests.onboarding.test_facematch_journey import passed_liveness, selfie

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def sign_in(app, context, base: str, jid: str) -> None:
    """Sign this browser context into the journey (the journey pages follow the signed session cookie)."""
    with app.test_request_context():
        from flask import session

        session["journey_id"] = jid
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": base}])


def fits(page) -> None:
    assert page.locator("main h1").count() == 1
    assert axe_violations(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320


def test_face_review_pages_pass_axe_fit_320px_and_the_sdk_says_staff_are_checking(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data", face=WIDE_BAND))
    client = app.test_client()
    service = app.extensions["barrierfree.journeys"]
    identity = identity_corrected(app, client)
    waiting, _ = unsure_twice(app, client)
    refused, _ = unsure_twice(app, client)
    staffreview.decide(service, refused, "different")
    # One journey at its second face match: the SDK itself runs the match in the browser.
    sdk_journey, auth = at_liveness(app, client)
    passed_liveness(service, sdk_journey, selfie())
    assert client.post(f"/api/v1/journeys/{sdk_journey}/face-match", headers=auth).get_json()["outcome"] == "unsure"
    passed_liveness(service, sdk_journey, selfie())
    assert service.get(sdk_journey).step == "face_match"

    with serve(app) as base, launch() as browser:
        context = browser.new_context(viewport={"width": 320, "height": 640})
        page = context.new_page()
        page.goto(f"{base}/journey/?lang=en")
        sign_in(app, context, base, sdk_journey)
        page.goto(f"{base}/journey/step?lang=en")
        page.click("#bf-start")
        said = render("face.match.staff_review", "en")
        page.wait_for_function("() => document.querySelector('main h1').textContent.includes('checking your photos')", timeout=60_000)
        page.wait_for_function(f"() => document.getElementById('live').textContent.trim() === {said!r}", timeout=10_000)
        assert service.get(sdk_journey).paused_reason == "staff-review"
        context.close()

        for lang in ("en", "zh-CN"):
            for jid, message in ((waiting, "face.match.staff_review"), (refused, "journey.face_match_rejected")):
                context = browser.new_context(viewport={"width": 320, "height": 640})
                page = context.new_page()
                page.goto(f"{base}/journey/?lang={lang}")
                sign_in(app, context, base, jid)
                page.goto(f"{base}/journey/step?lang={lang}")
                said = render(message, lang)
                assert said in page.locator("main").inner_text()
                page.wait_for_function("() => document.getElementById('live').textContent.length > 0", timeout=10_000)
                assert page.locator("#live").inner_text().strip() == said
                assert page.locator("button[value=retry]").count() == 0
                fits(page)
                context.close()

            context = browser.new_context(viewport={"width": 320, "height": 640},
                                          http_credentials={"username": "staff", "password": STAFF_TOKEN})
            page = context.new_page()
            page.goto(f"{base}/staff/reviews?lang={lang}")
            fits(page)
            listed = page.eval_on_selector_all("#queue li", "(items) => items.map((li) => li.dataset.reason)")
            assert listed == ["identity-correction", "face-match-unsure", "face-match-unsure"]
            assert identity[:8] in page.locator("#queue").inner_text()
            page.goto(f"{base}/staff/reviews/{waiting}?lang={lang}")
            fits(page)
            widths = page.evaluate("() => [...document.querySelectorAll('main img')].map((img) => img.naturalWidth)")
            assert len(widths) == 2 and 0 not in widths  # the selfie and the card portrait load, side by side
            if lang == "zh-CN":
                page.click("button[value=same]")  # the real form, with its CSRF token and the staff's credentials
                page.wait_for_url(f"{base}/staff/reviews")
                assert service.get(waiting).step == "review"
            context.close()

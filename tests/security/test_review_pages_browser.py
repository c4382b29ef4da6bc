"""The pages item 4 adds (pending review, refused, the staff's review pages) pass axe-core and fit 320 px, in Chromium;
the pending-review sentence reaches the ARIA live region."""

from __future__ import annotations

import os

import numpy as np
import pytest

from barrierfree.onboarding.journey import results, review
from barrierfree.onboarding.journey.steps import Step
from barrierfree.settings import Settings
from barrierfree.voice.prompts import render
from barrierfree.web import create_app
from tests.browser import axe_violations, launch, serve
from tests.security.journeys import BACK_FIELDS, READ_CONFIDENCE, READ_FIELDS, matched

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_pending_review_rejected_and_staff_pages_pass_axe_and_fit_320px(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data", web={"keep_images": True}))
    service = app.extensions["barrierfree.journeys"]
    journeys = []
    for _ in range(2):
        jid = service.start("en").id
        service.consent(jid, True)
        service.choose_assistance(jid, "screen_reader")
        results.accept_card(service, jid, Step.CARD_FRONT, document_type="cn_resident_id_front", valid=True, fields=READ_FIELDS,
                            confidence={**READ_CONFIDENCE, "name": 0.4}, checks=[], portrait=np.full((64, 64, 3), 9, np.uint8),
                            card_image=np.full((270, 428, 3), 210, np.uint8))
        results.accept_card(service, jid, Step.CARD_BACK, document_type="cn_resident_id_back", valid=True, fields=BACK_FIELDS,
                            confidence={}, checks=[], portrait=None)
        matched(app, jid)
        service.edit_field(jid, "name", "张三丰")
        assert service.confirm(jid).step == "pending_review"
        journeys.append(jid)
    review.decide(service, journeys[1], approve=False)
    staff_token = os.environ["BARRIERFREE_WEB__STAFF_TOKEN"]
    with serve(app) as base, launch() as browser:
        for lang in ("en", "zh-CN"):
            for jid, text_key in ((journeys[0], "pending"), (journeys[1], "rejected")):
                context = browser.new_context(viewport={"width": 320, "height": 640})
                page = context.new_page()
                page.goto(f"{base}/journey/?lang={lang}")
                # The journey page follows the session cookie: sign this browser into the journey.
                with app.test_request_context():
                    from flask import session

                    session["journey_id"] = jid
                    cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
                context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": base}])
                page.goto(f"{base}/journey/step?lang={lang}")
                assert page.locator("main h1").count() == 1
                if text_key == "pending":
                    said = render("journey.pending_review", lang)
                    assert said in page.locator("main").inner_text()
                    page.wait_for_function("() => document.getElementById('live').textContent.length > 0", timeout=10_000)
                    assert page.locator("#live").inner_text().strip() == said
                assert axe_violations(page) == []
                assert page.evaluate("document.documentElement.scrollWidth") <= 320
                context.close()
            context = browser.new_context(viewport={"width": 320, "height": 640},
                                          http_credentials={"username": "staff", "password": staff_token})
            page = context.new_page()
            for path in ("/staff/reviews", f"/staff/reviews/{journeys[0]}", f"/staff/reviews/{journeys[1]}"):
                page.goto(f"{base}{path}?lang={lang}")
                assert page.locator("main h1").count() == 1, path
                assert axe_violations(page) == [], path
                assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
            widths = page.evaluate("[...document.querySelectorAll('img')].map((img) => img.naturalWidth)")
            assert 428 in widths and 0 not in widths  # the retained card image (beside the portrait and selfie) loads
            context.close()

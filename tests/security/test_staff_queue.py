"""One human review queue: identity corrections (issue 17 item 4) and face matches unsure twice (issue 19 item 5).

The face match runs the real matcher; the band is widened by settings so that a
genuine pair lands in it (what a borderline stranger does with the defaults).
Staff act through the real app: HTTP Basic with the staff token, a CSRF-checked form.
"""

from __future__ import annotations

import base64
import json
import logging
import os

import pytest
from sqlalchemy import select

from barrierfree.onboarding.journey import staffreview
from barrierfree.onboarding.storage.models import AuditEvent
from barrierfree.settings import Settings
from barrierfree.settings.face import FaceSettings
from barrierfree.voice.prompts import render
from barrierfree.web import create_app
from tests.security.journeys import READ_CONFIDENCE, matched, read_cards, start
from tests.web.test_api_liveness import at_liveness
from tests.onboarding.test_facematch_journey import passed_liveness, selfie

pytestmark = pytest.mark.slow

STAFF_TOKEN = os.environ["BARRIERFREE_WEB__STAFF_TOKEN"]
STAFF = {"Authorization": "Basic " + base64.b64encode(f"staff:{STAFF_TOKEN}".encode()).decode()}
#: Every real pair of the test photos falls in this band: the match is ``unsure``.
WIDE_BAND = FaceSettings(match_max_distance=0.05, match_unsure_max_distance=1.5)


@pytest.fixture
def app(tmp_path):
    return create_app(Settings(data_dir=tmp_path / "data", face=WIDE_BAND))


def unsure_twice(app, client) -> tuple[str, dict]:
    """A journey whose real face match was ``unsure`` twice: it waits for staff at the face match."""
    jid, auth = at_liveness(app, client)
    service = app.extensions["barrierfree.journeys"]
    for _ in range(2):
        passed_liveness(service, jid, selfie())
        body = client.post(f"/api/v1/journeys/{jid}/face-match", headers=auth).get_json()
        assert body["outcome"] == "unsure"
    assert body["journey"]["paused_reason"] == "staff-review"
    return jid, auth


def identity_corrected(app, client) -> str:
    """A journey whose flagged name was corrected: it waits in ``pending_review``."""
    jid, auth = start(client)
    read_cards(app, jid, confidence={**READ_CONFIDENCE, "name": 0.4})
    matched(app, jid)
    assert client.patch(f"/api/v1/journeys/{jid}/review", json={"name": "name", "value": "张三丰"}, headers=auth).status_code == 200
    assert client.post(f"/api/v1/journeys/{jid}/confirm", headers=auth).status_code == 202
    return jid


def staff_form(client, jid: str) -> tuple[str, str]:
    """The staff case page (en) and the CSRF token of its decision form."""
    html = client.get(f"/staff/reviews/{jid}?lang=en", headers=STAFF).get_data(as_text=True)
    return html, html.split('name="csrf_token" value="')[1].split('"')[0]


def audit_details(app, jid: str) -> list[tuple[str, dict]]:
    with app.extensions["barrierfree.sessions"]() as session:
        return [(e.kind, e.details) for e in session.scalars(select(AuditEvent).where(AuditEvent.subject == f"journey:{jid}")
                                                             .order_by(AuditEvent.id))]


def person_page(app, jid: str, lang: str = "en") -> str:
    """The journey's HTML step page as the person sees it (signed in by the session cookie)."""
    person = app.test_client()
    with person.session_transaction() as session:
        session["journey_id"] = jid
    return person.get(f"/journey/step?lang={lang}").get_data(as_text=True)


def test_the_queue_lists_both_kinds_oldest_first_each_with_why(app):
    client = app.test_client()
    first = identity_corrected(app, client)
    second, _ = unsure_twice(app, client)
    third = identity_corrected(app, client)
    html = client.get("/staff/reviews?lang=en", headers=STAFF).get_data(as_text=True)
    entries = html[html.index('<ol id="queue"'):html.index("</ol>")].split("<li ")[1:]
    assert [e.split('/staff/reviews/')[1][:32] for e in entries] == [first, second, third]
    assert ["Identity correction" in entries[0], "Face match unsure" in entries[1], "Identity correction" in entries[2]] == [True] * 3
    zh = client.get("/staff/reviews?lang=zh-CN", headers=STAFF).get_data(as_text=True)
    assert "人脸比对不确定" in zh and "身份信息修改" in zh


def test_the_person_waiting_is_told_a_member_of_staff_is_checking_and_cannot_retry(app):
    client = app.test_client()
    jid, auth = unsure_twice(app, client)
    journey = client.get(f"/api/v1/journeys/{jid}", headers=auth).get_json()
    assert journey["staff_review"] == "face-match-unsure" and journey["message_id"] == "face.match.staff_review"
    assert journey["text"] == render("face.match.staff_review", "en") and journey["deadline"] is None
    for path, body in (("/help", {"choice": "retry"}), ("/extend", None)):
        refused = client.post(f"/api/v1/journeys/{jid}{path}", json=body, headers=auth)
        assert (refused.status_code, refused.get_json()["type"]) == (409, "/problems/staff-review-pending"), path
    for path in ("/face-match", "/liveness/challenge", "/confirm"):  # no new match, no new selfie, no account
        assert client.post(f"/api/v1/journeys/{jid}{path}", json={}, headers=auth).status_code == 409, path
    for lang in ("en", "zh-CN"):
        page = person_page(app, jid, lang)
        said = render("face.match.staff_review", lang)
        assert said in page and "data-announce-on-load" in page and 'aria-live="polite"' in page
        assert 'value="retry"' not in page and 'id="barrierfree"' not in page  # no help offer to retry, no camera
    assert "This step did not work several times" not in person_page(app, jid)
    assert app.extensions["barrierfree.journeys"].get(jid).step == "face_match"


def test_staff_see_selfie_and_portrait_side_by_side_with_the_distance_and_band(app):
    client = app.test_client()
    jid, _ = unsure_twice(app, client)
    html, _ = staff_form(client, jid)
    assert "Face match unsure" in html and 'value="same"' in html and 'value="different"' in html
    figures = html[html.index('<dl id="figures">'):html.index("</dl>")]
    match = app.extensions["barrierfree.journeys"]
    with match.sessions() as session:
        from barrierfree.onboarding.journey.models import JourneyRecord

        stored = session.get(JourneyRecord, jid).match
    assert f"{1 - stored['similarity']:.4f}" in figures and "0.0500" in figures and "1.5000" in figures and "unsure" in figures
    for which in ("selfie", "portrait"):
        src = f"/staff/reviews/{jid}/faces/{which}.jpg"
        assert src in html
        image = client.get(src, headers=STAFF)
        assert image.status_code == 200 and image.mimetype == "image/jpeg" and image.data[:2] == b"\xff\xd8"
        assert image.headers["Cache-Control"] == "no-store"


def test_staff_same_person_continues_to_the_review_step_with_the_identity_locked(app):
    client = app.test_client()
    jid, auth = unsure_twice(app, client)
    _, csrf = staff_form(client, jid)
    decided = client.post(f"/staff/reviews/{jid}/decision", data={"decision": "same", "csrf_token": csrf}, headers=STAFF)
    assert decided.status_code == 303
    journey = client.get(f"/api/v1/journeys/{jid}", headers=auth).get_json()
    assert journey["step"] == "review" and journey["paused_reason"] is None and journey["message_id"] is None
    fields = {f["name"]: f for f in client.get(f"/api/v1/journeys/{jid}/review", headers=auth).get_json()["fields"]}
    assert fields["name"]["locked"]  # as after a ``same`` match: the identity behind it cannot be swapped
    assert client.get(f"/staff/reviews/{jid}/faces/selfie.jpg", headers=STAFF).status_code == 404  # dropped once decided
    assert jid not in client.get("/staff/reviews", headers=STAFF).get_data(as_text=True)
    events = audit_details(app, jid)
    assert ("journey.staff-decision", {"approved": True, "reason": "face-match-unsure", "decision": "same"}) in events
    assert client.post(f"/api/v1/journeys/{jid}/confirm", headers=auth).status_code == 201


def test_staff_not_the_same_person_rejects_revokes_the_token_and_tells_the_person(app):
    client = app.test_client()
    jid, auth = unsure_twice(app, client)
    _, csrf = staff_form(client, jid)
    assert client.post(f"/staff/reviews/{jid}/decision", data={"decision": "approve", "csrf_token": csrf}, headers=STAFF).status_code == 400
    decided = client.post(f"/staff/reviews/{jid}/decision", data={"decision": "different", "csrf_token": csrf}, headers=STAFF)
    assert decided.status_code == 303
    service = app.extensions["barrierfree.journeys"]
    assert service.get(jid).step == "rejected" and service.get(jid).account_number is None
    # Ended: its token reads how it ended (the caller was told to wait for this), and nothing else.
    told = client.get(f"/api/v1/journeys/{jid}", headers=auth).get_json()
    assert told["step"] == "rejected" and told["staff_review"] == "face-match-unsure" and told.get("account_token") is None
    for method, path in (("get", "/review"), ("post", "/face-match"), ("post", "/extend")):
        refused = getattr(client, method)(f"/api/v1/journeys/{jid}{path}", headers=auth)
        assert (refused.status_code, refused.get_json()["type"]) == (401, "/problems/token-revoked"), path
    assert client.get(f"/api/v1/journeys/{jid}/account", headers=auth).get_json()["type"] == "/problems/bad-token"  # not an account token
    assert ("journey.staff-decision", {"approved": False, "reason": "face-match-unsure", "decision": "different"}) in audit_details(app, jid)
    for lang in ("en", "zh-CN"):
        said = render("journey.face_match_rejected", lang)
        page = person_page(app, jid, lang)
        assert said in page and "data-announce-on-load" in page
    assert render("journey.face_match_rejected", "en") != render("journey.face_match_rejected", "zh-CN")
    again = client.post(f"/staff/reviews/{jid}/decision", data={"decision": "same", "csrf_token": csrf}, headers=STAFF)
    assert again.status_code == 409 and service.get(jid).step == "rejected"  # decided already: nothing waits


def test_only_staff_see_or_decide_and_the_decision_needs_the_csrf_token(app):
    client = app.test_client()
    jid, auth = unsure_twice(app, client)
    _, csrf = staff_form(client, jid)
    wrong = {"Authorization": "Basic " + base64.b64encode(b"staff:guess").decode()}
    for headers in ({}, {"X-Staff-Token": "guess"}, wrong, auth):
        for path in ("/staff/reviews", f"/staff/reviews/{jid}", f"/staff/reviews/{jid}/faces/selfie.jpg"):
            refused = client.get(path, headers=headers)
            assert refused.status_code == 401 and refused.data[:2] != b"\xff\xd8", path
        post = client.post(f"/staff/reviews/{jid}/decision", data={"decision": "same", "csrf_token": csrf}, headers=headers)
        assert post.status_code == 401
    for token in ("", "forged", "é"):
        forged = client.post(f"/staff/reviews/{jid}/decision", data={"decision": "same", "csrf_token": token}, headers=STAFF)
        assert forged.status_code == 400 and forged.get_json()["type"] == "/problems/csrf-failed"
    other = app.test_client()  # staff credentials, but a form from another session
    assert other.post(f"/staff/reviews/{jid}/decision", data={"decision": "same", "csrf_token": csrf}, headers=STAFF).status_code == 400
    assert app.extensions["barrierfree.journeys"].get(jid).paused_reason == "staff-review"


def test_no_personal_data_reaches_the_logs_or_the_audit(app, caplog):
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    jid, auth = unsure_twice(app, client)
    identity = identity_corrected(app, client)
    html, csrf = staff_form(client, jid)
    images = [client.get(f"/staff/reviews/{jid}/faces/{which}.jpg", headers=STAFF).data for which in ("selfie", "portrait")]
    staff_form(client, identity)
    client.post(f"/staff/reviews/{jid}/decision", data={"decision": "different", "csrf_token": csrf}, headers=STAFF)
    client.post(f"/staff/reviews/{identity}/decision", data={"decision": "approve", "csrf_token": csrf}, headers=STAFF)
    logged = "\n".join(r.getMessage() + " " + json.dumps(getattr(r, "__dict__", {}), default=str, ensure_ascii=False) for r in caplog.records)
    assert sum("journey.staff-decision" in r.getMessage() for r in caplog.records) == 2  # the decisions are logged, by kind
    audited = json.dumps([d for j in (jid, identity) for _, d in audit_details(app, j)], ensure_ascii=False)
    secrets = ["张三", "张三丰", "11010519491231002X", STAFF_TOKEN, auth["Authorization"].split()[1], csrf]
    secrets += [base64.b64encode(image).decode()[:40] for image in images]
    for secret in secrets:
        assert secret not in logged and secret not in audited
    decision = {"approved": True, "reason": "identity-correction", "decision": "approve", "noted": False}
    assert ("journey.staff-decision", decision) in audit_details(app, identity)


def test_a_face_match_waiting_for_staff_is_not_purged_as_abandoned(app):
    from datetime import timedelta

    from barrierfree.onboarding.journey.purge import purge

    client = app.test_client()
    jid, _ = unsure_twice(app, client)
    abandoned, _ = start(client)
    service = app.extensions["barrierfree.journeys"]
    settings = service.settings
    report = purge(app.extensions["barrierfree.engine"], settings, service.now() + timedelta(days=settings.journey_retention_days + 1))
    assert report.journeys_deleted == 1  # the abandoned one
    assert [entry.journey_id for entry in staffreview.queue(service)] == [jid]
    assert staffreview.face_case(service, jid).images == ("selfie", "portrait")

"""Issue 17 item 4: the identity behind a face match cannot be swapped at review.

The attack of the report: after the face matched card A's portrait, four
``PATCH …/review`` calls changed name, ID number, birth date and sex to
another person's, and ``confirm`` opened the account in that person's name.
"""

from __future__ import annotations

import base64
import json
import os

import numpy as np
import pytest
from sqlalchemy import select

from barrierfree.onboarding.journey import results
from barrierfree.onboarding.journey.steps import Step
from barrierfree.onboarding.storage.models import AuditEvent
from barrierfree.settings import Settings
from barrierfree.web import create_app
from tests.security.journeys import READ_CONFIDENCE, READ_FIELDS, html_journey_at_review, matched, read_cards, start

OTHER_PERSON = {"name": "李四", "id_number": "110101199003070012", "birth_date": "1990-03-07", "sex": "女"}
STAFF = {"Authorization": "Basic " + base64.b64encode(f"staff:{os.environ['BARRIERFREE_WEB__STAFF_TOKEN']}".encode()).decode()}


@pytest.fixture
def app(tmp_path):
    return create_app(Settings(data_dir=tmp_path / "data", web={"keep_images": True}))


def _at_review(app, client, **reading) -> tuple[str, dict]:
    jid, auth = start(client)
    read_cards(app, jid, **reading)
    matched(app, jid)
    return jid, auth


def _fields(client, jid, auth) -> dict[str, dict]:
    return {f["name"]: f for f in client.get(f"/api/v1/journeys/{jid}/review", headers=auth).get_json()["fields"]}


def test_identity_read_with_passed_checks_cannot_be_swapped_after_the_face_match(app):
    client = app.test_client()
    jid, auth = _at_review(app, client)
    for name, value in OTHER_PERSON.items():
        refused = client.patch(f"/api/v1/journeys/{jid}/review", json={"name": name, "value": value}, headers=auth)
        assert (refused.status_code, refused.get_json()["type"]) == (403, "/problems/field-locked"), name
    fields = _fields(client, jid, auth)
    assert {name: fields[name]["value"] for name in OTHER_PERSON} == {name: READ_FIELDS[name] for name in OTHER_PERSON}
    assert all(fields[name]["locked"] for name in ("name", "sex", "birth_date", "id_number", "valid_from", "valid_to"))
    opened = client.post(f"/api/v1/journeys/{jid}/confirm", headers=auth)
    assert opened.status_code == 201 and opened.get_json()["holder_name"] == READ_FIELDS["name"]


def test_address_edits_stay_free_and_are_audited_without_the_value(app):
    client = app.test_client()
    jid, auth = _at_review(app, client)
    edited = client.patch(f"/api/v1/journeys/{jid}/review", json={"name": "address", "value": "上海市黄浦区中山东一路1号"}, headers=auth)
    assert edited.status_code == 200
    assert client.post(f"/api/v1/journeys/{jid}/confirm", headers=auth).status_code == 201  # no staff review for an address
    with app.extensions["barrierfree.sessions"]() as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.subject == f"journey:{jid}")))
    edits = [e.details for e in events if e.kind == "journey.field-edited"]
    assert edits == [{"field": "address", "identity": False, "reason": "person-corrected"}]
    assert "中山东一路" not in json.dumps([e.details for e in events], ensure_ascii=False)


@pytest.mark.parametrize("reading, field, value", [
    ({"confidence": {**READ_CONFIDENCE, "name": 0.41}}, "name", "张三丰"),  # read with low confidence
    ({"front_checks": [("id_number_check_digit", False)], "fields": {**READ_FIELDS, "id_number": "110105194912310021"}},
     "id_number", "11010519491231002X"),  # a failed check
    ({"front_checks": [("id_number_birth_date", False)]}, "birth_date", "1949-12-30"),
])
def test_a_flagged_identity_field_may_be_corrected_but_then_staff_review_it(app, reading, field, value):
    client = app.test_client()
    jid, auth = _at_review(app, client, **reading)
    assert not _fields(client, jid, auth)[field]["locked"] and _fields(client, jid, auth)[field]["correction_reviewed"]
    assert client.patch(f"/api/v1/journeys/{jid}/review", json={"name": field, "value": value}, headers=auth).status_code == 200
    pending = client.post(f"/api/v1/journeys/{jid}/confirm", headers=auth)
    body = pending.get_json()
    assert pending.status_code == 202 and body["step"] == "pending_review" and body["account_number"] is None
    assert body["message_id"] == "journey.pending_review" and "staff" in body["text"]
    assert client.get(f"/api/v1/journeys/{jid}", headers=auth).get_json()["step"] == "pending_review"
    assert client.patch(f"/api/v1/journeys/{jid}/review", json={"name": "address", "value": "x路1号"}, headers=auth).status_code == 409


def test_the_staff_view_shows_reading_card_and_correction_side_by_side_behind_the_staff_token(app):
    client = app.test_client()
    jid, auth = start(client)
    service = app.extensions["barrierfree.journeys"]
    card = np.full((270, 428, 3), 200, np.uint8)
    results.accept_card(service, jid, Step.CARD_FRONT, document_type="cn_resident_id_front", valid=True, fields=READ_FIELDS,
                        confidence={**READ_CONFIDENCE, "name": 0.4}, checks=[], portrait=np.full((64, 64, 3), 9, np.uint8),
                        card_image=card)
    results.accept_card(service, jid, Step.CARD_BACK, document_type="cn_resident_id_back", valid=True,
                        fields={"valid_from": "2015-01-01", "valid_to": "2035-01-01"}, confidence={}, checks=[], portrait=None)
    matched(app, jid)
    client.patch(f"/api/v1/journeys/{jid}/review", json={"name": "name", "value": "张三丰"}, headers=auth)
    assert client.post(f"/api/v1/journeys/{jid}/confirm", headers=auth).status_code == 202

    page = f"/staff/reviews/{jid}?lang=en"
    for headers in ({}, {"X-Staff-Token": "guess"}, {"Authorization": "Basic " + base64.b64encode(b"staff:guess").decode()}, auth):
        refused = client.get(page, headers=headers)
        assert refused.status_code == 401 and "张三" not in refused.get_data(as_text=True)
    assert client.get(page).headers["WWW-Authenticate"].startswith("Basic")
    assert client.get("/staff/reviews", headers=STAFF).status_code == 200 and jid[:8] in client.get("/staff/reviews", headers=STAFF).get_data(as_text=True)
    shown = client.get(page, headers=STAFF)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    row = html[html.index("<th scope=\"row\">Name</th>"):]
    row = row[:row.index("</tr>")]
    assert "张三" in row and "0.40" in row and "<strong>张三丰</strong>" in row  # the reading and the correction, side by side
    assert "card_front" in html
    src = html[html.index("/staff/reviews/" + jid + "/images/"):].split('"')[0]
    image = client.get(src, headers=STAFF)
    assert image.status_code == 200 and image.mimetype == "image/jpeg" and image.data[:2] == b"\xff\xd8"
    assert client.get(src).status_code == 401

    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    decided = client.post(f"/staff/reviews/{jid}/decision", data={"decision": "approve", "csrf_token": token}, headers=STAFF)
    assert decided.status_code == 303
    assert service.get(jid).step == "opened" and service.summary(jid).holder_name == "张三丰"


def test_the_person_is_told_in_text_and_speech_what_happens_next(app):
    from barrierfree.voice.prompts import render

    client, csrf, jid = html_journey_at_review(app, "self_voicing", confidence={**READ_CONFIDENCE, "sex": 0.3})
    service = app.extensions["barrierfree.journeys"]
    review = client.get("/journey/step").get_data(as_text=True)
    assert 'id="field-name"' in review and "readonly" in review.split('id="field-name"')[1].split(">")[0]
    # A post that changes a locked field keeps the card's value and says why.
    refused = client.post("/journey/review", data={"csrf_token": csrf, "field-name": "李四"})
    assert refused.status_code == 400 and "cannot be changed" in refused.get_data(as_text=True)
    assert {f.name: f.value for f in service.review(jid)}["name"] == READ_FIELDS["name"]
    client.post("/journey/review", data={"csrf_token": csrf, "field-sex": "女"})
    client.post("/journey/confirm", data={"csrf_token": csrf})
    page = client.get("/journey/step").get_data(as_text=True)
    said = render("journey.pending_review", "en")
    assert "data-announce-on-load" in page and said in page and 'aria-live="polite"' in page
    assert render("journey.pending_review", "zh-CN") != said and "工作人员" in render("journey.pending_review", "zh-CN")

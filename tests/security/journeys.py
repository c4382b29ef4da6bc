"""Journeys for the security tests, moved along through the real service (the card steps have their own tests)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from barrierfree.onboarding.journey import results
from barrierfree.onboarding.journey.steps import Step

#: A card reading whose every check passed, with one uncertain field (the address).
READ_FIELDS = {"name": "张三", "sex": "男", "ethnicity": "汉", "birth_date": "1949-12-31",
               "address": "北京市东城区景山前街4号", "id_number": "11010519491231002X"}
READ_CONFIDENCE = {"name": 0.97, "sex": 0.99, "ethnicity": 0.98, "birth_date": 0.96, "address": 0.62, "id_number": 0.95}
BACK_FIELDS = {"issuing_authority": "北京市公安局东城分局", "valid_from": "2015-01-01", "valid_to": "2035-01-01"}


def start(client) -> tuple[str, dict]:
    started = client.post("/api/v1/journeys", json={"lang": "en"}).get_json()
    jid, auth = started["id"], {"Authorization": f"Bearer {started['token']}"}
    assert client.post(f"/api/v1/journeys/{jid}/consent", json={"accepted": True}, headers=auth).status_code == 200
    assert client.post(f"/api/v1/journeys/{jid}/assistance", json={"mode": "self_voicing"}, headers=auth).status_code == 200
    return jid, auth


def read_cards(app, jid: str, *, front_checks=(("id_number_check_digit", True), ("birth_date_valid", True), ("sex_valid", True)),
               fields=READ_FIELDS, confidence=READ_CONFIDENCE) -> None:
    """Store a front and back reading as the card steps would, leaving the journey at the liveness step."""
    service = app.extensions["barrierfree.journeys"]
    results.accept_card(service, jid, Step.CARD_FRONT, document_type="cn_resident_id_front", valid=True, fields=fields,
                        confidence=confidence, checks=list(front_checks), portrait=np.full((64, 64, 3), 128, np.uint8))
    results.accept_card(service, jid, Step.CARD_BACK, document_type="cn_resident_id_back", valid=True, fields=BACK_FIELDS,
                        confidence=dict.fromkeys(BACK_FIELDS, 0.95), checks=[("validity_dates_valid", True)], portrait=None)
    assert service.get(jid).step == "liveness"


def matched(app, jid: str) -> None:
    """Record a passed liveness and a same-person face match (what the real engines decide elsewhere), reaching review."""
    service = app.extensions["barrierfree.journeys"]
    results.accept_liveness(service, jid, passed=True, score=0.9, mode="flash", reasons=[], checks={},
                            selfie=np.full((64, 64, 3), 120, np.uint8))
    results.accept_match(service, jid, outcome="same", similarity=0.8, threshold=0.6, band_low=0.5)
    assert service.get(jid).step == "review"


def html_journey_at_review(app, assistance: str, **card_reading) -> tuple[object, str, str]:
    """A journey started on the HTML pages, its cards read (``card_reading`` goes to :func:`read_cards`) and
    its face matched: (the browser's client, its CSRF token, the journey id), at the review step."""
    client = app.test_client()
    html = client.get("/journey/?lang=en").get_data(as_text=True)
    csrf = html.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/journey/start", data={"lang": "en", "csrf_token": csrf})
    with client.session_transaction() as session:
        jid = session["journey_id"]
    service = app.extensions["barrierfree.journeys"]
    service.consent(jid, True)
    service.choose_assistance(jid, assistance)
    read_cards(app, jid, **card_reading)
    matched(app, jid)
    return client, csrf, jid


def png(width: int, height: int) -> bytes:
    """A flat PNG: a few kilobytes on the wire, ``width × height`` pixels once decoded."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 150)).save(buffer, format="PNG")
    return buffer.getvalue()


def multipart(nonce: str, parts: list[bytes], mimetype: str = "image/png") -> dict:
    return {"nonce": nonce, "timestamps": ",".join(f"{k / 10:.3f}" for k in range(len(parts))),
            "frame": [(io.BytesIO(data), f"f{k}.png", mimetype) for k, data in enumerate(parts)]}

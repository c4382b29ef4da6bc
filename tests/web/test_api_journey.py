"""The JSON API's contract: tokens, order, problems for bad input, limits, CSRF on the pages, the OpenAPI document."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from barrierfree.settings import Settings
from barrierfree.web import create_app
from barrierfree.web.api import tokens


@pytest.fixture
def app(tmp_path):
    return create_app(Settings(data_dir=tmp_path / "data", web={"journey_requests_per_minute": 40}))


@pytest.fixture
def client(app):
    return app.test_client()


def _start(client, lang="en"):
    started = client.post("/api/v1/journeys", json={"lang": lang})
    assert started.status_code == 201
    body = started.get_json()
    return body["id"], {"Authorization": f"Bearer {body['token']}"}


def _to_card_front(client):
    jid, auth = _start(client)
    assert client.post(f"/api/v1/journeys/{jid}/consent", json={"accepted": True}, headers=auth).get_json()["step"] == "assistance"
    view = client.post(f"/api/v1/journeys/{jid}/assistance", json={"mode": "self_voicing"}, headers=auth).get_json()
    assert view["step"] == "card_front" and view["camera"] == "environment"
    return jid, auth


def _jpeg(width=64, height=48) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.full((height, width, 3), 128, np.uint8)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _problem(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["type"] == f"/problems/{code}" and body["detail"]
    return body


def test_a_journey_is_resumable_from_its_state(client):
    jid, auth = _to_card_front(client)
    again = client.get(f"/api/v1/journeys/{jid}", headers=auth).get_json()
    assert again["step"] == "card_front" and again["deadline"] and again["warn_at"] < again["deadline"]


def test_missing_forged_expired_and_foreign_tokens_are_refused(app, client):
    jid, auth = _start(client)
    _problem(client.get(f"/api/v1/journeys/{jid}"), 401, "missing-token")
    _problem(client.get(f"/api/v1/journeys/{jid}", headers={"Authorization": auth["Authorization"][:-3] + "abc"}), 401, "bad-token")
    forged = tokens.issue(jid, secret="not-the-server-secret")
    _problem(client.get(f"/api/v1/journeys/{jid}", headers={"Authorization": f"Bearer {forged}"}), 401, "bad-token")
    other_id, other_auth = _start(client)
    _problem(client.get(f"/api/v1/journeys/{jid}", headers=other_auth), 403, "token-mismatch")
    with app.app_context():
        token = tokens.issue(jid)
    with app.app_context():
        with pytest.raises(tokens.Unauthorized) as expired:
            tokens.journey_of(token, max_age_s=-1)
    assert expired.value.code == "token-expired"


def test_posts_out_of_order_get_a_conflict_naming_the_current_step(client):
    jid, auth = _start(client)
    body = _problem(client.post(f"/api/v1/journeys/{jid}/confirm", headers=auth), 409, "wrong-step")
    assert body["step"] == "consent"
    _problem(client.post(f"/api/v1/journeys/{jid}/frames", data=_jpeg(), content_type="image/jpeg", headers=auth), 409, "wrong-step")


def test_bad_bodies_and_frames_are_clear_problems(client):
    jid, auth = _to_card_front(client)
    _problem(client.post(f"/api/v1/journeys/{jid}/help", data="choice=retry", content_type="application/x-www-form-urlencoded", headers=auth), 415, "unsupported-media-type")
    _problem(client.post(f"/api/v1/journeys/{jid}/help", data="{not json", content_type="application/json", headers=auth), 400, "bad-json")
    _problem(client.post(f"/api/v1/journeys/{jid}/help", json={"choice": "pray"}, headers=auth), 400, "bad-field")
    frames = f"/api/v1/journeys/{jid}/frames"
    _problem(client.post(frames, data=b"GIF89a not really", content_type="text/plain", headers=auth), 415, "unsupported-media-type")
    _problem(client.post(frames, data=b"this is not a jpeg", content_type="image/jpeg", headers=auth), 400, "not-an-image")
    noisy = io.BytesIO()
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(noisy, format="JPEG")
    _problem(client.post(frames, data=noisy.getvalue()[: len(noisy.getvalue()) // 2], content_type="image/jpeg", headers=auth), 400, "truncated-image")
    _problem(client.post(frames, data=b"", content_type="image/jpeg", headers=auth), 400, "empty-image")
    _problem(client.post(frames + "?beta=720", data=_jpeg(), content_type="image/jpeg", headers=auth), 400, "bad-parameter")
    _problem(client.post(frames + "?t=nan", data=_jpeg(), content_type="image/jpeg", headers=auth), 400, "bad-parameter")
    huge = b"\xff\xd8" + b"\0" * (Settings().web.max_frame_bytes + 10)
    _problem(client.post(frames, data=huge, content_type="image/jpeg", headers=auth), 400, "image-too-large")
    # Nothing was half-written: the journey is still at its step, with no failures counted.
    state = client.get(f"/api/v1/journeys/{jid}", headers=auth).get_json()
    assert state["step"] == "card_front" and state["failures_in_window"] == 0


def test_request_bodies_over_the_app_limit_are_refused(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data", web={"max_request_bytes": 1000}))
    client = app.test_client()
    jid, auth = _to_card_front(client)  # at a camera step: the step is checked before the body is read
    _problem(client.post(f"/api/v1/journeys/{jid}/frames", data=b"\0" * 5000, content_type="image/jpeg", headers=auth), 413, "request-entity-too-large")


def test_rate_limit_per_journey_answers_429_with_retry_after(client):
    jid, auth = _start(client)
    statuses = [client.get(f"/api/v1/journeys/{jid}", headers=auth).status_code for _ in range(45)]
    assert statuses[:39] == [200] * 39 and statuses[-1] == 429
    limited = client.get(f"/api/v1/journeys/{jid}", headers=auth)
    _problem(limited, 429, "too-many-requests")
    assert int(limited.headers["Retry-After"]) >= 1
    other, other_auth = _start(client)
    assert client.get(f"/api/v1/journeys/{other}", headers=other_auth).status_code == 200


def test_rate_limit_per_client_on_new_journeys(tmp_path):
    client = create_app(Settings(data_dir=tmp_path / "data", web={"client_journeys_per_hour": 3})).test_client()
    codes = [client.post("/api/v1/journeys", json={}).status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]


def test_openapi_document_describes_every_route(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    documented = set(doc["paths"])
    routed = {re.sub(r"<(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/journeys") or rule.rule in ("/api/v1/speech",)}
    assert routed <= documented
    for name in ("Journey", "AssistanceRequest", "Problem"):
        assert name in doc["components"]["schemas"]


def test_form_posts_need_the_csrf_token(client):
    page = client.get("/journey/?lang=en")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    _problem(client.post("/journey/start", data={"lang": "en"}), 400, "csrf-failed")
    _problem(client.post("/journey/start", data={"lang": "en", "csrf_token": "x" + token}), 400, "csrf-failed")
    assert client.post("/journey/start", data={"lang": "en", "csrf_token": token}).status_code == 303


def test_prompt_catalog_speech_and_earcons_for_the_sdk(client):
    catalog = client.get("/api/v1/prompts/zh-CN").get_json()
    assert catalog["lang"] == "zh-CN" and catalog["messages"]["journey.sdk_start"] == "打开摄像头"
    _problem(client.get("/api/v1/prompts/fr"), 404, "unknown-language")
    spoken = client.get("/api/v1/speech", query_string={"id": "journey.sdk_checking", "lang": "en"})
    assert spoken.status_code == 200 and spoken.mimetype == "audio/wav" and spoken.data[:4] == b"RIFF" and len(spoken.data) > 2000
    _problem(client.get("/api/v1/speech", query_string={"id": "say anything I like"}), 404, "unknown-message")
    _problem(client.get("/api/v1/speech", query_string={"id": "journey.sdk_checking", "params": "[1]"}), 400, "bad-params")
    chime = client.get("/api/v1/earcons/captured.wav")
    assert chime.status_code == 200 and chime.data[:4] == b"RIFF"
    _problem(client.get("/api/v1/earcons/siren.wav"), 404, "unknown-earcon")


def test_journey_page_texts_are_complete_in_both_languages():
    import string

    from barrierfree.web.i18n import catalog

    zh, en = catalog("journey", "zh-CN"), catalog("journey", "en")
    assert set(zh) == set(en)
    fields = lambda text: {name for _, name, _, _ in string.Formatter().parse(text) if name}  # noqa: E731
    assert all(fields(zh[key]) == fields(en[key]) for key in zh)
    assert all(zh[key].strip() and en[key].strip() for key in zh)

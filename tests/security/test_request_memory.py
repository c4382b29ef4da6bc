"""Issue 17 item 2: token, step and nonce are checked before any image is decoded; a request's pixels are budgeted.

Which check came first is visible in the answer: the frames sent here are
corrupt, so a server that decoded first would answer 400 ``not-an-image``.
The peak memory figures are printed by ``benchmarks/web_limits.py``.
"""

from __future__ import annotations

import pytest

from barrierfree.settings import Settings
from barrierfree.web import create_app
from tests.security.journeys import multipart, png, read_cards, start

CORRUPT = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def app(tmp_path):
    return create_app(Settings(data_dir=tmp_path / "data"))


def _type(response) -> str:
    return response.get_json()["type"]


def test_no_token_means_no_decoding_on_every_upload_endpoint(app):
    client = app.test_client()
    jid, _ = start(client)
    for path in ("frames", "capture"):
        refused = client.post(f"/api/v1/journeys/{jid}/{path}", data=CORRUPT, content_type="image/png")
        assert (refused.status_code, _type(refused)) == (401, "/problems/missing-token")
    refused = client.post(f"/api/v1/journeys/{jid}/liveness/answer", data=multipart("n", [CORRUPT]), content_type="multipart/form-data")
    assert (refused.status_code, _type(refused)) == (401, "/problems/missing-token")


def test_the_wrong_step_is_refused_before_decoding(app):
    client = app.test_client()
    jid, auth = start(client)  # at the card step: no liveness answer is expected
    answer = client.post(f"/api/v1/journeys/{jid}/liveness/answer", headers=auth,
                         data=multipart("any", [CORRUPT] * 90), content_type="multipart/form-data")
    assert (answer.status_code, _type(answer)) == (409, "/problems/wrong-step")
    read_cards(app, jid)  # now at liveness: card captures are out of step
    capture = client.post(f"/api/v1/journeys/{jid}/capture", data=CORRUPT, content_type="image/png", headers=auth)
    assert (capture.status_code, _type(capture)) == (409, "/problems/wrong-step")


def test_a_foreign_or_used_nonce_is_refused_before_decoding(app):
    client = app.test_client()
    jid, auth = start(client)
    read_cards(app, jid)
    other, other_auth = start(client)
    read_cards(app, other)
    foreign = client.post(f"/api/v1/journeys/{other}/liveness/challenge", headers=other_auth).get_json()["nonce"]
    for nonce in ("made-up", foreign):
        refused = client.post(f"/api/v1/journeys/{jid}/liveness/answer", headers=auth,
                              data=multipart(nonce, [CORRUPT] * 3), content_type="multipart/form-data")
        assert (refused.status_code, _type(refused)) == (404, "/problems/challenge-not-found")
    nonce = client.post(f"/api/v1/journeys/{jid}/liveness/challenge", headers=auth).get_json()["nonce"]
    decoded = client.post(f"/api/v1/journeys/{jid}/liveness/answer", headers=auth,
                          data=multipart(nonce, [CORRUPT]), content_type="multipart/form-data")
    assert (decoded.status_code, _type(decoded)) == (400, "/problems/not-an-image")  # a valid nonce: now frames are read


def test_a_liveness_answer_past_the_pixel_budget_is_refused_and_the_challenge_stays_open(app):
    client = app.test_client()
    jid, auth = start(client)
    read_cards(app, jid)
    nonce = client.post(f"/api/v1/journeys/{jid}/liveness/challenge", headers=auth).get_json()["nonce"]
    # The worst a client may send: the most frames, each at the per-frame pixel limit (8 MP), in a 12 MB body.
    bomb = png(3264, 2448)
    budget = app.extensions["barrierfree.settings"].web.max_request_megapixels
    refused = client.post(f"/api/v1/journeys/{jid}/liveness/answer", headers=auth,
                          data=multipart(nonce, [bomb] * 90), content_type="multipart/form-data")
    problem = refused.get_json()
    assert (refused.status_code, refused.mimetype, problem["type"]) == (413, "application/problem+json", "/problems/too-many-pixels")
    assert problem["limit_megapixels"] == budget
    from barrierfree.onboarding.journey.models import LivenessChallengeRecord

    with app.extensions["barrierfree.sessions"]() as session:
        assert session.get(LivenessChallengeRecord, nonce).used_at is None
    assert client.get(f"/api/v1/journeys/{jid}", headers=auth).get_json()["step"] == "liveness"


def test_the_budget_is_a_setting_and_covers_single_frames(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data", web={"max_request_megapixels": 0.2}))
    client = app.test_client()
    jid, auth = start(client)
    refused = client.post(f"/api/v1/journeys/{jid}/frames", data=png(640, 480), content_type="image/png", headers=auth)
    assert (refused.status_code, _type(refused)) == (413, "/problems/too-many-pixels")
    allowed = client.post(f"/api/v1/journeys/{jid}/frames", data=png(400, 300), content_type="image/png", headers=auth)
    assert allowed.status_code == 200

"""Liveness through the API with the face area's real verifier: a live answer passes, a replay and an injected video do not."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from barrierfree.onboarding.journey import results
from barrierfree.onboarding.journey.steps import Step
from barrierfree.settings import Settings
from testkit import faces
from testkit.photos import load
from barrierfree.web import create_app

pytestmark = pytest.mark.slow


@pytest.fixture
def app(tmp_path):
    return create_app(Settings(data_dir=tmp_path / "data"))


def at_liveness(app, client, *, photosensitive=False):
    started = client.post("/api/v1/journeys", json={"lang": "en"}).get_json()
    jid, auth = started["id"], {"Authorization": f"Bearer {started['token']}"}
    client.post(f"/api/v1/journeys/{jid}/consent", json={"accepted": True}, headers=auth)
    client.post(f"/api/v1/journeys/{jid}/assistance", json={"mode": "self_voicing", "photosensitive": photosensitive}, headers=auth)
    service = app.extensions["barrierfree.journeys"]
    # The card steps have their own tests; here the journey gets a real portrait and moves on.
    portrait = load("obama2")
    results.accept_card(service, jid, Step.CARD_FRONT, document_type="cn_resident_id_front", valid=True,
                        fields={"name": "张三"}, confidence={"name": 0.9}, checks=[], portrait=portrait)
    results.accept_card(service, jid, Step.CARD_BACK, document_type="cn_resident_id_back", valid=True,
                        fields={"issuing_authority": "北京市公安局"}, confidence={}, checks=[], portrait=None)
    assert service.get(jid).step == "liveness"
    return jid, auth


def _multipart(nonce, frames):
    data = {"nonce": nonce, "timestamps": ",".join(f"{f.timestamp_s:.3f}" for f in frames), "frame": []}
    for k, frame in enumerate(frames):
        buffer = io.BytesIO()
        Image.fromarray(frame.pixels).save(buffer, format="JPEG", quality=90)
        buffer.seek(0)
        data["frame"].append((buffer, f"f{k}.jpg", "image/jpeg"))
    return data


def _shown(challenge, held_ms=()):
    """When each colour appeared and when the last ended (s), the colours ``held_ms`` longer than issued (a stalled page)."""
    times = [0.0]
    for k, colour in enumerate(challenge["colours"]):
        times.append(times[-1] + (colour["duration_ms"] + (held_ms[k] if k < len(held_ms) else 0)) / 1000)
    return times


def _live_answer(challenge, seed=3, held_ms=()):
    shown = _shown(challenge, held_ms)
    colours = [(tuple(c["rgb"]), start, end - start) for c, start, end in zip(challenge["colours"], shown, shown[1:])]
    source = faces.prepare("obama")
    camera = faces.Camera(fps=12.0)
    return faces.render_sequence(source, shown[-1], faces.idle_poses(seed), faces.flash_light(colours), camera, seed=seed)


def test_a_live_face_answering_the_flash_passes_and_a_replay_is_refused(app):
    client = app.test_client()
    jid, auth = at_liveness(app, client)
    challenge = client.post(f"/api/v1/journeys/{jid}/liveness/challenge", headers=auth)
    assert challenge.status_code == 201
    challenge = challenge.get_json()
    assert challenge["mode"] == "flash" and len(challenge["colours"]) >= 4
    assert all(c["duration_ms"] >= 334 for c in challenge["colours"])
    frames = _live_answer(challenge)
    answered = client.post(f"/api/v1/journeys/{jid}/liveness/answer", data=_multipart(challenge["nonce"], frames), headers=auth)
    body = answered.get_json()
    assert answered.status_code == 200, body
    assert body["passed"] is True, body["reasons"]
    assert body["journey"]["step"] == "face_match"
    replay = client.post(f"/api/v1/journeys/{jid}/liveness/answer", data=_multipart(challenge["nonce"], frames), headers=auth)
    assert replay.status_code == 409 and replay.get_json()["type"] == "/problems/wrong-step"


def test_a_page_that_stalled_sends_when_each_colour_was_shown_and_the_verifier_uses_it(app):
    # The page froze twice: the second colour stayed 280 ms longer, the fourth 150 ms (never shorter: WCAG 2.3.1).
    client = app.test_client()
    jid, auth = at_liveness(app, client)
    challenge = client.post(f"/api/v1/journeys/{jid}/liveness/challenge", headers=auth).get_json()
    held = (0, 280, 0, 150)
    frames = _live_answer(challenge, held_ms=held)
    url = f"/api/v1/journeys/{jid}/liveness/answer"
    # A client that shortened a colour broke the flash-rate limit: refused before the challenge is used.
    short = _shown(challenge, (0, -100))
    refused = client.post(url, data={**_multipart(challenge["nonce"], frames), "shown": ",".join(f"{t:.3f}" for t in short)}, headers=auth)
    assert refused.status_code == 400 and refused.get_json()["type"] == "/problems/bad-shown-times"
    garbled = client.post(url, data={**_multipart(challenge["nonce"], frames), "shown": "0,x"}, headers=auth)
    assert garbled.status_code == 400 and garbled.get_json()["type"] == "/problems/bad-shown-times"
    shown = ",".join(f"{t:.3f}" for t in _shown(challenge, held))
    body = client.post(url, data={**_multipart(challenge["nonce"], frames), "shown": shown}, headers=auth).get_json()
    assert body["passed"] is True, body["reasons"]


def test_a_replayed_nonce_is_refused_even_at_the_right_step(app):
    client = app.test_client()
    jid, auth = at_liveness(app, client)
    challenge = client.post(f"/api/v1/journeys/{jid}/liveness/challenge", headers=auth).get_json()
    static = faces.static_frames(faces.prepare("obama"), challenge["duration_ms"] / 1000, fps=12.0)
    first = client.post(f"/api/v1/journeys/{jid}/liveness/answer", data=_multipart(challenge["nonce"], static), headers=auth).get_json()
    assert first["passed"] is False and first["journey"]["step"] == "liveness" and first["journey"]["failures_in_window"] == 1
    again = client.post(f"/api/v1/journeys/{jid}/liveness/answer", data=_multipart(challenge["nonce"], _live_answer(challenge)), headers=auth)
    assert again.status_code == 409 and again.get_json()["type"] == "/problems/challenge-used"


def test_a_recording_made_under_another_challenge_is_rejected(app):
    client = app.test_client()
    jid, auth = at_liveness(app, client)
    old = client.post(f"/api/v1/journeys/{jid}/liveness/challenge", headers=auth).get_json()
    new = client.post(f"/api/v1/journeys/{jid}/liveness/challenge", headers=auth).get_json()
    recorded = _live_answer(old)
    verdict = client.post(f"/api/v1/journeys/{jid}/liveness/answer", data=_multipart(new["nonce"], recorded), headers=auth).get_json()
    assert verdict["passed"] is False and verdict["reasons"]


def test_bad_liveness_answers_are_clear_problems(app):
    client = app.test_client()
    jid, auth = at_liveness(app, client)
    url = f"/api/v1/journeys/{jid}/liveness/answer"
    assert client.post(url, json={"nonce": "x"}, headers=auth).status_code == 415
    assert client.post(url, data={"nonce": "x", "timestamps": "0"}, content_type="multipart/form-data", headers=auth).get_json()["type"] == "/problems/no-frames"
    one = faces.static_frames(faces.prepare("obama"), 0.2, fps=10.0)
    bad_times = _multipart("x", one)
    bad_times["timestamps"] = "a,b"
    assert client.post(url, data=bad_times, headers=auth).get_json()["type"] == "/problems/bad-timestamps"
    unknown = client.post(url, data=_multipart("no-such-nonce", one), headers=auth)
    assert unknown.status_code == 404 and unknown.get_json()["type"] == "/problems/challenge-not-found"


@pytest.mark.parametrize("portrait, same", [("obama2", True), ("biden", False)])
def test_face_match_after_liveness_opens_review_or_sends_back(app, portrait, same):
    client = app.test_client()
    jid, auth = at_liveness(app, client)
    if portrait != "obama2":
        service = app.extensions["barrierfree.journeys"]
        from barrierfree.onboarding.journey.results import encode_jpeg

        with service.at_step(jid, Step.LIVENESS) as (_session, record):
            record.portrait_sealed = encode_jpeg(load(portrait))
    challenge = client.post(f"/api/v1/journeys/{jid}/liveness/challenge", headers=auth).get_json()
    verdict = client.post(f"/api/v1/journeys/{jid}/liveness/answer", data=_multipart(challenge["nonce"], _live_answer(challenge)), headers=auth).get_json()
    assert verdict["passed"], verdict["reasons"]
    matched = client.post(f"/api/v1/journeys/{jid}/face-match", headers=auth)
    body = matched.get_json()
    assert matched.status_code == 200, body
    assert body["same_person"] is same and body["outcome"] == ("same" if same else "different")
    assert body["journey"]["step"] == ("review" if same else "liveness")
    if not same:
        assert body["journey"]["failures_in_window"] == 1
    with app.extensions["barrierfree.engine"].connect() as connection:
        from sqlalchemy import text

        portrait_left, selfie_left = connection.execute(text("SELECT portrait_sealed, selfie_sealed FROM journeys")).one()
    assert selfie_left is None and (portrait_left is None) is same


def test_photosensitive_people_get_an_active_challenge_without_flashing(app):
    client = app.test_client()
    jid, auth = at_liveness(app, client, photosensitive=True)
    challenge = client.post(f"/api/v1/journeys/{jid}/liveness/challenge", headers=auth).get_json()
    assert challenge["mode"] == "active" and "colours" not in challenge
    actions = [a["id"] for a in challenge["actions"]]
    assert 1 <= len(actions) <= 3 and all(a["message_id"] == f"liveness.{a['id']}" for a in challenge["actions"])
    each = challenge["duration_ms"] / 1000 / len(actions)
    poses = faces.action_poses(actions, seed=4, start_s=0.6, each_s=each * 0.8)
    frames = faces.render_sequence(faces.prepare("obama"), challenge["duration_ms"] / 1000, poses, None,
                                   faces.Camera(fps=float(challenge["fps"])), seed=4)
    assert len(frames) <= Settings().onboarding.max_liveness_frames
    verdict = client.post(f"/api/v1/journeys/{jid}/liveness/answer", data=_multipart(challenge["nonce"], frames), headers=auth).get_json()
    assert verdict["mode"] == "active"
    assert verdict["passed"] is True, verdict["reasons"]
    assert verdict["journey"]["step"] == "face_match"


def test_an_active_challenge_answered_by_a_still_face_fails(app):
    client = app.test_client()
    jid, auth = at_liveness(app, client, photosensitive=True)
    challenge = client.post(f"/api/v1/journeys/{jid}/liveness/challenge", headers=auth).get_json()
    frames = faces.render_sequence(faces.prepare("obama"), challenge["duration_ms"] / 1000, faces.idle_poses(2, amplitude_deg=1.0),
                                   None, faces.Camera(fps=float(challenge["fps"])), seed=2)
    verdict = client.post(f"/api/v1/journeys/{jid}/liveness/answer", data=_multipart(challenge["nonce"], frames), headers=auth).get_json()
    assert verdict["passed"] is False and verdict["journey"]["step"] == "liveness"


def test_a_card_portrait_without_a_usable_face_sends_the_person_back_to_the_card(app):
    client = app.test_client()
    jid, auth = at_liveness(app, client)
    service = app.extensions["barrierfree.journeys"]
    from barrierfree.onboarding.journey.results import encode_jpeg

    with service.at_step(jid, Step.LIVENESS) as (_session, record):
        record.portrait_sealed = encode_jpeg(np.full((160, 120, 3), 200, np.uint8))  # a washed-out photo area
    challenge = client.post(f"/api/v1/journeys/{jid}/liveness/challenge", headers=auth).get_json()
    assert client.post(f"/api/v1/journeys/{jid}/liveness/answer", data=_multipart(challenge["nonce"], _live_answer(challenge)), headers=auth).get_json()["passed"]
    body = client.post(f"/api/v1/journeys/{jid}/face-match", headers=auth).get_json()
    assert body["same_person"] is False and body["outcome"] == "refused"
    assert (body["code"], body["image"], body["message_id"]) == ("no-face", "ID portrait", "face.match.portrait.no_face")
    assert body["journey"]["step"] == "card_front" and body["journey"]["failures_in_window"] == 1

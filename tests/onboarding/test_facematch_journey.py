"""The journey's face match: ``unsure`` gets one more selfie, then staff review, never an opened account.

The real matcher runs; the band is widened by settings so that a genuine pair
falls inside it (what a borderline stranger would do with the defaults).
"""

from __future__ import annotations

import pytest

from barrierfree.onboarding.journey import results
from barrierfree.settings import Settings
from barrierfree.settings.face import FaceSettings
from testkit import faces
from testkit.photos import load
from barrierfree.web import create_app
from tests.web.test_api_liveness import at_liveness

pytestmark = pytest.mark.slow


def selfie() -> object:
    rgb, posed = faces.warp(faces.prepare("obama"), faces.FacePose(yaw_deg=5))
    return faces.render_screen_light(rgb, posed, (255, 255, 255), 0.3)


def passed_liveness(service, jid, picture) -> None:
    results.accept_liveness(service, jid, passed=True, score=1.0, mode="flash", reasons=[], checks={}, selfie=picture)


def test_unsure_twice_goes_to_staff_review_and_never_opens(tmp_path):
    band = FaceSettings(match_max_distance=0.05, match_unsure_max_distance=1.5)  # every real pair lands in the band
    app = create_app(Settings(data_dir=tmp_path / "data", face=band))
    client = app.test_client()
    jid, auth = at_liveness(app, client)
    service = app.extensions["barrierfree.journeys"]

    passed_liveness(service, jid, selfie())
    first = client.post(f"/api/v1/journeys/{jid}/face-match", headers=auth).get_json()
    assert first["outcome"] == "unsure" and first["same_person"] is False
    assert first["unsure_band"] == [pytest.approx(1 - 1.5), pytest.approx(1 - 0.05)]
    assert first["message_id"] == "face.match.unsure_retry" and first["journey"]["step"] == "liveness"

    passed_liveness(service, jid, selfie())
    second = client.post(f"/api/v1/journeys/{jid}/face-match", headers=auth).get_json()
    assert second["outcome"] == "unsure" and second["message_id"] == "face.match.staff_review"
    assert second["journey"]["step"] == "face_match" and second["journey"]["paused_reason"] == "staff-review"
    assert "retry" not in second["journey"]["help_options"]

    retry = client.post(f"/api/v1/journeys/{jid}/help", json={"choice": "retry"}, headers=auth)
    assert retry.status_code == 409 and retry.get_json()["type"].endswith("staff-review-pending")
    again = client.post(f"/api/v1/journeys/{jid}/face-match", headers=auth)
    assert again.status_code == 409
    confirm = client.post(f"/api/v1/journeys/{jid}/confirm", headers=auth)
    assert confirm.status_code in (404, 409)
    assert service.get(jid).step == "face_match"


def test_a_group_selfie_is_refused_in_the_journey_and_taken_again(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data"))
    client = app.test_client()
    jid, auth = at_liveness(app, client)
    service = app.extensions["barrierfree.journeys"]
    passed_liveness(service, jid, load("group_t1"))
    body = client.post(f"/api/v1/journeys/{jid}/face-match", headers=auth).get_json()
    assert body["outcome"] == "refused" and body["same_person"] is False
    assert (body["code"], body["image"], body["message_id"]) == ("several-faces", "selfie", "face.match.selfie.several_faces")
    assert body["journey"]["step"] == "liveness" and body["journey"]["failures_in_window"] == 1

"""The on-device path's server side: wire constants, card stills re-checked, telemetry, and a
journey whose requests alternate between two app instances sharing PostgreSQL.

On this path the phone guides and the server proves: card stills are read by the real
document reader and fused within one request, the liveness clip is verified by the real
flash verifier, the face match by the real face matcher. Nothing about a journey stays in
an app's process, which the alternating instances prove (and each app is checked to have
built no guidance streams at all).
"""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image
from sqlalchemy import text

from barrierfree.onboarding.journey.steps import CAMERA_STEPS, ORDER
from barrierfree.settings import Settings
from barrierfree.vision.liveness.flash import MIN_COLOUR_MS
from barrierfree.web import create_app
from testkit.databases import fresh_schema
from tests.e2e_camera import card_photos
from tests.web.test_api_liveness import _live_answer, _multipart

pytestmark = pytest.mark.slow


def _jpeg(rgb) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def _stills(*images: bytes) -> dict:
    return {"still": [(io.BytesIO(data), f"still-{k}.jpg", "image/jpeg") for k, data in enumerate(images)]}


@pytest.fixture(scope="module")
def photos():
    # Seed 23: a card valid until 2045 (the app runs on the wall clock), with a real portrait (obama2).
    front, back, table, _truth = card_photos(23)
    return _jpeg(front), _jpeg(back), _jpeg(table)


def _journey(client) -> tuple[str, dict]:
    started = client.post("/api/v1/journeys", json={"lang": "en"}).get_json()
    jid, auth = started["id"], {"Authorization": f"Bearer {started['token']}"}
    client.post(f"/api/v1/journeys/{jid}/consent", json={"accepted": True}, headers=auth)
    client.post(f"/api/v1/journeys/{jid}/assistance", json={"mode": "self_voicing"}, headers=auth)
    return jid, auth


def test_the_wire_constants_come_from_the_settings_and_the_verifier(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data", web={"max_liveness_frames": 50},
                              device={"max_stills": 2, "frame_budget_ms": 90.0, "still_budget_s": 0.6},
                              onboarding={"card_frames_to_accept": 1}))
    wire = app.test_client().get("/api/v1/sdk/wire").get_json()
    assert wire["min_flash_ms"] == MIN_COLOUR_MS
    assert wire["steps"] == [s.value for s in ORDER] and wire["camera_steps"] == [s.value for s in CAMERA_STEPS]
    assert wire["limits"]["max_liveness_frames"] == 50 and wire["limits"]["max_stills"] == 2
    assert (wire["limits"]["still_window_s"], wire["limits"]["still_budget_s"], wire["limits"]["stills_to_accept"]) == (1.0, 0.6, 1)
    assert wire["device"] == {"frame_budget_ms": 90.0, "probe_s": 1.0}


@pytest.fixture
def shared_postgres(postgres_url):
    """A fresh schema on the test PostgreSQL server, as a database URL two apps can share."""
    with fresh_schema(postgres_url) as url:
        yield url


def test_a_journey_alternating_between_two_instances_on_postgres_opens_the_account(tmp_path, photos, shared_postgres):
    front, back, table = photos
    apps = [create_app(Settings(data_dir=tmp_path / f"data-{k}", database_url=shared_postgres)) for k in (0, 1)]
    clients = [app.test_client() for app in apps]
    served: list[int] = []

    def call(method: str, path: str, **kwargs):
        served.append(len(served) % 2)
        return getattr(clients[served[-1]], method)(path, **kwargs)

    started = call("post", "/api/v1/journeys", json={"lang": "en"}).get_json()
    jid, auth = started["id"], {"Authorization": f"Bearer {started['token']}"}
    base = f"/api/v1/journeys/{jid}"
    assert call("post", f"{base}/consent", json={"accepted": True}, headers=auth).status_code == 200
    assert call("post", f"{base}/assistance", json={"mode": "self_voicing"}, headers=auth).status_code == 200

    telemetry = {"step": "card_front", "events": [
        {"kind": "cue", "t": 0.2, "id": "card.move_left"}, {"kind": "timing", "t": 0.25, "name": "frame", "ms": 18.5},
        {"kind": "capture", "t": 3.1, "code": "wrong-side"}]}
    stored = call("post", f"{base}/device/telemetry", json=telemetry, headers=auth)
    assert stored.status_code == 202 and stored.get_json()["stored"] == 3, stored.get_json()

    # A device that claims the back is the front gets the refusal reason, and nothing is stored.
    wrong = call("post", f"{base}/device/capture", data=_stills(back, back), headers=auth).get_json()
    assert (wrong["accepted"], wrong["code"], wrong["step"]) == (False, "wrong-side", "card_front"), wrong
    assert wrong["message_id"] == "card.turn_over"  # what the on-device guide says: turn the card over
    empty = call("post", f"{base}/device/capture", data=_stills(table), headers=auth).get_json()
    assert (empty["accepted"], empty["step"]) == (False, "card_front") and empty["code"], empty
    assert empty["journey"]["failures_in_window"] == 1  # no card at all counts as a failed attempt
    with apps[0].extensions["barrierfree.engine"].connect() as connection:
        fields, portrait = connection.execute(text("SELECT fields_sealed, portrait_sealed FROM journeys")).one()
    assert fields is None and portrait is None

    read = call("post", f"{base}/device/capture?t=4.0", data=_stills(front, front, front), headers=auth).get_json()
    assert (read["accepted"], read["step"], read["stills_read"], read["message_id"]) == (True, "card_back", 3, "card.captured"), read
    read = call("post", f"{base}/device/capture", data=_stills(back, back), headers=auth).get_json()
    assert (read["accepted"], read["step"]) == (True, "liveness"), read

    challenge = call("post", f"{base}/liveness/challenge", headers=auth).get_json()
    verdict = call("post", f"{base}/liveness/answer", data=_multipart(challenge["nonce"], _live_answer(challenge)), headers=auth).get_json()
    assert verdict["passed"] is True and verdict["journey"]["step"] == "face_match", verdict
    matched = call("post", f"{base}/face-match", headers=auth).get_json()
    assert matched["same_person"] is True and matched["journey"]["step"] == "review", matched
    review = call("get", f"{base}/review", headers=auth).get_json()
    assert {f["name"] for f in review["fields"]} >= {"name", "id_number"}
    opened = call("post", f"{base}/confirm", headers=auth)
    assert opened.status_code == 201 and opened.get_json()["account_number"], opened.get_json()

    assert len(served) == 13 and served.count(0) == 7 and served.count(1) == 6  # every request went to the other instance
    # Neither instance built per-journey guidance state: the device path keeps none in process.
    assert all(app.extensions["barrierfree.runtime"].built("streams") is None for app in apps)
    with apps[1].extensions["barrierfree.engine"].connect() as connection:
        kinds = [row[0] for row in connection.execute(text("SELECT kind FROM audit_events WHERE kind = 'journey.device-telemetry'"))]
        details = connection.execute(text("SELECT details FROM audit_events WHERE kind = 'journey.device-telemetry'")).scalar_one()
    assert kinds == ["journey.device-telemetry"]
    details = details if isinstance(details, dict) else json.loads(details)
    assert [e["kind"] for e in details["events"]] == ["cue", "timing", "capture"] and details["frame_ms_p50"] == 18.5


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"step": "card_front", "events": [{"kind": "picture", "t": 0.1}]}, 400, "bad-field"),
    ({"step": "card_front", "events": [{"kind": "cue", "t": 0.1, "id": "card.move_left", "image": "AAAA"}]}, 400, "bad-field"),
    ({"step": "card_front", "events": [{"kind": "cue", "t": 0.1, "id": "Zhang San"}]}, 400, "bad-field"),
    ({"step": "card_front", "events": [{"kind": "cue", "t": 0.1, "id": "card.not_a_prompt"}]}, 400, "unknown-message"),
    ({"step": "card_front", "events": [{"kind": "timing", "t": 0.1, "name": "frame"}]}, 400, "bad-field"),
    ({"step": "card_front", "events": [{"kind": "cue", "t": 2.0, "id": "card.move_left"},
                                       {"kind": "cue", "t": 1.0, "id": "card.move_left"}]}, 400, "bad-telemetry-order"),
    ({"step": "card_front", "events": []}, 400, "bad-field"),
    ({"step": "liveness", "events": [{"kind": "failure", "t": 1.0, "code": "gave-up"}]}, 409, "wrong-step"),
    ({"step": "card_front", "events": [{"kind": "cue", "t": 0.1, "id": "card.move_left"}] * 201}, 400, "too-many-events"),
])
def test_bad_telemetry_is_a_clear_problem_and_nothing_is_stored(tmp_path, body, status, code):
    app = create_app(Settings(data_dir=tmp_path / "data"))
    client = app.test_client()
    jid, auth = _journey(client)
    response = client.post(f"/api/v1/journeys/{jid}/device/telemetry", json=body, headers=auth)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["type"] == f"/problems/{code}"
    with app.extensions["barrierfree.engine"].connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_events WHERE kind = 'journey.device-telemetry'")).scalar_one() == 0


def test_oversized_telemetry_and_bad_stills_are_refused_before_anything_is_read(tmp_path, photos):
    front, _back, _table = photos
    app = create_app(Settings(data_dir=tmp_path / "data", device={"max_stills": 2}))
    client = app.test_client()
    jid, auth = _journey(client)
    base = f"/api/v1/journeys/{jid}"
    big = {"step": "card_front", "events": [{"kind": "timing", "t": 0.1, "name": "frame", "ms": 1.0}] * 2000}
    assert client.post(f"{base}/device/telemetry", json=big, headers=auth).get_json()["type"] == "/problems/telemetry-too-large"
    cases = [
        (dict(data=front, content_type="image/jpeg"), 415, "unsupported-media-type"),
        (dict(data={"note": "no stills"}, content_type="multipart/form-data"), 400, "no-stills"),
        (dict(data=_stills(front, front, front)), 400, "too-many-stills"),
        (dict(data={"still": [(io.BytesIO(b"not an image"), "x.jpg", "image/jpeg")]}), 400, None),
        (dict(data={"still": [(io.BytesIO(front), "x.gif", "image/gif")]}), 415, "unsupported-media-type"),
    ]
    for kwargs, status, code in cases:
        response = client.post(f"{base}/device/capture", headers=auth, **kwargs)
        body = response.get_json()
        assert response.status_code == status and body["type"].startswith("/problems/"), body
        assert code is None or body["type"] == f"/problems/{code}", body
    unauthorised = client.post(f"{base}/device/capture", data=_stills(front), headers={"Authorization": "Bearer nope"})
    assert unauthorised.status_code == 401
    assert client.get(f"/api/v1/journeys/{jid}", headers=auth).get_json()["step"] == "card_front"


def test_a_batch_flushed_as_its_step_ends_is_kept_for_the_audit_and_its_failures_no_longer_count(tmp_path, photos):
    # The SDK flushes a step's last telemetry after the capture that moved the journey on: that batch
    # names the step just passed. It is stored (marked late), but its failures count for nothing,
    # and a batch for a step not reached yet is still refused.
    front, _back, _table = photos
    app = create_app(Settings(data_dir=tmp_path / "data"))
    client = app.test_client()
    jid, auth = _journey(client)
    base = f"/api/v1/journeys/{jid}"
    read = client.post(f"{base}/device/capture", data=_stills(front, front, front), headers=auth).get_json()
    assert (read["accepted"], read["step"]) == (True, "card_back"), read
    tail = {"step": "card_front", "events": [{"kind": "cue", "t": 3.9, "id": "card.move_left"},
                                             {"kind": "failure", "t": 4.0, "code": "no-card-found"},
                                             {"kind": "capture", "t": 4.1, "code": None}]}
    stored = client.post(f"{base}/device/telemetry", json=tail, headers=auth)
    assert stored.status_code == 202 and stored.get_json()["stored"] == 3, stored.get_json()
    journey = stored.get_json()["journey"]
    assert (journey["step"], journey["failures_in_window"]) == ("card_back", 0), journey
    ahead = client.post(f"{base}/device/telemetry", json={"step": "liveness", "events": tail["events"][:1]}, headers=auth)
    assert ahead.status_code == 409 and ahead.get_json()["type"] == "/problems/wrong-step"
    with app.extensions["barrierfree.engine"].connect() as connection:
        rows = [row[0] for row in connection.execute(text(
            "SELECT details FROM audit_events WHERE kind = 'journey.device-telemetry'"))]
        failed = connection.execute(text("SELECT count(*) FROM audit_events WHERE kind = 'journey.attempt-failed'")).scalar_one()
    details = [r if isinstance(r, dict) else json.loads(r) for r in rows]
    assert [(d["step"], d.get("late")) for d in details] == [("card_front", True)]
    assert [e["kind"] for e in details[0]["events"]] == ["cue", "failure", "capture"] and failed == 0


def test_the_device_guides_failures_count_towards_the_help_offer(tmp_path):
    # Five attempts the on-device guide gave up on within the window pause the step and offer a person,
    # as five refused captures do on the server path.
    app = create_app(Settings(data_dir=tmp_path / "data"))
    client = app.test_client()
    jid, auth = _journey(client)
    url = f"/api/v1/journeys/{jid}/device/telemetry"
    first = client.post(url, json={"step": "card_front", "events": [{"kind": "failure", "t": 1.0, "code": "no-card-found"}]}, headers=auth)
    assert first.status_code == 202 and first.get_json()["journey"]["failures_in_window"] == 1
    assert first.get_json()["journey"]["paused_reason"] is None
    events = [{"kind": "failure", "t": 2.0 + k, "code": "no-card-found"} for k in range(4)]
    paused = client.post(url, json={"step": "card_front", "events": events}, headers=auth).get_json()["journey"]
    assert paused["paused_reason"] == "too-many-failures" and "sign_language" in paused["help_options"], paused
    with app.extensions["barrierfree.engine"].connect() as connection:
        reasons = [row[0] for row in connection.execute(text(
            "SELECT details FROM audit_events WHERE kind = 'journey.attempt-failed'"))]
    assert len(reasons) == 5 and all("device-no-card-found" in json.dumps(r) for r in reasons)


def test_a_batch_is_one_writer_transaction_and_stops_counting_once_the_step_pauses(tmp_path):
    # The audit event and every failure of a batch are one transaction: one commit, all or nothing.
    # Six failures in one batch: the fifth pauses the step, the sixth is not counted.
    from sqlalchemy import event

    app = create_app(Settings(data_dir=tmp_path / "data"))
    client = app.test_client()
    jid, auth = _journey(client)
    url = f"/api/v1/journeys/{jid}/device/telemetry"
    engine = app.extensions["barrierfree.engine"]
    commits: list[str] = []
    event.listen(engine, "commit", lambda _connection: commits.append("commit"))
    events = [{"kind": "failure", "t": 1.0 + k, "code": "no-card-found"} for k in range(6)]
    paused = client.post(url, json={"step": "card_front", "events": events}, headers=auth)
    assert paused.status_code == 202 and paused.get_json()["journey"]["paused_reason"] == "too-many-failures"
    assert commits == ["commit"]
    refused = client.post(url, json={"step": "card_front", "events": events[:1]}, headers=auth)
    assert refused.status_code == 409 and refused.get_json()["type"] == "/problems/step-paused"
    assert commits == ["commit"]
    with engine.connect() as connection:
        kinds = [row[0] for row in connection.execute(text("SELECT kind FROM audit_events WHERE kind LIKE 'journey.%' ORDER BY id"))]
    assert kinds.count("journey.device-telemetry") == 1 and kinds.count("journey.attempt-failed") == 5
    assert kinds.count("journey.paused") == 1

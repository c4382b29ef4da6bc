"""The runtime: every settings section reaches the engine that uses it, through the web stream and the CLI.

Each test sets a section's variable in the environment (as an operator would), builds the
app or runs the command the way production does, and observes the engine's behaviour change
(a card no longer found, fewer flash colours, no capture yet), not just a stored value.
"""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone

import numpy as np
import pytest
from PIL import Image

from barrierfree.cli import main
from barrierfree.runtime import Runtime
from barrierfree.settings import get_settings, load_settings
from barrierfree.web import create_app
from tests.e2e_camera import card_photos


def _jpeg(rgb: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def card_front() -> np.ndarray:
    front, _back, _table, _truth = card_photos(23)
    return front


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """Set ``BARRIERFREE_*`` variables for one test; the process settings are read afresh and forgotten after."""
    monkeypatch.setenv("BARRIERFREE_DATA_DIR", str(tmp_path / "data"))

    def set_variables(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield set_variables
    get_settings.cache_clear()


def _journey_at(client, step: str) -> tuple[str, dict]:
    started = client.post("/api/v1/journeys", json={"lang": "en"}).get_json()
    jid, auth = started["id"], {"Authorization": f"Bearer {started['token']}"}
    client.post(f"/api/v1/journeys/{jid}/consent", json={"accepted": True}, headers=auth)
    view = client.post(f"/api/v1/journeys/{jid}/assistance", json={"mode": "self_voicing"}, headers=auth).get_json()
    assert view["step"] == "card_front"
    if step == "liveness":
        from tests.security.journeys import read_cards

        read_cards(client.application, jid)
    return jid, auth


def _app_from_environment():
    return create_app(load_settings())


# -- the web stream -----------------------------------------------------------------------


@pytest.mark.slow
def test_the_document_section_reaches_the_web_streams_card_finder(environment, card_front):
    frame = _jpeg(card_front)
    environment()
    client = _app_from_environment().test_client()
    jid, auth = _journey_at(client, "card_front")
    seen = client.post(f"/api/v1/journeys/{jid}/frames?t=0.0", data=frame, content_type="image/jpeg", headers=auth).get_json()
    assert seen["detected"] is True, seen

    # The same frame with the finder told that a card must fill nearly the whole frame, and to look at 320 px.
    environment(BARRIERFREE_DOCUMENT__MIN_CARD_AREA_FRACTION="0.95", BARRIERFREE_DOCUMENT__FINDER_WIDTH_PX="320")
    app = _app_from_environment()
    client = app.test_client()
    jid, auth = _journey_at(client, "card_front")
    seen = client.post(f"/api/v1/journeys/{jid}/frames?t=0.0", data=frame, content_type="image/jpeg", headers=auth).get_json()
    assert seen["detected"] is False, seen
    finder = app.extensions["barrierfree.runtime"].streams.engines.card_finder
    assert finder.settings.finder_width_px == 320


def test_the_guidance_section_reaches_the_web_streams_guide(environment):
    environment(BARRIERFREE_GUIDANCE__CAPTURE_DWELL_S="1.7")
    app = _app_from_environment()
    client = app.test_client()
    jid, auth = _journey_at(client, "card_front")
    grey = _jpeg(np.full((480, 640, 3), 90, np.uint8))
    assert client.post(f"/api/v1/journeys/{jid}/frames?t=0.0", data=grey, content_type="image/jpeg", headers=auth).status_code == 200
    stream = app.extensions["barrierfree.runtime"].streams.stream(app.extensions["barrierfree.journeys"].get(jid))
    assert stream.guide.settings.capture_dwell_s == 1.7


def test_the_face_section_reaches_the_web_liveness_challenge(environment):
    environment(BARRIERFREE_FACE__FLASH_COLOUR_COUNT="4")
    client = _app_from_environment().test_client()
    jid, auth = _journey_at(client, "liveness")
    challenge = client.post(f"/api/v1/journeys/{jid}/liveness/challenge", headers=auth).get_json()
    assert challenge["mode"] == "flash" and len(challenge["colours"]) == 4  # the default is 6


@pytest.mark.parametrize("variable", ["BARRIERFREE_ONBOARDING__STEP_TIME_LIMIT_S", "BARRIERFREE_WEB__STEP_TIME_LIMIT_S"])
def test_the_onboarding_section_reaches_the_journey_service_under_its_new_and_old_names(environment, variable):
    environment(**{variable: "95"})
    client = _app_from_environment().test_client()
    jid, auth = _journey_at(client, "card_front")
    view = client.get(f"/api/v1/journeys/{jid}", headers=auth).get_json()
    left = (datetime.fromisoformat(view["deadline"]) - datetime.now(timezone.utc)).total_seconds()
    assert 60 < left <= 95  # the default limit is 180 s


def test_the_voice_section_reaches_the_speech_endpoint(environment):
    environment(BARRIERFREE_VOICE__SPEECH_CACHE_BYTES="250000")
    app = _app_from_environment()
    client = app.test_client()
    for cm in range(2, 12):
        spoken = client.get("/api/v1/speech", query_string={"id": "card.glare_left_by", "lang": "en",
                                                            "params": json.dumps({"cm": cm})})
        assert spoken.status_code == 200, spoken.get_data(as_text=True)
    speaker = app.extensions["barrierfree.runtime"].speaker
    assert 0 < speaker.bytes <= 250_000 and speaker.misses == 10


def test_engines_are_built_once_per_runtime():
    runtime = Runtime.from_settings(load_settings())
    assert runtime.card_finder is runtime.card_finder and runtime.liveness is runtime.liveness
    assert runtime.streams.engines.card_finder is runtime.card_finder
    assert runtime.face_engines.modes is runtime.liveness


# -- the CLI ------------------------------------------------------------------------------


def _cli(capsys, *args: str) -> tuple[int, dict]:
    code = main(list(args))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


@pytest.mark.slow
def test_the_document_section_reaches_the_cli_guide(environment, capsys, tmp_path, card_front):
    folder = tmp_path / "frames"
    folder.mkdir()
    for i in range(3):
        Image.fromarray(card_front).save(folder / f"{i:02d}.png")
    environment()
    code, doc = _cli(capsys, "guide", "--target", "card", str(folder), "--json")
    assert code == 0 and doc["frames"][0]["detected"] is True
    environment(BARRIERFREE_DOCUMENT__MIN_CARD_AREA_FRACTION="0.95")
    code, doc = _cli(capsys, "guide", "--target", "card", str(folder), "--json")
    assert code == 0 and not any(frame["detected"] for frame in doc["frames"])


@pytest.mark.slow
def test_the_guidance_section_reaches_the_cli_guide(environment, capsys, tmp_path):
    from dataclasses import replace

    from testkit.scenes import FaceScene

    scene = FaceScene("obama")
    centre = scene.pose_at(0.5, 0.45, 420)
    folder = tmp_path / "frames"
    folder.mkdir()
    for i in range(16):
        frame, _ = scene.render(replace(centre, x_mm=max(0.0, 60.0 - 20.0 * i)))
        Image.fromarray(frame.pixels).save(folder / f"{i:03d}.png")
    environment()
    code, doc = _cli(capsys, "guide", "--target", "face", str(folder), "--json")
    assert code == 0 and doc["captured_frame"] is not None
    # Holding still for 5 s before the capture: 16 frames at 10 fps never get there.
    environment(BARRIERFREE_GUIDANCE__CAPTURE_DWELL_S="5")
    code, doc = _cli(capsys, "guide", "--target", "face", str(folder), "--json")
    assert code == 0 and doc["captured_frame"] is None


def test_the_face_section_reaches_the_cli_challenge(environment, capsys):
    environment(BARRIERFREE_FACE__FLASH_COLOUR_COUNT="5", BARRIERFREE_FACE__ACTIVE_MIN_ACTIONS="3")
    code, doc = _cli(capsys, "challenge", "--kind", "flash")
    assert code == 0 and doc["kind"] == "flash" and len(doc["colours"]) == 5
    code, doc = _cli(capsys, "challenge", "--kind", "active")
    assert code == 0 and doc["kind"] == "active" and len(doc["actions"]) == 3

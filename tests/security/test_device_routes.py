"""The on-device path's routes (card stills, telemetry) refuse an anonymous caller, another journey's
token and an oversized body before anything is read or stored, the late-telemetry path included."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text

from barrierfree.settings import Settings
from barrierfree.web import create_app
from tests.security.journeys import read_cards, start

TELEMETRY = {"step": "card_front", "events": [{"kind": "cue", "t": 0.1, "id": "card.move_left"}]}


@pytest.fixture
def app(tmp_path):
    return create_app(Settings(data_dir=tmp_path / "data"))


def _stored(app) -> int:
    with app.extensions["barrierfree.engine"].connect() as connection:
        return connection.execute(text("SELECT count(*) FROM audit_events WHERE kind = 'journey.device-telemetry'")).scalar_one()


@pytest.mark.parametrize("late", [False, True])
def test_telemetry_needs_the_journeys_own_token(app, late):
    client = app.test_client()
    jid, _auth = start(client)
    _other, other_auth = start(client)
    if late:  # the journey has passed the card steps: a card_front batch would be kept as late
        read_cards(app, jid)
    body = TELEMETRY
    url = f"/api/v1/journeys/{jid}/device/telemetry"
    anonymous = client.post(url, json=body)
    foreign = client.post(url, json=body, headers=other_auth)
    forged = client.post(url, json=body, headers={"Authorization": "Bearer not-a-token"})
    assert (anonymous.status_code, foreign.status_code, forged.status_code) == (401, 403, 401)
    assert all(r.get_json()["type"].startswith("/problems/") for r in (anonymous, foreign, forged))
    assert _stored(app) == 0


def test_an_oversized_telemetry_body_or_still_is_refused_and_nothing_is_stored(app):
    client = app.test_client()
    jid, auth = start(client)
    base = f"/api/v1/journeys/{jid}"
    limit = app.extensions["barrierfree.settings"].device.max_telemetry_bytes
    padded = {**TELEMETRY, "events": TELEMETRY["events"] * (limit // 40 + 1)}
    big = client.post(f"{base}/device/telemetry", json=padded, headers=auth)
    assert (big.status_code, big.get_json()["type"]) == (400, "/problems/telemetry-too-large")
    huge = client.post(f"{base}/device/capture", headers=auth,
                       data={"still": [(io.BytesIO(b"\xff" * (64 * 1024 * 1024)), "x.jpg", "image/jpeg")]})
    assert (huge.status_code, huge.get_json()["type"]) == (413, "/problems/request-entity-too-large"), huge.get_json()
    assert _stored(app) == 0
    assert client.get(base, headers=auth).get_json()["step"] == "card_front"


def test_card_stills_need_the_journeys_own_token(app):
    client = app.test_client()
    jid, _auth = start(client)
    _other, other_auth = start(client)
    url = f"/api/v1/journeys/{jid}/device/capture"
    still = {"still": [(io.BytesIO(b"\xff\xd8\xff"), "x.jpg", "image/jpeg")]}
    assert client.post(url, data=dict(still)).status_code == 401
    still = {"still": [(io.BytesIO(b"\xff\xd8\xff"), "x.jpg", "image/jpeg")]}
    assert client.post(url, data=still, headers=other_auth).status_code == 403

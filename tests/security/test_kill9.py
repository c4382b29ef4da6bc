"""A ``kill -9`` of the server in the middle of a journey loses nothing (issue 17: keep this true).

A real ``barrierfree serve`` process is killed with SIGKILL while a card
capture (real OCR) is in flight, then started again on the same folder: every
committed step is still there, the in-flight capture is either wholly stored
or not at all, the journey token still works and the journey carries on.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
import requests
from PIL import Image

from tests.e2e_camera import card_photos

pytestmark = pytest.mark.slow


def _serve(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "barrierfree.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return server
        except requests.ConnectionError:
            time.sleep(0.1)
    server.kill()
    pytest.fail("barrierfree serve did not answer")


def test_kill_9_mid_journey_loses_nothing(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "BARRIERFREE_DATA_DIR": str(tmp_path / "data"), "BARRIERFREE_LOG_LEVEL": "WARNING",
           "BARRIERFREE_SCHEDULER__PUBLIC_BASE_URL": base}
    env.pop("BARRIERFREE_DATABASE_URL", None)
    front = io.BytesIO()
    Image.fromarray(card_photos(31)[0]).save(front, format="JPEG", quality=92)

    server = _serve(env, port)
    started = requests.post(f"{base}/api/v1/journeys", json={"lang": "en"}, timeout=30).json()
    jid, auth = started["id"], {"Authorization": f"Bearer {started['token']}"}
    assert requests.post(f"{base}/api/v1/journeys/{jid}/consent", json={"accepted": True}, headers=auth, timeout=30).ok
    assert requests.post(f"{base}/api/v1/journeys/{jid}/assistance", json={"mode": "screen_reader", "timeout_multiplier": 2},
                         headers=auth, timeout=30).ok
    in_flight: list[object] = []

    def capture() -> None:
        try:
            in_flight.append(requests.post(f"{base}/api/v1/journeys/{jid}/capture", data=front.getvalue(),
                                           headers={**auth, "Content-Type": "image/jpeg"}, timeout=120))
        except requests.RequestException as error:
            in_flight.append(error)

    sender = threading.Thread(target=capture)
    sender.start()
    time.sleep(0.5)  # the OCR is running
    os.kill(server.pid, signal.SIGKILL)
    server.wait(30)
    sender.join(60)
    assert in_flight and isinstance(in_flight[0], requests.RequestException)  # the client saw the connection die

    with sqlite3.connect(tmp_path / "data" / "barrierfree.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    server = _serve(env, port)
    try:
        state = requests.get(f"{base}/api/v1/journeys/{jid}", headers=auth, timeout=30)
        assert state.status_code == 200  # the same token works after the restart
        journey = state.json()
        assert journey["assistance"] == "screen_reader" and journey["timeout_multiplier"] == 2  # committed steps are all there
        assert journey["step"] in ("card_front", "card_back")
        fields = requests.get(f"{base}/api/v1/journeys/{jid}/review", headers=auth, timeout=30).json()["fields"]
        if journey["step"] == "card_front":
            assert fields == [] and journey["failures_in_window"] == 0  # nothing half-written
        else:
            assert {f["name"] for f in fields} >= {"name", "id_number"}  # wholly stored
        # The person carries on from where they were. A valid reading is accepted once two frames
        # agree (or three were read), so the card is captured within three frames, each one answered.
        for _ in range(3):
            again = requests.post(f"{base}/api/v1/journeys/{jid}/capture", data=front.getvalue(),
                                  headers={**auth, "Content-Type": "image/jpeg"}, timeout=120)
            assert again.status_code in (200, 409) and again.headers["Content-Type"].startswith("application/")
            if journey["step"] != "card_front" or again.json()["accepted"]:
                break
            assert again.json()["code"] == "reading-once-more", again.json()
        if journey["step"] == "card_front":
            assert again.json()["accepted"] and again.json()["step"] == "card_back"
    finally:
        server.terminate()
        server.wait(30)

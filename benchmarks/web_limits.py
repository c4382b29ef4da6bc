"""Peak memory of the worst request a client may send to each upload endpoint (issue 17 item 2).

Starts ``barrierfree serve`` (one process, as a gunicorn worker would be) and,
for each upload endpoint, sends the largest request the limits let through:
frames at the per-frame pixel limit, liveness answers at the per-request pixel
budget, and the 90-frame "bomb" that used to take the server from 0.6 to 2.7 GB
(now refused). Each request runs on a fresh server process, warmed up by one
ordinary request to the same endpoint (so engines are loaded, and no heap
freed by an earlier case hides this one's growth). Before the request the
server's peak-RSS mark is reset (``/proc/<pid>/clear_refs``); after it, the
peak increase over the resting RSS is printed. Target: ≤ 300 MB each. Prints, never asserts.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/web_limits.py
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import requests
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.web import free_port, server_secrets  # noqa: E402

TARGET_MB = 300


def _status(pid: int, key: str) -> int:
    """A ``/proc/<pid>/status`` figure, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(key)


def measure(pid: int, send) -> tuple[float, str]:
    """Peak RSS increase (MB) while ``send()`` runs, and the answer's status and problem type."""
    time.sleep(0.3)
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    resting = _status(pid, "VmRSS")
    response = send()
    peak = _status(pid, "VmHWM")
    answer = str(response.status_code)
    if response.headers.get("Content-Type", "").startswith("application/problem+json"):
        answer += " " + response.json()["type"]
    return (peak - resting) / 1e6, answer


def jpeg(rgb: np.ndarray, size: tuple[int, int], quality: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).resize(size).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def flat_png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 150)).save(buffer, format="PNG")
    return buffer.getvalue()


class Server:
    """``barrierfree serve`` on the shared data folder; one fresh process per measured request."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen([sys.executable, "-m", "barrierfree.cli", "serve", "--port", str(port)], env=env, cwd=REPO,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                requests.get(self.base + "/healthz", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise SystemExit("barrierfree serve did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def main() -> None:
    from barrierfree.settings import Settings
    from testkit.photos import load
    from barrierfree.web import create_app
    from tests.e2e_camera import card_photos
    from tests.security.journeys import read_cards

    port = free_port()
    data = tempfile.mkdtemp(prefix="bf-limits-")
    env = dict(os.environ, **server_secrets(f"http://127.0.0.1:{port}"), BARRIERFREE_DATA_DIR=data,
               BARRIERFREE_LOG_LEVEL="WARNING", GLOG_minloglevel="3", OMP_NUM_THREADS="1")
    os.environ.update({k: v for k, v in env.items() if k.startswith("BARRIERFREE_")})
    helper = create_app(Settings())  # the same database and keys, to move journeys along as the card steps would
    settings = helper.extensions["barrierfree.settings"].web
    http = requests.Session()

    front = card_photos(31)[0]
    max_side = int((settings.max_frame_megapixels * 1e6 * 4 / 3) ** 0.5)
    size = (max_side, max_side * 3 // 4)
    card_8mp = jpeg(front, size, 70)
    if len(card_8mp) > settings.max_frame_bytes:
        card_8mp = jpeg(front, size, 40)
    card_small, flat_8mp, small = jpeg(front, (640, 480), 80), flat_png(*size), flat_png(760, 570)
    face = jpeg(load("obama"), (760, 570), 85)  # a real face: the verifier runs the face mesh on every frame
    per_frame_mp = size[0] * size[1] / 1e6
    at_budget = int(settings.max_request_megapixels // per_frame_mp)
    small_count = min(settings.max_liveness_frames, int(settings.max_request_megapixels // 0.4332))
    print(f"limits: {settings.max_frame_megapixels:g} MP a frame, {settings.max_request_megapixels:g} MP a request, "
          f"{settings.max_liveness_frames} frames an answer, {settings.max_request_bytes / 1e6:g} MB a body")
    print("each request runs on a fresh server process, warmed up first by one ordinary request to the same endpoint")

    def journey(base: str, at_liveness: bool) -> tuple[str, dict]:
        started = http.post(base + "/api/v1/journeys", json={"lang": "en"}).json()
        jid, auth = started["id"], {"Authorization": f"Bearer {started['token']}"}
        http.post(f"{base}/api/v1/journeys/{jid}/consent", json={"accepted": True}, headers=auth).raise_for_status()
        http.post(f"{base}/api/v1/journeys/{jid}/assistance", json={"mode": "self_voicing"}, headers=auth).raise_for_status()
        if at_liveness:
            read_cards(helper, jid)
        return jid, auth

    def post_image(endpoint: str, body: bytes):
        kind = "image/jpeg" if body[:2] == b"\xff\xd8" else "image/png"
        return lambda base, jid, auth: http.post(f"{base}/api/v1/journeys/{jid}/{endpoint}", data=body, headers={**auth, "Content-Type": kind})

    def answer(parts: list[bytes], nonce: str | None = None):
        def send(base: str, jid: str, auth: dict):
            used = nonce if nonce is not None else http.post(f"{base}/api/v1/journeys/{jid}/liveness/challenge", headers=auth).json()["nonce"]
            return http.post(f"{base}/api/v1/journeys/{jid}/liveness/answer", headers=auth, files=_parts(used, parts))
        return send

    # (what, as sent, at the liveness step?, warm-up request, measured request)
    cases = [
        ("frames, card step: one card photo at the frame limit", f"{per_frame_mp:.1f} MP JPEG", False,
         post_image("frames", card_small), post_image("frames", card_8mp)),
        ("capture: one card photo at the frame limit", f"{per_frame_mp:.1f} MP JPEG", False,
         post_image("frames", card_small), post_image("capture", card_8mp)),
        ("liveness answer on a journey not at liveness (the old 2.7 GB request)", f"90 × {per_frame_mp:.1f} MP PNG", False,
         post_image("frames", card_small), answer([flat_8mp] * 90, nonce="x")),
        ("frames, liveness step: one frame at the frame limit", f"{per_frame_mp:.1f} MP PNG", True,
         post_image("frames", face), post_image("frames", flat_8mp)),
    ] + [
        (f"liveness answer, valid nonce: {label}", f"{sum(map(len, parts)) / 1e6:.1f} MB body", True, answer([face] * 5), answer(parts))
        for label, parts in (("90 frames at the frame limit (refused past the budget)", [flat_8mp] * 90),
                             (f"{at_budget} frames at the frame limit (at the budget)", [flat_8mp] * at_budget),
                             (f"{small_count} frames of 0.43 MP (at the budget)", [small] * small_count),
                             (f"{small_count} frames of 0.43 MP with a real face (at the budget)", [face] * small_count))
    ]
    rows = []
    for label, sent, at_liveness, warm, send in cases:
        server = Server(env, port)
        try:
            jid, auth = journey(server.base, at_liveness)
            warm(server.base, jid, auth)
            rows.append((label, sent, measure(server.process.pid, functools.partial(send, server.base, jid, auth))))
        finally:
            server.stop()
    print(f"{'request':<84} {'sent':<14} {'peak RSS +MB':>12}  answer")
    for label, sent, (mb, answer_text) in rows:
        print(f"{label:<84} {sent:<14} {mb:>12.0f}  {answer_text}")
    worst = max(mb for _, _, (mb, _) in rows)
    print(f"worst peak RSS increase: {worst:.0f} MB (target ≤ {TARGET_MB} MB): {'met' if worst <= TARGET_MB else 'NOT met'}")


def _parts(nonce: str, parts: list[bytes]) -> list:
    fields = [("nonce", (None, nonce)), ("timestamps", (None, ",".join(f"{k / 10:.3f}" for k in range(len(parts)))))]
    return fields + [("frame", (f"f{k}", data, "image/jpeg" if data[:2] == b"\xff\xd8" else "image/png")) for k, data in enumerate(parts)]


if __name__ == "__main__":
    main()

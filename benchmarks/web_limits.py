"""Peak memory of the worst request a client may send to each upload endpoint (issue 17 item 2).

Starts ``barrierfree serve`` (one process, as a gunicorn worker would be) and,
for each upload endpoint, sends the largest request the limits let through:
frames at the per-frame pixel limit, liveness answers at the per-request pixel
budget, and the 90-frame "bomb" that used to take the server from 0.6 to 2.7 GB
(now refused). Before each request the server's peak-RSS mark is reset
(``/proc/<pid>/clear_refs``); after it, the peak increase over the resting RSS
is printed. Target: ≤ 300 MB each. Prints, never asserts.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/web_limits.py
"""

from __future__ import annotations

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


def measure(pid: int, send) -> tuple[float, str]:  # noqa: ANN001 - a callable returning a Response
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


def main() -> None:
    from barrierfree.settings import Settings
    from barrierfree.web import create_app
    from tests.e2e_camera import card_photos
    from tests.security.journeys import read_cards

    port = free_port()
    data = tempfile.mkdtemp(prefix="bf-limits-")
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, **server_secrets(base), BARRIERFREE_DATA_DIR=data, BARRIERFREE_LOG_LEVEL="WARNING",
               GLOG_minloglevel="3", OMP_NUM_THREADS="1")
    os.environ.update({k: v for k, v in env.items() if k.startswith("BARRIERFREE_")})
    helper = create_app(Settings())  # the same database and keys, to move journeys along as the card steps would
    settings = helper.extensions["barrierfree.settings"].web
    server = subprocess.Popen([sys.executable, "-m", "barrierfree.cli", "serve", "--port", str(port)], env=env, cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        http = requests.Session()

        def journey(at_liveness: bool) -> tuple[str, dict]:
            started = http.post(base + "/api/v1/journeys", json={"lang": "en"}).json()
            jid, auth = started["id"], {"Authorization": f"Bearer {started['token']}"}
            http.post(f"{base}/api/v1/journeys/{jid}/consent", json={"accepted": True}, headers=auth).raise_for_status()
            http.post(f"{base}/api/v1/journeys/{jid}/assistance", json={"mode": "self_voicing"}, headers=auth).raise_for_status()
            if at_liveness:
                read_cards(helper, jid)
            return jid, auth

        front = card_photos(31)[0]
        max_side = int((settings.max_frame_megapixels * 1e6 * 4 / 3) ** 0.5)
        size = (max_side, max_side * 3 // 4)
        card_8mp = jpeg(front, size, 70)
        while len(card_8mp) > settings.max_frame_bytes:
            card_8mp = jpeg(front, size, 40)
        flat_8mp = flat_png(*size)
        per_frame_mp = size[0] * size[1] / 1e6
        at_budget = int(settings.max_request_megapixels // per_frame_mp)
        small = flat_png(760, 570)
        small_count = min(settings.max_liveness_frames, int(settings.max_request_megapixels // 0.4332))
        print(f"limits: {settings.max_frame_megapixels:g} MP a frame, {settings.max_request_megapixels:g} MP a request, "
              f"{settings.max_liveness_frames} frames an answer, {settings.max_request_bytes / 1e6:g} MB a body")
        print(f"server resting RSS before the first request: {_status(server.pid, 'VmRSS') / 1e6:.0f} MB")
        rows = []

        jid, auth = journey(False)
        image = {**auth, "Content-Type": "image/jpeg"}
        rows.append(("frames, card step: one card photo at the frame limit", f"{per_frame_mp:.1f} MP JPEG",
                     measure(server.pid, lambda: http.post(f"{base}/api/v1/journeys/{jid}/frames", data=card_8mp, headers=image))))
        rows.append(("capture: one card photo at the frame limit", f"{per_frame_mp:.1f} MP JPEG",
                     measure(server.pid, lambda: http.post(f"{base}/api/v1/journeys/{jid}/capture", data=card_8mp, headers=image))))
        rows.append(("liveness answer on a journey not at liveness (the old 2.7 GB request)", f"90 × {per_frame_mp:.1f} MP PNG",
                     measure(server.pid, lambda: http.post(f"{base}/api/v1/journeys/{jid}/liveness/answer", headers=auth,
                                                           files=_parts("x", [flat_8mp] * 90)))))
        jid, auth = journey(True)
        rows.append(("frames, liveness step: one frame at the frame limit", f"{per_frame_mp:.1f} MP PNG",
                     measure(server.pid, lambda: http.post(f"{base}/api/v1/journeys/{jid}/frames", data=flat_8mp,
                                                           headers={**auth, "Content-Type": "image/png"}))))
        for label, parts in (("90 frames at the frame limit (refused past the budget)", [flat_8mp] * 90),
                             (f"{at_budget} frames at the frame limit (at the budget)", [flat_8mp] * at_budget),
                             (f"{small_count} frames of 0.43 MP (at the budget)", [small] * small_count)):
            nonce = http.post(f"{base}/api/v1/journeys/{jid}/liveness/challenge", headers=auth).json().get("nonce", "")
            rows.append((f"liveness answer, valid nonce: {label}", f"{sum(map(len, parts)) / 1e6:.1f} MB body",
                         measure(server.pid, lambda: http.post(f"{base}/api/v1/journeys/{jid}/liveness/answer", headers=auth,
                                                               files=_parts(nonce, parts)))))
        print(f"{'request':<82} {'sent':<18} {'peak RSS +MB':>12}  answer")
        for label, sent, (mb, answer) in rows:
            print(f"{label:<82} {sent:<18} {mb:>12.0f}  {answer}")
        worst = max(mb for _, _, (mb, _) in rows)
        print(f"worst peak RSS increase: {worst:.0f} MB (target ≤ {TARGET_MB} MB): {'met' if worst <= TARGET_MB else 'NOT met'}")
    finally:
        server.terminate()
        server.wait(30)


def _parts(nonce: str, parts: list[bytes]) -> list:
    fields = [("nonce", (None, nonce)), ("timestamps", (None, ",".join(f"{k / 10:.3f}" for k in range(len(parts)))))]
    return fields + [("frame", (f"f{k}.png", data, "image/png")) for k, data in enumerate(parts)]


if __name__ == "__main__":
    main()

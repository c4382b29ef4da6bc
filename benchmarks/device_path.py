"""The server's cost on the on-device path: what each proof costs, and the journeys a minute it bounds.

On this path the phone guides; the server sees only card stills (read and fused within
one request), the liveness clip, the face match and small telemetry batches. Each of
``--journeys`` journeys runs the whole path through the app in this process (the Flask
test client, the real engines, SQLite or ``--postgres``), and every request is timed:

- telemetry batches (40 events, one a second of guidance): p50/p99 per call;
- card capture (3 stills per side, 1280 px JPEG, what the SDK sends), liveness answer, face match;
- the server time a completed journey needs, and the ceiling of completed journeys per
  minute on ``--cores`` cores that it implies (bounded by the slowest stage's share);
- bytes uploaded per journey on this path, from the bodies sent (the SDK's sizes), next to
  what the server path uploads for guidance frames (640×480 JPEG at 8 fps) in the same time.

    .venv/bin/python benchmarks/device_path.py
    bash -c '. scripts/postgres-start; .venv/bin/python benchmarks/device_path.py --postgres'

Prints, never asserts. One process, one request at a time: a floor on a shared machine.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bounds import percentile, upper_bound  # noqa: E402

CAPTURE_WIDTH = 1280
STILLS = 3
EVENTS_PER_BATCH = 40
#: Seconds of guidance per camera step assumed for the upload comparison (the simulation's medians are 8-12 s).
GUIDANCE_S = {"card_front": 10.0, "card_back": 10.0, "liveness": 8.0}


def _jpeg(rgb: np.ndarray, width: int, quality: int) -> bytes:
    image = Image.fromarray(rgb)
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def _timed(times: dict[str, list[float]], stage: str, call, *args, **kwargs):
    started = time.perf_counter()
    response = call(*args, **kwargs)
    times.setdefault(stage, []).append((time.perf_counter() - started) * 1000)
    return response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=3)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--postgres", action="store_true", help="use BARRIERFREE_TEST_POSTGRES_URL (scripts/postgres-start)")
    args = parser.parse_args()

    import os

    from benchmarks.web import server_secrets

    os.environ.update(server_secrets("http://localhost"))  # a non-demo app needs its secrets
    from barrierfree.settings import Settings
    from barrierfree.web import create_app
    from tests.e2e_camera import card_photos
    from tests.web.test_api_liveness import _live_answer, _multipart

    database = {"database_url": os.environ["BARRIERFREE_TEST_POSTGRES_URL"]} if args.postgres else {}
    app = create_app(Settings(data_dir=Path(tempfile.mkdtemp(prefix="bf-device-")) / "data", **database,
                              web={"journey_requests_per_minute": 100_000, "client_requests_per_minute": 100_000,
                                   "client_journeys_per_hour": 100_000}))
    client = app.test_client()
    front, back, _table, _truth = card_photos(23)
    stills = {"card_front": _jpeg(front, CAPTURE_WIDTH, 92), "card_back": _jpeg(back, CAPTURE_WIDTH, 92)}
    frame_640 = len(_jpeg(front, 640, 70))
    times: dict[str, list[float]] = {}
    uploaded: list[dict[str, int]] = []
    opened = 0
    for _ in range(args.journeys):
        started = client.post("/api/v1/journeys", json={"lang": "en"}).get_json()
        jid, auth = started["id"], {"Authorization": f"Bearer {started['token']}"}
        base = f"/api/v1/journeys/{jid}"
        client.post(f"{base}/consent", json={"accepted": True}, headers=auth)
        client.post(f"{base}/assistance", json={"mode": "self_voicing"}, headers=auth)
        sent = {"stills": 0, "clip": 0, "telemetry": 0}
        for step in ("card_front", "card_back"):
            for second in range(int(GUIDANCE_S[step])):
                events = [{"kind": "timing", "t": second + k / EVENTS_PER_BATCH, "name": "frame", "ms": 20.0} for k in range(EVENTS_PER_BATCH)]
                body = {"step": step, "events": events}
                sent["telemetry"] += len(json.dumps(body))
                _timed(times, "telemetry", client.post, f"{base}/device/telemetry", json=body, headers=auth)
            data = {"still": [(io.BytesIO(stills[step]), f"s{k}.jpg", "image/jpeg") for k in range(STILLS)]}
            sent["stills"] += STILLS * len(stills[step])
            result = _timed(times, "card capture", client.post, f"{base}/device/capture", data=data, headers=auth).get_json()
            if not result.get("accepted"):
                print(f"capture refused: {result.get('code')}")
                break
        else:
            challenge = client.post(f"{base}/liveness/challenge", headers=auth).get_json()
            form = _multipart(challenge["nonce"], _live_answer(challenge))
            sent["clip"] += sum(len(part[0].getvalue()) for part in form["frame"])
            verdict = _timed(times, "liveness answer", client.post, f"{base}/liveness/answer", data=form, headers=auth).get_json()
            matched = _timed(times, "face match", client.post, f"{base}/face-match", headers=auth).get_json()
            confirmed = client.post(f"{base}/confirm", headers=auth)
            opened += verdict.get("passed") is True and matched.get("same_person") is True and confirmed.status_code == 201
        uploaded.append(sent)

    print(f"device path, {args.journeys} journeys ({'PostgreSQL' if args.postgres else 'SQLite'}), one request at a time")
    per_journey = {"telemetry": sum(GUIDANCE_S[s] for s in ("card_front", "card_back")), "card capture": 2,
                   "liveness answer": 1, "face match": 1}
    cost = {stage: statistics.median(times[stage]) * per_journey[stage] for stage in per_journey if stage in times}
    for stage, values in times.items():
        print(f"  {stage:16s} n={len(values):4d}  p50 {percentile(values, 0.5):8.1f} ms  p99 {percentile(values, 0.99):8.1f} ms"
              f"  per journey {cost.get(stage, 0) / 1000:6.2f} s")
    total_s = sum(cost.values()) / 1000
    bound = max(cost, key=cost.get)
    print(f"  server time per completed journey {total_s:.2f} s -> ceiling {args.cores * 60 / total_s:.0f} journeys/min "
          f"on {args.cores} cores (bounded by {bound}: {cost[bound] / 1000 / total_s:.0%} of it)")
    failed = args.journeys - opened
    print(f"  journeys opened {opened}/{args.journeys} (failure rate {failed / args.journeys:.2f}, 95% upper bound "
          f"{upper_bound(failed, args.journeys):.2f})")
    server_path = sum(GUIDANCE_S.values()) * 8 * frame_640
    parts = {name: statistics.median(u[name] for u in uploaded) / 1e6 for name in uploaded[0]}
    print(f"  upload per journey: device path {sum(parts.values()):.2f} MB ("
          + ", ".join(f"{name} {mb:.2f}" for name, mb in parts.items()) + " MB; the clip as the test renders it, JPEG q90); "
          f"server path guidance frames alone {server_path / 1e6:.2f} MB ({sum(GUIDANCE_S.values()):.0f} s at 8 fps, "
          f"{frame_640 / 1024:.0f} KiB a frame)")


if __name__ == "__main__":
    main()

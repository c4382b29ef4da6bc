"""Concurrent journeys streaming camera frames to the app under gunicorn: throughput and guidance latency.

Each virtual journey starts through the API, consents, chooses self-voicing,
and then streams 640×480 JPEG frames at 8 fps to ``/frames`` (the card step:
the document area's CardFinder and the guidance area's Guide; with
``--target face`` the journey first captures both card sides and then streams
a real face to the liveness step: FaceAnalyzer and Guide). Journeys ramp up
until the p99 latency passes the target. Prints, never asserts.

    .venv/bin/python benchmarks/web.py                       # SQLite in a temporary folder
    bash -c '. scripts/postgres-start; .venv/bin/python benchmarks/web.py --postgres'

The client runs on the same machine as the server: on a shared 2-core box the
figures are a floor, not a capacity plan.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import requests
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from barrierfree.onboarding.storage.crypto import KeyRing  # noqa: E402

FPS = 8.0
TARGET_P99_MS = 150.0


def jpeg(rgb: np.ndarray, quality: int = 80) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).resize((640, 480) if rgb.shape[1] > rgb.shape[0] else (480, 640)).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def frames_for(target: str) -> tuple[list[bytes], bytes, bytes]:
    """A few real frames to stream (jittered), and full-size card photos for the captures."""
    from tests.e2e_camera import card_photos

    front, back, _table, _truth = card_photos(31)
    capture = [jpeg_full(front), jpeg_full(back)]
    if target == "card":
        base = front
    else:
        from testkit import faces

        base = faces.render_sequence(faces.prepare("obama"), 1.0, faces.idle_poses(1), None, faces.Camera(fps=8.0))[0].pixels
    rng = np.random.default_rng(0)
    stream = []
    for _ in range(8):
        noisy = np.clip(base.astype(np.int16) + rng.integers(-3, 4, base.shape, dtype=np.int16), 0, 255).astype(np.uint8)
        stream.append(jpeg(noisy))
    return stream, capture[0], capture[1]


def jpeg_full(rgb: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def server_secrets(public_base_url: str) -> dict[str, str]:
    """Fresh values for every variable a server needs outside the demo (see the README's configuration table)."""
    return {
        "BARRIERFREE_WEB__SECRET_KEY": secrets.token_urlsafe(32), "BARRIERFREE_ENCRYPTION_KEYS": KeyRing.generate_spec("bench"),
        "BARRIERFREE_SCHEDULER__AGENT_TOKEN": secrets.token_urlsafe(32), "BARRIERFREE_WEB__STAFF_TOKEN": secrets.token_urlsafe(32),
        "BARRIERFREE_SCHEDULER__PUBLIC_BASE_URL": public_base_url,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(database_url: str, workers: int, threads: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    data = tempfile.mkdtemp(prefix="bf-bench-")
    # Outside the demo the server refuses to start without its secrets and public address.
    env = dict(os.environ, **server_secrets(f"http://127.0.0.1:{port}"), BARRIERFREE_DATA_DIR=data,
               BARRIERFREE_WEB__CLIENT_REQUESTS_PER_MINUTE="10000000",
               BARRIERFREE_WEB__JOURNEY_REQUESTS_PER_MINUTE="100000", BARRIERFREE_WEB__CLIENT_JOURNEYS_PER_HOUR="100000",
               BARRIERFREE_LOG_LEVEL="WARNING", GLOG_minloglevel="3", OMP_NUM_THREADS="1")
    if database_url:
        env["BARRIERFREE_DATABASE_URL"] = database_url
    # Create the schema once before the workers start, so they do not race to migrate.
    subprocess.run([sys.executable, "-m", "barrierfree.cli", "db", "upgrade"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-w", str(workers), "--threads", str(threads), "-k", "gthread",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "barrierfree.web.wsgi:app"],
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(base + "/healthz", timeout=1).ok:
                return server, base
        except requests.RequestException:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def new_journey(base: str, target: str, front: bytes, back: bytes) -> tuple[str, dict]:
    http = requests.Session()
    started = http.post(base + "/api/v1/journeys", json={"lang": "zh-CN"}).json()
    jid, auth = started["id"], {"Authorization": f"Bearer {started['token']}"}
    http.post(f"{base}/api/v1/journeys/{jid}/consent", json={"accepted": True}, headers=auth).raise_for_status()
    http.post(f"{base}/api/v1/journeys/{jid}/assistance", json={"mode": "self_voicing"}, headers=auth).raise_for_status()
    if target == "face":
        for photo in (front, back):
            result = http.post(f"{base}/api/v1/journeys/{jid}/capture", data=photo, headers={**auth, "Content-Type": "image/jpeg"}).json()
            if not result.get("accepted"):
                raise SystemExit(f"capture was not accepted ({result.get('code')}); cannot reach the liveness step")
    return jid, auth


def stream(base: str, jid: str, auth: dict, frames: list[bytes], seconds: float, latencies: list[float], errors: list[str],
           barrier: threading.Barrier, firsts: list[float]) -> None:
    http = requests.Session()
    headers = {**auth, "Content-Type": "image/jpeg"}
    barrier.wait()
    start = time.perf_counter()
    k = 0
    while (now := time.perf_counter()) - start < seconds:
        sent = time.perf_counter()
        response = http.post(f"{base}/api/v1/journeys/{jid}/frames", params={"t": f"{now - start:.3f}"}, data=frames[k % len(frames)], headers=headers)
        took = time.perf_counter() - sent
        if response.status_code != 200:
            errors.append(f"{response.status_code} {response.headers.get('Content-Type', '')[:24]} {response.text[:160]}")
        else:
            # The first frame of a stream opens its guide (and face tracker): reported apart from the steady state.
            (firsts if k == 0 else latencies).append(took * 1000)
        k += 1
        time.sleep(max(0.0, k / FPS - (time.perf_counter() - start)))


def run_level(base: str, journeys: int, seconds: float, target: str, frames: list[bytes], front: bytes, back: bytes) -> dict:
    ids = [new_journey(base, target, front, back) for _ in range(journeys)]
    latencies: list[float] = []
    firsts: list[float] = []
    errors: list[str] = []
    barrier = threading.Barrier(journeys)
    threads = [threading.Thread(target=stream, args=(base, jid, auth, frames, seconds, latencies, errors, barrier, firsts)) for jid, auth in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")  # noqa: E731
    if errors:
        print("  errors:", *sorted(set(errors))[:3], sep="\n    ")
    return {"journeys": journeys, "fps": (len(latencies) + len(firsts)) / seconds, "p50": p(0.50), "p99": p(0.99),
            "first": statistics.median(firsts) if firsts else float("nan"),
            "mean": statistics.fmean(latencies) if latencies else float("nan"), "errors": len(errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="use BARRIERFREE_TEST_POSTGRES_URL (see scripts/postgres-start)")
    parser.add_argument("--target", choices=("card", "face"), default="card")
    parser.add_argument("--levels", default="1,2,4,6,8,12")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    url = ""
    if args.postgres:
        url = os.environ.get("BARRIERFREE_TEST_POSTGRES_URL", "")
        if not url:
            raise SystemExit("--postgres needs BARRIERFREE_TEST_POSTGRES_URL: run under scripts/postgres-start")
    frames, front, back = frames_for(args.target)
    server, base = start_server(url, args.workers, args.threads)
    try:
        print(f"database: {'postgresql' if url else 'sqlite'}; target: {args.target}; gunicorn {args.workers} workers × {args.threads} threads (gthread); "
              f"{os.cpu_count()} CPUs (shared); {FPS:g} fps per journey, 640×480 JPEG ~{len(frames[0]) // 1024} KiB; {args.seconds:g} s per level")
        print(f"{'journeys':>8} {'fps':>7} {'offered':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'1st frame ms':>13}")
        run_level(base, 2, 3.0, args.target, frames, front, back)  # warm-up: models load in each worker
        held = 0
        for level in (int(x) for x in args.levels.split(",")):
            row = run_level(base, level, args.seconds, args.target, frames, front, back)
            print(f"{row['journeys']:>8} {row['fps']:>7.1f} {level * FPS:>8.0f} {row['p50']:>8.1f} {row['p99']:>8.1f} {row['errors']:>7} {row['first']:>13.1f}", flush=True)
            if row["p99"] <= TARGET_P99_MS and row["errors"] == 0:
                held = level
            elif row["p99"] > 3 * TARGET_P99_MS:
                break
        print(f"journeys held with p99 <= {TARGET_P99_MS:g} ms (steady state, after each stream's first frame): {held}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

"""Rate limits under 2 gunicorn workers: with Redis, N requests are allowed when the limit is N, across workers.

Starts a private Redis server (on a Unix socket in a temporary folder, or the
one ``BARRIERFREE_TEST_REDIS_URL`` names), then gunicorn with two workers on a
loopback port, and sends a bounded number of requests, each on a new
connection so that both workers serve them. gunicorn's access log records the
worker's process id for every request, so the table shows how the requests
were spread. The same run with ``memory://`` counters shows what sharing
fixes: each worker then allows N of its own.

Per limit it prints: the limit N, requests sent, allowed (200/201), refused
(429), other statuses, and the requests each worker served.

    python benchmarks/rate_limits.py [--limit 40] [--extra 20]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.web import free_port, server_secrets  # noqa: E402


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A ``limits`` storage URI for a Redis server: the test one if named, else a private one stopped on exit."""
    named = os.environ.get("BARRIERFREE_TEST_REDIS_URL")
    if named:
        yield named
        return
    if not shutil.which("redis-server"):
        sys.exit("rate_limits: redis-server is not installed; run scripts/setup (it installs the redis-server package)")
    sock = folder / "redis.sock"
    process = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700",
                                "--save", "", "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if sock.exists():
                break
            time.sleep(0.05)
        yield f"redis+unix://{sock}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], access_log: Path) -> Iterator[int]:
    """Two gunicorn workers of the app on a loopback port; yields the port."""
    subprocess.run([sys.executable, "-m", "barrierfree.cli", "db", "upgrade"], env=env, check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--access-logfile", str(access_log),
         "--access-logformat", "%(p)s %(s)s %(U)s", "barrierfree.web:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if _request(port, "GET", "/healthz")[0] == 200:
                    break
            time.sleep(0.2)
        else:
            raise SystemExit("rate_limits: gunicorn did not answer within 120 s")
        time.sleep(1.0)  # let the second worker finish booting too
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _request(port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, dict]:
    """One request on a new connection (so the workers share the load)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=payload, headers={"Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if response.getheader("Content-Type", "").endswith("json") and data else {})
    finally:
        connection.close()


def _workers(access_log: Path, path: str) -> list[int]:
    """How many of the requests to ``path`` each worker served, busiest first."""
    counts: collections.Counter[str] = collections.Counter()
    for line in access_log.read_text().splitlines():
        pid, _status, url = line.split(" ", 2)
        if url == path:
            counts[pid] += 1
    return sorted(counts.values(), reverse=True)


def run(storage: str, limit: int, extra: int, folder: Path) -> list[tuple]:
    data = folder / f"data-{storage.split(':')[0]}"
    env = {**os.environ, **server_secrets("http://127.0.0.1"), "PYTHONPATH": str(ROOT), "BARRIERFREE_DATA_DIR": str(data), "BARRIERFREE_LOG_LEVEL": "WARNING",
           "BARRIERFREE_WEB__RATE_LIMIT_STORAGE_URI": storage, "BARRIERFREE_WEB__CLIENT_REQUESTS_PER_MINUTE": str(10 * (limit + extra) + 50),
           "BARRIERFREE_WEB__JOURNEY_REQUESTS_PER_MINUTE": str(limit), "BARRIERFREE_WEB__CLIENT_JOURNEYS_PER_HOUR": str(limit)}
    access_log = folder / f"access-{storage.split(':')[0]}.log"
    with gunicorn(env, access_log) as port:
        starts = [_request(port, "POST", "/api/v1/journeys", {"lang": "en"}) for _ in range(limit + extra)]
        journey = next(body for status, body in starts if status == 201)
        path = f"/api/v1/journeys/{journey['id']}"
        auth = {"Authorization": f"Bearer {journey['token']}"}
        reads = [_request(port, "GET", path, headers=auth) for _ in range(limit + extra)]
    # The access log is read once gunicorn has stopped and flushed it.
    return [("new journeys per client", limit, starts, _workers(access_log, "/api/v1/journeys")),
            ("requests per journey", limit, reads, _workers(access_log, path))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=40, help="the limit N for each allowance (default 40)")
    parser.add_argument("--extra", type=int, default=20, help="requests sent past the limit (default 20)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bf-ratelimits-") as tmp:
        folder = Path(tmp)
        with redis_server(folder) as redis_url:
            results = {"redis (shared)": run(redis_url, args.limit, args.extra, folder),
                       "memory:// (per worker)": run("memory://", args.limit, args.extra, folder)}
    print(f"2 gunicorn workers, moving window; each request on a new connection; limit N = {args.limit}, {args.limit + args.extra} requests sent")
    print(f"{'counters':<24} {'allowance':<25} {'N':>4} {'sent':>5} {'allowed':>8} {'refused 429':>12} {'other':>6}  per worker")
    for storage, rows in results.items():
        for name, limit, responses, workers in rows:
            statuses = collections.Counter(status for status, _ in responses)
            allowed = statuses[200] + statuses[201]
            other = sum(statuses.values()) - allowed - statuses[429]
            print(f"{storage:<24} {name:<25} {limit:>4} {len(responses):>5} {allowed:>8} {statuses[429]:>12} {other:>6}  {workers}")


if __name__ == "__main__":
    main()

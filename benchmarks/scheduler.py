"""Booking throughput, latency and double bookings under 50 concurrent clients, on SQLite and PostgreSQL.

Run: ``.venv/bin/python benchmarks/scheduler.py [--clients 50] [--seconds 20]``

For each database the app runs in its own processes — ``gunicorn`` with 2
workers x 25 threads on ``barrierfree.web:create_app()``, the way a bank would
deploy it, so SQLite's ``BEGIN IMMEDIATE`` is exercised across processes too —
seeded with ``barrierfree scheduler seed-demo``. Fifty client threads then
POST bookings for slots picked at random from ``GET /availability`` (31 days),
so many collide. It prints bookings per second (201s), requests per second,
p50/p99 latency of every POST, the 409s, any other status, and the double
bookings found afterwards by a self-join over live bookings (the target is 0).

PostgreSQL: when ``BARRIERFREE_TEST_POSTGRES_URL`` is set (e.g. under
``scripts/test`` or ``. scripts/postgres-start``) that server is used, in a
fresh schema; otherwise the script re-runs itself under
``scripts/postgres-start``, which starts a private server and stops it after.
Figures on a shared machine are inflated by the other load; they are printed,
never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import requests
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.web import server_secrets  # noqa: E402
BIN = Path(sys.executable).parent
DOUBLE_BOOKINGS = text(
    "SELECT count(*) FROM sl_bookings a JOIN sl_bookings b ON a.agent_id = b.agent_id AND a.id < b.id "
    "WHERE a.status IN ('held', 'confirmed') AND b.status IN ('held', 'confirmed') "
    "AND a.starts_at < b.blocked_until AND b.starts_at < a.blocked_until"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(env: dict[str, str], port: int) -> subprocess.Popen:
    subprocess.run([str(BIN / "barrierfree"), "scheduler", "seed-demo"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "2", "-k", "gthread", "--threads", "25", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "barrierfree.web:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    for _ in range(600):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).ok:
                return server
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"server did not start: {server.stderr.read().decode()[-2000:]}")


def _hammer(base: str, clients: int, seconds: float) -> dict:
    today = date.today()
    slots = requests.get(f"{base}/api/v1/sign-language/availability", params={
        "from": (today + timedelta(days=1)).isoformat(), "to": (today + timedelta(days=31)).isoformat(), "skill": "csl"}, timeout=60).json()["slots"]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        with requests.Session() as http:
            n = 0
            while time.perf_counter() < deadline:
                slot = rng.choice(slots)
                body = {"agent_id": slot["agent_id"], "start": slot["start"], "skill": "csl",
                        "customer": {"name": f"客户{seed}-{n}", "contact": f"c{seed}.{n}@example.cn"}}
                began = time.perf_counter()
                response = http.post(f"{base}/api/v1/sign-language/bookings", json=body,
                                     headers={"Idempotency-Key": f"{seed}-{n}"}, timeout=120)
                elapsed = time.perf_counter() - began
                with lock:
                    latencies.append(elapsed)
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                n += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {"slots": len(slots), "wall": wall, "latencies": latencies, "statuses": statuses}


def _run(label: str, env: dict[str, str], database_url: str, clients: int, seconds: float) -> None:
    from barrierfree.onboarding.storage import make_engine

    port = _free_port()
    server = _serve({**env, "BARRIERFREE_SCHEDULER__PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}, port)
    try:
        result = _hammer(f"http://127.0.0.1:{port}", clients, seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    engine = make_engine(database_url)
    with engine.connect() as connection:
        doubles = connection.execute(DOUBLE_BOOKINGS).scalar_one()
        live = connection.execute(text("SELECT count(*) FROM sl_bookings WHERE status IN ('held', 'confirmed')")).scalar_one()
    engine.dispose()
    lat, statuses, wall = result["latencies"], result["statuses"], result["wall"]
    created = statuses.get(201, 0)
    others = {code: n for code, n in statuses.items() if code not in (201, 409)}
    print(
        f"{label:10s} clients={clients} seconds={wall:.1f} requests={len(lat)} slots_offered={result['slots']} "
        f"booked(201)={created} taken(409)={statuses.get(409, 0)} other={others or 0}\n"
        f"{'':10s} bookings/s={created / wall:.1f} requests/s={len(lat) / wall:.1f} "
        f"p50={1000 * lat[len(lat) // 2]:.0f}ms p99={1000 * lat[min(len(lat) - 1, int(len(lat) * 0.99))]:.0f}ms "
        f"live_bookings_in_db={live} double_bookings={doubles}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    pg_base = os.environ.get("BARRIERFREE_TEST_POSTGRES_URL")
    if args.only != "sqlite" and not pg_base:
        # Re-run under scripts/postgres-start, which starts a private server and stops it on exit.
        command = f". scripts/postgres-start && exec {sys.executable} {Path(__file__).resolve()} " + " ".join(sys.argv[1:])
        raise SystemExit(subprocess.call(["bash", "-c", command], cwd=ROOT))

    print(f"scheduler benchmark: gunicorn 2 workers x 25 threads, {args.clients} client threads, {os.cpu_count()} CPUs (shared)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        # Outside the demo the server needs its secrets (one set for both workers); the address is set per run.
        base_env = {**os.environ, **server_secrets(""), "BARRIERFREE_DATA_DIR": tmp, "BARRIERFREE_LOG_LEVEL": "WARNING"}
        base_env.pop("BARRIERFREE_DATABASE_URL", None)
        if args.only != "postgresql":
            _run("sqlite", base_env, f"sqlite:///{tmp}/barrierfree.db", args.clients, args.seconds)
        if args.only != "sqlite":
            from barrierfree.onboarding.storage import make_engine

            schema = f"bench_{uuid.uuid4().hex[:8]}"
            admin = make_engine(pg_base)
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = f"{pg_base}{'&' if '?' in pg_base else '?'}options=-csearch_path%3D{schema}"
            try:
                _run("postgresql", {**base_env, "BARRIERFREE_DATABASE_URL": url, "BARRIERFREE_DATA_DIR": tmp + "/pg"}, url,
                     args.clients, args.seconds)
            finally:
                with admin.begin() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()


if __name__ == "__main__":
    main()

"""Booking throughput, latency and double bookings under 50 concurrent clients, on SQLite and PostgreSQL.

Run: ``.venv/bin/python benchmarks/scheduler.py [--clients 50] [--seconds 20] [--race-seeds 101 102 103]``

For each database the app runs in its own processes — ``gunicorn`` with 2
workers x 25 threads on ``barrierfree.web:create_app()``, the way a bank would
deploy it, so SQLite's ``BEGIN IMMEDIATE`` is exercised across processes too —
seeded with ``barrierfree scheduler seed-demo``. Fifty client threads then
POST bookings for slots picked at random from ``GET /availability`` (31 days),
so many collide. It prints bookings per second (201s), requests per second,
p50/p99 latency of every POST, the 409s, any other status, and the double
bookings found afterwards (the target is 0). Those bookings all start on one
grid, which the unique index on a live start already refuses, so a second
part races what only the locking code can stop (:mod:`testkit.booking_race`:
30- and 45-minute sessions on shifting grids, holds, confirmations,
reschedules, time off and moved hours, 16 threads on one database, the clock
pinned) and prints what an independent audit counts: overlapping live
bookings (session + buffer, from the stored starts and ends, not from the
``blocked_until`` the PostgreSQL constraint uses) and confirmed sessions in
time off, with the 95% bound their count supports. Each seed is a different
race; tests/scheduler/test_scheduler_race.py races seed 1, the benchmark seeds 101-103.

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
from contextlib import contextmanager
from datetime import date, datetime, time as wall_time, timedelta, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.databases import fresh_database  # noqa: E402
from benchmarks.web import server_secrets  # noqa: E402
BIN = Path(sys.executable).parent
#: The race's clock and days: pinned, so every run races the same calendar (the domain takes ``now``).
RACE_NOW = datetime(2027, 3, 21, tzinfo=timezone.utc)
RACE_DAYS = [RACE_NOW + timedelta(days=n) for n in range(1, 5)]
RACE_AGENTS = ["race-1", "race-2", "race-3"]


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
    today = date.today()  # the served app runs on the wall clock and refuses past dates: book from tomorrow
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
    from barrierfree.settings.scheduler import SchedulerSettings
    from testkit.booking_race import audit

    engine = make_engine(database_url)
    found = audit(engine, SchedulerSettings().buffer_minutes)
    doubles, live = found.overlaps, found.live_bookings
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


def _race(label: str, database_url: str, seeds: list[int], clients: int, operations: int) -> None:
    """The booking race on a fresh database per seed; prints the independent audit's counts."""
    from barrierfree.onboarding.storage import make_engine
    from testkit.booking_race import audit, run_race
    from testkit.scheduler import add_all_week_agent, open_scheduler

    for seed in seeds:
        with _fresh(database_url) as url:
            engine = make_engine(url)
            sessions = open_scheduler(engine)
            for agent in RACE_AGENTS:
                add_all_week_agent(sessions, agent, "Asia/Shanghai", skills=("csl",), start=wall_time(9, 0), end=wall_time(12, 0))
            began = time.perf_counter()
            result = run_race(sessions, RACE_AGENTS, RACE_DAYS, RACE_NOW, clients=clients, operations=operations, seed=seed)
            wall = time.perf_counter() - began
            found = audit(engine, 10)
            engine.dispose()
        outcome = result.outcomes
        tried = sum(n for (name, _), n in outcome.items() if name in ("book", "reschedule"))
        errors = {f"{name}:{code}": n for (name, code), n in outcome.items() if code.startswith("error:")}
        print(
            f"race {label:10s} seed={seed} clients={clients} operations={result.operations} seconds={wall:.1f} "
            f"booked={outcome['book', 'ok']} moved={outcome['reschedule', 'ok']} "
            f"overlap_refused={outcome['book', 'slot-taken'] + outcome['reschedule', 'slot-taken']} "
            f"time_off={outcome['time_off', 'ok']} time_off_refused={outcome['time_off', 'time-off-over-bookings']} "
            f"unexpected={errors or 0}\n"
            f"{'':5s}{'':10s} live_bookings={found.live_bookings} overlapping_pairs={found.overlaps} "
            f"confirmed_in_time_off={found.in_time_off} "
            f"(95% bound on double bookings per booking/reschedule attempt: {3 / max(tried, 1):.4f}, n={tried})",
            flush=True,
        )


@contextmanager
def _fresh(database_url: str):
    """A SQLite file beside ``database_url``'s or a fresh PostgreSQL schema; yields its URL, removes it after."""
    if database_url.startswith("sqlite"):
        path = Path(database_url.removeprefix("sqlite:///")).with_name(f"race-{uuid.uuid4().hex[:8]}.db")
        yield f"sqlite:///{path}"
        return
    with fresh_database(database_url) as url:
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--race-seeds", type=int, nargs="*", default=[101, 102, 103], help="one race per seed (none to skip)")
    parser.add_argument("--race-clients", type=int, default=16)
    parser.add_argument("--race-operations", type=int, default=40, help="operations per race client")
    args = parser.parse_args()
    pg_base = os.environ.get("BARRIERFREE_TEST_POSTGRES_URL")
    if args.only != "sqlite" and not pg_base:
        # Re-run under scripts/postgres-start, which starts a private server and stops it on exit.
        command = f". scripts/postgres-start && exec {sys.executable} {Path(__file__).resolve()} " + " ".join(sys.argv[1:])
        raise SystemExit(subprocess.call(["bash", "-c", command], cwd=ROOT))

    print(f"scheduler benchmark: gunicorn 2 workers x 25 threads, {args.clients} client threads, {os.cpu_count()} CPUs (shared)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        # Outside the demo the server needs its secrets (one set for both workers); the address is set per run.
        # 50 customers from one loopback address: the per-client allowances are lifted, as this measures booking, not limiting.
        base_env = {**os.environ, **server_secrets(""), "BARRIERFREE_DATA_DIR": tmp, "BARRIERFREE_LOG_LEVEL": "WARNING",
                    "BARRIERFREE_WEB__CLIENT_REQUESTS_PER_MINUTE": "10000000", "BARRIERFREE_WEB__CLIENT_SIGNUPS_PER_HOUR": "10000000"}
        base_env.pop("BARRIERFREE_DATABASE_URL", None)
        if args.only != "postgresql":
            _run("sqlite", base_env, f"sqlite:///{tmp}/barrierfree.db", args.clients, args.seconds)
            _race("sqlite", f"sqlite:///{tmp}/race.db", args.race_seeds, args.race_clients, args.race_operations)
        if args.only != "sqlite":
            with _fresh(pg_base) as url:
                _run("postgresql", {**base_env, "BARRIERFREE_DATABASE_URL": url, "BARRIERFREE_DATA_DIR": tmp + "/pg"}, url,
                     args.clients, args.seconds)
            _race("postgresql", pg_base, args.race_seeds, args.race_clients, args.race_operations)


if __name__ == "__main__":
    main()

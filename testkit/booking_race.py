"""A booking race that can find a double booking, and an overlap audit that does not trust the scheduler.

:func:`run_race` lets client threads book, hold, confirm, reschedule and cancel
sessions while agents add time off and move their working hours, all at once
on one database. The intervals differ: half the clients run with 30-minute
sessions and half with 45-minute ones (a rolling change of settings), and the
agents' hours move between 09:00 and 09:20, so starts fall off each other's
grid and a booking can only be refused by the overlap check (SQLite's
``BEGIN IMMEDIATE``) or the exclusion constraint (PostgreSQL), never by the
unique index on a live start alone.

:func:`audit` counts what went wrong with its own SQL over the stored rows:
pairs of live bookings of one agent whose sessions plus the buffer overlap
(computed from ``starts_at``/``ends_at`` and the buffer, not from the stored
``blocked_until`` the constraint uses), and confirmed sessions that fall in
the agent's time off. It imports nothing from the scheduler.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

#: Session lengths the racing clients use, in minutes (two versions of the settings at once).
SESSION_MINUTES = (30, 45)
#: Where the agents' working day starts, local time (moved back and forth during the race).
DAY_STARTS = (time(9, 0), time(9, 20))
DAY_END = time(12, 0)
ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class RaceResult:
    """What the clients were told: each operation and outcome (``ok`` or the problem code), counted."""

    outcomes: Counter
    operations: int


@dataclass(frozen=True)
class Audit:
    """Double bookings found by :func:`audit`: ``overlaps`` (pairs, buffer included) and ``in_time_off``."""

    live_bookings: int
    overlaps: int
    in_time_off: int


def audit(engine: Engine, buffer_minutes: int) -> Audit:
    """Count overlapping live bookings (session + ``buffer_minutes``) and confirmed sessions in time off."""
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT agent_id, starts_at, ends_at FROM sl_bookings WHERE status IN ('held', 'confirmed')")).all()
        confirmed = connection.execute(text(
            "SELECT agent_id, starts_at, ends_at FROM sl_bookings WHERE status = 'confirmed'")).all()
        away = connection.execute(text("SELECT agent_id, starts_at, ends_at FROM sl_time_off")).all()
    buffer = timedelta(minutes=buffer_minutes)
    spans: dict[str, list[tuple[datetime, datetime]]] = {}
    for agent, start, end in rows:
        spans.setdefault(agent, []).append((_utc(start), _utc(end) + buffer))
    overlaps = 0
    for intervals in spans.values():
        intervals.sort()
        for i, (_start, end) in enumerate(intervals):
            for later_start, _later_end in intervals[i + 1:]:
                if later_start >= end:
                    break
                overlaps += 1
    in_time_off = sum(
        1 for agent, start, end in confirmed
        if any(a == agent and _utc(start) < _utc(off_end) and _utc(off_start) < _utc(end) for a, off_start, off_end in away)
    )
    return Audit(len(rows), overlaps, in_time_off)


def _utc(value: datetime | str) -> datetime:
    """A stored instant as aware UTC (SQLite hands raw SQL naive UTC text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def run_race(
    sessions: sessionmaker, agents: list[str], days: list[datetime], now: datetime,
    *, clients: int = 8, operations: int = 25, seed: int = 0, buffer_minutes: int = 10,
) -> RaceResult:
    """Race ``clients`` threads of ``operations`` each (seeded) over ``agents``' working hours on ``days``.

    ``now`` is the clock every operation uses (fixed, so holds do not expire
    mid-race and the dates are pinned); ``days`` are UTC midnights after it.
    """
    from barrierfree.settings.scheduler import SchedulerSettings

    configs = [SchedulerSettings(session_minutes=m, buffer_minutes=buffer_minutes) for m in SESSION_MINUTES]
    grids = {(agent, c.session_minutes): _grid(days, c) for agent in agents for c in configs}
    outcomes: Counter = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        mine: list[str] = []
        barrier.wait(timeout=60)
        for _ in range(operations):
            config = configs[number % len(configs)]
            agent = rng.choice(agents)
            name, outcome = _operation(sessions, config, rng, agent, grids[agent, config.session_minutes], days, mine, now)
            with lock:
                outcomes[name, outcome] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return RaceResult(outcomes, clients * operations)


def _grid(days: list[datetime], config) -> list[datetime]:
    """Every start either version of the agent's hours offers under ``config`` on ``days``."""
    from barrierfree.onboarding.scheduler.slots import WeeklyRule, slot_starts
    from barrierfree.onboarding.scheduler.times import zone

    session, buffer = timedelta(minutes=config.session_minutes), timedelta(minutes=config.buffer_minutes)
    starts: set[datetime] = set()
    for begin in DAY_STARTS:
        rules = [WeeklyRule(d, begin, DAY_END) for d in range(7)]
        first, last = (days[0] - timedelta(days=1)).date(), (days[-1] + timedelta(days=1)).date()
        starts.update(s for s in slot_starts(rules, zone(ZONE), first, last, session, buffer) if days[0] <= s < days[-1] + timedelta(days=1))
    return sorted(starts)


#: Share of each client operation, in the order they are drawn (the rest moves the agent's hours).
MIX = (("book", 0.5), ("reschedule", 0.15), ("confirm", 0.1), ("cancel", 0.05), ("time_off", 0.13), ("move_hours", 0.07))


def _operation(sessions, config, rng, agent, grid, days, mine, now) -> tuple[str, str]:
    """One random client operation; returns its name and ``ok``, the refusal's problem code, or ``error:<type>``."""
    from barrierfree.errors import BadInput, Conflict, NotFound

    roll, name = rng.random(), MIX[-1][0]
    for candidate, share in MIX:
        if roll < share:
            name = candidate
            break
        roll -= share
    if not mine:
        name = "book"
    try:
        _do(name, sessions, config, rng, agent, grid, days, mine, now)
        return name, "ok"
    except (BadInput, Conflict, NotFound) as refusal:
        return name, refusal.code
    except Exception as error:  # noqa: BLE001 - counted, so that the caller sees any unexpected failure
        return name, f"error:{type(error).__name__}"


def _do(name, sessions, config, rng, agent, grid, days, mine, now) -> None:
    from barrierfree.onboarding.scheduler import agents as agent_admin
    from barrierfree.onboarding.scheduler import bookings
    from barrierfree.onboarding.scheduler.slots import WeeklyRule
    from barrierfree.onboarding.scheduler.txn import write_session
    from barrierfree.onboarding.scheduler.types import Customer

    if name == "book":
        hold = rng.random() < 0.25
        customer = None if hold else Customer("客户", f"c{rng.randrange(10**6)}@example.cn")
        request = bookings.BookingRequest(agent, rng.choice(grid), "csl", customer, hold)
        mine.append(bookings.book(sessions, config, request, now=now).booking.id)
    elif name == "reschedule":
        bookings.reschedule(sessions, config, rng.choice(mine), rng.choice(grid), agent_id=agent, now=now)
    elif name == "confirm":
        bookings.confirm(sessions, config, rng.choice(mine), now=now, customer=Customer("客户", "c@example.cn"))
    elif name == "cancel":
        bookings.cancel(sessions, config, mine.pop(rng.randrange(len(mine))), now=now)
    elif name == "time_off":
        start = rng.choice(days) + timedelta(hours=1, minutes=5 * rng.randrange(36))  # 09:00-12:00 Shanghai, off-grid
        with write_session(sessions) as session:
            agent_admin.add_time_off(session, agent, start, start + timedelta(minutes=rng.choice((15, 25, 50))), now=now)
    else:
        with write_session(sessions) as session:
            agent_admin.set_rules(session, agent, [WeeklyRule(d, rng.choice(DAY_STARTS), DAY_END) for d in range(7)])

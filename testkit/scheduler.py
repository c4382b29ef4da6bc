"""Test agents and schedules for the scheduler, on a migrated database.

``open_scheduler(engine)`` migrates the database and returns a session factory;
``add_all_week_agent`` adds an agent who works every day in a given zone, so
tests find slots whatever today is; ``book_started`` books a session that has
already begun (for the console's outcome controls).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from barrierfree.onboarding.scheduler import bookings
from barrierfree.onboarding.scheduler.agents import add_agent, get_agent
from barrierfree.onboarding.scheduler.availability import free_slots
from barrierfree.onboarding.scheduler.slots import WeeklyRule
from barrierfree.onboarding.scheduler.times import utcnow
from barrierfree.onboarding.scheduler.txn import write_session
from barrierfree.onboarding.scheduler.types import BookingView, Customer
from barrierfree.onboarding.storage import make_session_factory, upgrade
from barrierfree.onboarding.storage.crypto import KeyRing, bind_keyring
from barrierfree.settings.scheduler import SchedulerSettings


def open_scheduler(engine: Engine) -> sessionmaker:
    """Migrate ``engine`` and install a fresh random keyring; returns the session factory."""
    bind_keyring(engine, KeyRing.from_spec(KeyRing.generate_spec()))
    upgrade(engine)
    return make_session_factory(engine)


def add_all_week_agent(
    sessions: sessionmaker, agent_id: str, zone_name: str = "Asia/Shanghai",
    skills: tuple[str, ...] = ("csl", "zh-text"), start: time = time(0, 0), end: time = time(0, 0),
) -> None:
    """An agent working ``start``–``end`` local time on all seven days (default: around the clock)."""
    with write_session(sessions) as session:
        add_agent(session, agent_id, f"Agent {agent_id}", zone_name, skills, [WeeklyRule(d, start, end) for d in range(7)])


def book_started(
    sessions: sessionmaker, config: SchedulerSettings, agent_id: str, customer: Customer,
    skill: str = "csl", *, before: datetime | None = None, not_before: datetime | None = None,
) -> BookingView:
    """A confirmed booking whose session has already started (the latest free rule slot before ``before``).

    It goes through :func:`bookings.book` like any booking, with the clock set
    an hour before the slot, so every check (rules, time off, overlap) applies.
    """
    before = before or utcnow()
    not_before = not_before or before - timedelta(days=1)
    with sessions() as session:
        agent = get_agent(session, agent_id)
        starts = [s.start for s in free_slots(session, config, not_before, before, not_before - timedelta(hours=1), (skill,), agent.id)]
    if not starts:
        raise LookupError(f"agent {agent_id} has no free slot between {not_before} and {before}")
    start = starts[-1]
    request = bookings.BookingRequest(agent_id, start, skill, customer)
    return bookings.book(sessions, config, request, now=start - timedelta(hours=1)).booking

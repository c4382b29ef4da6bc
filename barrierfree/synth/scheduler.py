"""Test agents and schedules for the scheduler, on a migrated database.

``open_scheduler(engine)`` migrates the database and returns a session factory;
``add_all_week_agent`` adds an agent who works every day in a given zone, so
tests find slots whatever today is.
"""

from __future__ import annotations

from datetime import time

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from barrierfree.onboarding.scheduler.agents import add_agent
from barrierfree.onboarding.scheduler.slots import WeeklyRule
from barrierfree.onboarding.scheduler.txn import write_session
from barrierfree.onboarding.storage import make_session_factory, upgrade
from barrierfree.onboarding.storage.crypto import KeyRing, set_keyring


def open_scheduler(engine: Engine) -> sessionmaker:
    """Migrate ``engine`` and install a fresh random keyring; returns the session factory."""
    set_keyring(KeyRing.from_spec(KeyRing.generate_spec()))
    upgrade(engine)
    return make_session_factory(engine)


def add_all_week_agent(
    sessions: sessionmaker, agent_id: str, zone_name: str = "Asia/Shanghai",
    skills: tuple[str, ...] = ("csl", "zh-text"), start: time = time(0, 0), end: time = time(0, 0),
) -> None:
    """An agent working ``start``–``end`` local time on all seven days (default: around the clock)."""
    with write_session(sessions) as session:
        add_agent(session, agent_id, f"Agent {agent_id}", zone_name, skills, [WeeklyRule(d, start, end) for d in range(7)])

"""The agent console's data: who waits, whom the agent took, today's bookings, time off to come."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from barrierfree.onboarding.scheduler import bookings, queue
from barrierfree.onboarding.scheduler.agents import get_agent, list_time_off
from barrierfree.onboarding.scheduler.models import Booking
from barrierfree.onboarding.scheduler.times import utcnow, wall_to_utc, zone
from barrierfree.onboarding.scheduler.types import AgentView, BookingView, QueueTicket


@dataclass(frozen=True)
class TimeOffSpan:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class ConsoleState:
    agent: AgentView
    waiting: list[QueueTicket]
    claimed: list[QueueTicket]
    today: list[BookingView]
    time_off: list[TimeOffSpan]


def console_state(session: Session, agent_id: str, now: datetime | None = None) -> ConsoleState:
    """The state for ``agent_id``; "today" is the agent's local day; time off that has not ended yet."""
    from barrierfree.onboarding.scheduler.agents import view

    agent = get_agent(session, agent_id)
    tz = zone(agent.time_zone)
    now = now or utcnow()
    local_day = now.astimezone(tz).date()
    start = wall_to_utc(datetime.combine(local_day, time(0)), tz, "start")
    end = wall_to_utc(datetime.combine(local_day + timedelta(days=1), time(0)), tz, "start")
    rows = session.scalars(
        select(Booking).where(Booking.agent_id == agent.id, Booking.starts_at >= start, Booking.starts_at < end)
        .where(Booking.status.in_(("confirmed", "completed", "no_show"))).order_by(Booking.starts_at)
    )
    return ConsoleState(
        view(agent),
        queue.waiting(session, agent.skills),
        queue.claimed_by(session, agent.id),
        [bookings.view(row, with_customer=True) for row in rows],
        [TimeOffSpan(row.starts_at, row.ends_at) for row in list_time_off(session, agent.id) if row.ends_at > now],
    )

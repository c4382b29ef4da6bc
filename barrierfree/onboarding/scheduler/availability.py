"""Free slots: the rules' slots minus time off, live bookings and the notice period."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from barrierfree.onboarding.scheduler.agents import weekly_rules
from barrierfree.onboarding.scheduler.models import Agent, AgentSkill, Booking, TimeOff
from barrierfree.onboarding.scheduler.slots import Interval, slot_starts
from barrierfree.onboarding.scheduler.times import zone
from barrierfree.onboarding.scheduler.types import Slot
from barrierfree.settings.scheduler import SchedulerSettings


def live_filter(now: datetime):  # noqa: ANN201 - a SQL expression
    """Bookings that hold their slot at ``now``: confirmed, or held and not yet expired."""
    return or_(Booking.status == "confirmed", (Booking.status == "held") & (Booking.held_until > now))


def agents_with(session: Session, skills: Sequence[str], agent_id: str | None = None) -> list[Agent]:
    """Active agents who have every skill in ``skills``."""
    query = select(Agent).where(Agent.active.is_(True)).order_by(Agent.id)
    if agent_id is not None:
        query = query.where(Agent.id == agent_id)
    for code in skills:
        query = query.where(Agent.id.in_(select(AgentSkill.agent_id).where(AgentSkill.skill_code == code)))
    return list(session.scalars(query))


def rule_slots(agent: Agent, start: datetime, end: datetime, config: SchedulerSettings) -> list[datetime]:
    """Start instants of the agent's rule slots in ``[start, end)``, before anything is subtracted."""
    tz = zone(agent.time_zone)
    session_len, buffer = timedelta(minutes=config.session_minutes), timedelta(minutes=config.buffer_minutes)
    # A local day can begin up to 14 h before or after the UTC one: widen by a day each side.
    first = (start.astimezone(tz) - timedelta(days=1)).date()
    last = (end.astimezone(tz) + timedelta(days=1)).date()
    return [s for s in slot_starts(weekly_rules(agent), tz, first, last, session_len, buffer) if start <= s < end]


def free_slots(
    session: Session,
    config: SchedulerSettings,
    start: datetime,
    end: datetime,
    now: datetime,
    skills: Sequence[str] = (),
    agent_id: str | None = None,
    ignore_booking: str | None = None,
) -> list[Slot]:
    """Every free slot in ``[start, end)`` of agents with all ``skills``, ordered by start then agent."""
    session_len = timedelta(minutes=config.session_minutes)
    span = session_len + timedelta(minutes=config.buffer_minutes)
    earliest = now + timedelta(minutes=config.min_notice_minutes)
    found: list[Slot] = []
    for agent in agents_with(session, skills, agent_id):
        busy = _busy(session, agent.id, start - span, end + span, now, ignore_booking)
        for slot_start in rule_slots(agent, start, end, config):
            if slot_start < earliest:
                continue
            wanted = Interval(slot_start, slot_start + span)
            if not any(wanted.overlaps(block) for block in busy):
                found.append(Slot(agent.id, slot_start, slot_start + session_len, agent.skills))
    return sorted(found, key=lambda slot: (slot.start, slot.agent_id))


def _busy(session: Session, agent_id: str, start: datetime, end: datetime, now: datetime, ignore: str | None) -> list[Interval]:
    bookings = select(Booking.starts_at, Booking.blocked_until).where(
        Booking.agent_id == agent_id, live_filter(now), Booking.starts_at < end, Booking.blocked_until > start
    )
    if ignore is not None:
        bookings = bookings.where(Booking.id != ignore)
    off = select(TimeOff.starts_at, TimeOff.ends_at).where(
        TimeOff.agent_id == agent_id, TimeOff.starts_at < end, TimeOff.ends_at > start
    )
    return [Interval(a, b) for a, b in session.execute(bookings)] + [Interval(a, b) for a, b in session.execute(off)]

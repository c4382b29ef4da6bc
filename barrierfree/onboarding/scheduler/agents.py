"""Skills, agents, weekly rules and time off: the supply side of the scheduler.

The skill catalog itself is reference data written by migration ``0002_scheduler``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, time
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from barrierfree.errors import BadInput, Conflict, Forbidden, NotFound
from barrierfree.onboarding.scheduler.models import Agent, AgentSkill, Booking, Rule, Skill, TimeOff
from barrierfree.onboarding.scheduler.slots import WeeklyRule, check_no_overlap
from barrierfree.onboarding.scheduler.times import utcnow, zone
from barrierfree.onboarding.scheduler.types import AgentView

_AGENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


class NotYours(Forbidden):
    """An agent acted on another agent's console, booking or ticket (HTTP 403)."""

    default_code = "not-your-booking"


def token_hash(token: str) -> str:
    """What is stored for an agent token: its SHA-256 (a 256-bit random token needs no slow hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, agent_id: str) -> str:
    """A new token for the agent, returned once; it replaces (revokes) the agent's previous one."""
    agent = get_agent(session, agent_id)
    token = secrets.token_urlsafe(32)
    agent.token_hash = token_hash(token)
    session.flush()
    return token


def agent_for_token(session: Session, token: str) -> str | None:
    """The id of the agent whose token this is, or ``None``."""
    if not token:
        return None
    return session.scalar(select(Agent.id).where(Agent.token_hash == token_hash(token)))


def check_owner(owner: str | None, acting_agent: str | None, what: str = "booking") -> None:
    """Refuse (403) when ``acting_agent`` is set and is not the ``owner``; ``None`` acts for every agent (supervisor)."""
    if acting_agent is not None and owner != acting_agent:
        raise NotYours(
            f"not-your-{what}",
            f"This {what} belongs to another agent; only that agent (or a supervisor) can change it.",
        )


def list_skills(session: Session) -> list[Skill]:
    return list(session.scalars(select(Skill).order_by(Skill.kind, Skill.code)))


def require_skills(session: Session, codes: Iterable[str]) -> tuple[str, ...]:
    """``codes`` de-duplicated, or :class:`BadInput` ``unknown-skill`` naming the valid ones."""
    wanted = tuple(dict.fromkeys(code.strip() for code in codes if code and code.strip()))
    known = set(session.scalars(select(Skill.code)))
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise BadInput(
            "unknown-skill",
            f"Unknown skill; use one of: {', '.join(sorted(known))}.",
            field="skill",
        )
    return wanted


def require_skill(session: Session, skill: object) -> str:
    """One known skill code, or a clear error."""
    if not isinstance(skill, str) or not skill.strip():
        raise BadInput("missing-field", "'skill' is required, e.g. csl.", field="skill")
    return require_skills(session, [skill])[0]


def parse_hhmm(text: object, field: str) -> time:
    """``HH:MM`` as a time, or :class:`BadInput` naming ``field``."""
    try:
        hours, minutes = text.split(":")  # type: ignore[attr-defined]  # not text: the except below answers
        if len(hours) != 2 or len(minutes) != 2:
            raise ValueError(text)
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        raise BadInput("bad-time", f"'{field}' must be a local time written HH:MM.", field=field) from None


def weekly_rules(agent: Agent) -> list[WeeklyRule]:
    return [WeeklyRule(r.weekday, parse_hhmm(r.start_local, "start"), parse_hhmm(r.end_local, "end")) for r in agent.rules]


def add_agent(
    session: Session, agent_id: object, name: str, time_zone: str, skills: Sequence[str], rules: Sequence[WeeklyRule] = ()
) -> AgentView:
    """Create an agent with skills and weekly rules (all checked first: nothing half-written)."""
    if not isinstance(agent_id, str) or not _AGENT_ID.match(agent_id):
        raise BadInput("bad-agent-id", "An agent id is 2-40 lower-case letters, digits and dashes.", field="agent_id")
    zone(time_zone)
    codes = require_skills(session, skills)
    if not codes:
        raise BadInput("missing-field", "An agent needs at least one skill.", field="skills")
    check_no_overlap(rules)
    if session.get(Agent, agent_id) is not None:
        raise BadInput("agent-exists", f"Agent {agent_id} already exists.", field="agent_id")
    agent = Agent(id=agent_id, display_name=name, time_zone=time_zone, active=True)
    agent.skill_rows = [AgentSkill(skill_code=code) for code in codes]
    agent.rules = [_rule_row(rule) for rule in rules]
    session.add(agent)
    session.flush()
    return view(agent)


def set_rules(session: Session, agent_id: str, rules: Sequence[WeeklyRule]) -> None:
    """Replace an agent's weekly rules (the agent's row locked: two replacements in a race do not both write)."""
    check_no_overlap(rules)
    agent = get_agent(session, agent_id, lock="update")
    agent.rules = [_rule_row(rule) for rule in rules]
    session.flush()


def add_rules(session: Session, agent_id: str, rules: Sequence[WeeklyRule]) -> None:
    """Add weekly rules to an agent's existing ones (no overlap with them allowed; the agent's row locked)."""
    agent = get_agent(session, agent_id, lock="update")
    check_no_overlap([*weekly_rules(agent), *rules])
    agent.rules = [*agent.rules, *(_rule_row(rule) for rule in rules)]
    session.flush()


def add_time_off(session: Session, agent_id: str, start: datetime, end: datetime, now: datetime | None = None) -> int:
    """Record time off; returns its id (to remove it later).

    Refused over any live session, a hold included: a held slot is confirmed
    without another look at time off. On PostgreSQL the agent's row is locked
    (``FOR UPDATE``) against bookings, which take it ``FOR SHARE`` (see
    :func:`get_agent`), so a booking and time off cannot both pass their
    checks at once; on SQLite ``BEGIN IMMEDIATE`` already serialises them.
    """
    if end <= start:
        raise BadInput("inverted-range", "Time off must end after it starts.", field="end")
    now = now or utcnow()
    get_agent(session, agent_id, lock="update")
    live = or_(Booking.status == "confirmed", and_(Booking.status == "held", Booking.held_until > now))
    booked = session.scalar(
        select(func.count()).select_from(Booking)
        .where(Booking.agent_id == agent_id, live, Booking.starts_at < end, Booking.ends_at > start)
    )
    if booked:
        raise Conflict(
            "time-off-over-bookings",
            f"{booked} booked or held session(s) fall in that time; move or cancel them first, then add the time off.",
        )
    row = TimeOff(agent_id=agent_id, starts_at=start, ends_at=end)
    session.add(row)
    session.flush()
    return row.id


def list_time_off(session: Session, agent_id: str) -> list[TimeOff]:
    get_agent(session, agent_id)
    return list(session.scalars(select(TimeOff).where(TimeOff.agent_id == agent_id).order_by(TimeOff.starts_at)))


def remove_time_off(session: Session, agent_id: str, time_off_id: object) -> tuple[datetime, datetime]:
    """Delete one time-off period of the agent; returns the span it covered (now free again)."""
    get_agent(session, agent_id)
    row = session.get(TimeOff, time_off_id) if isinstance(time_off_id, int) else None
    if row is None or row.agent_id != agent_id:
        raise NotFound("unknown-time-off", "That agent has no time off with this id; list it at .../time-off.")
    span = (row.starts_at, row.ends_at)
    session.delete(row)
    session.flush()
    return span


def get_agent(session: Session, agent_id: str, lock: str | None = None) -> Agent:
    """The agent; ``lock="share"`` / ``"update"`` also locks its row until the transaction ends (PostgreSQL:
    ``FOR SHARE`` / ``FOR UPDATE``; SQLite has no row locks and serialises writers instead)."""
    options: dict[str, Any] = {"with_for_update": {"read": lock == "share"}} if lock else {}
    agent = session.get(Agent, agent_id, populate_existing=bool(lock), **options) if isinstance(agent_id, str) else None
    if agent is None:
        raise NotFound("unknown-agent", "No agent has that id; list them at /api/v1/sign-language/agents.", field="agent_id")
    return agent


def list_agents(session: Session, *, active_only: bool = True) -> list[AgentView]:
    query = select(Agent).order_by(Agent.id)
    if active_only:
        query = query.where(Agent.active.is_(True))
    return [view(agent) for agent in session.scalars(query)]


def view(agent: Agent) -> AgentView:
    return AgentView(agent.id, agent.display_name, agent.time_zone, agent.active, agent.skills)


def _rule_row(rule: WeeklyRule) -> Rule:
    return Rule(weekday=rule.weekday, start_local=rule.start.strftime("%H:%M"), end_local=rule.end.strftime("%H:%M"))

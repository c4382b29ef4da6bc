"""Skills, agents, weekly rules and time off: the supply side of the scheduler.

The skill catalog itself is reference data written by migration ``0002_scheduler``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from barrierfree.errors import BadInput, NotFound
from barrierfree.onboarding.scheduler.models import Agent, AgentSkill, Rule, Skill, TimeOff
from barrierfree.onboarding.scheduler.slots import WeeklyRule, check_no_overlap
from barrierfree.onboarding.scheduler.times import zone
from barrierfree.onboarding.scheduler.types import AgentView

_AGENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


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
        hours, minutes = text.split(":")  # type: ignore[union-attr]
        if len(hours) != 2 or len(minutes) != 2:
            raise ValueError(text)
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        raise BadInput("bad-time", f"'{field}' must be a local time written HH:MM.", field=field) from None


def weekly_rules(agent: Agent) -> list[WeeklyRule]:
    return [WeeklyRule(r.weekday, parse_hhmm(r.start_local, "start"), parse_hhmm(r.end_local, "end")) for r in agent.rules]


def add_agent(
    session: Session, agent_id: str, name: str, time_zone: str, skills: Sequence[str], rules: Sequence[WeeklyRule] = ()
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
    """Replace an agent's weekly rules."""
    check_no_overlap(rules)
    agent = get_agent(session, agent_id)
    agent.rules = [_rule_row(rule) for rule in rules]
    session.flush()


def add_time_off(session: Session, agent_id: str, start: datetime, end: datetime) -> None:
    if end <= start:
        raise BadInput("inverted-range", "Time off must end after it starts.", field="end")
    get_agent(session, agent_id)
    session.add(TimeOff(agent_id=agent_id, starts_at=start, ends_at=end))
    session.flush()


def get_agent(session: Session, agent_id: str) -> Agent:
    agent = session.get(Agent, agent_id) if isinstance(agent_id, str) else None
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

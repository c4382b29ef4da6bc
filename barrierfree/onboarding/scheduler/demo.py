"""Demo agents and weekly schedules, so the demo shows real availability (idempotent)."""

from __future__ import annotations

from datetime import time

from sqlalchemy.orm import Session

from barrierfree.onboarding.scheduler.agents import add_agent, issue_token
from barrierfree.onboarding.scheduler.models import Agent
from barrierfree.onboarding.scheduler.slots import WeeklyRule

_WEEKDAYS = range(5)
#: (id, display name, zone, skills, [(weekdays, start, end), ...])
DEMO_AGENTS = (
    ("li-na", "李娜 Li Na", "Asia/Shanghai", ("csl", "zh-text", "captioning", "agent-female"),
     [(_WEEKDAYS, time(9, 0), time(12, 0)), (_WEEKDAYS, time(13, 30), time(17, 30))]),
    ("wang-wei", "王伟 Wang Wei", "Asia/Shanghai", ("csl", "csl-shanghai", "zh-text", "agent-male"),
     [(_WEEKDAYS, time(10, 0), time(18, 0)), ((5,), time(10, 0), time(14, 0))]),
    ("chen-jie", "陈洁 Chen Jie", "Asia/Shanghai", ("csl", "csl-cantonese", "zh-text", "en-text", "agent-female"),
     [((0, 2, 4, 5, 6), time(8, 0), time(11, 0)), ((0, 2, 4, 5, 6), time(19, 0), time(22, 0))]),
    ("anna-berlin", "Anna Schmidt", "Europe/Berlin", ("csl", "en-text", "captioning", "agent-female"),
     [(_WEEKDAYS, time(8, 0), time(12, 0))]),
)


def seed_demo(session: Session) -> dict[str, str]:
    """Create the demo agents that are missing, each with their own token; returns ``{agent id: token}``.

    Only the hash of a token is stored, so a token is shown this once (``barrierfree
    scheduler agent-token <id>`` issues a new one later). The caller commits.
    """
    created = {}
    for agent_id, name, zone_name, skills, windows in DEMO_AGENTS:
        if session.get(Agent, agent_id) is not None:
            continue
        rules = [WeeklyRule(day, start, end) for days, start, end in windows for day in days]
        add_agent(session, agent_id, name, zone_name, skills, rules)
        created[agent_id] = issue_token(session, agent_id)
    return created

"""The agents' side of the JSON API: hours, time off, the queue, outcomes, the console.

Every endpoint here needs ``X-Agent-Token`` (or ``?token=``) when
``scheduler.agent_token`` is set; without one configured (the demo) they are open.
"""

from __future__ import annotations

from flask import Blueprint

from barrierfree.errors import BadInput, BarrierFreeError
from barrierfree.onboarding.scheduler import agents, bookings, queue
from barrierfree.onboarding.scheduler.slots import WeeklyRule
from barrierfree.onboarding.scheduler.times import parse_instant
from barrierfree.web.sign_language.common import (
    agent_allowed, json_body, reading, required_text, sessions, ticket_json, writing,
)
from barrierfree.web.sign_language.console import console_state

blueprint = Blueprint("sign_language_agents", __name__, url_prefix="/api/v1/sign-language")


class AgentOnly(BarrierFreeError):
    """A request for an agent endpoint without the agent token (HTTP 403)."""

    status = 403
    exit_code = 2
    default_code = "agent-token-required"


@blueprint.before_request
def _agents_only() -> None:
    if not agent_allowed():
        raise AgentOnly(detail="This endpoint is for agents; send the X-Agent-Token header.")


@blueprint.post("/agents")
def create_agent():  # noqa: ANN201
    body = json_body()
    with writing() as session:
        agent = agents.add_agent(
            session, body.get("id"), required_text(body, "name"), required_text(body, "time_zone"),
            _list(body, "skills"), _rules(body),
        )
    return agent.to_json(), 201


@blueprint.patch("/agents/<agent_id>")
def update_agent(agent_id: str):  # noqa: ANN201
    """``{"active": false}`` stops new bookings for the agent; existing ones stay."""
    active = json_body().get("active")
    if not isinstance(active, bool):
        raise BadInput("bad-active", "'active' must be true or false.", field="active")
    with writing() as session:
        agent = agents.get_agent(session, agent_id)
        agent.active = active
        return agents.view(agent).to_json()


@blueprint.put("/agents/<agent_id>/rules")
def replace_rules(agent_id: str):  # noqa: ANN201
    with writing() as session:
        agents.set_rules(session, agent_id, _rules(json_body()))
        return agents.view(agents.get_agent(session, agent_id)).to_json() | {"rules": _rules_json(session, agent_id)}


@blueprint.post("/agents/<agent_id>/time-off")
def add_time_off(agent_id: str):  # noqa: ANN201
    body = json_body()
    start, end = parse_instant(body.get("start"), "start"), parse_instant(body.get("end"), "end")
    with writing() as session:
        agents.add_time_off(session, agent_id, start, end)
    return {"agent_id": agent_id, "start": body["start"], "end": body["end"]}, 201


def _list(body: dict, name: str) -> list[str]:
    value = body.get(name)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BadInput("missing-field", f"'{name}' must be a list of codes.", field=name)
    return value


def _rules(body: dict) -> list[WeeklyRule]:
    """``rules: [{"weekday": 0-6, "start": "HH:MM", "end": "HH:MM"}]`` in the agent's local time."""
    rules = body.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(rule, dict) for rule in rules):
        raise BadInput("bad-rules", "'rules' must be a list of {weekday, start, end} objects.", field="rules")
    parsed = []
    for rule in rules:
        weekday = rule.get("weekday")
        if not isinstance(weekday, int) or isinstance(weekday, bool):
            raise BadInput("bad-weekday", "weekday must be 0 (Monday) to 6 (Sunday).", field="weekday")
        parsed.append(WeeklyRule(weekday, agents.parse_hhmm(rule.get("start"), "start"), agents.parse_hhmm(rule.get("end"), "end")))
    return parsed


def _rules_json(session, agent_id: str) -> list[dict]:  # noqa: ANN001
    return [{"weekday": r.weekday, "start": r.start_local, "end": r.end_local}
            for r in sorted(agents.get_agent(session, agent_id).rules, key=lambda r: (r.weekday, r.start_local))]


@blueprint.post("/bookings/<booking_id>/outcome")
def booking_outcome(booking_id: str):  # noqa: ANN201
    return bookings.record_outcome(sessions(), booking_id, json_body().get("outcome")).to_json()


@blueprint.post("/queue/<ticket_id>/finish")
def finish_ticket(ticket_id: str):  # noqa: ANN201
    with writing() as session:
        return ticket_json(queue.finish(session, ticket_id))


@blueprint.post("/agents/<agent_id>/claim")
def claim(agent_id: str):  # noqa: ANN201
    ticket = queue.claim_next(sessions(), agent_id)
    return {"ticket": ticket_json(ticket, with_customer=True) if ticket else None}


@blueprint.get("/agents/<agent_id>/console")
def console(agent_id: str):  # noqa: ANN201
    with reading() as session:
        state = console_state(session, agent_id)
        return {
            "waiting": [ticket_json(t, with_customer=True) for t in state.waiting],
            "claimed": [ticket_json(t, with_customer=True) for t in state.claimed],
            "today": [b.to_json() for b in state.today],
        }

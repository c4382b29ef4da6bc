"""The agents' side of the JSON API: hours, time off, the queue, outcomes, the console.

Every endpoint here needs ``X-Agent-Token`` (reading also accepts the console's
session cookie; a token in the URL is never read): an agent's own
token (issued by ``POST /agents``, ``barrierfree scheduler seed-demo`` or
``barrierfree scheduler agent-token``) lets that agent act on their own
console, hours, tickets and bookings only (403 ``not-your-...`` otherwise);
the shared ``scheduler.agent_token`` is a supervisor's and acts for every
agent. A request without a token is refused (403).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, request, url_for

from barrierfree.errors import BadInput, BarrierFreeError
from barrierfree.onboarding.scheduler import agents, bookings, console_links, queue
from barrierfree.onboarding.scheduler.slots import WeeklyRule
from barrierfree.onboarding.scheduler.times import format_utc, parse_instant, utcnow
from barrierfree.web.sign_language.common import (
    Actor, acting_agent, config, json_body, reading, required_text, sessions, ticket_json, writing,
)
from barrierfree.web.sign_language.console import console_state

blueprint = Blueprint("sign_language_agents", __name__, url_prefix="/api/v1/sign-language")


class AgentOnly(BarrierFreeError):
    """A request for an agent endpoint without the agent token (HTTP 403)."""

    status = 403
    exit_code = 2
    default_code = "agent-token-required"


def _request_actor() -> Actor | None:
    """The console's session cookie counts for reading only: a write needs the token header, which no cross-site form can send."""
    return acting_agent(cookie=request.method in ("GET", "HEAD"))


@blueprint.before_request
def _agents_only() -> None:
    if _request_actor() is None:
        raise AgentOnly(detail="This endpoint is for agents; send your own agent token in the X-Agent-Token header.")


def _actor() -> Actor:
    actor = _request_actor()
    assert actor is not None  # checked before every request of this blueprint
    return actor


def _own(agent_id: str) -> None:
    """Refuse (403) an agent acting for another agent."""
    if not _actor().may_act_for(agent_id):
        raise agents.NotYours("not-your-agent", "You can act only for yourself; use your own agent id and token.")


@blueprint.post("/agents")
def create_agent():  # noqa: ANN201
    """A supervisor adds an agent; the answer carries the agent's token, shown this once."""
    if _actor().agent_id is not None:
        raise AgentOnly("supervisor-only", "Only a supervisor can add agents; send the supervisor token.")
    body = json_body()
    with writing() as session:
        agent = agents.add_agent(
            session, body.get("id"), required_text(body, "name"), required_text(body, "time_zone"),
            _list(body, "skills"), _rules(body),
        )
        token = agents.issue_token(session, agent.id)
    return agent.to_json() | {"token": token}, 201


@blueprint.patch("/agents/<agent_id>")
def update_agent(agent_id: str):  # noqa: ANN201
    """``{"active": false}`` stops new bookings for the agent; existing ones stay."""
    _own(agent_id)
    active = json_body().get("active")
    if not isinstance(active, bool):
        raise BadInput("bad-active", "'active' must be true or false.", field="active")
    with writing() as session:
        agent = agents.get_agent(session, agent_id)
        agent.active = active
        session.flush()
        promoted = bookings.promote_for_agent(session, config(), agent_id, utcnow()) if active else []
        return agents.view(agent).to_json() | {"promoted": promoted}


@blueprint.put("/agents/<agent_id>/rules")
def replace_rules(agent_id: str):  # noqa: ANN201
    """Replace the weekly hours; slots they add go first to waiting customers (``promoted`` booking ids)."""
    return _change_rules(agent_id, agents.set_rules)


@blueprint.post("/agents/<agent_id>/rules")
def add_rules(agent_id: str):  # noqa: ANN201
    """Add weekly hours to the existing ones; the new slots go first to waiting customers."""
    return _change_rules(agent_id, agents.add_rules), 201


def _change_rules(agent_id: str, change) -> dict:  # noqa: ANN001
    _own(agent_id)
    rules = _rules(json_body())
    with writing() as session:
        change(session, agent_id, rules)
        promoted = bookings.promote_for_agent(session, config(), agent_id, utcnow())
        return agents.view(agents.get_agent(session, agent_id)).to_json() | {"rules": _rules_json(session, agent_id), "promoted": promoted}


@blueprint.get("/agents/<agent_id>/time-off")
def list_time_off(agent_id: str):  # noqa: ANN201
    _own(agent_id)
    with reading() as session:
        return {"time_off": [_time_off_json(row) for row in agents.list_time_off(session, agent_id)]}


@blueprint.post("/agents/<agent_id>/time-off")
def add_time_off(agent_id: str):  # noqa: ANN201
    _own(agent_id)
    body = json_body()
    start, end = parse_instant(body.get("start"), "start"), parse_instant(body.get("end"), "end")
    with writing() as session:
        off_id = agents.add_time_off(session, agent_id, start, end)
    return {"id": off_id, "agent_id": agent_id, "start": format_utc(start), "end": format_utc(end)}, 201


@blueprint.delete("/agents/<agent_id>/time-off/<int:off_id>")
def remove_time_off(agent_id: str, off_id: int):  # noqa: ANN201
    """End a time off early; the slots it freed go first to waiting customers."""
    _own(agent_id)
    span = timedelta(minutes=config().session_minutes + config().buffer_minutes)
    with writing() as session:
        start, end = agents.remove_time_off(session, agent_id, off_id)
        promoted = bookings.promote_for_agent(session, config(), agent_id, utcnow(), start - span, end)
    return {"id": off_id, "agent_id": agent_id, "start": format_utc(start), "end": format_utc(end), "promoted": promoted}


def _time_off_json(row) -> dict:  # noqa: ANN001
    return {"id": row.id, "agent_id": row.agent_id, "start": format_utc(row.starts_at), "end": format_utc(row.ends_at)}


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
    """``{"outcome": "completed" | "no_show"}`` from the booking's own agent (403 ``not-your-booking`` otherwise)."""
    outcome = json_body().get("outcome")
    return bookings.record_outcome(sessions(), booking_id, outcome, acting_agent=_actor().agent_id).to_json()


@blueprint.post("/queue/<ticket_id>/finish")
def finish_ticket(ticket_id: str):  # noqa: ANN201
    with writing() as session:
        return ticket_json(queue.finish(session, ticket_id, _actor().agent_id))


@blueprint.post("/agents/<agent_id>/claim")
def claim(agent_id: str):  # noqa: ANN201
    _own(agent_id)
    ticket = queue.claim_next(sessions(), agent_id)
    return {"ticket": ticket_json(ticket, with_customer=True) if ticket else None}


@blueprint.get("/agents/<agent_id>/console")
def console(agent_id: str):  # noqa: ANN201
    _own(agent_id)
    with reading() as session:
        state = console_state(session, agent_id)
        return {
            "waiting": [ticket_json(t, with_customer=True) for t in state.waiting],
            "claimed": [ticket_json(t, with_customer=True) for t in state.claimed],
            "today": [b.to_json() for b in state.today],
        }


@blueprint.post("/agents/<agent_id>/console-link")
def console_link(agent_id: str):  # noqa: ANN201
    """A one-time link that signs a browser in to the agent's console (no token in any URL); 201."""
    _own(agent_id)
    minutes = config().console_link_minutes
    with writing() as session:
        code, expires = console_links.issue_link(session, agent_id, supervisor=_actor().agent_id is None, minutes=minutes)
    url = url_for("sign_language_access.redeem_sign_in_link", code=code)
    return {"agent_id": agent_id, "url": url, "expires_at": format_utc(expires), "single_use": True}, 201

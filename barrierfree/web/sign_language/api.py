"""The JSON API under ``/api/v1/sign-language/`` (times RFC 3339 UTC, errors problem+json).

The stable contract: ``GET availability``, ``POST bookings`` (with an optional
``Idempotency-Key``; 201, or 409 ``slot-taken``) and ``DELETE bookings/<id>``.
Endpoints for agents need ``X-Agent-Token`` when ``scheduler.agent_token`` is set.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Response, jsonify, request

from barrierfree.errors import BadInput, BarrierFreeError
from barrierfree.onboarding.scheduler import agents, availability, bookings, ics, queue, reminders, rooms, waitlist
from barrierfree.onboarding.scheduler.slots import WeeklyRule
from barrierfree.onboarding.scheduler.times import format_utc, parse_instant, utcnow
from barrierfree.onboarding.scheduler.types import Customer
from barrierfree.web.sign_language.console import console_state
from barrierfree.web.sign_language.common import agent_allowed, config, day_window, json_body, reading, sessions, writing

blueprint = Blueprint("sign_language_api", __name__, url_prefix="/api/v1/sign-language")


class AgentOnly(BarrierFreeError):
    status = 403
    exit_code = 2
    default_code = "agent-token-required"


def for_agents(view):  # noqa: ANN001, ANN201 - decorator
    @wraps(view)
    def guarded(*args, **kwargs):  # noqa: ANN202
        if not agent_allowed():
            raise AgentOnly(detail="This endpoint is for agents; send the X-Agent-Token header.")
        return view(*args, **kwargs)

    return guarded


@blueprint.get("/skills")
def list_skills():  # noqa: ANN201
    with reading() as session:
        rows = agents.list_skills(session)
        return {"skills": [{"code": s.code, "kind": s.kind, "label": {"en": s.label_en, "zh-CN": s.label_zh}} for s in rows]}


@blueprint.get("/agents")
def list_agents():  # noqa: ANN201
    with reading() as session:
        return {"agents": [agent.to_json() for agent in agents.list_agents(session)]}


@blueprint.post("/agents")
@for_agents
def create_agent():  # noqa: ANN201
    body = json_body()
    with writing() as session:
        agent = agents.add_agent(
            session, body.get("id"), _required_text(body, "name"), _required_text(body, "time_zone"),
            _list(body, "skills"), _rules(body),
        )
    return agent.to_json(), 201


@blueprint.put("/agents/<agent_id>/rules")
@for_agents
def replace_rules(agent_id: str):  # noqa: ANN201
    with writing() as session:
        agents.set_rules(session, agent_id, _rules(json_body()))
        return agents.view(agents.get_agent(session, agent_id)).to_json() | {"rules": _rules_json(session, agent_id)}


@blueprint.post("/agents/<agent_id>/time-off")
@for_agents
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


@blueprint.get("/availability")
def get_availability():  # noqa: ANN201
    start, end = day_window(request.args.get("from"), request.args.get("to"), request.args.get("tz", "UTC"))
    with reading() as session:
        skills = agents.require_skills(session, _skill_args())
        agent_id = request.args.get("agent_id")
        if agent_id is not None:
            agents.get_agent(session, agent_id)
        slots = availability.free_slots(session, config(), start, end, utcnow(), skills, agent_id)
        return {"slots": [slot.to_json() for slot in slots]}


def _skill_args() -> list[str]:
    return [code for value in request.args.getlist("skill") for code in value.split(",")]


@blueprint.post("/bookings")
def create_booking():  # noqa: ANN201
    body = json_body()
    booking_request = bookings.BookingRequest(
        agent_id=_required_text(body, "agent_id"),
        start=parse_instant(body.get("start"), "start"),
        skill=_required_text(body, "skill"),
        customer=Customer.parse(body.get("customer"), config().max_text_chars),
        hold=bool(body.get("hold", False)),
    )
    result = bookings.book(sessions(), config(), booking_request, request.headers.get("Idempotency-Key"))
    response = jsonify(result.booking.to_json())
    response.status_code = 201
    response.headers["Location"] = f"{blueprint.url_prefix}/bookings/{result.booking.id}"
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _required_text(body: dict, name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BadInput("missing-field", f"'{name}' is required.", field=name)
    return value.strip()


@blueprint.get("/bookings/<booking_id>")
def get_booking(booking_id: str):  # noqa: ANN201
    with reading() as session:
        return bookings.view(bookings.get_booking(session, booking_id)).to_json()


@blueprint.delete("/bookings/<booking_id>")
def cancel_booking(booking_id: str):  # noqa: ANN201
    return bookings.cancel(sessions(), config(), booking_id).to_json()


@blueprint.get("/bookings/<booking_id>/messages")
def booking_messages(booking_id: str):  # noqa: ANN201
    """The in-app inbox: the text messages sent about this booking (recipients left out)."""
    with reading() as session:
        bookings.get_booking(session, booking_id)
        return {"messages": [{"id": m.id, "channel": m.channel, "subject": m.subject, "body": m.body, "at": format_utc(m.created_at)}
                             for m in reminders.outbox(session, booking_id)]}


@blueprint.post("/bookings/<booking_id>/reschedule")
def reschedule_booking(booking_id: str):  # noqa: ANN201
    body = json_body()
    start = parse_instant(body.get("start"), "start")
    agent_id = body.get("agent_id")
    if agent_id is not None and not isinstance(agent_id, str):
        raise BadInput("bad-agent-id", "'agent_id' must be text.", field="agent_id")
    return bookings.reschedule(sessions(), config(), booking_id, start, agent_id).to_json()


@blueprint.post("/bookings/<booking_id>/confirm")
def confirm_booking(booking_id: str):  # noqa: ANN201
    return bookings.confirm(sessions(), config(), booking_id).to_json()


@blueprint.post("/bookings/<booking_id>/outcome")
@for_agents
def booking_outcome(booking_id: str):  # noqa: ANN201
    return bookings.record_outcome(sessions(), booking_id, json_body().get("outcome")).to_json()


@blueprint.get("/bookings/<booking_id>/calendar.ics")
def booking_calendar(booking_id: str) -> Response:
    with reading() as session:
        booking = bookings.view(bookings.get_booking(session, booking_id))
    body = ics.booking_calendar(booking, config().public_base_url or request.host_url)
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": "attachment; filename=session.ics"})


@blueprint.post("/waitlist")
def join_waitlist():  # noqa: ANN201
    body = json_body()
    start, end = parse_instant(body.get("from"), "from"), parse_instant(body.get("to"), "to")
    customer = Customer.parse(body.get("customer"), config().max_text_chars)
    with writing() as session:
        entry = waitlist.join_waitlist(session, config(), body.get("skill"), start, end, customer)
    return entry.to_json(), 201


@blueprint.get("/waitlist/<entry_id>")
def get_waitlist(entry_id: str):  # noqa: ANN201
    with reading() as session:
        return waitlist.view(waitlist.get_entry(session, entry_id)).to_json()


@blueprint.delete("/waitlist/<entry_id>")
def leave_waitlist(entry_id: str):  # noqa: ANN201
    with writing() as session:
        return waitlist.leave_waitlist(session, entry_id).to_json()


@blueprint.post("/queue")
def join_queue():  # noqa: ANN201
    body = json_body()
    customer = Customer.parse(body.get("customer"), config().max_text_chars)
    with writing() as session:
        ticket = queue.join_queue(session, body.get("skill"), customer, body.get("reason") or "")
    return _ticket_json(ticket), 201


def _ticket_json(ticket, *, with_customer: bool = False) -> dict:  # noqa: ANN001
    document = ticket.to_json()
    document["page"] = queue.QUEUE_PAGE.format(ticket_id=ticket.id)
    if with_customer and ticket.customer is not None:
        document["customer"] = {"name": ticket.customer.name, "contact": ticket.customer.contact}
        document["reason"] = ticket.reason
        document["room_id"] = ticket.room_id
    return document


@blueprint.get("/queue/<ticket_id>")
def queue_status(ticket_id: str):  # noqa: ANN201
    with reading() as session:
        return _ticket_json(queue.queue_status(session, ticket_id))


@blueprint.delete("/queue/<ticket_id>")
def leave_queue(ticket_id: str):  # noqa: ANN201
    with writing() as session:
        return _ticket_json(queue.leave_queue(session, ticket_id))


@blueprint.post("/queue/<ticket_id>/finish")
@for_agents
def finish_ticket(ticket_id: str):  # noqa: ANN201
    with writing() as session:
        return _ticket_json(queue.finish(session, ticket_id))


@blueprint.post("/agents/<agent_id>/claim")
@for_agents
def claim(agent_id: str):  # noqa: ANN201
    ticket = queue.claim_next(sessions(), agent_id)
    return {"ticket": _ticket_json(ticket, with_customer=True) if ticket else None}


@blueprint.get("/agents/<agent_id>/console")
@for_agents
def console(agent_id: str):  # noqa: ANN201
    with reading() as session:
        state = console_state(session, agent_id)
        return {
            "waiting": [_ticket_json(t, with_customer=True) for t in state.waiting],
            "claimed": [_ticket_json(t, with_customer=True) for t in state.claimed],
            "today": [b.to_json() for b in state.today],
        }


@blueprint.get("/rooms/<room_id>/signals")
def get_signals(room_id: str):  # noqa: ANN201
    with reading() as session:
        return {"signals": rooms.signals_for(session, room_id, request.args.get("role"), _after())}


@blueprint.post("/rooms/<room_id>/signals")
def post_signal(room_id: str):  # noqa: ANN201
    body = json_body()
    with writing() as session:
        return {"id": rooms.post_signal(session, room_id, body.get("role"), body.get("kind"), body.get("payload"))}, 201


@blueprint.get("/rooms/<room_id>/chat")
def get_chat(room_id: str):  # noqa: ANN201
    with reading() as session:
        return {"lines": rooms.chat_for(session, room_id, _after())}


@blueprint.post("/rooms/<room_id>/chat")
def post_chat(room_id: str):  # noqa: ANN201
    body = json_body()
    with writing() as session:
        return rooms.post_chat(session, room_id, body.get("role"), body.get("text"), config().max_text_chars), 201


def _after() -> int:
    try:
        return max(0, int(request.args.get("after", "0")))
    except ValueError:
        raise BadInput("bad-after", "'after' is the last id you saw, a whole number.", field="after") from None

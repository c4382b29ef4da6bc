"""The customers' side of the JSON API under ``/api/v1/sign-language/`` (times RFC 3339 UTC, errors problem+json).

The stable contract: ``GET availability``, ``POST bookings`` (with an optional
``Idempotency-Key``; 201, or 409 ``slot-taken``) and ``DELETE bookings/<id>``.
A booking's or ticket's random id is the customer's capability to use it; a
room's endpoints also need the agent's or the customer's credential (see
:mod:`.access`). The agents' endpoints are in :mod:`.agents_api`.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from barrierfree.errors import BadInput
from barrierfree.onboarding.scheduler import agents, availability, bookings, ics, queue, reminders, rooms, waitlist
from barrierfree.onboarding.scheduler.times import format_utc, parse_instant, utcnow
from barrierfree.onboarding.scheduler.types import BookingView, Customer
from barrierfree.web.sign_language.access import room_role
from barrierfree.web.sign_language.common import (
    config, day_window, json_body, reading, required_text, sessions, ticket_json, writing,
)

blueprint = Blueprint("sign_language_api", __name__, url_prefix="/api/v1/sign-language")


@blueprint.get("/skills")
def list_skills():  # noqa: ANN201
    with reading() as session:
        rows = agents.list_skills(session)
        return {"skills": [{"code": s.code, "kind": s.kind, "label": {"en": s.label_en, "zh-CN": s.label_zh}} for s in rows]}


@blueprint.get("/agents")
def list_agents():  # noqa: ANN201
    with reading() as session:
        return {"agents": [agent.to_json() for agent in agents.list_agents(session)]}


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
    """Book a slot; with ``"hold": true`` hold it for ``hold_minutes`` (``customer`` may then come with the confirmation)."""
    body = json_body()
    hold = bool(body.get("hold", False))
    booking_request = bookings.BookingRequest(
        agent_id=required_text(body, "agent_id"),
        start=parse_instant(body.get("start"), "start"),
        skill=required_text(body, "skill"),
        customer=None if hold and body.get("customer") is None else Customer.parse(body.get("customer"), config().max_text_chars),
        hold=hold,
    )
    result = bookings.book(sessions(), config(), booking_request, request.headers.get("Idempotency-Key"))
    response = jsonify(_booking_json(result.booking))
    response.status_code = 201
    response.headers["Location"] = f"{blueprint.url_prefix}/bookings/{result.booking.id}"
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _booking_json(booking: BookingView) -> dict:
    """The booking; a held one also says how many seconds its hold has left, so a page can time it without trusting its own clock."""
    document = booking.to_json()
    if booking.status == "held" and booking.held_until is not None:
        document["hold_seconds_left"] = max(0, int((booking.held_until - utcnow()).total_seconds()))
    return document


@blueprint.get("/bookings/<booking_id>")
def get_booking(booking_id: str):  # noqa: ANN201
    with reading() as session:
        return _booking_json(bookings.view(bookings.get_booking(session, booking_id)))


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
    """Confirm a hold; a hold made without the customer's details needs ``{"customer": {"name", "contact"}}``."""
    body = request.get_json(silent=True)
    given = body.get("customer") if isinstance(body, dict) else None
    customer = Customer.parse(given, config().max_text_chars) if given is not None else None
    return _booking_json(bookings.confirm(sessions(), config(), booking_id, customer=customer))


@blueprint.post("/bookings/<booking_id>/extend")
def extend_hold(booking_id: str):  # noqa: ANN201
    return _booking_json(bookings.extend_hold(sessions(), config(), booking_id))


@blueprint.get("/bookings/<booking_id>/calendar.ics")
def booking_calendar(booking_id: str) -> Response:
    with reading() as session:
        booking = bookings.view(bookings.get_booking(session, booking_id))
    # The configured public address, never the request's Host header (which a client chooses).
    body = ics.booking_calendar(booking, config().public_base_url)
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
    return ticket_json(ticket), 201


@blueprint.get("/queue/<ticket_id>")
def queue_status(ticket_id: str):  # noqa: ANN201
    with reading() as session:
        return ticket_json(queue.queue_status(session, ticket_id))


@blueprint.delete("/queue/<ticket_id>")
def leave_queue(ticket_id: str):  # noqa: ANN201
    with writing() as session:
        return ticket_json(queue.leave_queue(session, ticket_id))


def _room_role(room_id: str) -> str:
    """The sender's role from their credential (403 without one); ``?as=`` only picks between roles the request holds."""
    with reading() as session:
        room = rooms.get_room(session, room_id)
    return room_role(room, request.args.get("as"))


@blueprint.get("/rooms/<room_id>/signals")
def get_signals(room_id: str):  # noqa: ANN201
    role = _room_role(room_id)
    with reading() as session:
        return {"signals": rooms.signals_for(session, room_id, role, _after())}


@blueprint.post("/rooms/<room_id>/signals")
def post_signal(room_id: str):  # noqa: ANN201
    role = _room_role(room_id)
    body = json_body()
    with writing() as session:
        return {"id": rooms.post_signal(session, room_id, role, body.get("kind"), body.get("payload"))}, 201


@blueprint.get("/rooms/<room_id>/chat")
def get_chat(room_id: str):  # noqa: ANN201
    _room_role(room_id)
    with reading() as session:
        return {"lines": rooms.chat_for(session, room_id, _after())}


@blueprint.post("/rooms/<room_id>/chat")
def post_chat(room_id: str):  # noqa: ANN201
    """A chat line; who sent it is the credential's role (a ``role`` in the body is ignored)."""
    role = _room_role(room_id)
    body = json_body()
    with writing() as session:
        return rooms.post_chat(session, room_id, role, body.get("text"), config().max_text_chars), 201


def _after() -> int:
    try:
        return max(0, int(request.args.get("after", "0")))
    except ValueError:
        raise BadInput("bad-after", "'after' is the last id you saw, a whole number.", field="after") from None

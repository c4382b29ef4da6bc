"""Pages that let a person in: the agent console's sign-in (a one-time link or the token in a form) and the video room.

No page here reads a token from its URL, and no redirect carries one: the
one-time link's code is used up when opened, and the browser keeps a session
cookie instead (see :mod:`.access`).
"""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, request, url_for

from barrierfree.errors import BarrierFreeError, Unauthorized
from barrierfree.onboarding.scheduler import agents, bookings, console_links, queue, rooms
from barrierfree.web.journey import csrf
from barrierfree.web.sign_language.access import RoomCredentialRequired, actor_for_token, remember_room, room_role, sign_in
from barrierfree.web.sign_language.common import Actor, config, reading, writing
from barrierfree.web.sign_language.pages import _render, _t  # the area's page rendering, shared

blueprint = Blueprint("sign_language_access", __name__, url_prefix="/sign-language")


def _lang() -> str | None:
    """The page language asked for in the URL, carried over a redirect (``None`` leaves it out)."""
    return request.args.get("lang") or None


def _no_store(response):  # noqa: ANN001, ANN202
    """A page or redirect that follows a credential is never cached."""
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/agent/sign-in/<code>")
def redeem_sign_in_link(code: str):  # noqa: ANN201
    """Use up a one-time link, sign this browser in and go to the console (the redirect carries no code).

    A used or expired link shows the sign-in form with the reason (401).
    """
    try:
        with writing() as session:
            grant = console_links.redeem_link(session, code)
    except Unauthorized as failure:
        return _sign_in_page(failure.detail)
    sign_in(Actor(None if grant.supervisor else grant.agent_id))
    return _no_store(redirect(url_for("sign_language.agent_console", agent_id=grant.agent_id, lang=_lang()), 303))


@blueprint.route("/agent/sign-in", methods=["GET", "POST"])
def sign_in_form():  # noqa: ANN201
    """The agent types (or pastes) their token into a form: it travels in the body, never the URL."""
    error, status = None, 200
    if request.method == "POST":
        try:
            csrf.check()
            actor = actor_for_token(request.form.get("agent_token", "").strip())
            agent_id = actor.agent_id if actor is not None and actor.agent_id else request.form.get("agent_id", "")
            if actor is None or not agent_id:
                raise Unauthorized("bad-agent-token", _t()("sign_in_refused"))
            with reading() as session:
                agents.get_agent(session, agent_id)
            sign_in(actor)
            return _no_store(redirect(url_for("sign_language.agent_console", agent_id=agent_id, lang=_lang()), 303))
        except BarrierFreeError as failure:
            # A wrong token is 401; an expired or foreign form (CSRF) is shown like every other form's refusal, 422.
            error, status = failure.detail, 401 if isinstance(failure, Unauthorized) else 422
    return _sign_in_page(error, status)


def _sign_in_page(error: str | None, status: int | None = None):  # noqa: ANN202
    with reading() as session:
        listed = agents.list_agents(session, active_only=False)
    return _no_store(make_response(*_render("sign_in.html", status or (401 if error else 200), error=error, agents=listed)))


@blueprint.get("/rooms/<room_id>")
def room_page(room_id: str):  # noqa: ANN201
    """The room, for its agent (``?as=agent`` when one browser holds both credentials) or its customer."""
    with reading() as session:
        room = rooms.get_room(session, room_id)
    try:
        role = room_role(room, request.args.get("as"))
    except RoomCredentialRequired:
        return _no_store(make_response(*_render("room_refused.html", 403)))
    jitsi = config().jitsi_base_url.rstrip("/")
    return _no_store(make_response(*_render(
        "room.html", room=room, role=role, jitsi_url=f"{jitsi}/barrierfree-{room.id}" if jitsi else "",
        ice_servers=list(config().ice_servers),
    )))


def _enter(room_id: str):  # noqa: ANN202
    with reading() as session:
        remember_room(rooms.get_room(session, room_id))
    return _no_store(redirect(url_for(".room_page", room_id=room_id, lang=_lang()), 303))


@blueprint.get("/bookings/<booking_id>/room")
def booking_room(booking_id: str):  # noqa: ANN201
    """The customer opens their booking's room: the booking id is the credential, remembered for the room."""
    with reading() as session:
        room_id = bookings.get_booking(session, booking_id).room_id
    return _enter(room_id)


@blueprint.get("/queue/<ticket_id>/room")
def queue_room(ticket_id: str):  # noqa: ANN201
    """The customer opens the room of their claimed ticket; before the claim, back to the queue page."""
    with reading() as session:
        ticket = queue.queue_status(session, ticket_id)
    if ticket.status != "claimed":
        return redirect(url_for("sign_language.queue_page", ticket_id=ticket_id, lang=_lang()), 303)
    return _enter(ticket.room_id)


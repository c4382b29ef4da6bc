"""Credentials on the sign-language pages: the agent console's session and who may enter a video room.

Tokens never travel in URLs. An agent signs a browser in once (a one-time
link, or the sign-in form) and the signed session cookie then stands for
their token; issuing the agent a new token (or changing the supervisor
token) ends every such session, because the session keeps a fingerprint of
the token it stands for.

A room is entered only with a credential: the room's own agent (their token
or console session, or a supervisor's), or the customer, whose credential is
the booking id or queue ticket id (the secret their pages are built on),
sent as ``X-Customer-Key`` or remembered in the session when they open the
room from their booking or queue page. The room id alone grants nothing, and
the chat and signalling role comes from that credential, never from a body.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import request, session

from barrierfree.errors import Forbidden
from barrierfree.onboarding.scheduler.agents import agent_for_token, token_hash
from barrierfree.onboarding.scheduler.models import Agent
from barrierfree.onboarding.scheduler.rooms import Room
from barrierfree.web.sign_language.common import Actor, config, reading

#: Session keys: the signed-in console actor, and the rooms this browser may enter as the customer.
SESSION_AGENT = "sl_agent"
SESSION_ROOMS = "sl_rooms"
#: Rooms remembered per browser (the oldest is forgotten first); keeps the cookie small.
MAX_REMEMBERED_ROOMS = 20
#: Header an API client sends the customer's booking id or queue ticket id in.
CUSTOMER_KEY_HEADER = "X-Customer-Key"


class RoomCredentialRequired(Forbidden):
    """A room request without the agent's or the customer's credential (HTTP 403)."""

    default_code = "room-credential-required"


def _fingerprint(agent_id: str | None) -> str | None:
    """What a console session is bound to: the actor's current token (hash), so a new token ends old sessions."""
    if agent_id is None:
        secret_hash = token_hash(config().agent_token)
    else:
        with reading() as db:
            agent = db.get(Agent, agent_id)
            if agent is None:
                return None
            secret_hash = agent.token_hash or ""
    return hashlib.sha256(f"console-session:{agent_id}:{secret_hash}".encode()).hexdigest()


def sign_in(actor: Actor) -> None:
    """Let this browser act as ``actor`` on the console pages from now on."""
    session[SESSION_AGENT] = {"agent": actor.agent_id, "proof": _fingerprint(actor.agent_id)}


def session_actor() -> Actor | None:
    """The actor this browser signed in as, while that actor's token is unchanged."""
    stored = session.get(SESSION_AGENT)
    if not isinstance(stored, dict):
        return None
    agent_id = stored.get("agent")
    proof = _fingerprint(agent_id)
    if proof is None or not hmac.compare_digest(str(stored.get("proof", "")), proof):
        session.pop(SESSION_AGENT, None)
        return None
    return Actor(agent_id)


def actor_for_token(token: str) -> Actor | None:
    """The agent a token names, the supervisor for the configured supervisor token, else ``None``."""
    if not token:
        return None
    with reading() as db:
        agent_id = agent_for_token(db, token)
    if agent_id is not None:
        return Actor(agent_id)
    expected = config().agent_token
    if expected and hmac.compare_digest(token.encode(), expected.encode()):
        return Actor(None)
    return None


def remember_room(room: Room) -> None:
    """This browser showed the customer's credential for ``room``: let it in from now on."""
    rooms = [room_id for room_id in session.get(SESSION_ROOMS, []) if room_id != room.id]
    session[SESSION_ROOMS] = (rooms + [room.id])[-MAX_REMEMBERED_ROOMS:]


def _is_agent(room: Room) -> bool:
    given = request.headers.get("X-Agent-Token", "")
    actor = actor_for_token(given) if given else session_actor()
    return actor is not None and room.agent_id is not None and actor.may_act_for(room.agent_id)


def _is_customer(room: Room) -> bool:
    given = request.headers.get(CUSTOMER_KEY_HEADER, "")
    if given:
        return any(secret and hmac.compare_digest(given.encode(), secret.encode()) for secret in (room.booking_id, room.ticket_id))
    return room.id in session.get(SESSION_ROOMS, [])


def room_role(room: Room, preferred: str | None = None) -> str:
    """``agent`` or ``customer`` as the request's credentials show; ``preferred`` only chooses between roles it holds."""
    held = [role for role, holds in (("customer", _is_customer(room)), ("agent", _is_agent(room))) if holds]
    if not held:
        raise RoomCredentialRequired(
            detail="Open the room from your booking or queue page (customers) or from your console (agents).",
        )
    return preferred if preferred in held else held[0]

"""Video rooms: WebRTC signalling and a text chat, relayed through the database.

A room belongs to a booking or to a claimed queue ticket; its random id is
the capability to enter it. The two sides post signalling messages (offer,
answer, ICE candidates) and read the other side's by polling with the last id
they saw; media then flows browser to browser. Chat lines (captions and
typed questions) are stored encrypted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from barrierfree.errors import BadInput, NotFound
from barrierfree.onboarding.scheduler.models import Booking, ChatLine, QueueEntry, Signal
from barrierfree.onboarding.scheduler.times import format_utc, utcnow
from barrierfree.onboarding.scheduler.types import clean_text

ROLES = ("customer", "agent")
SIGNAL_KINDS = ("hello", "offer", "answer", "candidate", "bye")
#: Largest signalling payload accepted, in bytes (an SDP offer is a few kB).
MAX_SIGNAL_BYTES = 64_000


@dataclass(frozen=True)
class Room:
    id: str
    booking_id: str | None
    ticket_id: str | None
    agent_id: str | None
    start: datetime | None


def get_room(session: Session, room_id: str) -> Room:
    booking = session.scalars(select(Booking).where(Booking.room_id == room_id)).first()
    if booking is not None and booking.status in ("confirmed", "completed", "no_show"):
        return Room(room_id, booking.id, None, booking.agent_id, booking.starts_at)
    entry = session.scalars(select(QueueEntry).where(QueueEntry.room_id == room_id)).first()
    if entry is not None and entry.status in ("claimed", "done"):
        return Room(room_id, None, entry.id, entry.claimed_by, entry.claimed_at)
    raise NotFound("unknown-room", "This room does not exist or is not open; use the link from your booking or queue page.")


def _role(role: object) -> str:
    if role not in ROLES:
        raise BadInput("bad-role", "'role' is 'customer' or 'agent'.", field="role")
    return role


def post_signal(session: Session, room_id: str, role: object, kind: object, payload: object) -> int:
    get_room(session, room_id)
    if kind not in SIGNAL_KINDS:
        raise BadInput("bad-signal", f"'kind' is one of {', '.join(SIGNAL_KINDS)}.", field="kind")
    text = json.dumps(payload)
    if len(text.encode()) > MAX_SIGNAL_BYTES:
        raise BadInput("signal-too-large", "That signalling message is too large.")
    signal = Signal(room_id=room_id, sender=_role(role), kind=kind, payload=text, created_at=utcnow())
    session.add(signal)
    session.flush()
    return signal.id


def signals_for(session: Session, room_id: str, role: object, after: int = 0) -> list[dict]:
    """The other side's messages with an id above ``after``."""
    get_room(session, room_id)
    other = "agent" if _role(role) == "customer" else "customer"
    rows = session.scalars(
        select(Signal).where(Signal.room_id == room_id, Signal.sender == other, Signal.id > after).order_by(Signal.id).limit(200)
    )
    return [{"id": s.id, "kind": s.kind, "payload": json.loads(s.payload)} for s in rows]


def post_chat(session: Session, room_id: str, role: object, body: object, max_chars: int) -> dict:
    get_room(session, room_id)
    line = ChatLine(room_id=room_id, sender=_role(role), body=clean_text(body, "text", max_chars), created_at=utcnow())
    session.add(line)
    session.flush()
    return _line(line)


def chat_for(session: Session, room_id: str, after: int = 0) -> list[dict]:
    get_room(session, room_id)
    rows = session.scalars(select(ChatLine).where(ChatLine.room_id == room_id, ChatLine.id > after).order_by(ChatLine.id).limit(500))
    return [_line(line) for line in rows]


def _line(line: ChatLine) -> dict:
    return {"id": line.id, "from": line.sender, "text": line.body, "at": format_utc(line.created_at)}

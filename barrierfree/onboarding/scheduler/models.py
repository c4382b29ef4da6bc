"""Tables of the scheduler (migration ``0002_scheduler``); every time is UTC.

Customer names, contacts, queue reasons, chat lines and message recipients are
personal data and use :class:`EncryptedText`. Public ids are random tokens:
a booking's id is also the customer's capability to manage it, so it must not
be guessable.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from barrierfree.errors import InternalError
from barrierfree.onboarding.storage.sealing import RowSealedText, seal_rows
from barrierfree.onboarding.storage.db import Base

#: Booking states that hold a slot (the exclusion constraint's WHERE clause).
LIVE_STATES = ("held", "confirmed")
BOOKING_STATES = ("held", "confirmed", "completed", "cancelled", "no_show", "expired")


def new_id() -> str:
    """A 128-bit URL-safe random id."""
    return secrets.token_urlsafe(16)


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL.

    SQLite has no time zone type: values are stored as naive UTC text, whose
    fixed format also sorts correctly.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001, ANN201
        if value is None:
            return None
        if value.tzinfo is None:
            raise InternalError("naive-datetime", "A naive datetime reached the scheduler's storage.")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):  # noqa: ANN001, ANN201
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Skill(Base):
    """A sign-language variety, a spoken/written language, captioning or an agent's gender."""

    __tablename__ = "sl_skills"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    label_en: Mapped[str] = mapped_column(String(120))
    label_zh: Mapped[str] = mapped_column(String(120))


class AgentSkill(Base):
    __tablename__ = "sl_agent_skills"
    agent_id: Mapped[str] = mapped_column(ForeignKey("sl_agents.id", ondelete="CASCADE"), primary_key=True)
    skill_code: Mapped[str] = mapped_column(ForeignKey("sl_skills.code"), primary_key=True)


class Agent(Base):
    """A signing agent (staff: the display name is not customer data)."""

    __tablename__ = "sl_agents"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
    time_zone: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: SHA-256 of the agent's own API token (migration ``0002a``); ``None`` until one is issued.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    skill_rows: Mapped[list[AgentSkill]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    rules: Mapped[list[Rule]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def skills(self) -> tuple[str, ...]:
        return tuple(sorted(row.skill_code for row in self.skill_rows))


class ConsoleLink(Base):
    """A one-time link that signs a browser in to ``agent_id``'s console (migration ``0002b``).

    ``supervisor`` links act for every agent, as the supervisor token does.
    """

    __tablename__ = "sl_console_links"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("sl_agents.id", ondelete="CASCADE"))
    supervisor: Mapped[bool] = mapped_column(Boolean)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Rule(Base):
    """Weekly working hours in the agent's local wall time (``HH:MM``; end ``00:00`` = midnight)."""

    __tablename__ = "sl_rules"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("sl_agents.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start_local: Mapped[str] = mapped_column(String(5))
    end_local: Mapped[str] = mapped_column(String(5))


class TimeOff(Base):
    __tablename__ = "sl_time_off"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("sl_agents.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Booking(Base):
    """A booked session. ``blocked_until`` = end + buffer: the span no other live booking may touch."""

    __tablename__ = "sl_bookings"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    agent_id: Mapped[str] = mapped_column(ForeignKey("sl_agents.id"), index=True)
    skill_code: Mapped[str] = mapped_column(ForeignKey("sl_skills.code"))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    blocked_until: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(12))
    held_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    customer_name: Mapped[str] = mapped_column(RowSealedText("sl_bookings.customer_name"))
    customer_contact: Mapped[str] = mapped_column(RowSealedText("sl_bookings.customer_contact"))
    #: iCalendar SEQUENCE: bumped on every change the customer's calendar must see.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    request_fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    room_id: Mapped[str] = mapped_column(String(32), default=new_id, unique=True)
    waitlist_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WaitlistEntry(Base):
    """A customer waiting for any slot with ``skill_code`` inside ``[window_start, window_end)``."""

    __tablename__ = "sl_waitlist"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    skill_code: Mapped[str] = mapped_column(ForeignKey("sl_skills.code"))
    window_start: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    window_end: Mapped[datetime] = mapped_column(UtcDateTime)
    customer_name: Mapped[str] = mapped_column(RowSealedText("sl_waitlist.customer_name"))
    customer_contact: Mapped[str] = mapped_column(RowSealedText("sl_waitlist.customer_contact"))
    status: Mapped[str] = mapped_column(String(12), default="waiting")  # waiting | booked | left
    booking_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class QueueEntry(Base):
    """A customer waiting now for the next free agent with a skill."""

    __tablename__ = "sl_queue"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    skill_code: Mapped[str] = mapped_column(ForeignKey("sl_skills.code"), index=True)
    customer_name: Mapped[str] = mapped_column(RowSealedText("sl_queue.customer_name"))
    customer_contact: Mapped[str] = mapped_column(RowSealedText("sl_queue.customer_contact"))
    reason: Mapped[str] = mapped_column(RowSealedText("sl_queue.reason"))
    status: Mapped[str] = mapped_column(String(12), default="waiting", index=True)  # waiting | claimed | left | done
    claimed_by: Mapped[str | None] = mapped_column(ForeignKey("sl_agents.id"), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    room_id: Mapped[str] = mapped_column(String(32), default=new_id, unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Signal(Base):
    """One WebRTC signalling message (offer, answer, ICE candidate) in a room."""

    __tablename__ = "sl_signals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    room_id: Mapped[str] = mapped_column(String(32), index=True)
    sender: Mapped[str] = mapped_column(String(10))  # customer | agent
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ChatLine(Base):
    """A typed line in a room's text chat (captions and questions); encrypted at rest."""

    __tablename__ = "sl_chat"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    room_id: Mapped[str] = mapped_column(String(32), index=True)
    sender: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(RowSealedText("sl_chat.body"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Reminder(Base):
    """A text message due at ``due_at`` (confirmations go out at once, reminders before the session)."""

    __tablename__ = "sl_reminders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    booking_id: Mapped[str] = mapped_column(ForeignKey("sl_bookings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # confirmed | reminder | rescheduled | cancelled | promoted
    due_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | claimed | sent | dropped
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class OutboxMessage(Base):
    """A message handed to a sender; the default senders write here, and tests read it."""

    __tablename__ = "sl_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(10))  # email | sms | in_app
    recipient: Mapped[str] = mapped_column(RowSealedText("sl_outbox.recipient"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    booking_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    reminder_id: Mapped[int | None] = mapped_column(Integer, nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


def _fill_id(row: object) -> None:
    """Generated ids are needed before the insert: they are part of the row's seal."""
    if getattr(row, "id", None) is None:
        row.id = new_id()  # type: ignore[attr-defined]


# Personal data is sealed to its row (see barrierfree.onboarding.storage.sealing).
for _model in (Booking, WaitlistEntry, QueueEntry):
    seal_rows(_model, ("id",), before_insert=_fill_id)
seal_rows(ChatLine, ("room_id",))
seal_rows(OutboxMessage, ("booking_id", "reminder_id"))

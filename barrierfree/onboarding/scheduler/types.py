"""The small frozen dataclasses that cross the scheduler's boundary.

Personal values (a customer's name and contact, a queue reason) never show in
a ``repr``, so an accidental log line or traceback cannot leak them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from barrierfree.errors import BadInput
from barrierfree.onboarding.scheduler.times import format_utc

_PHONE = re.compile(r"^\+?[\d\s-]{6,20}$")


def _text(value: object, field_name: str, max_chars: int, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadInput("missing-field", f"'{field_name}' is required and must be text.", field=field_name)
    value = value.strip()
    if len(value) > max_chars or any(ord(ch) < 32 for ch in value):
        raise BadInput("bad-text", f"'{field_name}' must be one line of at most {max_chars} characters.", field=field_name)
    return value


@dataclass(frozen=True)
class Customer:
    """Who a booking or queue ticket is for. ``contact`` is an e-mail address, a phone number or an in-app handle."""

    name: str = field(repr=False)
    contact: str = field(repr=False)

    @classmethod
    def parse(cls, document: object, max_chars: int = 500) -> Customer:
        """From the JSON ``{"name", "contact"}`` of the API, with clear errors."""
        if not isinstance(document, dict):
            raise BadInput("missing-field", "'customer' must be an object with 'name' and 'contact'.", field="customer")
        contact = _text(document.get("contact"), "customer.contact", max_chars)
        if "@" in contact:
            contact = email_address(contact)
        return cls(_text(document.get("name"), "customer.name", max_chars), contact)

    @property
    def channel(self) -> str:
        """Where text messages go: ``email``, ``sms`` or ``in_app`` (never a call)."""
        if "@" in self.contact and _is_email(self.contact):
            return "email"
        if _PHONE.match(self.contact):
            return "sms"
        return "in_app"


def email_address(value: str) -> str:
    """One e-mail address, normalised, checked by ``email-validator`` (RFC 5321/5322 syntax, no DNS look-up).

    A comma, a second ``@`` or a display name would add or hide a recipient; each is refused.

    >>> email_address("Zhang@Example.CN")
    'Zhang@example.cn'
    >>> email_address("a@b.cn,evil@attacker.example")
    Traceback (most recent call last):
    ...
    barrierfree.errors.BadInput: 'customer.contact' is not one valid e-mail address.
    """
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise BadInput("bad-email", "'customer.contact' is not one valid e-mail address.", field="customer.contact") from None


def _is_email(value: str) -> bool:
    try:
        email_address(value)
        return True
    except BadInput:
        return False


def clean_text(value: object, field_name: str, max_chars: int, *, required: bool = True) -> str:
    """One line of text for a reason or a chat line, or :class:`BadInput`."""
    return _text(value, field_name, max_chars, required=required)


@dataclass(frozen=True)
class AgentView:
    id: str
    name: str
    time_zone: str
    active: bool
    skills: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "time_zone": self.time_zone, "active": self.active, "skills": list(self.skills)}


@dataclass(frozen=True)
class Slot:
    """A bookable session: one agent, a UTC start and end, the agent's skills."""

    agent_id: str
    start: datetime
    end: datetime
    skills: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"agent_id": self.agent_id, "start": format_utc(self.start), "end": format_utc(self.end), "skills": list(self.skills)}


@dataclass(frozen=True)
class BookingView:
    id: str
    agent_id: str
    agent_name: str
    skill: str
    start: datetime
    end: datetime
    status: str
    sequence: int
    room_id: str
    held_until: datetime | None
    customer: Customer | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The API shape; the customer's details are not echoed back."""
        return {
            "id": self.id,
            "agent_id": self.agent_id,
            "agent_name": self.agent_name,
            "skill": self.skill,
            "start": format_utc(self.start),
            "end": format_utc(self.end),
            "status": self.status,
            "sequence": self.sequence,
            "room_id": self.room_id,
            "held_until": format_utc(self.held_until) if self.held_until else None,
        }


@dataclass(frozen=True)
class QueueTicket:
    """A place in the on-demand queue. ``position`` is 1 for the next customer, 0 once claimed."""

    id: str
    skill: str
    status: str
    position: int
    room_id: str
    agent_id: str | None
    created_at: datetime
    customer: Customer | None = field(default=None, repr=False)
    reason: str = field(default="", repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "skill": self.skill,
            "status": self.status,
            "position": self.position,
            "room_id": self.room_id if self.status == "claimed" else None,
            "agent_id": self.agent_id,
            "created_at": format_utc(self.created_at),
        }


@dataclass(frozen=True)
class WaitlistView:
    id: str
    skill: str
    window_start: datetime
    window_end: datetime
    status: str
    booking_id: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "skill": self.skill,
            "from": format_utc(self.window_start),
            "to": format_utc(self.window_end),
            "status": self.status,
            "booking_id": self.booking_id,
        }

"""What the API and the pages share: sessions, settings, request parsing, agent access."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app, request
from sqlalchemy.orm import Session

from barrierfree.errors import BadInput
from barrierfree.onboarding.scheduler.queue import QUEUE_PAGE
from barrierfree.onboarding.scheduler.times import check_window, parse_day, utcnow, wall_to_utc, zone
from barrierfree.onboarding.scheduler.txn import write_session
from barrierfree.onboarding.scheduler.types import QueueTicket
from barrierfree.settings.scheduler import SchedulerSettings


def config() -> SchedulerSettings:
    return current_app.extensions["barrierfree.settings"].scheduler


def sessions():  # noqa: ANN201 - sessionmaker
    return current_app.extensions["barrierfree.sessions"]


@contextmanager
def reading() -> Iterator[Session]:
    with sessions()() as session:
        yield session


def writing():  # noqa: ANN201 - context manager
    return write_session(sessions())


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadInput("bad-json", "Send a JSON object with Content-Type: application/json.")
    return body


def day_window(first: object, last: object, tz_name: object) -> tuple[datetime, datetime]:
    """``[first 00:00, last+1 00:00)`` in zone ``tz_name`` as UTC, checked for sense."""
    tz = zone(tz_name if isinstance(tz_name, str) else "", "tz")
    start_day, end_day = parse_day(first, "from"), parse_day(last, "to")
    if end_day < start_day:
        raise BadInput("inverted-range", "'to' must be the same day as 'from' or later.", field="to")
    start = wall_to_utc(datetime.combine(start_day, time(0)), tz, "start")
    end = wall_to_utc(datetime.combine(end_day + timedelta(days=1), time(0)), tz, "start")
    cfg = config()
    check_window(start, end, utcnow(), horizon_days=cfg.horizon_days, max_days=cfg.max_range_days + 1)
    return start, end


@dataclass(frozen=True)
class Actor:
    """Who is acting on the agents' side: one agent (their own token) or a supervisor (``agent_id`` ``None``)."""

    agent_id: str | None

    def may_act_for(self, agent_id: str) -> bool:
        return self.agent_id is None or self.agent_id == agent_id


def acting_agent(*, cookie: bool = True) -> Actor | None:
    """The actor this request's ``X-Agent-Token`` (or console session cookie) names, or ``None`` if it names nobody.

    An agent's own token makes them the actor. The shared ``scheduler.agent_token``
    is the supervisor's. A request without a token or console session acts as
    nobody, whatever is configured (the app does not start without a supervisor
    token outside the demo). A token in the URL is not read: it would end up in
    history and logs (see ``access``). ``cookie=False`` ignores the console
    session (for API writes a cross-site form could otherwise send).
    """
    given = request.headers.get("X-Agent-Token") or request.form.get("token") or ""
    from barrierfree.web.sign_language.access import actor_for_token, session_actor

    if not given:
        signed_in = session_actor() if cookie else None
        return signed_in
    return actor_for_token(given)


def required_text(body: dict, name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BadInput("missing-field", f"'{name}' is required.", field=name)
    return value.strip()


def ticket_json(ticket: QueueTicket, *, with_customer: bool = False) -> dict:
    """A queue ticket for the API; the customer's details only for agents."""
    document = ticket.to_json()
    document["page"] = QUEUE_PAGE.format(ticket_id=ticket.id)
    if with_customer and ticket.customer is not None:
        document["customer"] = {"name": ticket.customer.name, "contact": ticket.customer.contact}
        document["reason"] = ticket.reason
        document["room_id"] = ticket.room_id
    return document

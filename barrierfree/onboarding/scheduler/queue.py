"""The on-demand queue: "the next free agent who signs, now".

A customer joins with a skill and gets a :class:`QueueTicket`; an agent claims
the oldest waiting ticket whose skill they have. A claim locks the row with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL (concurrent agents pass over each
other's rows instead of waiting) and runs under ``BEGIN IMMEDIATE`` on SQLite;
the status guard in the ``UPDATE`` makes a double claim impossible either way.

The account-opening journey calls :func:`join_queue` for "ask for human help"
and sends the customer to :data:`QUEUE_PAGE` with the ticket id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from barrierfree.errors import Conflict, NotFound
from barrierfree.log import get_logger, ref
from barrierfree.onboarding.scheduler.agents import check_owner, get_agent, require_skill
from barrierfree.onboarding.scheduler.models import QueueEntry
from barrierfree.onboarding.scheduler.times import utcnow
from barrierfree.onboarding.scheduler.txn import write_session
from barrierfree.onboarding.scheduler.types import Customer, QueueTicket, clean_text

log = get_logger(__name__)
#: The customer's waiting page for a ticket (format with ``ticket_id``).
QUEUE_PAGE = "/sign-language/queue/{ticket_id}"
#: How many times a claim retries after losing a race for a row (SQLite never loses).
_CLAIM_ATTEMPTS = 5


def join_queue(session: Session, skill: object, customer: Customer, reason: str = "", now: datetime | None = None) -> QueueTicket:
    """Put ``customer`` in the queue for ``skill``; the caller commits ``session``."""
    code = require_skill(session, skill)
    reason = clean_text(reason, "reason", 500, required=False)
    entry = QueueEntry(
        skill_code=code, customer_name=customer.name, customer_contact=customer.contact, reason=reason,
        status="waiting", created_at=now or utcnow(),
    )
    session.add(entry)
    session.flush()
    log.info("queue ticket %s joined for %s", ref(entry.id), code)
    return ticket(session, entry)


def queue_status(session: Session, ticket_id: str) -> QueueTicket:
    return ticket(session, _get(session, ticket_id))


def leave_queue(session: Session, ticket_id: str) -> QueueTicket:
    """Leave while waiting; leaving twice is harmless, leaving after a claim is a conflict."""
    entry = _get(session, ticket_id)
    if entry.status == "claimed":
        raise Conflict("already-claimed", "An agent is already joining you; close the room instead.")
    if entry.status == "waiting":
        entry.status = "left"
        session.flush()
    return ticket(session, entry)


def claim_next(sessions: sessionmaker, agent_id: str, now: datetime | None = None) -> QueueTicket | None:
    """The oldest waiting ticket the agent can serve, now claimed by them; ``None`` when nobody waits."""
    now = now or utcnow()
    for _ in range(_CLAIM_ATTEMPTS):
        with write_session(sessions) as session:
            agent = get_agent(session, agent_id)
            entry = session.scalars(
                select(QueueEntry)
                .where(QueueEntry.status == "waiting", QueueEntry.skill_code.in_(agent.skills))
                .order_by(QueueEntry.created_at, QueueEntry.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if entry is None:
                return None
            won = session.execute(
                update(QueueEntry)
                .where(QueueEntry.id == entry.id, QueueEntry.status == "waiting")
                .values(status="claimed", claimed_by=agent.id, claimed_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
            if won == 1:
                session.refresh(entry)
                log.info("queue ticket %s claimed by agent %s", ref(entry.id), agent.id)
                return ticket(session, entry, with_customer=True)
    return None


def finish(session: Session, ticket_id: str, acting_agent: str | None = None) -> QueueTicket:
    """The agent who took a ticket closes it once the conversation is over (``None``: a supervisor)."""
    entry = _get(session, ticket_id)
    if entry.status != "claimed":
        raise Conflict("not-claimed", "Only a ticket an agent has taken can be closed.")
    check_owner(entry.claimed_by, acting_agent, "ticket")
    entry.status = "done"
    session.flush()
    return ticket(session, entry)


def waiting(session: Session, skills: tuple[str, ...] | None = None) -> list[QueueTicket]:
    """Waiting tickets, oldest first (the agent console's list)."""
    query = select(QueueEntry).where(QueueEntry.status == "waiting").order_by(QueueEntry.created_at, QueueEntry.id)
    if skills is not None:
        query = query.where(QueueEntry.skill_code.in_(skills))
    return [ticket(session, entry, with_customer=True) for entry in session.scalars(query)]


def claimed_by(session: Session, agent_id: str) -> list[QueueTicket]:
    query = select(QueueEntry).where(QueueEntry.status == "claimed", QueueEntry.claimed_by == agent_id)
    return [ticket(session, entry, with_customer=True) for entry in session.scalars(query.order_by(QueueEntry.claimed_at))]


def ticket(session: Session, entry: QueueEntry, *, with_customer: bool = False) -> QueueTicket:
    position = 0
    if entry.status == "waiting":
        ahead = session.scalar(
            select(func.count()).select_from(QueueEntry).where(
                QueueEntry.status == "waiting", QueueEntry.skill_code == entry.skill_code,
                or_(QueueEntry.created_at < entry.created_at,
                    and_(QueueEntry.created_at == entry.created_at, QueueEntry.id < entry.id)),
            )
        )
        position = int(ahead or 0) + 1  # COUNT is never NULL
    customer = Customer(entry.customer_name, entry.customer_contact) if with_customer else None
    return QueueTicket(
        entry.id, entry.skill_code, entry.status, position, entry.room_id, entry.claimed_by, entry.created_at,
        customer, entry.reason if with_customer else "",
    )


def _get(session: Session, ticket_id: str) -> QueueEntry:
    entry = session.get(QueueEntry, ticket_id) if isinstance(ticket_id, str) else None
    if entry is None:
        raise NotFound("unknown-ticket", "No queue ticket has that id; join the queue again.")
    return entry

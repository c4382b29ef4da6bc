"""Bookings: held → confirmed → completed / cancelled / no_show, never two on one slot.

Each change runs in its own :func:`write_session`. The overlap check inside
it gives the friendly answer; what makes double booking impossible is the
database: ``BEGIN IMMEDIATE`` on SQLite (one writer at a time, so the check
and the insert are atomic) and the exclusion constraint on PostgreSQL (the
loser of a race gets an integrity error, turned into ``409 slot-taken``).
Time off is checked against bookings on both sides; on PostgreSQL a booking
holds its agent's row ``FOR SHARE`` and new time off takes it ``FOR UPDATE``,
so one of the two always sees the other.
An ``Idempotency-Key`` makes a retried request return the first booking
instead of booking twice or failing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from barrierfree.errors import BadInput, Conflict, NotFound
from barrierfree.log import get_logger, ref
from barrierfree.onboarding.scheduler import reminders
from barrierfree.onboarding.scheduler.agents import check_owner, get_agent, require_skills
from barrierfree.onboarding.scheduler.availability import free_slots, live_filter, rule_slots
from barrierfree.onboarding.scheduler.models import Agent, Booking, TimeOff, WaitlistEntry
from barrierfree.onboarding.scheduler.times import check_window, format_utc, utcnow
from barrierfree.onboarding.scheduler.txn import violated, write_session
from barrierfree.onboarding.scheduler.types import BookingView, Customer
from barrierfree.onboarding.storage.models import AuditEvent
from barrierfree.settings.scheduler import SchedulerSettings

log = get_logger(__name__)
_SLOT_TAKEN = "That slot was just taken by someone else; pick another time from /api/v1/sign-language/availability."


@dataclass(frozen=True)
class BookingRequest:
    """What to book. A hold may leave ``customer`` out: the page holds a slot
    while the customer types their details, which :func:`confirm` then adds."""

    agent_id: str
    start: datetime
    skill: str
    customer: Customer | None
    hold: bool = False

    def fingerprint(self) -> str:
        """What must match for a retry with the same idempotency key (no personal data in it)."""
        return hashlib.sha256(f"{self.agent_id}|{format_utc(self.start)}|{self.skill}|{self.hold}".encode()).hexdigest()


@dataclass(frozen=True)
class BookingResult:
    booking: BookingView
    #: True when an idempotent retry returned the booking made by the first request.
    replayed: bool = False


def view(booking: Booking, *, with_customer: bool = False) -> BookingView:
    """The booking as a frozen dataclass (call while its session is open)."""
    agent = Session.object_session(booking).get(Agent, booking.agent_id).display_name  # type: ignore[union-attr]  # attached, with its agent
    customer = Customer(booking.customer_name, booking.customer_contact) if with_customer else None
    return BookingView(
        booking.id, booking.agent_id, agent, booking.skill_code, booking.starts_at, booking.ends_at,
        booking.status, booking.sequence, booking.room_id, booking.held_until, customer,
    )


def book(
    sessions: sessionmaker, config: SchedulerSettings, request: BookingRequest,
    idempotency_key: str | None = None, now: datetime | None = None,
) -> BookingResult:
    """Book ``request`` (confirmed, or held for ``hold_minutes`` when ``request.hold``)."""
    now = now or utcnow()
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 200:
        raise BadInput("bad-idempotency-key", "The Idempotency-Key header must be 1 to 200 characters.")
    try:
        with write_session(sessions) as session:
            # Checked again under the write lock (SQLite) so a retry racing the
            # first request finds its booking instead of a "taken" slot.
            replay = _replay(session, idempotency_key, request)
            if replay is not None:
                return replay
            booking = _insert(session, config, request, now, idempotency_key)
            result = BookingResult(view(booking))
    except (IntegrityError, Conflict) as error:
        if isinstance(error, Conflict) and error.code == "idempotency-key-reused":
            raise
        with sessions() as session:
            replay = _replay(session, idempotency_key, request)
        if replay is not None:
            return replay
        if isinstance(error, IntegrityError) and violated(error, "sl_bookings_no_overlap", "sl_bookings_live_start", "sl_bookings.agent_id"):
            raise Conflict("slot-taken", _SLOT_TAKEN) from None
        raise
    log.info("booking %s %s for agent %s", ref(result.booking.id), result.booking.status, result.booking.agent_id)
    return result


def _replay(session: Session, key: str | None, request: BookingRequest) -> BookingResult | None:
    """The booking an earlier request with ``key`` made, if any."""
    if key is None:
        return None
    existing = session.scalars(select(Booking).where(Booking.idempotency_key == key)).one_or_none()
    if existing is None:
        return None
    if existing.request_fingerprint != request.fingerprint():
        raise Conflict(
            "idempotency-key-reused",
            "That Idempotency-Key was already used for a different booking; send a new key for a new request.",
        )
    return BookingResult(view(existing), replayed=True)


def _insert(
    session: Session, config: SchedulerSettings, request: BookingRequest, now: datetime, key: str | None,
    message: str = "confirmed",
) -> Booking:
    if request.customer is None and not request.hold:
        raise BadInput("missing-field", "'customer' with 'name' and 'contact' is required to book.", field="customer")
    agent = _check_slot(session, config, request.agent_id, request.start, request.skill, now)
    session_len = timedelta(minutes=config.session_minutes)
    end = request.start + session_len
    blocked = end + timedelta(minutes=config.buffer_minutes)
    _expire_holds(session, agent.id, request.start, blocked, now)
    if _clash(session, agent.id, request.start, blocked, now):
        raise Conflict("slot-taken", _SLOT_TAKEN)
    booking = Booking(
        agent_id=agent.id, skill_code=request.skill, starts_at=request.start, ends_at=end, blocked_until=blocked,
        status="held" if request.hold else "confirmed",
        held_until=now + timedelta(minutes=config.hold_minutes) if request.hold else None,
        customer_name=request.customer.name if request.customer else "",
        customer_contact=request.customer.contact if request.customer else "", sequence=0,
        idempotency_key=key, request_fingerprint=request.fingerprint() if key else None,
        created_at=now, updated_at=now,
    )
    session.add(booking)
    session.flush()
    if booking.status == "confirmed":
        reminders.schedule(session, booking, message, now, config)
    _audit(session, booking, "booking.created")
    return booking


def _check_slot(session: Session, config: SchedulerSettings, agent_id: str, start: datetime, skill: str, now: datetime):  # noqa: ANN202
    """The agent, after checking the skill, the time window and that ``start`` is one of their slots."""
    require_skills(session, [skill])
    # FOR SHARE on PostgreSQL: time off, added under FOR UPDATE, waits for this booking or is seen by it.
    agent = get_agent(session, agent_id, lock="share")
    if not agent.active:
        raise Conflict("agent-inactive", "That agent is not taking bookings; pick another agent.")
    if skill not in agent.skills:
        raise BadInput("skill-not-offered", "That agent does not offer this skill; pick a slot listed for it.", field="skill")
    check_window(start, start + timedelta(minutes=1), now, horizon_days=config.horizon_days, max_days=1, past_days=0)
    if start < now + timedelta(minutes=config.min_notice_minutes):
        raise BadInput("slot-in-past", "That time has passed or is too soon; pick a later slot.", field="start")
    if start not in rule_slots(agent, start - timedelta(hours=1), start + timedelta(hours=1), config):
        raise BadInput("not-a-slot", "That agent has no session starting then; pick a start from /availability.", field="start")
    span_end = start + timedelta(minutes=config.session_minutes + config.buffer_minutes)
    off = session.scalar(
        select(TimeOff.id).where(TimeOff.agent_id == agent.id, TimeOff.starts_at < span_end, TimeOff.ends_at > start).limit(1)
    )
    if off is not None:
        raise Conflict("agent-away", "The agent is away at that time; pick another slot.")
    return agent


def _expire_holds(session: Session, agent_id: str, start: datetime, end: datetime, now: datetime) -> None:
    """Expired holds leave the live set before the constraint looks at the new row."""
    session.execute(
        update(Booking)
        .where(Booking.agent_id == agent_id, Booking.status == "held", Booking.held_until <= now)
        .where(Booking.starts_at < end, Booking.blocked_until > start)
        .values(status="expired", updated_at=now)
    )


def _clash(session: Session, agent_id: str, start: datetime, end: datetime, now: datetime, ignore: str | None = None) -> bool:
    query = select(Booking.id).where(
        Booking.agent_id == agent_id, live_filter(now), Booking.starts_at < end, Booking.blocked_until > start
    )
    if ignore is not None:
        query = query.where(Booking.id != ignore)
    return session.scalar(query.limit(1)) is not None


def get_booking(session: Session, booking_id: str) -> Booking:
    booking = session.get(Booking, booking_id) if isinstance(booking_id, str) else None
    if booking is None:
        raise NotFound("unknown-booking", "No booking has that id; check the link in your confirmation message.")
    return booking


def confirm(
    sessions: sessionmaker, config: SchedulerSettings, booking_id: str, now: datetime | None = None,
    customer: Customer | None = None,
) -> BookingView:
    """Confirm a held booking before its hold runs out, with the customer's details if the hold had none."""
    now = now or utcnow()
    with write_session(sessions) as session:
        booking = get_booking(session, booking_id)
        if booking.status == "confirmed":
            return view(booking)
        if booking.status != "held" or booking.held_until <= now:  # type: ignore[operator]  # a held booking has held_until
            raise Conflict("hold-expired", "This hold has run out or was cancelled; book the slot again.")
        if customer is not None:
            booking.customer_name, booking.customer_contact = customer.name, customer.contact
        elif not booking.customer_contact:
            raise BadInput("missing-field", "Send 'customer' with 'name' and 'contact' to confirm this hold.", field="customer")
        booking.status, booking.held_until, booking.updated_at = "confirmed", None, now
        reminders.schedule(session, booking, "confirmed", now, config)
        _audit(session, booking, "booking.confirmed")
        return view(booking)


def extend_hold(sessions: sessionmaker, config: SchedulerSettings, booking_id: str, now: datetime | None = None) -> BookingView:
    """Give a held booking another ``hold_minutes`` from now: every time limit can be extended."""
    now = now or utcnow()
    with write_session(sessions) as session:
        booking = get_booking(session, booking_id)
        if booking.status != "held" or booking.held_until <= now:  # type: ignore[operator]  # a held booking has held_until
            raise Conflict("hold-expired", "This hold has run out or was cancelled; book the slot again.")
        booking.held_until, booking.updated_at = now + timedelta(minutes=config.hold_minutes), now
        return view(booking)


def reschedule(
    sessions: sessionmaker, config: SchedulerSettings, booking_id: str, start: datetime,
    agent_id: str | None = None, now: datetime | None = None,
) -> BookingView:
    """Move a live booking to another slot; nothing changes when the new one is taken."""
    now = now or utcnow()
    try:
        with write_session(sessions) as session:
            booking = _live(session, booking_id, now)
            old_agent, old_start = booking.agent_id, booking.starts_at
            agent = _check_slot(session, config, agent_id or booking.agent_id, start, booking.skill_code, now)
            blocked = start + timedelta(minutes=config.session_minutes + config.buffer_minutes)
            _expire_holds(session, agent.id, start, blocked, now)
            if _clash(session, agent.id, start, blocked, now, ignore=booking.id):
                raise Conflict("slot-taken", _SLOT_TAKEN)
            booking.agent_id, booking.starts_at = agent.id, start
            booking.ends_at = start + timedelta(minutes=config.session_minutes)
            booking.blocked_until, booking.updated_at = blocked, now
            booking.sequence += 1
            session.flush()
            reminders.schedule(session, booking, "rescheduled", now, config)
            _audit(session, booking, "booking.rescheduled")
            _promote(session, config, old_agent, old_start, now)
            return view(booking)
    except IntegrityError as error:
        if violated(error, "sl_bookings_no_overlap", "sl_bookings_live_start", "sl_bookings.agent_id"):
            raise Conflict("slot-taken", _SLOT_TAKEN) from None
        raise


def cancel(sessions: sessionmaker, config: SchedulerSettings, booking_id: str, now: datetime | None = None) -> BookingView:
    """Cancel a booking; the freed slot goes to the first matching waitlist entry."""
    now = now or utcnow()
    with write_session(sessions) as session:
        booking = get_booking(session, booking_id)
        if booking.status == "cancelled":
            raise Conflict("already-cancelled", "This booking is already cancelled; nothing changed.")
        if booking.status not in ("held", "confirmed"):
            raise Conflict("booking-finished", f"This booking is {booking.status} and can no longer be cancelled.")
        was_confirmed = booking.status == "confirmed"
        booking.status, booking.updated_at = "cancelled", now
        booking.sequence += 1
        session.flush()
        if was_confirmed:
            reminders.schedule(session, booking, "cancelled", now, config)
        _audit(session, booking, "booking.cancelled")
        _promote(session, config, booking.agent_id, booking.starts_at, now)
        return view(booking)


def record_outcome(
    sessions: sessionmaker, booking_id: str, outcome: str | None, now: datetime | None = None, *, acting_agent: str | None = None,
) -> BookingView:
    """The agent marks a started session ``completed`` or ``no_show``.

    ``acting_agent`` is who acts: only the booking's own agent may close it
    (403 ``not-your-booking`` otherwise); ``None`` is a supervisor.
    """
    if outcome not in ("completed", "no_show"):
        raise BadInput("bad-outcome", "The outcome is 'completed' or 'no_show'.", field="outcome")
    now = now or utcnow()
    with write_session(sessions) as session:
        booking = get_booking(session, booking_id)
        check_owner(booking.agent_id, acting_agent)
        if booking.status != "confirmed":
            raise Conflict("booking-not-confirmed", f"This booking is {booking.status}; only a confirmed one can be closed.")
        if now < booking.starts_at:
            raise Conflict("session-not-started", "The session has not started yet.")
        booking.status, booking.updated_at = outcome, now
        _audit(session, booking, f"booking.{outcome}")
        return view(booking)


def _live(session: Session, booking_id: str, now: datetime) -> Booking:
    booking = get_booking(session, booking_id)
    if booking.status == "confirmed" or (booking.status == "held" and booking.held_until > now):  # type: ignore[operator]  # a held booking has held_until
        return booking
    raise Conflict("booking-not-live", f"This booking is {booking.status}; book a new session instead.")


def _promote(session: Session, config: SchedulerSettings, agent_id: str, start: datetime, now: datetime) -> None:
    """Give a freed slot to the oldest waitlist entry that fits it, in a savepoint.

    If someone else takes the slot first, only the promotion is undone, never
    the cancellation that freed it.
    """
    if start < now + timedelta(minutes=config.min_notice_minutes):
        return
    agent = get_agent(session, agent_id)
    entries = session.scalars(
        select(WaitlistEntry)
        .where(WaitlistEntry.status == "waiting", WaitlistEntry.skill_code.in_(agent.skills))
        .where(WaitlistEntry.window_start <= start, WaitlistEntry.window_end > start)
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).all()
    if not entries:
        return
    _book_for(session, config, entries[0], agent_id, start, now)


def promote_for_agent(
    session: Session, config: SchedulerSettings, agent_id: str, now: datetime,
    start: datetime | None = None, end: datetime | None = None,
) -> list[str]:
    """Give the agent's newly free slots to the oldest matching waitlist entries; returns the new booking ids.

    Called inside the write transaction that frees time (more working hours,
    time off removed, the agent active again), so a freed slot cannot slip
    past a waiting customer. ``start``/``end`` narrow the search to the span
    that changed; each entry gets the first free slot in its window.
    """
    agent = get_agent(session, agent_id)
    if not agent.active:
        return []
    earliest = now + timedelta(minutes=config.min_notice_minutes)
    low, high = max(earliest, start or earliest), end
    query = select(WaitlistEntry).where(
        WaitlistEntry.status == "waiting", WaitlistEntry.skill_code.in_(agent.skills), WaitlistEntry.window_end > low
    )
    if high is not None:
        query = query.where(WaitlistEntry.window_start < high)
    made = []
    for entry in session.scalars(query.order_by(WaitlistEntry.created_at, WaitlistEntry.id).with_for_update(skip_locked=True)).all():
        first, last = max(entry.window_start, low), min(entry.window_end, high or entry.window_end)
        if first >= last:
            continue
        for slot in free_slots(session, config, first, last, now, (entry.skill_code,), agent.id):
            booking_id = _book_for(session, config, entry, agent.id, slot.start, now)
            if booking_id is not None:
                made.append(booking_id)
                break
    return made


def _book_for(session: Session, config: SchedulerSettings, entry: WaitlistEntry, agent_id: str, start: datetime, now: datetime) -> str | None:
    """Book ``start`` for a waitlist entry in a savepoint; ``None`` (and nothing written) when it cannot be had."""
    request = BookingRequest(agent_id, start, entry.skill_code, Customer(entry.customer_name, entry.customer_contact))
    try:
        with session.begin_nested():
            booking = _insert(session, config, request, now, None, message="promoted")
            booking.waitlist_id = entry.id
            entry.status, entry.booking_id = "booked", booking.id
    except (IntegrityError, Conflict, BadInput):
        log.info("waitlist entry %s could not take the freed slot", ref(entry.id))
        return None
    log.info("waitlist entry %s promoted to booking %s", ref(entry.id), ref(booking.id))
    return booking.id


def _audit(session: Session, booking: Booking, kind: str) -> None:
    session.add(AuditEvent(
        subject=f"booking:{booking.id}", kind=kind,
        details={"agent": booking.agent_id, "start": format_utc(booking.starts_at), "status": booking.status, "sequence": booking.sequence},
    ))

"""The waitlist for full days: when a matching booking is cancelled, the slot is booked for the oldest entry.

Promotion itself happens inside the cancellation's transaction
(:func:`barrierfree.onboarding.scheduler.bookings.cancel`), so a freed slot
cannot be lost between the two.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from barrierfree.errors import NotFound
from barrierfree.onboarding.scheduler.agents import require_skill
from barrierfree.onboarding.scheduler.models import WaitlistEntry
from barrierfree.onboarding.scheduler.times import check_window, utcnow
from barrierfree.onboarding.scheduler.types import Customer, WaitlistView
from barrierfree.settings.scheduler import SchedulerSettings


def join_waitlist(
    session: Session, config: SchedulerSettings, skill: object, start: datetime, end: datetime, customer: Customer,
    now: datetime | None = None,
) -> WaitlistView:
    """Wait for any slot with ``skill`` starting in ``[start, end)``; the caller commits."""
    now = now or utcnow()
    check_window(start, end, now, horizon_days=config.horizon_days, max_days=config.max_range_days, past_days=0)
    code = require_skill(session, skill)
    entry = WaitlistEntry(
        skill_code=code, window_start=start, window_end=end, customer_name=customer.name,
        customer_contact=customer.contact, status="waiting", created_at=now,
    )
    session.add(entry)
    session.flush()
    return view(entry)


def leave_waitlist(session: Session, entry_id: str) -> WaitlistView:
    entry = get_entry(session, entry_id)
    if entry.status == "waiting":
        entry.status = "left"
        session.flush()
    return view(entry)


def get_entry(session: Session, entry_id: str) -> WaitlistEntry:
    entry = session.get(WaitlistEntry, entry_id) if isinstance(entry_id, str) else None
    if entry is None:
        raise NotFound("unknown-waitlist-entry", "No waitlist entry has that id.")
    return entry


def view(entry: WaitlistEntry) -> WaitlistView:
    return WaitlistView(entry.id, entry.skill_code, entry.window_start, entry.window_end, entry.status, entry.booking_id)

"""Text-only notifications: a table of due messages, a ticker that claims them, pluggable senders.

Every message about a booking (confirmation, reminder, reschedule,
cancellation, waitlist promotion) is a :class:`Reminder` row with a due time,
written in the same transaction as the change it reports, so a message is
never lost and never sent for a change that rolled back. A ticker
(:func:`run_due`, or ``barrierfree scheduler ticker``) claims due rows — with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL and under ``BEGIN IMMEDIATE`` on
SQLite — so two tickers never send the same one; a claim left by a ticker that
died is released after a lease. Messages are text (e-mail, SMS, in-app),
never a call: the customers are deaf.
"""

from __future__ import annotations

import os
import smtplib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from barrierfree.log import get_logger, ref
from barrierfree.onboarding.scheduler.models import Booking, OutboxMessage, Reminder
from barrierfree.onboarding.scheduler.times import format_utc, utcnow
from barrierfree.onboarding.scheduler.txn import write_session
from barrierfree.onboarding.scheduler.types import Customer
from barrierfree.settings.scheduler import SchedulerSettings

log = get_logger(__name__)

_SUBJECTS = {
    "confirmed": "Your sign-language video session is booked / 手语视频服务已预约",
    "reminder": "Reminder: sign-language video session / 提醒：手语视频服务",
    "rescheduled": "Your sign-language video session has moved / 手语视频服务时间已更改",
    "cancelled": "Your sign-language video session is cancelled / 手语视频服务已取消",
    "promoted": "A session became free and is now yours / 有空位，已为您预约",
}


@dataclass(frozen=True)
class OutgoingMessage:
    """One text message. ``recipient`` is personal data: never log it."""

    channel: str
    recipient: str = field(repr=False)
    subject: str
    body: str
    booking_id: str
    reminder_id: int


class Sender(Protocol):
    """Delivers one message; raises to have it retried on the next tick."""

    def send(self, session: Session, message: OutgoingMessage) -> None: ...


class OutboxSender:
    """Writes the message to ``sl_outbox`` (the in-app inbox, and what tests read)."""

    def send(self, session: Session, message: OutgoingMessage) -> None:
        session.add(
            OutboxMessage(
                channel=message.channel, recipient=message.recipient, subject=message.subject, body=message.body,
                booking_id=message.booking_id, reminder_id=message.reminder_id, created_at=utcnow(),
            )
        )


@dataclass
class SmtpSender:
    """Sends e-mail through an SMTP relay, and keeps a copy in the outbox."""

    host: str
    port: int = 25
    sender_address: str = "no-reply@localhost"

    def send(self, session: Session, message: OutgoingMessage) -> None:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = self.sender_address, message.recipient, message.subject
        email.set_content(message.body)
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.send_message(email)
        OutboxSender().send(session, message)


def default_senders(config: SchedulerSettings | None = None) -> dict[str, Sender]:
    """Every channel to the outbox, e-mail through SMTP when ``smtp_host`` is set; a bank plugs in its own SMS gateway."""
    outbox = OutboxSender()
    senders: dict[str, Sender] = {"email": outbox, "sms": outbox, "in_app": outbox}
    if config is not None and config.smtp_host:
        senders["email"] = SmtpSender(config.smtp_host, config.smtp_port, config.smtp_from)
    return senders


def schedule(session: Session, booking: Booking, kind: str, now: datetime, config: SchedulerSettings) -> None:
    """Queue the message ``kind`` now and, for a live booking, the reminders before it starts."""
    session.execute(
        update(Reminder).where(Reminder.booking_id == booking.id, Reminder.status == "pending", Reminder.kind == "reminder")
        .values(status="dropped")
    )
    session.add(Reminder(booking_id=booking.id, kind=kind, due_at=now, status="pending", attempts=0))
    if booking.status != "confirmed":
        return
    for minutes in config.reminder_offsets_minutes:
        due = booking.starts_at - timedelta(minutes=minutes)
        if due > now:
            session.add(Reminder(booking_id=booking.id, kind="reminder", due_at=due, status="pending", attempts=0))


def compose(booking: Booking, kind: str, config: SchedulerSettings) -> tuple[str, str]:
    """Subject and body of a message: times in UTC and the links, never the customer's name."""
    base = config.public_base_url.rstrip("/")
    lines = [
        _SUBJECTS[kind],
        f"Time / 时间: {format_utc(booking.starts_at)} - {format_utc(booking.ends_at)} (UTC)",
        f"Booking / 预约: {base}/sign-language/bookings/{booking.id}",
    ]
    if kind != "cancelled":
        lines.append(f"Video room / 视频房间: {base}/sign-language/rooms/{booking.room_id}")
    return _SUBJECTS[kind], "\n".join(lines)


def run_due(
    sessions: sessionmaker,
    config: SchedulerSettings,
    senders: dict[str, Sender] | None = None,
    *,
    worker: str = "ticker",
    now: datetime | None = None,
    batch: int | None = None,
) -> int:
    """Claim and send every due message; returns how many were sent.

    ``worker`` must be unique among the tickers running at once (host and
    process id, plus a role): a delivery goes ahead only while the claim is
    still this worker's.
    """
    senders = senders or default_senders(config)
    now = now or utcnow()
    batch = batch or config.reminder_batch_size
    sent = 0
    while True:
        claimed = _claim(sessions, config, worker, now, batch)
        if not claimed:
            return sent
        for reminder_id in claimed:
            sent += _deliver(sessions, config, senders, reminder_id, worker, now)
        # Back-to-back transactions would keep SQLite's one write lock from the
        # others waiting for it (bookings, a second ticker): leave a gap.
        time.sleep(config.reminder_batch_pause_ms / 1000)


def _claim(sessions: sessionmaker, config: SchedulerSettings, worker: str, now: datetime, batch: int) -> list[int]:
    stale = now - timedelta(seconds=config.reminder_lease_seconds)
    with write_session(sessions) as session:
        rows = session.scalars(
            select(Reminder)
            .where(Reminder.due_at <= now)
            .where(or_(Reminder.status == "pending", (Reminder.status == "claimed") & (Reminder.claimed_at < stale)))
            .order_by(Reminder.due_at, Reminder.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.status, row.claimed_by, row.claimed_at = "claimed", worker, now
            row.attempts += 1
        return [row.id for row in rows]


def _deliver(sessions: sessionmaker, config: SchedulerSettings, senders: dict[str, Sender], reminder_id: int, worker: str, now: datetime) -> int:
    try:
        with write_session(sessions) as session:
            # The row lock keeps a ticker that finds the lease stale from taking the
            # message over while it is being sent (SKIP LOCKED passes over it).
            reminder = session.get(Reminder, reminder_id, with_for_update=True)
            if reminder is None or reminder.status != "claimed" or reminder.claimed_by != worker:
                return 0
            booking = session.get(Booking, reminder.booking_id)
            assert booking is not None  # a booking outlives its reminders
            if reminder.kind == "reminder" and booking.status != "confirmed":
                reminder.status = "dropped"
                return 0
            customer = Customer(booking.customer_name, booking.customer_contact)
            subject, body = compose(booking, reminder.kind, config)
            message = OutgoingMessage(customer.channel, customer.contact, subject, body, booking.id, reminder.id)
            senders[customer.channel].send(session, message)
            reminder.status, reminder.sent_at = "sent", now
        log.info("sent %s message %s for booking %s", reminder.kind, reminder_id, ref(booking.id))
        return 1
    except Exception:
        log.exception("sending message %s failed; it will be retried", reminder_id)
        return 0


def outbox(session: Session, booking_id: str | None = None) -> list[OutboxMessage]:
    """Messages handed to senders, oldest first (the tests and the in-app inbox read this)."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if booking_id is not None:
        query = query.where(OutboxMessage.booking_id == booking_id)
    return list(session.scalars(query))


def tick_forever(
    sessions: sessionmaker, config: SchedulerSettings, worker: str, stop: threading.Event,
    senders: dict[str, Sender] | None = None, report: Callable[[int], None] | None = None,
) -> None:
    """Send due messages every ``ticker_interval_seconds`` until ``stop`` is set.

    One failed tick (the database restarting, say) is logged and retried on
    the next; what was claimed is released by the lease.
    """
    while not stop.is_set():
        try:
            sent = run_due(sessions, config, senders, worker=worker)
        except Exception:
            log.exception("ticker %s: a tick failed; retrying", worker)
            sent = 0
        if report is not None:
            report(sent)
        stop.wait(config.ticker_interval_seconds)


@dataclass
class BackgroundTicker:
    """A ticker running in a daemon thread of this process (the demo's); :meth:`stop` ends it."""

    worker: str
    thread: threading.Thread
    stopping: threading.Event

    def stop(self, timeout: float = 30.0) -> None:
        self.stopping.set()
        self.thread.join(timeout)


def worker_name(role: str) -> str:
    """A ticker id unique on this machine: host, process id and role."""
    return f"{socket.gethostname()}:{os.getpid()}:{role}"


def start_background_ticker(
    sessions: sessionmaker, config: SchedulerSettings, senders: dict[str, Sender] | None = None, role: str = "demo",
) -> BackgroundTicker:
    """Run :func:`tick_forever` in a daemon thread; it claims like any ticker, so a separate one never double-sends."""
    stopping, worker = threading.Event(), worker_name(role)
    thread = threading.Thread(target=tick_forever, args=(sessions, config, worker, stopping, senders), name=f"ticker-{role}", daemon=True)
    thread.start()
    log.info("background ticker %s started", worker)
    return BackgroundTicker(worker, thread, stopping)

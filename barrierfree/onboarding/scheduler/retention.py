"""Deleting what is no longer needed: chat lines, signalling, sent messages, closed queue tickets.

Bookings themselves are kept (they are the bank's record of service); the
conversation around them is not. Run by ``barrierfree scheduler purge``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, delete
from sqlalchemy.orm import Session

from barrierfree.onboarding.scheduler.models import ChatLine, OutboxMessage, QueueEntry, Signal
from barrierfree.onboarding.scheduler.times import utcnow
from barrierfree.settings.scheduler import SchedulerSettings


def _deleted(session: Session, statement: Delete) -> int:
    """How many rows ``statement`` deleted (a DELETE's result is a :class:`CursorResult`)."""
    return cast("CursorResult[Any]", session.execute(statement)).rowcount


def purge(session: Session, config: SchedulerSettings, now: datetime | None = None) -> dict[str, int]:
    """Delete rows older than ``retention_days``; returns how many of each kind. The caller commits."""
    cutoff = (now or utcnow()) - timedelta(days=config.retention_days)
    counts = {
        "chat_lines": _deleted(session, delete(ChatLine).where(ChatLine.created_at < cutoff)),
        "signals": _deleted(session, delete(Signal).where(Signal.created_at < cutoff)),
        "messages": _deleted(session, delete(OutboxMessage).where(OutboxMessage.created_at < cutoff)),
        "queue_tickets": _deleted(
            session, delete(QueueEntry).where(QueueEntry.created_at < cutoff, QueueEntry.status.in_(("left", "done")))
        ),
    }
    return {kind: int(count or 0) for kind, count in counts.items()}
